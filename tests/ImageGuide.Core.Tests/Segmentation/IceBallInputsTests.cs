using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Planning;
using ImageGuide.Segmentation;

namespace ImageGuide.Tests.Segmentation;

/// <summary>Labels from another frame, plan comparison and growth on a phantom case.</summary>
public class IceBallInputsTests
{
    private static Volume<float> F(Volume<short> v) => v.Convert(x => (float)x);

    [Test]
    public void LabelsFromTheDiagnosticCt_ThroughTheTransform_GiveTheSameCoverageAsLabelsOnTheCtGrid()
    {
        var c = IceBallPhantoms.Case(12, 2);
        var same = IceBallPhantoms.Analysis(12, 2, true);
        var moved = new IceBallSegmenter().Analyze(new IceBallInputs
        {
            IntraOpCt = F(c.IntraOpCt.Image),
            PreFreezeCt = F(c.PreFreezeCt.Image),
            Probes = same.Probes,
            Labels = new LabelMap(c.DiagnosticCt.Labels, c.DiagnosticCt.LabelTable),
            IntraOpToLabels = PhantomCase.TransformBetween(c.IntraOpCt, c.DiagnosticCt),
        });
        Assert.That(IceBallMeasures.Dice(moved.IceBall, same.IceBall), Is.EqualTo(1), "the segmentation does not depend on the labels");
        Assert.That(moved.LethalCoverage!.Value, Is.EqualTo(same.LethalCoverage!.Value).Within(0.05));
        Assert.That(moved.MinMarginMm!.Value, Is.EqualTo(same.MinMarginMm!.Value).Within(2.5));
        Assert.That(moved.CriticalDistancesMm["cord"]!.Value, Is.EqualTo(same.CriticalDistancesMm["cord"]!.Value).Within(2.5));
    }

    [Test]
    public void LabelsThroughADisplacementField_OfTheSameMotion_GiveTheSameResultAsTheRigidTransform()
    {
        // consistency: a per-vertebra style field that carries one rigid motion everywhere stands in for that motion
        var c = IceBallPhantoms.Case(12, 2);
        var same = IceBallPhantoms.Analysis(12, 2, true);
        var rigid = PhantomCase.TransformBetween(c.IntraOpCt, c.DiagnosticCt);
        var field = DisplacementField.Sample(rigid, c.IntraOpCt.Geometry);
        IceBallAnalysis Run(ISpatialTransform t) => new IceBallSegmenter().Analyze(new IceBallInputs
        {
            IntraOpCt = F(c.IntraOpCt.Image),
            PreFreezeCt = F(c.PreFreezeCt.Image),
            Probes = same.Probes,
            Labels = new LabelMap(c.DiagnosticCt.Labels, c.DiagnosticCt.LabelTable),
            IntraOpToLabels = t,
        });
        var a = Run(rigid);
        var b = Run(field);
        Assert.That(b.LethalCoverage!.Value, Is.EqualTo(a.LethalCoverage!.Value).Within(0.005));
        Assert.That(b.MinMarginMm!.Value, Is.EqualTo(a.MinMarginMm!.Value).Within(0.5));
        Assert.That(b.CriticalDistancesMm["cord"]!.Value, Is.EqualTo(a.CriticalDistancesMm["cord"]!.Value).Within(0.5));
    }

    [Test]
    public void PlanWithOneProbeDeeper_NamesThatProbesSideAsShort()
    {
        var c = IceBallPhantoms.Case(12, 2);
        var truth = c.IntraOpTruth.Probes;
        static string P(Vec3 v) => string.Create(CultureInfo.InvariantCulture, $"[{v.X},{v.Y},{v.Z}]");
        var deeper = truth[1].Tip + truth[1].Axis * 12;
        var json = $$"""{"trajectories":[],"probes":[{"tip":{{P(truth[0].Tip)}},"axis":{{P(truth[0].Axis)}}},{"tip":{{P(deeper)}},"axis":{{P(truth[1].Axis)}}}]}""";
        var a = new IceBallSegmenter().Analyze(new IceBallInputs
        {
            IntraOpCt = F(c.IntraOpCt.Image),
            PreFreezeCt = F(c.PreFreezeCt.Image),
            Labels = new LabelMap(c.IntraOpCt.Labels, c.IntraOpCt.LabelTable),
            PlannedTemperature = PlanFile.Parse(json, "plan.json").ProbeField,
        });
        var plan = a.Plan!;
        int moved = a.Probes.Select((p, n) => (Vec3.Distance(p.Tip, truth[1].Tip), n)).Min().n;
        TestContext.Out.WriteLine($"Dice {plan.Dice:0.000}, planned {plan.PlannedVolumeMl:0.00} mL, short {plan.ShortProbeIndex}, " +
            string.Join("; ", plan.Probes.Select(s => $"{s.ShortfallMl:0.00} mL / {s.MaxShortfallMm:0.0} mm")));
        Assert.That(plan.ShortProbeIndex, Is.EqualTo(moved));
        Assert.That(plan.Probes[moved].MaxShortfallMm, Is.GreaterThan(3));
        Assert.That(plan.Probes[moved].ShortfallMl, Is.GreaterThan(plan.Probes[1 - moved].ShortfallMl + 0.5));
        Assert.That(plan.Dice, Is.InRange(0.3, 0.99));
        Assert.That(a.Warnings, Has.Some.Contains($"probe {moved + 1}"));
    }

    [Test]
    public void Growth_FromAnEarlierSmallerIceBall_IsPositive()
    {
        var c = IceBallPhantoms.Case(12, 2);
        var now = IceBallPhantoms.Analysis(12, 2, true);
        var earlier = IceBallMeasures.LethalZone(now.IceBall, 2); // the same ice ball 2 mm smaller all round
        var a = new IceBallSegmenter().Analyze(new IceBallInputs
        {
            IntraOpCt = F(c.IntraOpCt.Image), PreFreezeCt = F(c.PreFreezeCt.Image), Probes = now.Probes, PreviousIceBall = earlier,
        });
        Assert.That(a.Growth!.VolumeChangeMl, Is.EqualTo(a.VolumeMl - IceBallMeasures.VolumeMl(earlier)).Within(1e-9));
        Assert.That(a.Growth.MeanEdgeGrowthMm, Is.EqualTo(2).Within(0.8));
    }
}
