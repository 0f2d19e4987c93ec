using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>
/// Result of <see cref="IceBallSegmenter.Analyze(IceBallInputs, IProgress{double}, CancellationToken)"/>: the ice-ball and
/// lethal-zone masks on the intra-procedural CT's grid and every measurement of the report. Immutable apart from the mask
/// buffers, which callers should treat as read-only; serialised by <see cref="IceBallJson"/>.
/// </summary>
public sealed record IceBallAnalysis
{
    /// <summary>1 inside the segmented 0 °C edge (the visible ice ball, bone part filled from the model), 0 elsewhere.</summary>
    public required Volume<byte> IceBall { get; init; }

    /// <summary>1 inside the estimated lethal zone (the ice ball inset by <see cref="LethalInsetMm"/>).</summary>
    public required Volume<byte> LethalZone { get; init; }

    /// <summary>The probes used as seeds (detected or given), LPS mm of the intra-procedural CT.</summary>
    public required IReadOnlyList<ProbeAxis> Probes { get; init; }

    /// <summary>True when the probes were detected from the metal, false when given.</summary>
    public required bool ProbesDetected { get; init; }

    /// <summary>True when a pre-freeze CT was subtracted; false when ice was read as hypodensity alone.</summary>
    public required bool UsedPreFreezeCt { get; init; }

    /// <summary>The isotherm model fitted to the visible ice (null when no ice was seen).</summary>
    public required FittedIsotherm? Model { get; init; }

    /// <summary>Ice-ball volume, mL.</summary>
    public required double VolumeMl { get; init; }

    /// <summary>Long, mid and short diameters with their axes (null for an empty ice ball).</summary>
    public required IceBallDiameters? Diameters { get; init; }

    /// <summary>Fraction (0–1) of the ice-ball volume lying in bone, where ice is invisible and the model filled it in.</summary>
    public required double ExtrapolatedFraction { get; init; }

    /// <summary>Depth of the lethal edge inside the 0 °C edge used for <see cref="LethalZone"/>, mm.</summary>
    public required double LethalInsetMm { get; init; }

    /// <summary>Lethal-zone volume, mL.</summary>
    public required double LethalVolumeMl { get; init; }

    /// <summary>Fraction (0–1) of the tumour (Target labels) inside the lethal zone; null without a tumour label.</summary>
    public double? LethalCoverage { get; init; }

    /// <summary>Smallest signed margin from the tumour surface to the lethal edge, mm (negative: tumour outside); null without a tumour.</summary>
    public double? MinMarginMm { get; init; }

    /// <summary>Smallest signed distance from the 0 °C edge to each critical structure (and "skin"), mm; null = beyond reach.</summary>
    public IReadOnlyDictionary<string, double?> CriticalDistancesMm { get; init; } = new Dictionary<string, double?>();

    /// <summary>Required clearance of each structure in <see cref="CriticalDistancesMm"/>, mm (planning settings).</summary>
    public IReadOnlyDictionary<string, double> RequiredClearancesMm { get; init; } = new Dictionary<string, double>();

    /// <summary>Safety warnings (clearances not kept, tumour not covered, ice extrapolated into bone, no ice seen).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// With labels: what of them could not be measured on the intra-operative CT — "labels" when none of their voxels
    /// lands in it through the labels transform (every safety distance and the coverage are then missing), "tumour" when
    /// the labels name a tumour but none of it lands there (coverage and margin missing); null when nothing is missing or
    /// no labels were given. A clinical result that is missing is never silent: the warnings say it too.
    /// </summary>
    public string? MissingFromCt { get; init; }

    /// <summary>Comparison with the plan, when one was given with planned probes.</summary>
    public PlanComparison? Plan { get; init; }

    /// <summary>Growth since an earlier scan, when one was given.</summary>
    public IceBallGrowth? Growth { get; init; }

    /// <summary>Wall time of the analysis.</summary>
    public TimeSpan WallTime { get; init; }
}
