using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>
/// Forms a <see cref="RegistrationVerdict"/> from evidence that does not depend on the optimiser having been right:
/// <list type="bullet">
/// <item>the MI at the result against a <b>null distribution</b> — the MI at randomly perturbed transforms, on the
/// same samples (a real alignment is a sharp peak well above it; a wrong optimum or unrelated images are not);</item>
/// <item><b>agreement of the distinct candidates</b> of the multi-start/global search (a runner-up nearly as good
/// but far away makes the answer ambiguous);</item>
/// <item><b>inverse consistency</b> (a registration run the other way from the inverse must come back);</item>
/// <item>the <b>overlap</b> of the fields of view, and whether the start sat on the <b>search boundary</b> or the
/// optimiser hit its <b>iteration limit</b>.</item>
/// </list>
/// Each threshold is a <see cref="VerdictSettings"/> member; the status is the worst any signal gives.
/// </summary>
public static class RegistrationQualityCheck
{
    /// <summary>Evidence gathered by the registration itself, besides the images.</summary>
    /// <param name="RunnerUp">The best distinct other candidate and its judged −MI, when there was one.</param>
    /// <param name="RunnerUpJudgedMetric">The runner-up's judged −MI.</param>
    /// <param name="ResultJudgedMetric">The result's judged −MI beside the runner-up's.</param>
    /// <param name="InverseConsistencyMm">Residual of the reverse registration, mm, when run.</param>
    /// <param name="StartAtSearchBoundary">The global search's best start was on its boundary.</param>
    /// <param name="IterationLimitReached">The finest level stopped at its iteration limit.</param>
    internal readonly record struct Evidence(RigidTransform? RunnerUp, double RunnerUpJudgedMetric, double ResultJudgedMetric,
        double? InverseConsistencyMm, bool StartAtSearchBoundary, bool IterationLimitReached);

    /// <summary>The metric at the result against its null distribution (<see cref="Measure"/>).</summary>
    internal readonly record struct NullEvidence(bool Overlaps, double? MutualInformation, double? NullMean, double? NullStd, double? ZScore, double? PeakContrast);

    /// <summary>
    /// The MI at <paramref name="result"/> on the finest-level images and at seeded random perturbations of it: the part
    /// of the verdict that needs the images (it may run while the reverse registration runs).
    /// </summary>
    internal static NullEvidence Measure(Volume<float> fixedImage, Volume<float> movingImage, Volume<byte>? fixedMask, Volume<byte>? movingMask,
        RigidTransform result, RegistrationSettings settings, CancellationToken ct)
    {
        MattesMutualInformation metric;
        try
        {
            metric = new MattesMutualInformation(fixedImage, movingImage, fixedMask, movingMask, settings.HistogramBins, SamplingStrategy.Random,
                Math.Min(20000, RegistrationSettings.MaximumSampleCount), (ulong)(settings.Seed + 7919), settings.MaxDegreeOfParallelism, result);
        }
        catch (RegistrationException) { return new NullEvidence(false, null, null, null, null, null); }
        double mi = -metric.GetValue(result);
        var nulls = NullDistribution(metric, result, settings.Verdict, settings.Seed, ct);
        if (nulls.Count < 3) return new NullEvidence(true, mi, null, null, null, null);
        double mean = nulls.Average();
        double std = Math.Sqrt(nulls.Sum(x => (x - mean) * (x - mean)) / (nulls.Count - 1));
        return new NullEvidence(true, mi, mean, std, (mi - mean) / Math.Max(std, 1e-6), mi > 0 ? (mi - mean) / mi : 0);
    }

