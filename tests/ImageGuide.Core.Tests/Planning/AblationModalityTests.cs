using System.Text;
using System.Text.Json;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// RF and MW applicators (issue 18): the catalogue as data, the heat zone model against hand-computed values, and plans
/// whose coverage is recounted in the test from the analytic tumour and the zone ellipsoids written to plan.json, never
/// from the planner's own field.
/// </summary>
public class AblationModalityTests
{
    private const double Margin = 5;
    private static readonly Vec3 Spacing = new(2, 2, 2), Origin = new(-74, -64, -44);

    [Test]
    public void TheBuiltInCatalogueHoldsRfAndMwApplicatorsWithTheirPublishedZones()
    {
        var cat = ProbeCatalogue.BuiltIn;
        var emprint = cat.Get("emprint-100W-10min");
        Assert.That((emprint.Modality, emprint.Zone.RadialMm * 2, emprint.Zone.AxialMm * 2), Is.EqualTo((AblationModality.Mwa, 36.0, 42.0)), "Emprint 100 W / 10 min ≈ 36 × 36 × 42 mm");
        var neuwave = cat.Get("neuwave-65W-5min");
        Assert.That((neuwave.Modality, neuwave.Zone.RadialMm * 2, neuwave.Zone.AxialMm * 2), Is.EqualTo((AblationModality.Mwa, 24.0, 36.0)), "NeuWave 65 W / 5 min ≈ 24 × 24 × 36 mm");
        Assert.That(cat.Get("cooltip-single-3cm").Modality, Is.EqualTo(AblationModality.Rfa));
        Assert.That(cat.Get("cooltip-cluster-2.5cm").Zone.RadialMm * 2, Is.EqualTo(47.0), "cluster 15 min ex vivo: 4.7 cm (Goldberg 1998)");
        Assert.That(cat.Get("bipolar-bone-10mm").Zone.AxialMm, Is.LessThan(cat.Get("bipolar-bone-20mm").Zone.AxialMm));
        foreach (var m in cat.Models)
        {
            Assert.That(m.Approximate, Is.True, $"{m.Name} is labelled approximate");
            Assert.That(m.Source, Is.Not.Empty, m.Name);
        }
        foreach (var k in new[] { AblationModality.Cryo, AblationModality.Rfa, AblationModality.Mwa })
            Assert.That(cat.Get(ProbeCatalogue.DefaultModelFor(k)).Modality, Is.EqualTo(k));
    }

