using System.Diagnostics;
using System.Numerics;
using ImageGuide.Imaging;
using Microsoft.Extensions.Logging;

namespace ImageGuide.Registration;

/// <summary>
/// Rigid (versor) registration by Mattes mutual information over a multi-resolution pyramid — the counterpart of
/// SimpleITK's <c>ImageRegistrationMethod</c> with <c>VersorRigid3DTransform</c>. The result maps fixed-image
/// points to moving-image points (ITK convention), so resampling the moving image onto the fixed grid uses it
/// directly. Deterministic for given inputs and settings, whatever the thread count. Thread-safe: one instance
/// may run several registrations at once.
/// </summary>
public sealed class RigidRegistration
{
    private readonly ILogger? _logger;

    /// <summary>Creates the method with <paramref name="settings"/> (a preset or your own).</summary>
    /// <exception cref="RegistrationException">Invalid settings.</exception>
    public RigidRegistration(RegistrationSettings settings, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _logger = logger;
    }

    /// <summary>The settings in use.</summary>
    public RegistrationSettings Settings { get; }

    /// <summary>
    /// Known relations between patient frames (e.g. from DICOM Spatial Registration objects): with the
    /// <see cref="InitializerKind.Auto"/> start, images whose different Frames of Reference one of these relates start
    /// from it (as images sharing a frame start from patient coordinates) instead of a global search.
    /// </summary>
    public IReadOnlyList<FrameRelation> FrameRelations { get; init; } = [];

    /// <summary>
    /// Registers <paramref name="movingImage"/> to <paramref name="fixedImage"/>.
    /// </summary>
    /// <param name="fixedImage">Reference image (e.g. intra-procedural CBCT).</param>
    /// <param name="movingImage">Image to align (e.g. diagnostic MR).</param>
    /// <param name="inputs">Masks, start and progress sink of this run; none when null.</param>
    /// <param name="cancellationToken">Cancels between iterations; throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="RegistrationException">The images do not overlap enough, masks are empty, or an image is too small.</exception>
    public RegistrationResult Execute<TF, TM>(Volume<TF> fixedImage, Volume<TM> movingImage, RegistrationInputs? inputs = null,
        CancellationToken cancellationToken = default)
        where TF : unmanaged, INumberBase<TF> where TM : unmanaged, INumberBase<TM>
    {
        ArgumentNullException.ThrowIfNull(fixedImage);
        ArgumentNullException.ThrowIfNull(movingImage);
        inputs ??= RegistrationInputs.None;
        Volume<byte>? fixedMask = inputs.FixedMask, movingMask = inputs.MovingMask;
        var clock = Stopwatch.StartNew();
        var s = Settings;
        cancellationToken.ThrowIfCancellationRequested();

        var fixedF = IntensityPreparation.ToFloat(fixedImage, s.FixedClipPercentiles is null);
        var movingF = IntensityPreparation.ToFloat(movingImage, s.MovingClipPercentiles is null);
        IntensityPreparation.Clip(fixedF, s.FixedClipPercentiles, fixedMask);
        IntensityPreparation.Clip(movingF, s.MovingClipPercentiles, movingMask);
        return Run(fixedF, movingF, fixedImage.Metadata, movingImage.Metadata, fixedMask, movingMask, inputs.InitialTransform, inputs.Progress,
            new Dictionary<int, (Volume<float> Fixed, Volume<float> Moving)>(), clock, cancellationToken);
    }

