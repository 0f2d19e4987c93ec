using System.Diagnostics;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Segmentation;

namespace ImageGuide.Tests.Segmentation;

/// <summary>
/// Issue 6 accuracy targets on full-size phantoms (intra-procedural CT 512 × 512 × 96 at 0.72 × 0.72 × 1.25 mm, noise
/// σ 15 HU, metal streaks), with and without the pre-freeze CT, each asserted exactly as the issue states it: Dice ≥ 0.92,
/// volume error &lt; 5 %, mean surface distance &lt; 1 mm against the true ice ball; every probe tip within 2 mm; lethal
/// coverage within 2 percentage points and minimum margin within 1 mm of the same measures on the true mask. Every case's
/// true ice ball runs into bone (asserted), so part of it comes from the fitted isotherm model.
/// <para>
/// Generating one full-size phantom (every modality) takes 20–35 s and each analysis ≈ 2 s on two cores in Debug (30–45 s
/// per case, ≈ 2.5 min in all), so the fixture is <c>Extended</c> and runs only under CI=true, like the registration's
/// full-size sweep.
/// </para>
/// </summary>
[TestFixture, Category("Extended")]
public class FullSizeIceBallAccuracyTests
{
    private static readonly object[] Cases = [new object[] { 3UL, 3 }, new object[] { 21UL, 1 }, new object[] { 22UL, 2 }, new object[] { 24UL, 4 }];

    [TestCaseSource(nameof(Cases))]
    public void Extended_FullSize_MeetsEveryTarget_WithAndWithoutThePreFreezeCt(ulong seed, int probes)
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Ignore("Full-size ice-ball accuracy (30–45 s per phantom) runs only under CI=true.");
        var clock = Stopwatch.StartNew();
        var c = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Size = PhantomSize.Full, ProbeCount = probes });
        double generated = clock.Elapsed.TotalSeconds;
        var truth = c.IntraOpTruth.IceBall;
        var labels = c.IntraOpCt.Labels;
        var tumour = c.IntraOpCt.TumourMask;
        long inBone = 0, total = 0;
        for (long n = 0; n < truth.Data.LongLength; n++)
        {
            if (truth.Data[n] == 0) continue;
            total++;
            if (SpineLabels.IsBone(labels.Data[n])) inBone++;
        }
        Assert.That(inBone, Is.GreaterThan(total / 50), "the true ice ball runs into bone (precondition of the case)");
        double vTrue = IceBallMeasures.VolumeMl(truth);
        var intra = c.IntraOpCt.Image.Convert(v => (float)v);
        var pre = c.PreFreezeCt.Image.Convert(v => (float)v);
        var labelMap = new ImageGuide.Model.LabelMap(labels, c.IntraOpCt.LabelTable);

        foreach (bool withPre in new[] { true, false })
        {
            var a = new IceBallSegmenter().Analyze(new IceBallInputs { IntraOpCt = intra, PreFreezeCt = withPre ? pre : null, Labels = labelMap });
            var trueLethal = IceBallMeasures.LethalZone(truth, a.LethalInsetMm);
            double trueCoverage = IceBallMeasures.Coverage(tumour, trueLethal)!.Value;
            double trueMargin = IceBallMeasures.MinMarginMm(tumour, trueLethal)!.Value;
            double dice = IceBallMeasures.Dice(a.IceBall, truth);
            double volErr = Math.Abs(a.VolumeMl - vTrue) / vTrue;
            double msd = IceBallMeasures.MeanSurfaceDistanceMm(a.IceBall, truth);
            double worstTip = c.IntraOpTruth.Probes.Max(t => a.Probes.Count == 0 ? double.PositiveInfinity : a.Probes.Min(p => Vec3.Distance(p.Tip, t.Tip)));
            TestContext.Out.WriteLine($"seed {seed} probes {probes} pre {withPre}: Dice {dice:0.000}, volume {a.VolumeMl:0.00} vs {vTrue:0.00} mL " +
                $"({100 * volErr:0.0} %), MSD {msd:0.00} mm, worst tip {worstTip:0.00} mm, coverage {a.LethalCoverage:0.000} vs {trueCoverage:0.000}, " +
                $"margin {a.MinMarginMm:0.00} vs {trueMargin:0.00} mm, in bone {a.ExtrapolatedFraction:0.00} (true {(double)inBone / total:0.00}), " +
                $"{a.WallTime.TotalSeconds:0.0} s (phantom {generated:0} s)");
            Assert.Multiple(() =>
            {
                string mode = withPre ? "with pre-freeze CT" : "without pre-freeze CT";
                Assert.That(dice, Is.GreaterThanOrEqualTo(0.92), $"Dice, {mode}");
                Assert.That(volErr, Is.LessThan(0.05), $"volume error, {mode}");
                Assert.That(msd, Is.LessThan(1.0), $"mean surface distance (mm), {mode}");
                Assert.That(a.Probes, Has.Count.EqualTo(probes), $"probe count, {mode}");
                Assert.That(worstTip, Is.LessThan(2.0), $"worst tip error (mm), {mode}");
                Assert.That(a.LethalCoverage!.Value, Is.EqualTo(trueCoverage).Within(0.02), $"lethal coverage, {mode}");
                Assert.That(a.MinMarginMm!.Value, Is.EqualTo(trueMargin).Within(1.0), $"min margin (mm), {mode}");
            });
        }
    }
}
