using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class RigidRegistrationTests
{
    private static readonly Vec3[] EvalPoints = RegistrationEvaluation.RandomForegroundPoints(
        SyntheticPhantom.Labels(SyntheticPhantom.FixedGrid()), 2000, 7);

    private static TreStatistics RegisterAndMeasure(RegistrationSettings settings, int seed, double maxDeg, double maxMm, out RegistrationResult result)
    {
        var truth = SyntheticPhantom.RandomTransform(seed, maxDeg, maxMm);
        var (ct, mr) = SyntheticPhantom.Pair(truth, seed);
        result = new RigidRegistration(settings).Execute(ct, mr);
        return RegistrationEvaluation.Tre(result.Transform, truth, EvalPoints);
    }

    [TestCase(1), TestCase(2), TestCase(3), TestCase(4), TestCase(5)]
    public void CtToMr_RecoversKnownTransform(int seed)
    {
        var tre = RegisterAndMeasure(RegistrationPreset.CtMr, seed, 10, 10, out var r);
        TestContext.Out.WriteLine($"seed {seed}: TRE median {tre.Median:F3} max {tre.Max:F3} mm, {r.WallTime.TotalSeconds:F2} s, " +
            string.Join("; ", r.Levels.Select(l => $"L{l.Level} {l.Iterations} it {l.StopReason} {l.FinalMetric:F4}")));
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
    }
}