    /// <summary>
    /// The registration of prepared float images. <paramref name="pyramid"/> holds level images already built for
    /// these two images and these levels (the inverse-consistency run reuses the forward run's, swapped); levels built
    /// here are added to it, and kept while a later step (the verdict) needs them.
    /// </summary>
    private RegistrationResult Run(Volume<float> fixedF, Volume<float> movingF, ImageMetadata fixedMeta, ImageMetadata movingMeta,
        Volume<byte>? fixedMask, Volume<byte>? movingMask, RigidTransform? initialTransform, IProgress<RegistrationProgress>? progress,
        Dictionary<int, (Volume<float> Fixed, Volume<float> Moving)> pyramid, Stopwatch clock, CancellationToken ct)
    {
        var s = Settings;
        var (starts, startInfo) = Initialize(fixedMeta, movingMeta, fixedF, movingF, fixedMask, movingMask, initialTransform, ct);
        bool global = startInfo.GlobalSearch is not null;
        RigidTransform? initial = null;
        var levels = new List<LevelResult>(s.Levels.Count);
        double finalMetric = double.NaN;
        // candidates ordered best first; more than one only between a multi-start or global search and its selection level
        var candidates = new List<RigidTransform>(starts);
        double finest = Math.Min(MinSpacing(fixedF.Geometry), MinSpacing(movingF.Geometry));
        (Volume<float> Fixed, Volume<float> Moving) LevelImages(int level)
        {
            if (pyramid.TryGetValue(level, out var images)) return images;
            var lv = s.Levels[level];
            double? target = s.PhysicalShrink ? lv.ShrinkFactor * finest : null;
            // full resolution unsmoothed is the prepared images themselves (read only from here on), not a copy of them
            images = lv.ShrinkFactor == 1 && lv.SigmaMm == 0 ? (fixedF, movingF)
                : (Pyramid.Level(fixedF, lv.ShrinkFactor, lv.SigmaMm, s.MaxDegreeOfParallelism, ct, target),
                    Pyramid.Level(movingF, lv.ShrinkFactor, lv.SigmaMm, s.MaxDegreeOfParallelism, ct, target));
            pyramid[level] = images;
            return images;
        }
        // the inverse-consistency check registers the other way over all levels but the last: keep those for it
        int reusedLevels = s.Verdict.Enabled && s.Verdict.InverseConsistency ? s.Levels.Count - 1 : 0;
        int SampleCount(int level, Volume<float> fixedL) => s.Levels[level].SampleCount ?? (s.SampleFraction is { } frac
            ? (int)Math.Max(100, Math.Min(RegistrationSettings.MaximumSampleCount, frac * fixedL.Geometry.VoxelCount)) : s.SampleCount);
        int last = s.Levels.Count - 1;
        int selectAfter = s.MultiStart is { } msel ? Math.Min(msel.SelectAfterLevel, last) : 0;
        if (global && candidates.Count > 1) selectAfter = Math.Max(selectAfter, Math.Min(1, last));
        RigidTransform? runnerUp = null;
        double runnerUpValue = double.NaN, resultJudged = double.NaN;
        StopReason finestStop = StopReason.MinimumStepReached;
        for (int level = 0; level < s.Levels.Count; level++)
        {
            ct.ThrowIfCancellationRequested();
            var lv = s.Levels[level];
            var (fixedL, movingL) = LevelImages(level);
            int count = SampleCount(level, fixedL);
            MattesMutualInformation NewMetric(RigidTransform? overlap) => new(fixedL, movingL, fixedMask, movingMask, s.HistogramBins, s.Sampling, count,
                (ulong)(s.Seed + level), s.MaxDegreeOfParallelism, s.SampleOverlapOnly ? overlap : null);
            // the first candidate whose overlap holds samples; candidates before it lost the overlap and are dropped
            var (metric, first) = FirstOverlapping(candidates, NewMetric);
            candidates = candidates.GetRange(first, candidates.Count - first);
            var scales = PhysicalShiftScales(metric, candidates[0].Center);
            int minValid = (int)Math.Ceiling(s.MinimumValidSampleFraction * metric.SampleCount);

            if (level == 0 && initialTransform is null)
            {
                var t = candidates[0];
                if (global)
                {
                    if (s.MultiStart is { } ms)
                        foreach (var extra in MultiStart.Starts(metric, t, ms, minValid, ct).Skip(1)) candidates.Add(extra);
                }
                else
                {
                    if (s.TranslationSearch is { } shifts) t = SearchTranslations(metric, t, shifts, minValid, ct);
                    if (s.RotationSearch is { } rotations) t = SearchRotations(metric, t, rotations, minValid, ct);
                    candidates = s.MultiStart is { } ms ? MultiStart.Starts(metric, t, ms, minValid, ct) : [t];
                }
            }
            initial ??= candidates[0];

            int levelIndex = level;
            IterationCallback? callback = progress is null ? null
                : (it, value, step) => progress.Report(new RegistrationProgress(levelIndex, s.Levels.Count, it, value, step));
            // distinct global starts each sample their own overlap (each its own metric, so they run side by side);
            // grid neighbours share the first one's samples (one metric, one after the other)
            bool ownMetrics = global && s.SampleOverlapOnly && level < selectAfter + 1;
            var tried = new (OptimizerOutcome? Outcome, RegistrationException? Error)[candidates.Count];
            void Optimize(int c, IterationCallback? report)
            {
                var m = c > 0 && ownMetrics ? TryMetric(() => NewMetric(candidates[c])) : metric;
                if (m is null) return;
                int mv = (int)Math.Ceiling(s.MinimumValidSampleFraction * m.SampleCount);
                bool started = false;
                double Objective(RigidTransform t, Span<double> grad)
                {
                    double v = m.Evaluate(t, grad);
                    if (m.ValidSampleCount >= mv) { started = true; return v; }
                    if (!started)
                        throw new RegistrationException(
                            $"Only {m.ValidSampleCount} of {m.SampleCount} samples map inside the moving image at level {levelIndex}: " +
                            "the images barely overlap. Check that both show the same anatomy, or give an initial transform.");
                    grad.Clear();
                    return double.PositiveInfinity; // a trial step left the overlap: the line search backs off
                }
                try { tried[c] = (RigidOptimizer.Run(s.Optimizer, Objective, candidates[c], scales, lv.ShrinkFactor, report, ct), null); }
                catch (RegistrationException e) { tried[c] = (null, e); }
            }
            if (ownMetrics && candidates.Count > 1)
                // each metric splits its own work too and sums it in a fixed order: the result does not depend on threads;
                // progress is reported for the first start only (the others run at the same time)
                Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = s.MaxDegreeOfParallelism, CancellationToken = ct },
                    c => Optimize(c, c == 0 ? callback : null));
            else
                for (int c = 0; c < candidates.Count; c++) Optimize(c, callback);
            var outcomes = new List<OptimizerOutcome>(candidates.Count);
            for (int c = 0; c < candidates.Count; c++)
            {
                if (tried[c].Outcome is { } o) outcomes.Add(o);
                // a start that left the overlap is dropped while others decide; when none is left, the last one's error stands
                else if (tried[c].Error is { } e && c == candidates.Count - 1 && outcomes.Count == 0) throw e;
            }
            var rank = outcomes.ConvertAll(o => o.Value);
            bool selecting = level >= selectAfter && outcomes.Count > 1;
            if (selecting)
            {
                // Judge at the finest level, where the coarse levels' smoothing no longer blurs neighbouring
                // structures (vertebrae) into one basin, and on the region every candidate overlaps: MI over a
                // smaller overlap is not comparable. Distinct global starts share no meaningful common region (it may be
                // air only): each is judged on its own overlap, its MI weighted by that overlap relative to the
                // largest, so a start that keeps a sliver of overlap cannot win on a few samples.
                var (fixedJ, movingJ) = LevelImages(last);
                int judgeCount = SampleCount(last, fixedJ);
                if (!global)
                {
                    var judge = new MattesMutualInformation(fixedJ, movingJ, fixedMask, movingMask, s.HistogramBins, s.Sampling, judgeCount,
                        (ulong)(s.Seed + last), s.MaxDegreeOfParallelism, outcomes.ConvertAll(o => o.Transform));
                    rank = outcomes.ConvertAll(o => judge.GetValue(o.Transform));
                }
                else
                {
                    var overlap = outcomes.ConvertAll(o => RegistrationQualityCheck.OverlapFraction(fixedJ.Geometry, movingJ.Geometry, fixedMask, o.Transform));
                    double most = Math.Max(1e-9, overlap.Max());
                    var judged = new double[outcomes.Count];
                    Parallel.For(0, outcomes.Count, new ParallelOptions { MaxDegreeOfParallelism = s.MaxDegreeOfParallelism, CancellationToken = ct }, i =>
                        judged[i] = (TryMetric(() => new MattesMutualInformation(fixedJ, movingJ, fixedMask, movingMask, s.HistogramBins,
                            s.Sampling, judgeCount, (ulong)(s.Seed + last), s.MaxDegreeOfParallelism, outcomes[i].Transform))?.GetValue(outcomes[i].Transform) ?? 0)
                            * overlap[i] / most);
                    rank = [.. judged];
                }
            }
            var ranked = Ranked(outcomes, rank);
            if (selecting && global)
            {
                // Near-ties (within the ambiguity gap) cannot be told apart by the images (a repetitive spine):
                // the frames' own evidence decides — the one displacing the patient coordinates least. The verdict
                // still reports the ambiguity.
                double bestRank = ranked[0].Rank;
                var tie = ranked.Where(x => x.Rank - bestRank <= s.Verdict.AmbiguityMetricGap * Math.Abs(bestRank))
                    .OrderBy(x => RegistrationQualityCheck.DisplacementOverOverlap(x.Outcome.Transform, IdentityAbout(x.Outcome.Transform.Center), fixedF.Geometry, movingF.Geometry))
                    .First();
                ranked.Remove(tie);
                ranked.Insert(0, tie);
            }
            if (selecting)
            {
                resultJudged = ranked[0].Rank;
                foreach (var x in ranked.Skip(1))
                    if (RegistrationQualityCheck.DisplacementOverOverlap(ranked[0].Outcome.Transform, x.Outcome.Transform, fixedF.Geometry, movingF.Geometry) > s.Verdict.AmbiguityDistanceMm)
                    {
                        runnerUp = x.Outcome.Transform;
                        runnerUpValue = x.Rank;
                        break;
                    }
            }
            outcomes = Survivors(ranked.ConvertAll(x => x.Outcome), level >= selectAfter, s.MultiStart?.MergeDistanceMm ?? 0, metric, candidates[0].Center);
            if (level >= reusedLevels) pyramid.Remove(level);
            candidates = outcomes.ConvertAll(o => o.Transform);
            var best = outcomes[0];
            finalMetric = best.Value;
            finestStop = best.Reason;
            levels.Add(new LevelResult(level, lv.ShrinkFactor, lv.SigmaMm, metric.SampleCount, best.Iterations, best.Reason, best.Value));
            _logger?.LogDebug("Registration level {Level}: shrink {Shrink}, σ {Sigma} mm, {Samples} samples, {Candidates} candidate(s), {Iterations} iterations, stop {Reason}, −MI {Metric:F5}",
                level, lv.ShrinkFactor, lv.SigmaMm, metric.SampleCount, outcomes.Count, best.Iterations, best.Reason, best.Value);
        }
        var transform = candidates[0];
        RegistrationVerdict verdict;
        if (s.Verdict.Enabled)
        {
            // the reverse registration and the null distribution are independent: side by side (each splits its own
            // work too, in a fixed order, so the verdict does not depend on threads)
            var (fixedJ, movingJ) = LevelImages(last);
            double? inverse = null;
            RegistrationQualityCheck.NullEvidence measured = default;
            Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = s.MaxDegreeOfParallelism, CancellationToken = ct },
                () => inverse = s.Verdict.InverseConsistency ? InverseConsistency(fixedF, movingF, fixedMask, movingMask, transform, pyramid, ct) : null,
                () => measured = RegistrationQualityCheck.Measure(fixedJ, movingJ, fixedMask, movingMask, transform, s, ct));
            verdict = RegistrationQualityCheck.Evaluate(fixedJ.Geometry, movingJ.Geometry, fixedMask, transform, s, measured,
                new RegistrationQualityCheck.Evidence(runnerUp, runnerUpValue, resultJudged, inverse,
                    startInfo.GlobalSearch?.BestAtBoundary ?? false, finestStop == StopReason.MaximumIterations));
        }
        else verdict = RegistrationQualityCheck.Unchecked(fixedF.Geometry, movingF.Geometry, fixedMask, transform);
        clock.Stop();
        _logger?.LogInformation("Rigid registration finished in {Seconds:F2} s, final −MI {Metric:F5}, start {Start}, verdict {Verdict}",
            clock.Elapsed.TotalSeconds, finalMetric, startInfo.Kind, verdict);
        if (verdict.Status != VerdictStatus.Good) _logger?.LogWarning("Registration verdict {Verdict}", verdict);
        return new RegistrationResult(transform, initial ?? transform, finalMetric, levels, clock.Elapsed, startInfo, verdict);
    }

    private static RigidTransform IdentityAbout(Vec3 center) => new(Versor.Identity, Vec3.Zero, center);

    private static MattesMutualInformation? TryMetric(Func<MattesMutualInformation> create)
    {
        try { return create(); }
        catch (RegistrationException) { return null; }
    }

    /// <summary>
    /// Registers the other way (moving → fixed) over the coarse levels, starting from the inverse of
    /// <paramref name="result"/>, and returns the root-mean-square residual between the two over the overlap, mm (the
    /// largest would be ruled by the far corners of a large field of view, where both directions' small rotation
    /// errors add up).
    /// </summary>
    private double? InverseConsistency(Volume<float> fixedF, Volume<float> movingF, Volume<byte>? fixedMask, Volume<byte>? movingMask,
        RigidTransform result, Dictionary<int, (Volume<float> Fixed, Volume<float> Moving)> pyramid, CancellationToken ct)
    {
        var s = Settings;
        var reverse = s with
        {
            Levels = [.. s.Levels.Take(Math.Max(1, s.Levels.Count - 1))],
            MultiStart = null,
            TranslationSearch = null,
            RotationSearch = null,
            FixedClipPercentiles = null,
            MovingClipPercentiles = null,
            Initializer = InitializerKind.None,
            Verdict = s.Verdict with { Enabled = false },
        };
        try
        {
            // the same levels with the images' roles swapped (the level grids depend on both images' finest spacing alike)
            var swapped = new Dictionary<int, (Volume<float> Fixed, Volume<float> Moving)>();
            foreach (var (level, images) in pyramid)
                if (level < reverse.Levels.Count) swapped[level] = (images.Moving, images.Fixed);
            var back = new RigidRegistration(reverse).Run(movingF, fixedF, movingF.Metadata, fixedF.Metadata, movingMask, fixedMask, result.Inverse(),
                null, swapped, Stopwatch.StartNew(), ct);
            return RegistrationQualityCheck.DisplacementOverOverlap(result, back.Transform.Inverse(), fixedF.Geometry, movingF.Geometry, rootMeanSquare: true);
        }
        catch (RegistrationException) { return double.PositiveInfinity; }
    }

    private (List<RigidTransform> Starts, RegistrationStart Info) Initialize(ImageMetadata fixedMeta, ImageMetadata movingMeta, Volume<float> fixedF,
        Volume<float> movingF, Volume<byte>? fixedMask, Volume<byte>? movingMask, RigidTransform? initialTransform, CancellationToken ct)
    {
        if (initialTransform is not null)
        {
            // same mapping, rotating about the fixed image's centre so rotation and translation decouple
            var about = fixedMask is not null && fixedMask.Geometry.ApproximatelyEquals(fixedF.Geometry, 1e-3)
                ? RegistrationInitializer.CenterOfMass(fixedMask, null, "fixed mask") : fixedF.Geometry.Center;
            return ([initialTransform.WithCenter(about)], new RegistrationStart("given", "an initial transform was given"));
        }
        var kind = Settings.Initializer;
        string reason;
        if (kind == InitializerKind.Auto)
        {
            string? f = Blank(fixedMeta.FrameOfReferenceUid), m = Blank(movingMeta.FrameOfReferenceUid);
            if (f is not null && f == m)
            {
                kind = InitializerKind.None;
                reason = $"both images share Frame of Reference UID {f}, so their patient coordinates agree";
            }
            else if (f is not null && m is not null && FrameRelation.Find(FrameRelations, f, m) is { } relation)
            {
                var about = fixedF.Geometry.Center;
                return ([relation.FixedToMoving.WithCenter(about)], new RegistrationStart("frame-relation",
                    $"{relation.Source} relates the fixed frame {f} to the moving frame {m}"));
            }
            else
            {
                kind = InitializerKind.Global;
                reason = f is null || m is null
                    ? $"the {(f is null ? "fixed" : "moving")} image carries no Frame of Reference UID (volume file or missing tag), so nothing relates the two patient frames"
                    : $"the Frames of Reference differ ({f} vs {m}), so the patient frames are unrelated";
            }
        }
        else reason = $"the settings ask for the {kind} initialiser";
        switch (kind)
        {
            case InitializerKind.None:
                return ([new RigidTransform(Versor.Identity, Vec3.Zero, fixedF.Geometry.Center)], new RegistrationStart("patient-coordinates", reason));
            case InitializerKind.GeometryCenter:
                return ([RegistrationInitializer.GeometryCenter(fixedF.Geometry, movingF.Geometry)], new RegistrationStart("geometry-center", reason));
            case InitializerKind.Moments:
                return ([RegistrationInitializer.Moments(fixedF, movingF, OnGrid(fixedMask, fixedF), OnGrid(movingMask, movingF))], new RegistrationStart("moments", reason));
            default:
                var g = GlobalSearch.Run(fixedF, movingF, fixedMask, movingMask, Settings.GlobalSearch, Settings.MaxDegreeOfParallelism, ct);
                _logger?.LogDebug("Global search: {Evaluations} evaluations over {Rotations} rotations in {Seconds:F2} s; best start {Start}",
                    g.Evaluations, g.Rotations, g.Seconds, g.Starts[0].Description);
                return (g.Starts.Select(x => x.Transform).ToList(),
                    new RegistrationStart("global-search", $"{reason}; best of {g.Starts.Count} start(s): {g.Starts[0].Description}", g));
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>Outcomes with their ranks, sorted by rank (lower first, ties in original order).</summary>
    private static List<(OptimizerOutcome Outcome, double Rank)> Ranked(List<OptimizerOutcome> outcomes, List<double> rank) =>
        outcomes.Select((o, i) => (o, i)).OrderBy(x => rank[x.i]).ThenBy(x => x.i).Select(x => (x.o, rank[x.i])).ToList();

    /// <summary>
    /// The first candidate whose overlap with the moving image holds samples, and its metric; the last candidate's
    /// failure is the registration's (an exception saying the images do not overlap).
    /// </summary>
    private static (MattesMutualInformation Metric, int Index) FirstOverlapping(List<RigidTransform> candidates, Func<RigidTransform, MattesMutualInformation> create)
    {
        for (int c = 0; c < candidates.Count - 1; c++)
            if (TryMetric(() => create(candidates[c])) is { } m) return (m, c);
        return (create(candidates[^1]), candidates.Count - 1);
    }

    /// <summary>
    /// The <paramref name="sorted"/> outcomes (best first), those within <paramref name="mergeMm"/> of a better one
    /// dropped; only the best when <paramref name="selectOne"/>.
    /// </summary>
    private static List<OptimizerOutcome> Survivors(List<OptimizerOutcome> sorted, bool selectOne, double mergeMm,
        MattesMutualInformation metric, Vec3 center)
    {
        if (selectOne || sorted.Count == 1) return [sorted[0]];
        var scales = PhysicalShiftScales(metric, center);
        double radius = Math.Max(scales[0], Math.Max(scales[1], scales[2]));
        var kept = new List<OptimizerOutcome>(sorted.Count);
        foreach (var o in sorted)
            if (kept.TrueForAll(k => MultiStart.Distance(k.Transform, o.Transform, center, radius) >= mergeMm)) kept.Add(o);
        return kept;
    }

    private static double MinSpacing(VolumeGeometry g) => Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z));

    private static Volume<byte>? OnGrid(Volume<byte>? mask, Volume<float> image) =>
        mask is null || mask.Geometry.ApproximatelyEquals(image.Geometry, 1e-3) ? mask
            : Resampler.Resample(mask, image.Geometry, null, InterpolationMode.Nearest);

    /// <summary>
    /// Parameter scales from physical shift: the root-mean-square displacement (mm) of the fixed samples per unit
    /// change of each parameter — |eₐ × (p − c)| for rotations, 1 for translations.
    /// </summary>
    internal static double[] PhysicalShiftScales(MattesMutualInformation metric, Vec3 center)
    {
        double sx = 0, sy = 0, sz = 0;
        int n = 0;
        foreach (var p in metric.SamplePoints())
        {
            var r = p - center;
            sx += r.Y * r.Y + r.Z * r.Z; sy += r.X * r.X + r.Z * r.Z; sz += r.X * r.X + r.Y * r.Y;
            n++;
        }
        static double Safe(double v) => Math.Max(1.0, Math.Sqrt(v));
        return [Safe(sx / n), Safe(sy / n), Safe(sz / n), 1, 1, 1];
    }

    /// <summary>
    /// Tries every rotation on a grid of Euler angles (about the current centre, translation kept) and keeps the
    /// one with the lowest metric; ties keep the earlier candidate, so the search is deterministic.
    /// </summary>
    private static RigidTransform SearchRotations(MattesMutualInformation metric, RigidTransform start, RotationSearchSettings search, int minValid, CancellationToken ct)
    {
        int steps = (int)Math.Floor(search.MaximumAngleDeg / search.StepDeg + 1e-9);
        var best = start;
        double bestValue = metric.GetValue(start);
        for (int a = -steps; a <= steps; a++)
            for (int b = -steps; b <= steps; b++)
                for (int c = -steps; c <= steps; c++)
                {
                    ct.ThrowIfCancellationRequested();
                    if (a == 0 && b == 0 && c == 0) continue;
                    double d = search.StepDeg * Math.PI / 180;
                    var q = Versor.FromAxisAngle(new Vec3(0, 0, 1), c * d) * Versor.FromAxisAngle(new Vec3(0, 1, 0), b * d)
                          * Versor.FromAxisAngle(new Vec3(1, 0, 0), a * d);
                    var candidate = new RigidTransform(q * start.Rotation, start.Translation, start.Center);
                    double v = metric.GetValue(candidate);
                    if (metric.ValidSampleCount >= minValid && v < bestValue) { bestValue = v; best = candidate; }
                }
        return best;
    }

    /// <summary>
    /// Tries every shift on a cubic grid (rotation kept) and keeps the one with the lowest metric; ties keep the
    /// earlier candidate, so the search is deterministic.
    /// </summary>
    private static RigidTransform SearchTranslations(MattesMutualInformation metric, RigidTransform start, TranslationSearchSettings search, int minValid, CancellationToken ct)
    {
        int steps = (int)Math.Floor(search.MaximumShiftMm / search.StepMm + 1e-9);
        var best = start;
        double bestValue = metric.GetValue(start);
        if (metric.ValidSampleCount < minValid) bestValue = double.PositiveInfinity;
        for (int a = -steps; a <= steps; a++)
            for (int b = -steps; b <= steps; b++)
                for (int c = -steps; c <= steps; c++)
                {
                    ct.ThrowIfCancellationRequested();
                    if (a == 0 && b == 0 && c == 0) continue;
                    var candidate = new RigidTransform(start.Rotation, start.Translation + new Vec3(a, b, c) * search.StepMm, start.Center);
                    double v = metric.GetValue(candidate);
                    if (metric.ValidSampleCount >= minValid && v < bestValue) { bestValue = v; best = candidate; }
                }
        return best;
    }
}
