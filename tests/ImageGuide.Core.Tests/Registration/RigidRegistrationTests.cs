using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class RigidRegistrationTests
{
    private static readonly Lazy<Vec3[]> EvalPoints = new(() => MaskSampling.RandomPoints(
        SyntheticPhantom.Labels(SyntheticPhantom.FixedGrid()), 2000, 7));

    private static TreStatistics Run(RegistrationSettings settings, RigidTransform truth, int seed, out RegistrationResult result,
        IProgress<RegistrationProgress>? progress = null)
    {
        var (ct, mr) = SyntheticPhantom.Pair(truth, seed);
        result = new RigidRegistration(settings).Execute(ct, mr, new RegistrationInputs { Progress = progress });
        var tre = RegistrationEvaluation.Tre(result.Transform, truth, EvalPoints.Value);
        TestContext.Out.WriteLine($"seed {seed}: TRE median {tre.Median:F3} p95 {tre.P95:F3} max {tre.Max:F3} mm, {result.WallTime.TotalSeconds:F2} s, " +
            string.Join("; ", result.Levels.Select(l => $"L{l.Level} {l.Iterations} it {l.StopReason} {l.FinalMetric:F4}")));
        return tre;
    }

    /// <summary>
    /// The synthetic MR grid is centred on the moved anatomy, so its patient coordinates say nothing about the
    /// misalignment: these tests start from the moments initialiser instead of the presets' patient coordinates.
    /// </summary>
    private static RegistrationSettings WithMoments(RegistrationSettings s) => s with { Initializer = InitializerKind.Moments };

    [TestCase(1)]
    public void CtMrPreset_Lbfgs_RecoversSeededMisalignments(int seed)
    {
        // the preset as shipped at full size; the 20-run sweeps are in AccuracySweepTests
        var truth = SyntheticPhantom.RandomTransform(seed, 15, 20);
        var tre = Run(WithMoments(RegistrationPreset.CtMr), truth, seed, out var r);
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
        Assert.That(r.Levels, Has.Count.EqualTo(3));
        Assert.That(r.FinalMetric, Is.LessThan(0));
    }

    [TestCase(21), TestCase(22)]
    public void FastPreset_RegularStepDescent_RecoversSmallMisalignments(int seed)
    {
        var truth = SyntheticPhantom.RandomTransform(seed, 8, 8);
        var tre = Run(RegistrationPreset.Fast, truth, seed, out _);
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
    }

    [Test]
    public void RotationSearch_CapturesA35DegreeRotation()
    {
        var truth = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 35 * Math.PI / 180), new Vec3(5, -8, 3), Vec3.Zero);
        var settings = WithMoments(RegistrationPreset.CtMr) with { RotationSearch = new RotationSearchSettings { MaximumAngleDeg = 30, StepDeg = 15 } };
        var tre = Run(settings, truth, 31, out _);
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
    }

    [Test]
    public void TranslationSearch_FromIdentity_CapturesAShiftBeyondTheOptimizersReach()
    {
        // no moments initialisation: the coarse translation grid (±24 mm, 8 mm steps) must find the shift
        var truth = new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 1, 0), 5 * Math.PI / 180), new Vec3(29, -21, 13), Vec3.Zero);
        var settings = RegistrationPreset.CtMr with { Initializer = InitializerKind.None, TranslationSearch = new TranslationSearchSettings() };
        var tre = Run(settings, truth, 33, out var r);
        Assert.That(RegistrationEvaluation.Tre(r.InitialTransform, truth, EvalPoints.Value).Median, Is.LessThan(12));
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
    }

    [Test]
    public void Result_IsIdenticalWithOneOrManyThreads()
    {
        var truth = SyntheticPhantom.RandomTransform(41, 10, 10);
        var (ct, mr) = SyntheticPhantom.Pair(truth, 41);
        var one = new RigidRegistration(RegistrationPreset.Fast with { MaxDegreeOfParallelism = 1 }).Execute(ct, mr);
        var many = new RigidRegistration(RegistrationPreset.Fast with { MaxDegreeOfParallelism = 4 }).Execute(ct, mr);
        Assert.That(many.Transform.Rotation, Is.EqualTo(one.Transform.Rotation));
        Assert.That(many.Transform.Translation, Is.EqualTo(one.Transform.Translation));
        Assert.That(many.FinalMetric, Is.EqualTo(one.FinalMetric));
        Assert.That(many.TotalIterations, Is.EqualTo(one.TotalIterations));
    }

    [Test]
    public void Cancellation_ThrowsPromptly()
    {
        var truth = SyntheticPhantom.RandomTransform(51, 10, 10);
        var (ct, mr) = SyntheticPhantom.Pair(truth, 51);
        using var cts = new CancellationTokenSource();
        var watch = new System.Diagnostics.Stopwatch();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Iteration == 3 && !cts.IsCancellationRequested) { cts.Cancel(); watch.Start(); }
        });
        Assert.Throws<OperationCanceledException>(() =>
            new RigidRegistration(WithMoments(RegistrationPreset.CtMr)).Execute(ct, mr, new RegistrationInputs { Progress = progress }, cts.Token));
        Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(1.0));

        using var already = new CancellationTokenSource();
        already.Cancel();
        Assert.Throws<OperationCanceledException>(() => new RigidRegistration(RegistrationPreset.Fast).Execute(ct, mr, cancellationToken: already.Token));
    }

    [Test]
    public void Progress_IsReportedForEveryLevel_AndIterationsAddUp()
    {
        var truth = SyntheticPhantom.RandomTransform(61, 5, 5);
        var reports = new List<RegistrationProgress>();
        Run(RegistrationPreset.Fast, truth, 61, out var r, new SynchronousProgress(reports.Add));
        Assert.That(reports.Select(p => p.Level).Distinct().ToArray(), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(reports.All(p => p.LevelCount == 3), Is.True);
        Assert.That(reports.Count(p => p.Level == 1), Is.EqualTo(r.Levels[1].Iterations));
    }

    [Test]
    public void DisjointImages_RaiseRegistrationException()
    {
        var ct = SyntheticPhantom.Render(SyntheticPhantom.FixedGrid(32, 4), SyntheticPhantom.CtTable, 10, 1);
        var mr = SyntheticPhantom.Render(SyntheticPhantom.FixedGrid(32, 4), SyntheticPhantom.MrTable, 10, 2);
        var far = RigidTransform.FromTranslation(new Vec3(500, 0, 0));
        var ex = Assert.Throws<RegistrationException>(() => new RigidRegistration(RegistrationPreset.Fast).Execute(ct, mr, new RegistrationInputs { InitialTransform = far }));
        Assert.That(ex!.Message, Does.Contain("overlap"));
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SynchronousProgress(Action<RegistrationProgress> report) : IProgress<RegistrationProgress>
    {
        public void Report(RegistrationProgress value) => report(value);
    }
}
