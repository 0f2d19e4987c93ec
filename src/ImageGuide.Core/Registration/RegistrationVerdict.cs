namespace ImageGuide.Registration;

/// <summary>How far a registration result can be trusted.</summary>
public enum VerdictStatus
{
    /// <summary>Every quality signal is within its limits.</summary>
    Good,
    /// <summary>At least one signal says the result may be wrong: inspect it before use.</summary>
    Doubtful,
    /// <summary>The result did not pass its quality check: do not use it for guidance.</summary>
    Failed,
}

/// <summary>
/// The independent evidence a verdict is formed from (see <see cref="RegistrationQualityCheck"/>). Null where a
/// signal was not computed (disabled, or not applicable: no alternative candidate, no global search).
/// </summary>
/// <param name="MutualInformation">MI (nats) at the result, finest level, on the samples of the null distribution.</param>
/// <param name="NullMutualInformationMean">Mean MI at randomly perturbed transforms (the null distribution), same samples.</param>
/// <param name="NullMutualInformationStd">Standard deviation of that null distribution.</param>
/// <param name="NullZScore">(MI − null mean) / null std: how far the result stands out of the null distribution.</param>
/// <param name="PeakContrast">(MI − null mean) / MI: the fraction of the MI that is lost when the images are displaced.</param>
/// <param name="RunnerUpDistanceMm">Largest displacement between the result and the best other distinct candidate, mm.</param>
/// <param name="RunnerUpMetricGap">How much worse the runner-up's −MI was than the result's, relative to the result's MI.</param>
/// <param name="InverseConsistencyMm">Root-mean-square residual, over the overlap, of the result composed with a registration run the other way (moving → fixed) over the coarse levels from its inverse, mm.</param>
/// <param name="OverlapFraction">Fraction of the smaller field of view that the other image covers at the result.</param>
/// <param name="StartAtSearchBoundary">The global search's best start lay on the edge of its translation box.</param>
/// <param name="IterationLimitReached">The optimiser stopped at its iteration limit at the finest level.</param>
public sealed record RegistrationSignals(double? MutualInformation, double? NullMutualInformationMean, double? NullMutualInformationStd,
    double? NullZScore, double? PeakContrast, double? RunnerUpDistanceMm, double? RunnerUpMetricGap, double? InverseConsistencyMm,
    double OverlapFraction, bool StartAtSearchBoundary, bool IterationLimitReached);

/// <summary>
/// The quality verdict of a registration: <see cref="Status"/>, the reasons (one sentence each, empty when good)
/// and the signals behind them.
/// </summary>
public sealed record RegistrationVerdict(VerdictStatus Status, IReadOnlyList<string> Reasons, RegistrationSignals Signals)
{
    /// <summary>The status in lower case, as written in JSON: good, doubtful, failed.</summary>
    public string StatusName => Status switch { VerdictStatus.Good => "good", VerdictStatus.Doubtful => "doubtful", _ => "failed" };

    /// <inheritdoc/>
    public override string ToString() => Reasons.Count == 0 ? StatusName : $"{StatusName}: {string.Join("; ", Reasons)}";
}

/// <summary>
/// Thresholds of the quality check, kept as settings (a preset's <c>verdict</c> member). The defaults were
/// calibrated on the capture sweeps over real volumes and the mismatched pairs (README, "How the verdict is formed").
/// </summary>
public sealed record VerdictSettings
{
    /// <summary>Compute the verdict (false: every result is reported good with no signals checked — for tests of other parts only).</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Perturbed transforms in the null distribution.</summary>
    public int NullSamples { get; init; } = 24;
    /// <summary>Perturbations: rotation angle drawn in [½, 1] × this, degrees, about a random axis.</summary>
    public double NullRotationDeg { get; init; } = 20;
    /// <summary>Perturbations: shift length drawn in [½, 1] × this, mm, in a random direction.</summary>
    public double NullShiftMm { get; init; } = 30;
    /// <summary>Failed when the MI at the result is below this, nats (nothing in common, e.g. an image against noise).</summary>
    public double FailMutualInformationBelow { get; init; } = 0.05;
    /// <summary>Failed when the null z-score is below this.</summary>
    public double FailZScoreBelow { get; init; } = 3;
    /// <summary>Doubtful when the null z-score is below this.</summary>
    public double DoubtZScoreBelow { get; init; } = 4.5;
    /// <summary>Failed when the peak contrast is below this.</summary>
    public double FailPeakContrastBelow { get; init; } = 0.15;
    /// <summary>Doubtful when the peak contrast is below this.</summary>
    public double DoubtPeakContrastBelow { get; init; } = 0.3;
    /// <summary>Doubtful when a distinct candidate farther than <see cref="AmbiguityDistanceMm"/> reaches a −MI within this fraction of the result's.</summary>
    public double AmbiguityMetricGap { get; init; } = 0.03;
    /// <summary>See <see cref="AmbiguityMetricGap"/>, mm.</summary>
    public double AmbiguityDistanceMm { get; init; } = 5;
    /// <summary>Run the inverse-consistency check (a registration the other way over the coarse levels).</summary>
    public bool InverseConsistency { get; init; } = true;
    /// <summary>Doubtful when the inverse-consistency residual exceeds this, mm.</summary>
    public double DoubtInverseConsistencyMm { get; init; } = 5;
    /// <summary>Failed when the inverse-consistency residual exceeds this, mm.</summary>
    public double FailInverseConsistencyMm { get; init; } = 15;
    /// <summary>Doubtful when the images overlap over less than this fraction of the smaller field of view.</summary>
    public double DoubtOverlapBelow { get; init; } = 0.25;
    /// <summary>Failed when the images overlap over less than this fraction of the smaller field of view.</summary>
    public double FailOverlapBelow { get; init; } = 0.05;

    /// <summary>Throws <see cref="RegistrationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Fail(string what) => throw new RegistrationException($"Invalid registration settings: verdict.{what}.");
        if (NullSamples < 4 || NullSamples > 200) Fail("nullSamples must lie in 4..200");
        if (!(NullRotationDeg >= 0 && NullRotationDeg <= 180) || !(NullShiftMm >= 0) || NullRotationDeg + NullShiftMm <= 0)
            Fail("nullRotationDeg (0..180) and nullShiftMm (≥ 0) must not both be 0");
        if (!(FailZScoreBelow <= DoubtZScoreBelow)) Fail("failZScoreBelow must not exceed doubtZScoreBelow");
        if (!(FailPeakContrastBelow <= DoubtPeakContrastBelow)) Fail("failPeakContrastBelow must not exceed doubtPeakContrastBelow");
        if (!(DoubtInverseConsistencyMm > 0 && DoubtInverseConsistencyMm <= FailInverseConsistencyMm)) Fail("inverse-consistency limits need 0 < doubt ≤ fail");
        if (!(FailOverlapBelow >= 0 && FailOverlapBelow <= DoubtOverlapBelow && DoubtOverlapBelow <= 1)) Fail("overlap limits need 0 ≤ fail ≤ doubt ≤ 1");
        if (!(AmbiguityMetricGap >= 0) || !(AmbiguityDistanceMm >= 0)) Fail("ambiguity limits must be ≥ 0");
        if (!double.IsFinite(FailMutualInformationBelow)) Fail("failMutualInformationBelow must be finite");
    }
}