    /// <summary>Forms the verdict of <paramref name="result"/> from the measured evidence.</summary>
    internal static RegistrationVerdict Evaluate(VolumeGeometry fixedGeometry, VolumeGeometry movingGeometry, Volume<byte>? fixedMask,
        RigidTransform result, RegistrationSettings settings, NullEvidence measured, Evidence evidence)
    {
        var v = settings.Verdict;
        double overlap = OverlapFraction(fixedGeometry, movingGeometry, fixedMask, result);
        var reasons = new List<(VerdictStatus Status, string Text)>();
        void Flag(VerdictStatus s, string text) => reasons.Add((s, text));

        var (_, mi, mean, std, z, contrast) = measured;
        if (!measured.Overlaps)
            Flag(VerdictStatus.Failed, "the images do not overlap at the result");
        else
        {
            if (mi < v.FailMutualInformationBelow)
                Flag(VerdictStatus.Failed, $"mutual information at the result is {mi:0.000} nats (limit {v.FailMutualInformationBelow:0.00}): the images share almost no information");
            if (z is { } zz)
            {
                if (zz < v.FailZScoreBelow) Flag(VerdictStatus.Failed, $"the result does not stand out of the metric at perturbed transforms (z = {zz:0.0}, limit {v.FailZScoreBelow:0.#})");
                else if (zz < v.DoubtZScoreBelow) Flag(VerdictStatus.Doubtful, $"the result stands out only weakly from the metric at perturbed transforms (z = {zz:0.0}, limit {v.DoubtZScoreBelow:0.#})");
            }
            else Flag(VerdictStatus.Doubtful, "too few perturbed transforms kept the overlap to form a null distribution");
            if (contrast is { } c)
            {
                if (c < v.FailPeakContrastBelow) Flag(VerdictStatus.Failed, $"displacing the images loses only {c:P0} of the mutual information (limit {v.FailPeakContrastBelow:P0}): no distinct alignment peak");
                else if (c < v.DoubtPeakContrastBelow) Flag(VerdictStatus.Doubtful, $"displacing the images loses only {c:P0} of the mutual information (limit {v.DoubtPeakContrastBelow:P0})");
            }
        }

        double? runnerDistance = null, runnerGap = null;
        if (evidence.RunnerUp is { } other)
        {
            runnerDistance = DisplacementOverOverlap(result, other, fixedGeometry, movingGeometry);
            double best = evidence.ResultJudgedMetric;
            runnerGap = Math.Abs(best) > 1e-12 ? (evidence.RunnerUpJudgedMetric - best) / Math.Abs(best) : 0;
            if (runnerDistance > v.AmbiguityDistanceMm && runnerGap < v.AmbiguityMetricGap)
                Flag(VerdictStatus.Doubtful, $"another distinct alignment {runnerDistance:0} mm away scores within {runnerGap:P1} of the result (limit {v.AmbiguityMetricGap:P0}): the answer is ambiguous");
        }
        if (evidence.InverseConsistencyMm is { } ic)
        {
            if (ic > v.FailInverseConsistencyMm) Flag(VerdictStatus.Failed, $"registering the other way does not come back: residual {ic:0.0} mm (limit {v.FailInverseConsistencyMm:0.#} mm)");
            else if (ic > v.DoubtInverseConsistencyMm) Flag(VerdictStatus.Doubtful, $"registering the other way comes back only within {ic:0.0} mm (limit {v.DoubtInverseConsistencyMm:0.#} mm)");
        }
        if (overlap < v.FailOverlapBelow) Flag(VerdictStatus.Failed, $"the images overlap over only {overlap:P0} of the smaller field of view (limit {v.FailOverlapBelow:P0})");
        else if (overlap < v.DoubtOverlapBelow) Flag(VerdictStatus.Doubtful, $"the images overlap over only {overlap:P0} of the smaller field of view (limit {v.DoubtOverlapBelow:P0})");
        if (evidence.StartAtSearchBoundary) Flag(VerdictStatus.Doubtful, "the global search's best start lay on the edge of its translation range");
        if (evidence.IterationLimitReached) Flag(VerdictStatus.Doubtful, "the optimiser stopped at its iteration limit at the finest level (not converged)");

        var status = VerdictStatus.Good;
        foreach (var (s, _) in reasons) if (s > status) status = s;
        var signals = new RegistrationSignals(mi, mean, std, z, contrast, runnerDistance, runnerGap, evidence.InverseConsistencyMm, overlap,
            evidence.StartAtSearchBoundary, evidence.IterationLimitReached);
        return new RegistrationVerdict(status, reasons.ConvertAll(r => r.Text), signals);
    }

    /// <summary>The verdict when checking is disabled: good, with no signal computed but the overlap.</summary>
    internal static RegistrationVerdict Unchecked(VolumeGeometry fixedGeometry, VolumeGeometry movingGeometry, Volume<byte>? fixedMask, RigidTransform result) =>
        new(VerdictStatus.Good, [], new RegistrationSignals(null, null, null, null, null, null, null, null,
            OverlapFraction(fixedGeometry, movingGeometry, fixedMask, result), false, false));

    /// <summary>MI (nats) at seeded random perturbations of <paramref name="result"/> that keep at least half the samples inside.</summary>
    private static List<double> NullDistribution(MattesMutualInformation metric, RigidTransform result, VerdictSettings v, int seed, CancellationToken ct)
    {
        var center = Centroid(metric);
        var about = result.WithCenter(center);
        var rng = new SplitMix64((ulong)(seed * 7717 + 13));
        var values = new List<double>(v.NullSamples);
        int attempts = 0;
        while (values.Count < v.NullSamples && attempts++ < 4 * v.NullSamples)
        {
            ct.ThrowIfCancellationRequested();
            var axis = RandomUnit(rng);
            double angle = v.NullRotationDeg * (0.5 + 0.5 * rng.NextDouble()) * Math.PI / 180;
            var shift = RandomUnit(rng) * (v.NullShiftMm * (0.5 + 0.5 * rng.NextDouble()));
            var perturbed = new RigidTransform((Versor.FromAxisAngle(axis, angle) * about.Rotation).Normalized(), about.Translation + shift, center);
            double value = metric.GetValue(perturbed);
            if (metric.ValidSampleCount >= metric.SampleCount / 2) values.Add(-value);
        }
        return values;
    }

