using System.Text;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

public class ProbeAndConstraintTests
{
    [Test]
    public void DefaultsAreTheDocumentedClinicalValues()
    {
        var c = PlanningConstraints.Default;
        Assert.That(c.Goals.CriticalClearanceMm, Is.EqualTo(3.0));   // Lippa (004): > 3 mm to neurovascular structures
        Assert.That(c.Goals.SkinClearanceMm, Is.EqualTo(5.0));       // Lippa (004): > 5 mm to skin
        Assert.That(c.NeedleLengthMm, Is.EqualTo(150.0));
        Assert.That(c.NeedleDiameterMm, Is.EqualTo(2.413));    // 13G = 0.095 in
        Assert.That(c.MaxAngleFromAxialDeg, Is.EqualTo(30.0));
        Assert.That(c.Goals.TumourMarginMm, Is.EqualTo(5.0));        // 001: ≥ 5–8 mm
        Assert.That(c.Goals.LethalIsothermC, Is.EqualTo(-20.0));     // 001, 004
        Assert.That(c.ProbeCountWarningAbove, Is.EqualTo(3));  // 001, 004
        Assert.That(c.ProbeSpacingMm, Is.EqualTo(20.0));       // 004
        Assert.That(c.ProbeInsetMm, Is.EqualTo(10.0));         // 004
        Assert.That(c.Goals.FusionUncertaintyMm, Is.EqualTo(0.0));
        Assert.That(c.BoneTraversal, Is.EqualTo(BoneTraversalPolicy.TranspedicularOnly));
    }

    [Test]
    public void GaugeTableMatchesStubsInches()
    {
        Assert.That(NeedleGauge.OuterDiameterMm(13), Is.EqualTo(0.095 * 25.4).Within(1e-3));
        Assert.That(NeedleGauge.OuterDiameterMm(17), Is.EqualTo(0.058 * 25.4).Within(1e-3));
        Assert.That(NeedleGauge.OuterDiameterMm(10), Is.EqualTo(0.134 * 25.4).Within(1e-3));
        Assert.Throws<ImageGuideException>(() => NeedleGauge.OuterDiameterMm(8));
    }

    [Test]
    public void RequiredClearanceUsesOverrideThenTableThenDefaultPlusUncertainty()
    {
        var c = AblationGoals.Default with
        {
            FusionUncertaintyMm = 1.5,
            ClearanceOverridesMm = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase) { ["Cord"] = 7 },
        };
        Assert.That(c.RequiredClearanceMm(new LabelDefinition(2, "cord", LabelRole.Critical, 5)), Is.EqualTo(8.5));
        Assert.That(c.RequiredClearanceMm(new LabelDefinition(3, "aorta", LabelRole.Critical, 4)), Is.EqualTo(5.5));
        Assert.That(c.RequiredClearanceMm(new LabelDefinition(4, "bowel", LabelRole.Critical)), Is.EqualTo(4.5));
    }

    [Test]
    public void InvalidSettingsAreRefusedByName()
    {
        var ex = Assert.Throws<ImageGuideException>(() => (PlanningConstraints.Default with { NeedleLengthMm = -1 }).Validate());
        Assert.That(ex!.Message, Does.Contain("NeedleLengthMm"));
    }

    [Test]
    public void BuiltInCatalogueIsApproximateAndReproducesItsIsotherms()
    {
        var cat = ProbeCatalogue.BuiltIn;
        Assert.That(cat.Note, Does.Contain("APPROXIMATE"));
        var m = cat.Get(ProbeCatalogue.DefaultModelName);
        Assert.That(m.Approximate, Is.True);
        // CryoMC: −20 °C ellipsoid 6 × 6 × 12 mm; 0 °C 10.5 × 10.5 × 14 mm (CLINICAL.md).
        Assert.That(37 - m.Cooling(6, 0), Is.EqualTo(-20).Within(1e-9));
        Assert.That(37 - m.Cooling(0, 12), Is.EqualTo(-20).Within(1e-9));
        Assert.That(37 - m.Cooling(10.5, 0), Is.EqualTo(0).Within(1e-9));
        Assert.That(37 - m.Cooling(0, -14), Is.EqualTo(0).Within(1e-9));
        Assert.That(37 - m.Cooling(60, 0), Is.GreaterThan(36).And.LessThan(37));
        // 1.7 mm probes: 84 % of the 2.4 mm ice (Littrup 2009).
        var small = cat.Get("approx-1.7mm");
        Assert.That(small.Isotherms[0].RadialMm / m.Isotherms[0].RadialMm, Is.EqualTo(0.84).Within(0.01));
        Assert.That(cat.TryGet("no-such-probe", out _), Is.False);
    }

    [Test]
    public void TwoProbesTwoCentimetresApartMergeIntoALethalZoneNearLittrupsDiameter()
    {
        // Littrup 2009: two 2.4 mm probes 2 cm apart → lethal ice diameter ≈ 3.3 cm. Superposition must at least bridge the gap
        // and give a lethal extent well beyond a plain union of two 1.2 cm zones (which would leave the midpoint unfrozen).
        var m = ProbeCatalogue.BuiltIn.Get(ProbeCatalogue.DefaultModelName);
        double Cool(double x) => m.Cooling(Math.Abs(x - 10), 0) + m.Cooling(Math.Abs(x + 10), 0);
        Assert.That(37 - Cool(0), Is.LessThanOrEqualTo(-20)); // midpoint lethal
        double edge = 0;
        for (double x = 0; x < 40; x += 0.05) if (37 - Cool(x) <= -20) edge = x;
        Assert.That(2 * edge, Is.InRange(28.0, 38.0));
    }

    [Test]
    public void MalformedCataloguesAreRefused()
    {
        static ProbeCatalogue Load(string s) => ProbeCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(s)), "test.json");
        Assert.Throws<InvalidImageDataException>(() => Load("{ not json"));
        Assert.Throws<InvalidImageDataException>(() => Load("{\"models\":[]}"));
        Assert.Throws<InvalidImageDataException>(() => Load("{\"models\":[{\"name\":\"x\",\"diameterMm\":2,\"centreOffsetMm\":5,\"isotherms\":[{\"temperatureC\":0,\"radialMm\":5,\"axialMm\":8},{\"temperatureC\":-20,\"radialMm\":6,\"axialMm\":7}]}]}"));
        var ok = Load("{\"models\":[{\"name\":\"x\",\"diameterMm\":2,\"centreOffsetMm\":5,\"isotherms\":[{\"temperatureC\":0,\"radialMm\":8,\"axialMm\":10},{\"temperatureC\":-20,\"radialMm\":5,\"axialMm\":8}]}]}");
        Assert.That(ok.Get("X").Name, Is.EqualTo("x"));
    }

    [Test]
    public void BadLabelTablesAreRefused()
    {
        var labels = new Volume<byte>(new VolumeGeometry(4, 4, 4, new Vec3(1, 1, 1), Vec3.Zero));
        Assert.Catch<ImageGuideException>(() => PlanningAnatomy.Create(labels,
            new LabelTable([new LabelDefinition(1, "a", LabelRole.Body), new LabelDefinition(1, "b", LabelRole.Critical)])));
        var ex = Assert.Catch<ImageGuideException>(() => PlanningAnatomy.Create(labels, new LabelTable([new LabelDefinition(0, "a", LabelRole.Body)])));
        Assert.That(ex!.Message, Does.Contain("value 0"));
        Assert.Catch<ImageGuideException>(() => PlanningAnatomy.Create(labels, new LabelTable([new LabelDefinition(2, "c", LabelRole.Critical, -1)])));
    }
}