    [Test]
    public void AUserCatalogueWithAnAsymmetricOrIncompleteZoneIsRefusedWithWhatIsWrong()
    {
        static ProbeCatalogue Load(string json) => ProbeCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "mine.json");
        var ok = Load("""{"models":[{"name":"mw","modality":"mwa","diameterMm":2,"zone":{"semiAxesMm":[10,10,15],"centreFromTipMm":8},"zoneTemperatureC":50,"peakTemperatureC":100}]}""");
        Assert.That(ok.Get("MW").Zone, Is.EqualTo(new ProbeZone(10, 15, 8)));
        var e = Assert.Throws<InvalidImageDataException>(() => Load("""{"models":[{"name":"mw","modality":"mwa","diameterMm":2,"zone":{"semiAxesMm":[10,12,15],"centreFromTipMm":8},"zoneTemperatureC":50,"peakTemperatureC":100}]}"""));
        Assert.That(e!.Message, Does.Contain("mine.json").And.Contain("first two semi-axes must be equal"));
        e = Assert.Throws<InvalidImageDataException>(() => Load("""{"models":[{"name":"rf","modality":"rfa","diameterMm":2}]}"""));
        Assert.That(e!.Message, Does.Contain("'rf'").And.Contain("zone"));
        e = Assert.Throws<InvalidImageDataException>(() => Load("""{"models":[{"name":"x","modality":"laser","diameterMm":2}]}"""));
        Assert.That(e!.Message, Does.Contain("laser"));
        e = Assert.Throws<InvalidImageDataException>(() => Load("""{"models":[{"name":"mw","modality":"mwa","diameterMm":2,"zone":{"semiAxesMm":[10,10,15],"centreFromTipMm":8},"zoneTemperatureC":30,"peakTemperatureC":100}]}"""));
        Assert.That(e!.Message, Does.Contain("above 37"));
    }

    [Test]
    public void TheHeatZoneIsAt50DegreesOnItsEllipsoidAndFallsAsOneOverDistanceOutside()
    {
        var m = ProbeCatalogue.BuiltIn.Get("cooltip-single-3cm"); // 14.5 × 17.5 mm semi-axes, 50 °C edge
        Assert.That(m.TemperatureFromDose(m.Dose(14.5, 0)), Is.EqualTo(50).Within(1e-9));
        Assert.That(m.TemperatureFromDose(m.Dose(0, 17.5)), Is.EqualTo(50).Within(1e-9));
        Assert.That(m.TemperatureFromDose(m.Dose(0, -17.5)), Is.EqualTo(50).Within(1e-9));
        // across the shaft at 29 mm (twice the radius): 37 + 13 · 14.5 / 29 = 43.5 °C
        Assert.That(m.TemperatureFromDose(m.Dose(29, 0)), Is.EqualTo(43.5).Within(1e-9));
        // along the shaft at 35 mm: 37 + 13 · 17.5 / 35 = 43.5 °C
        Assert.That(m.TemperatureFromDose(m.Dose(0, 35)), Is.EqualTo(43.5).Within(1e-9));
        Assert.That(m.TemperatureFromDose(m.Dose(0, 0)), Is.EqualTo(90).Within(1e-9), "peak at the centre");
        // 45 °C lies where 13 · d0 / d = 8: d = 1.625 d0, farthest along the shaft (17.5 mm): 28.44 mm (+1 % + 0.5 mm margin)
        Assert.That(m.ReachMm(8), Is.EqualTo(1.625 * 17.5 * 1.01 + 0.5).Within(0.02));
        Assert.That(m.EdgeDose, Is.EqualTo(13));
        Assert.That(m.LethalDose(-20), Is.EqualTo(13), "for heat the published zone is the lethal one whatever the cryo lethal isotherm");
    }

    private static (PlanningAnatomy Anatomy, Volume<byte> Labels) Torso(Func<Vec3, bool> tumour, double cordY, double? aortaX = null)
    {
        var phantom = new ShapePhantom(75, 65, 45, Spacing, Origin)
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, tumour)
            .Add(3, "cord", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(0, cordY, 0), new Vec3(0, 0, 1), 5));
        if (aortaX is { } ax) phantom.Add(4, "aorta", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(ax, 0, 0), new Vec3(0, 0, 1), 6));
        return (phantom.Anatomy(), phantom.Labels);
    }

    /// <summary>Distance from a point to the nearest tumour voxel centre (the planner's margin is measured to voxel centres), by brute force.</summary>
    private static Func<Vec3, double> TumourDistance(Volume<byte> labels)
    {
        var g = labels.Geometry;
        var centres = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
            if (labels[i, j, k] == 2) centres.Add(g.IndexToPhysical(i, j, k));
        double lx = centres.Min(c => c.X), hx = centres.Max(c => c.X), ly = centres.Min(c => c.Y), hy = centres.Max(c => c.Y), lz = centres.Min(c => c.Z), hz = centres.Max(c => c.Z);
        return p =>
        {
            if (p.X < lx - 2 * Margin || p.X > hx + 2 * Margin || p.Y < ly - 2 * Margin || p.Y > hy + 2 * Margin || p.Z < lz - 2 * Margin || p.Z > hz + 2 * Margin)
                return double.PositiveInfinity;
            double best = double.PositiveInfinity;
            foreach (var q in centres) best = Math.Min(best, Vec3.Distance(p, q));
            return best;
        };
    }

    /// <summary>Coverage of tumour + margin recounted from the applicators as plan.json gives them: a voxel is ablated when its centre lies inside a zone ellipsoid.</summary>
    private static double RecountCoverage(string planJson, Volume<byte> labels, Func<Vec3, double> distanceToTumour, out int applicators)
    {
        using var doc = JsonDocument.Parse(planJson);
        var zones = new List<(Vec3 Centre, Vec3 Axis, double R, double A)>();
        foreach (var a in doc.RootElement.GetProperty("applicators").EnumerateArray())
        {
            Vec3 V(string n) { var e = a.GetProperty(n); return new Vec3(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble()); }
            var z = a.GetProperty("zone");
            var axes = z.GetProperty("semiAxesMm");
            Vec3 tip = V("tip"), u = (tip - V("entry")).Normalized();
            zones.Add((tip - u * z.GetProperty("centreFromTipMm").GetDouble(), u, axes[0].GetDouble(), axes[2].GetDouble()));
        }
        applicators = zones.Count;
        var g = labels.Geometry;
        int goal = 0, hit = 0;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            var p = g.IndexToPhysical(i, j, k);
            if (distanceToTumour(p) > Margin) continue;
            goal++;
            foreach (var (c, u, r, a) in zones)
            {
                var d = p - c;
                double along = Vec3.Dot(d, u), across2 = Vec3.Dot(d, d) - along * along;
                if (across2 / (r * r) + along * along / (a * a) <= 1) { hit++; break; }
            }
        }
        return hit / (double)goal;
    }

    [TestCase("cooltip-single-3cm", 10.0)]
    [TestCase("emprint-100W-10min", 10.0)]
    [TestCase("neuwave-65W-5min", 10.0)]
    public void PlansForRfAndMwCoverASphereTumourAsRecountedFromTheirZonesAndKeepTheClearances(string applicator, double radius)
    {
        var (anatomy, labels) = Torso(ShapePhantom.Sphere(Vec3.Zero, radius), cordY: radius + Margin + 14 + 5);
        var c = PlanningConstraints.Default with { ProbeModel = applicator };
        var paths = new TrajectoryPlanner(anatomy, c);
        var plan = new CryoPlanner(paths) { ThermocouplePaths = false }.Plan();
        string json = PlanJson.Serialize(paths.Plan(Vec3.Zero), plan);
        double recount = RecountCoverage(json, labels, TumourDistance(labels), out int n);
        TestContext.Out.WriteLine($"{applicator}: {n} applicator(s), planner {plan.LethalCoverage:P2}, recount {recount:P2}, margin {plan.MinMarginMm:F1} mm; {plan.InfeasibleReason}");
        Assert.That(plan.Feasible, Is.True, plan.InfeasibleReason);
        Assert.That(plan.Modality, Is.Not.EqualTo(AblationModality.Cryo));
        Assert.That(recount, Is.GreaterThanOrEqualTo(c.Goals.CoverageGoal), "independent recount reaches the goal");
        Assert.That(recount, Is.EqualTo(plan.LethalCoverage).Within(0.005), "planner and recount agree");
        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.GetProperty("modality").GetString(), Is.EqualTo(plan.Modality.Name()));
        // the zone keeps the cord's clearance: every voxel centre inside a zone ellipsoid lies ≥ 5 mm (+ the voxel
        // allowance) from every cord voxel centre
        var g = labels.Geometry;
        var cord = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
            if (labels[i, j, k] == 3) cord.Add(g.IndexToPhysical(i, j, k));
        double nearest = double.PositiveInfinity;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            var q = g.IndexToPhysical(i, j, k);
            bool inside = false;
            foreach (var p in plan.Probes)
            {
                var d = q - (p.Tip - p.Axis * plan.Model.Zone.CentreBehindTipMm);
                double along = Vec3.Dot(d, p.Axis), across2 = Vec3.Dot(d, d) - along * along;
                inside |= across2 / Math.Pow(plan.Model.Zone.RadialMm, 2) + along * along / Math.Pow(plan.Model.Zone.AxialMm, 2) <= 1;
            }
            if (inside) foreach (var cc in cord) nearest = Math.Min(nearest, Vec3.Distance(q, cc));
        }
        Assert.That(nearest - anatomy.VoxelAllowanceMm, Is.GreaterThanOrEqualTo(5), "zone voxel centres keep the cord's 5 mm");
        Assert.That(plan.IceToCriticalMm["cord"], Is.GreaterThanOrEqualTo(5));
    }

    [Test]
    public void AnOffCentreElectrodeCoversWhatTheEllipsoidCountsAndNoMore()
    {
        // Known ellipsoid tumour (semi-axes 8, 8, 12 mm along z) and one Cool-tip electrode along +z whose zone centre is
        // 6 mm to the side: coverage is the share of tumour + margin voxels inside the zone, counted here.
        Func<Vec3, bool> tumour = p => p.X * p.X / 64 + p.Y * p.Y / 64 + p.Z * p.Z / 144 <= 1;
        var (anatomy, labels) = Torso(tumour, cordY: 45);
        // the electrode comes from the front: every side is allowed (the posterior-only default is for prone spine patients)
        var c = PlanningConstraints.Default with { ProbeModel = "cooltip-single-3cm", MaxAngleFromPosteriorDeg = 180 };
        var paths = new TrajectoryPlanner(anatomy, c);
        var m = ProbeCatalogue.BuiltIn.Get("cooltip-single-3cm");
        var axis = new Vec3(0, 1, 0); // anterior → posterior, in the axial plane
        var tip = new Vec3(6, 0, 0) + axis * m.Zone.CentreBehindTipMm;
        var plan = new CryoPlanner(paths) { ThermocouplePaths = false }.Assess([(tip, axis)]);
        // tumour + margin: voxel centres within 5 mm of a tumour voxel centre (the planner's distance map is to voxel centres)
        string json = PlanJson.Serialize([], plan, c);
        double recount = RecountCoverage(json, labels, TumourDistance(labels), out _);
        TestContext.Out.WriteLine($"planner {plan.LethalCoverage:P3}, recount {recount:P3}");
        Assert.That(recount, Is.InRange(0.5, 0.999), "the offset leaves part uncovered");
        Assert.That(plan.LethalCoverage, Is.EqualTo(recount).Within(1e-9), "the same voxels, counted independently");
        Assert.That(plan.Feasible, Is.False);
        Assert.That(plan.InfeasibleReason, Does.Contain("lethal coverage"));
    }

    [Test]
    public void AVesselNearTheZoneGivesAHeatSinkWarningAndAFarOneDoesNot()
    {
        var m = ProbeCatalogue.BuiltIn.Get("cooltip-single-3cm");
        var axis = new Vec3(0, 0, 1);
        var tip = axis * m.Zone.CentreBehindTipMm;
        foreach (var (x, expected) in new[] { (14.5 + 6 + 5.0, true), (14.5 + 6 + 20.0, false) })
        {
            var (anatomy, _) = Torso(ShapePhantom.Sphere(Vec3.Zero, 8), cordY: 45, aortaX: x);
            var plan = new CryoPlanner(new TrajectoryPlanner(anatomy, PlanningConstraints.Default with { ProbeModel = m.Name })) { ThermocouplePaths = false }
                .Assess([(tip, axis)]);
            TestContext.Out.WriteLine($"aorta at x = {x}: {string.Join("; ", plan.HeatSinks)}");
            Assert.That(plan.HeatSinks.Any(h => h.Structure == "aorta"), Is.EqualTo(expected));
            Assert.That(plan.Warnings.Any(w => w.StartsWith("heat sink: aorta", StringComparison.Ordinal)), Is.EqualTo(expected));
            if (expected) Assert.That(plan.HeatSinks[0].DistanceMm, Is.InRange(5 - anatomy.VoxelAllowanceMm - 0.01, 5 + 0.01), "aorta wall 5 mm from the zone");
        }
    }

    [Test]
    public void AnMwPlanReadBackGivesTheAntennasFieldWith50DegreesOnTheZone()
    {
        var (anatomy, _) = Torso(ShapePhantom.Sphere(Vec3.Zero, 8), cordY: 45);
        var m = ProbeCatalogue.BuiltIn.Get("emprint-100W-10min");
        var axis = new Vec3(0, 1, 0);
        var tip = axis * m.Zone.CentreBehindTipMm; // zone centre at the origin
        var plan = new CryoPlanner(new TrajectoryPlanner(anatomy, PlanningConstraints.Default with { ProbeModel = m.Name })) { ThermocouplePaths = false }
            .Assess([(tip, axis)]);
        var read = PlanFile.Parse(PlanJson.Serialize([], plan, plan.Constraints), "plan.json");
        Assert.That(read.ProbeField!.Model.Name, Is.EqualTo(m.Name));
        Assert.That(read.ProbeField.TemperatureAt(new Vec3(18, 0, 0)), Is.EqualTo(50).Within(0.01), "radial semi-axis 18 mm");
        Assert.That(read.ProbeField.TemperatureAt(new Vec3(0, 21, 0)), Is.EqualTo(50).Within(0.01), "axial semi-axis 21 mm");
        Assert.That(read.ProbeField.TemperatureAt(new Vec3(36, 0, 0)), Is.EqualTo(43.5).Within(0.01), "37 + 13 · 18 / 36");
    }
}