    private static Vec3 RandomUnit(SplitMix64 rng)
    {
        while (true)
        {
            var p = new Vec3(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1);
            double l = p.Length;
            if (l > 0.05 && l <= 1) return p * (1 / l);
        }
    }

    private static Vec3 Centroid(MattesMutualInformation metric)
    {
        var sum = Vec3.Zero;
        int n = 0;
        foreach (var p in metric.SamplePoints()) { sum += p; n++; }
        return n == 0 ? Vec3.Zero : sum * (1.0 / n);
    }

    /// <summary>
    /// Fraction of the smaller field of view the other covers at <paramref name="result"/>: fixed voxels (a regular
    /// subset, inside the fixed mask when given) mapping inside the moving grid, as a volume, over the smaller of
    /// the two fields (the fixed one inside its mask).
    /// </summary>
    public static double OverlapFraction(VolumeGeometry fixedGeometry, VolumeGeometry movingGeometry, Volume<byte>? fixedMask, RigidTransform result)
    {
        ArgumentNullException.ThrowIfNull(fixedGeometry);
        ArgumentNullException.ThrowIfNull(movingGeometry);
        ArgumentNullException.ThrowIfNull(result);
        var g = fixedGeometry;
        int stride = Stride(g, 20000);
        long total = 0, inside = 0;
        foreach (var p in RegularPoints(g, stride))
        {
            if (fixedMask is not null && Interpolator.SampleAtPoint(fixedMask, p, InterpolationMode.Nearest, 0) == 0) continue;
            total++;
            var q = movingGeometry.PhysicalToIndex(result.TransformPoint(p));
            if (q.X >= -0.5 && q.Y >= -0.5 && q.Z >= -0.5 && q.X <= movingGeometry.Nx - 0.5 && q.Y <= movingGeometry.Ny - 0.5 && q.Z <= movingGeometry.Nz - 0.5) inside++;
        }
        if (total == 0) return 0;
        double voxel = g.Spacing.X * g.Spacing.Y * g.Spacing.Z * Math.Pow(stride, 3);
        double fixedVolume = total * voxel, overlapVolume = inside * voxel;
        var me = movingGeometry.Extent;
        double smaller = Math.Min(fixedVolume, me.X * me.Y * me.Z);
        return smaller > 0 ? Math.Min(1, overlapVolume / smaller) : 0;
    }

    /// <summary>
    /// Largest (or root-mean-square) displacement between two transforms over a regular subset of the fixed grid that
    /// maps inside the moving grid under <paramref name="a"/>.
    /// </summary>
    internal static double DisplacementOverOverlap(RigidTransform a, RigidTransform b, VolumeGeometry fixedGeometry, VolumeGeometry movingGeometry,
        bool rootMeanSquare = false)
    {
        var g = fixedGeometry;
        double sum = 0, max = 0;
        long count = 0;
        foreach (var p in RegularPoints(g, Stride(g, 4000)))
        {
            var q = movingGeometry.PhysicalToIndex(a.TransformPoint(p));
            if (!(q.X >= 0 && q.Y >= 0 && q.Z >= 0 && q.X <= movingGeometry.Nx - 1 && q.Y <= movingGeometry.Ny - 1 && q.Z <= movingGeometry.Nz - 1)) continue;
            double d = (a.TransformPoint(p) - b.TransformPoint(p)).Length;
            max = Math.Max(max, d);
            sum += d * d;
            count++;
        }
        if (count == 0) return (a.TransformPoint(g.Center) - b.TransformPoint(g.Center)).Length;
        return rootMeanSquare ? Math.Sqrt(sum / count) : max;
    }

    /// <summary>The stride giving about <paramref name="points"/> points on a regular subset of <paramref name="g"/>.</summary>
    private static int Stride(VolumeGeometry g, double points) => Math.Max(1, (int)Math.Round(Math.Cbrt(g.VoxelCount / points)));

    /// <summary>Physical positions of every <paramref name="stride"/>-th voxel along each axis, starting half a stride in.</summary>
    private static IEnumerable<Vec3> RegularPoints(VolumeGeometry g, int stride)
    {
        for (int k = stride / 2; k < g.Nz; k += stride)
            for (int j = stride / 2; j < g.Ny; j += stride)
                for (int i = stride / 2; i < g.Nx; i += stride)
                    yield return g.IndexToPhysical(i, j, k);
    }
}
