namespace ImageGuide.Registration;

/// <summary>One level of the multi-resolution pyramid.</summary>
/// <param name="ShrinkFactor">Integer shrink factor applied along every axis (an axis keeps at least 4 voxels).</param>
/// <param name="SigmaMm">Gaussian smoothing σ in millimetres applied before shrinking (0: none).</param>
/// <param name="SampleCount">Optional samples at this level, overriding the settings' count or fraction (the metric's
/// sampling noise bounds the accuracy reached at the finest level; coarse levels need fewer).</param>
public sealed record PyramidLevel(int ShrinkFactor, double SigmaMm, int? SampleCount = null);

/// <summary>Which optimiser drives each level.</summary>
public enum OptimizerKind
{
    /// <summary>Regular-step gradient descent on the versor (ITK's <c>VersorRigid3DTransformOptimizer</c> behaviour).</summary>
    RegularStepGradientDescent,
    /// <summary>Limited-memory BFGS with a backtracking (Armijo) line search, in scaled parameter space.</summary>
    Lbfgs,
}

/// <summary>How the starting transform is chosen when none is given.</summary>
public enum InitializerKind
{
    /// <summary>Identity: trust the patient coordinates of both images (same table or frame of reference); rotation about the fixed image's centre.</summary>
    None,
    /// <summary>Translation aligning the two images' geometric centres.</summary>
    GeometryCenter,
    /// <summary>Translation aligning the intensity centres of mass (first moments, inside the masks).</summary>
    Moments,
    /// <summary>The global search (<see cref="GlobalSearchSettings"/>): posture turns, rotations and translations over every overlap.</summary>
    Global,
    /// <summary>
    /// From what the inputs say: patient coordinates (<see cref="None"/>) when both images carry the same DICOM
    /// Frame of Reference UID; otherwise (different or unknown frames, volume files) the global search.
    /// </summary>
    Auto,
}

/// <summary>Optimiser settings. Step lengths are physical (mm of sample displacement) at shrink factor 1 and are
/// multiplied by each level's shrink factor.</summary>
public sealed record OptimizerSettings
{
    /// <summary>Which optimiser.</summary>
    public OptimizerKind Kind { get; init; } = OptimizerKind.RegularStepGradientDescent;
    /// <summary>Iteration limit per level.</summary>
    public int MaximumIterations { get; init; } = 200;
    /// <summary>First (largest) step, mm at shrink factor 1.</summary>
    public double MaximumStepMm { get; init; } = 1.0;
    /// <summary>Convergence: stop when the step falls below this, mm at shrink factor 1.</summary>
    public double MinimumStepMm { get; init; } = 0.01;
    /// <summary>Step multiplier when the gradient turns back (regular-step descent), in (0, 1).</summary>
    public double RelaxationFactor { get; init; } = 0.5;
    /// <summary>Stop when the scaled gradient norm falls below this.</summary>
    public double GradientTolerance { get; init; } = 1e-8;
    /// <summary>L-BFGS: correction pairs kept.</summary>
    public int LbfgsMemory { get; init; } = 6;
    /// <summary>L-BFGS: stop when the relative metric change of an accepted step is below this.</summary>
    public double FunctionTolerance { get; init; } = 1e-7;
}

/// <summary>Coarse search over rotations at the coarsest level, for large initial rotations.</summary>
public sealed record RotationSearchSettings
{
    /// <summary>Largest angle tried about each axis, degrees.</summary>
    public double MaximumAngleDeg { get; init; } = 30;
    /// <summary>Angle step about each axis, degrees.</summary>
    public double StepDeg { get; init; } = 15;
}

/// <summary>Coarse search over translations at the coarsest level (before any rotation search), for large initial shifts.</summary>
public sealed record TranslationSearchSettings
{
    /// <summary>Largest shift tried along each axis, mm.</summary>
    public double MaximumShiftMm { get; init; } = 24;
    /// <summary>Shift step along each axis, mm.</summary>
    public double StepMm { get; init; } = 8;
}

