namespace ImageGuide.Registration;

/// <summary>
/// The global initialisation run when the two images' patient frames are unrelated (different or unknown
/// Frame of Reference): an exhaustive search over posture turns, rotations and translations covering every
/// possible overlap, scored by mutual information on a coarse isotropic grid (see <see cref="GlobalSearch"/>).
/// The defaults were measured on the real volumes of the capture sweeps (README, "Capture range").
/// </summary>
public sealed record GlobalSearchSettings
{
    /// <summary>Isotropic spacing of the coarse grid both images are resampled to for the search, mm.</summary>
    public double SpacingMm { get; init; } = 6;
    /// <summary>Most samples scored at each node of the exhaustive grid (a regular subset of the smaller image's coarse voxels).</summary>
    public int GridSampleCount { get; init; } = 1000;
    /// <summary>
    /// Share of each rotation's placements scored on all <see cref="GridSampleCount"/> samples after a screening pass on
    /// a quarter of them (1: no screening).
    /// </summary>
    public double ScreenKeepFraction { get; init; } = 0.15;
    /// <summary>Most samples scored in the local refinement of the grid's best minima.</summary>
    public int SampleCount { get; init; } = 4000;
    /// <summary>Histogram bins per image of the search's mutual information.</summary>
    public int HistogramBins { get; init; } = 16;
    /// <summary>Smallest translation range searched along each axis, ± mm (the range grows to cover every overlap of the two fields of view).</summary>
    public double MinimumTranslationRangeMm { get; init; } = 150;
    /// <summary>Largest translation range along any axis, ± mm (bounds the search for very long images).</summary>
    public double MaximumTranslationRangeMm { get; init; } = 400;
    /// <summary>Translation step of the exhaustive grid, mm.</summary>
    public double TranslationStepMm { get; init; } = 20;
    /// <summary>Largest rotation tried about each axis (one axis at a time) around every posture, degrees; the refinement turns further.</summary>
    public double MaximumRotationDeg { get; init; } = 30;
    /// <summary>Rotation step about each axis, degrees.</summary>
    public double RotationStepDeg { get; init; } = 30;
    /// <summary>Try the patient-position turns (prone: 180° about the long axis; decubitus: ±90°; feet-first: 180° about the antero-posterior axis, and their combinations).</summary>
    public bool PostureHypotheses { get; init; } = true;
    /// <summary>Also try the four rotations that turn the sampled image's principal axes onto the other's (each with the full translation grid).</summary>
    public bool PrincipalAxes { get; init; } = true;
    /// <summary>Distinct candidates handed to the multi-resolution refinement, best first.</summary>
    public int Candidates { get; init; } = 4;
    /// <summary>A grid placement counts only when at least this fraction of the largest overlap seen maps inside the other image (small overlaps inflate MI).</summary>
    public double MinimumRelativeOverlap { get; init; } = 0.5;
    /// <summary>Candidates closer than this (largest displacement over the sampled region) are merged, mm.</summary>
    public double MergeDistanceMm { get; init; } = 15;

    /// <summary>Throws <see cref="RegistrationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Fail(string what) => throw new RegistrationException($"Invalid registration settings: globalSearch.{what}.");
        if (!(SpacingMm >= 1 && SpacingMm <= 30)) Fail("spacingMm must lie in 1..30");
        if (SampleCount < 500 || SampleCount > 200_000) Fail("sampleCount must lie in 500..200000");
        if (GridSampleCount < 200 || GridSampleCount > SampleCount) Fail("gridSampleCount must lie in 200..sampleCount");
        if (!(ScreenKeepFraction > 0 && ScreenKeepFraction <= 1)) Fail("screenKeepFraction must lie in (0, 1]");
        if (HistogramBins < 8 || HistogramBins > 64) Fail("histogramBins must lie in 8..64");
        if (!(MinimumTranslationRangeMm >= 0) || !(MaximumTranslationRangeMm >= MinimumTranslationRangeMm) || MaximumTranslationRangeMm > 2000)
            Fail("translation ranges need 0 ≤ minimumTranslationRangeMm ≤ maximumTranslationRangeMm ≤ 2000");
        if (!(TranslationStepMm >= 2) || MaximumTranslationRangeMm / TranslationStepMm > 40) Fail("translationStepMm must be ≥ 2 mm with at most 40 steps each side");
        if (!(RotationStepDeg > 0) || !(MaximumRotationDeg >= 0) || MaximumRotationDeg / RotationStepDeg > 4) Fail("rotation search needs rotationStepDeg > 0 and at most 4 steps each side");
        if (Candidates < 1 || Candidates > 16) Fail("candidates must lie in 1..16");
        if (!(MinimumRelativeOverlap > 0 && MinimumRelativeOverlap <= 1)) Fail("minimumRelativeOverlap must lie in (0, 1]");
        if (!(MergeDistanceMm >= 0)) Fail("mergeDistanceMm must be ≥ 0");
    }
}