/// <summary>
/// Multi-start at the coarsest level, for images whose coarse metric has several basins (a repetitive spine, a
/// small CBCT field of view): the metric is evaluated on a cubic grid of shifts around the start, the start and the
/// best local minima of that grid are each optimised, and the survivors (merged when closer than
/// <see cref="MergeDistanceMm"/>) go on to the next levels until, after level <see cref="SelectAfterLevel"/>, the
/// one with the lowest metric there is kept. Finer levels judge better than the coarsest one, whose heavy
/// smoothing can prefer a wrong basin.
/// </summary>
public sealed record MultiStartSettings
{
    /// <summary>Largest shift of the grid along each axis, mm.</summary>
    public double MaximumShiftMm { get; init; } = 24;
    /// <summary>Grid step along each axis, mm.</summary>
    public double StepMm { get; init; } = 8;
    /// <summary>Starts optimised besides the initial transform: the best local minima of the grid.</summary>
    public int Starts { get; init; } = 4;
    /// <summary>Index of the level after which only the best candidate goes on (clamped to the last level).</summary>
    public int SelectAfterLevel { get; init; } = 1;
    /// <summary>Candidates whose transforms differ by less than this (largest displacement over the sampled region) are merged, mm.</summary>
    public double MergeDistanceMm { get; init; } = 2;
}

/// <summary>
/// Everything that controls a rigid registration. Serialisable to and from the JSON presets (see
/// <see cref="RegistrationPreset"/>); every property has a sensible default.
/// </summary>
public sealed record RegistrationSettings
{
    /// <summary>Version of the settings format; presets declare it and readers refuse newer ones.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Most samples per level (a sample costs about 64 bytes of scratch memory).</summary>
    public const int MaximumSampleCount = 5_000_000;

    /// <summary>Format version of this settings object.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;
    /// <summary>Preset name, or "custom".</summary>
    public string Name { get; init; } = "custom";
    /// <summary>What the settings are meant for.</summary>
    public string? Description { get; init; }
    /// <summary>Histogram bins per image for Mattes MI (8–256).</summary>
    public int HistogramBins { get; init; } = 32;
    /// <summary>Random or regular sampling of the fixed image.</summary>
    public SamplingStrategy Sampling { get; init; } = SamplingStrategy.Random;
    /// <summary>Samples per level (used when <see cref="SampleFraction"/> is null).</summary>
    public int SampleCount { get; init; } = 10000;
    /// <summary>Optional fraction (0, 1] of the level's fixed voxels to sample instead of a count (at most <see cref="MaximumSampleCount"/>).</summary>
    public double? SampleFraction { get; init; }
    /// <summary>Seed of random sampling (level L uses Seed + L).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>
    /// Draw each level's samples only where the transform at the start of that level maps them inside the moving
    /// image (worthwhile when the fixed field of view is much larger than the moving one).
    /// </summary>
    public bool SampleOverlapOnly { get; init; } = true;
    /// <summary>Stop with an error when fewer than this fraction of samples map inside the moving image.</summary>
    public double MinimumValidSampleFraction { get; init; } = 0.1;
    /// <summary>Pyramid levels, coarse to fine.</summary>
    public IReadOnlyList<PyramidLevel> Levels { get; init; } = [new(4, 2), new(2, 1), new(1, 0)];
    /// <summary>
    /// Shrink each axis only down to shrink factor × the finest spacing of both images, so an image with thick
    /// slices (MR) is not coarsened along them beyond what the level needs (false: every axis by the full factor, as ITK).
    /// </summary>
    public bool PhysicalShrink { get; init; }
    /// <summary>The optimiser.</summary>
    public OptimizerSettings Optimizer { get; init; } = new();
    /// <summary>Initialiser used when no initial transform is given.</summary>
    public InitializerKind Initializer { get; init; } = InitializerKind.Moments;
    /// <summary>Optional coarse translation search at the coarsest level (null: none).</summary>
    public TranslationSearchSettings? TranslationSearch { get; init; }
    /// <summary>Optional coarse rotation search at the coarsest level, after any translation search (null: none).</summary>
    public RotationSearchSettings? RotationSearch { get; init; }
    /// <summary>The global search used by the <see cref="InitializerKind.Global"/> and <see cref="InitializerKind.Auto"/> initialisers.</summary>
    public GlobalSearchSettings GlobalSearch { get; init; } = new();
    /// <summary>Thresholds of the quality verdict every result carries.</summary>
    public VerdictSettings Verdict { get; init; } = new();
    /// <summary>Optional multi-start at the coarsest level, after the translation and rotation searches (null: a single start).</summary>
    public MultiStartSettings? MultiStart { get; init; }
    /// <summary>Optional [low, high] percentiles (0–100) at which fixed intensities are clipped (e.g. CBCT streaks).</summary>
    public IReadOnlyList<double>? FixedClipPercentiles { get; init; }
    /// <summary>Optional [low, high] percentiles (0–100) at which moving intensities are clipped.</summary>
    public IReadOnlyList<double>? MovingClipPercentiles { get; init; }
    /// <summary>Thread limit (−1: no limit). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws <see cref="RegistrationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Fail(string what) => throw new RegistrationException($"Invalid registration settings: {what}.");
        if (FormatVersion < 1 || FormatVersion > CurrentFormatVersion) Fail($"formatVersion {FormatVersion} is not supported (this library reads 1..{CurrentFormatVersion})");
        if (HistogramBins < 8 || HistogramBins > 256) Fail($"histogramBins {HistogramBins} must lie in 8..256");
        if (SampleFraction is { } f ? !(f > 0 && f <= 1) : SampleCount < 100 || SampleCount > MaximumSampleCount)
            Fail($"sampleCount must lie in 100..{MaximumSampleCount}, or sampleFraction in (0, 1] (capped at {MaximumSampleCount} samples)");
        if (!(MinimumValidSampleFraction > 0 && MinimumValidSampleFraction <= 1)) Fail("minimumValidSampleFraction must lie in (0, 1]");
        if (Levels is null || Levels.Count == 0) Fail("at least one pyramid level is needed");
        foreach (var l in Levels!)
            if (l is null || l.ShrinkFactor < 1 || !(l.SigmaMm >= 0) || !double.IsFinite(l.SigmaMm) || l.SampleCount is < 100 or > MaximumSampleCount)
                Fail($"pyramid level {l} needs shrinkFactor ≥ 1, a finite sigmaMm ≥ 0 and, if given, sampleCount in 100..{MaximumSampleCount}");
        var o = Optimizer;
        if (o is null) Fail("optimizer is missing");
        if (o!.MaximumIterations < 1) Fail("optimizer.maximumIterations must be ≥ 1");
        if (!(o.MaximumStepMm > 0) || !(o.MinimumStepMm > 0) || o.MinimumStepMm > o.MaximumStepMm) Fail("optimizer steps need 0 < minimumStepMm ≤ maximumStepMm");
        if (!(o.RelaxationFactor > 0 && o.RelaxationFactor < 1)) Fail("optimizer.relaxationFactor must lie in (0, 1)");
        if (o.LbfgsMemory < 1) Fail("optimizer.lbfgsMemory must be ≥ 1");
        if (RotationSearch is { } r && (!(r.StepDeg > 0) || !(r.MaximumAngleDeg >= 0) || r.MaximumAngleDeg / r.StepDeg > 12))
            Fail("rotationSearch needs stepDeg > 0 and at most 12 steps each side");
        if (TranslationSearch is { } ts && (!(ts.StepMm > 0) || !(ts.MaximumShiftMm >= 0) || ts.MaximumShiftMm / ts.StepMm > 8))
            Fail("translationSearch needs stepMm > 0 and at most 8 steps each side");
        if (MultiStart is { } ms && (!(ms.StepMm > 0) || !(ms.MaximumShiftMm >= 0) || ms.MaximumShiftMm / ms.StepMm > 8
            || ms.Starts < 0 || ms.Starts > 16 || ms.SelectAfterLevel < 0 || !(ms.MergeDistanceMm >= 0)))
            Fail("multiStart needs stepMm > 0, at most 8 steps each side, 0..16 starts, selectAfterLevel ≥ 0 and mergeDistanceMm ≥ 0");
        if (GlobalSearch is null) Fail("globalSearch is missing");
        GlobalSearch!.Validate();
        if (Verdict is null) Fail("verdict is missing");
        Verdict!.Validate();
        CheckClip(FixedClipPercentiles, "fixedClipPercentiles");
        CheckClip(MovingClipPercentiles, "movingClipPercentiles");
        static void CheckClip(IReadOnlyList<double>? p, string name)
        {
            if (p is null) return;
            if (p.Count != 2 || !(p[0] >= 0 && p[0] < p[1] && p[1] <= 100)) Fail($"{name} must be [low, high] with 0 ≤ low < high ≤ 100");
        }
    }
}
