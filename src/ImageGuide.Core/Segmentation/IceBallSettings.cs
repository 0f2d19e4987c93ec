using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>
/// Every setting of ice-ball segmentation and analysis. Each clinical default is the value documented in
/// docs/CLINICAL.md, named on its property; the image-processing defaults say why they are what they are.
/// Change them with <c>with</c>: <c>IceBallSettings.Default with { LethalInsetMm = 3 }</c>.
/// </summary>
public sealed record IceBallSettings
{
    /// <summary>The documented defaults.</summary>
    public static IceBallSettings Default { get; } = new();

    /// <summary>
    /// CT change of frozen soft tissue (HU). Default −85: freezing lowers attenuation by ≈ 85 HU regardless of the
    /// pre-freeze value, with no further drop on further cooling (Sandison et al. 1998, docs/CLINICAL.md).
    /// </summary>
    public double IceShiftHu { get; init; } = -85;

    /// <summary>
    /// Depth (mm) of the lethal isotherm inside the visible 0 °C edge. Default 5 mm, the conservative end of "cell death
    /// is reliable 3–5 mm inside the edge" (Insights Imaging 2015, docs/CLINICAL.md), as the phantom's isotherm model uses.
    /// The fitted isotherm model also takes it as one probe's distance from 0 °C to <see cref="AblationGoals.LethalIsothermC"/>
    /// (<see cref="FittedIsotherm"/>), which sets how far the summed cooling of several probes reaches.
    /// </summary>
    public double LethalInsetMm { get; init; } = 5;

    /// <summary>
    /// CT value (HU) above which a voxel is probe metal. Default 1500 HU: above most cortical bone (800–1200 HU plus noise and
    /// streaks) and below the several thousand HU of steel probes ("very high HU along the shaft", docs/CLINICAL.md). The
    /// densest cortex passes it (a humerus reaches 1839 HU on the TotalSegmentator example CT) and partial-volume steel on
    /// 2 mm voxels can fall to ≈ 1600–2000 HU, so no threshold tells them apart: keep long bones out of the field of view,
    /// or give the probes explicitly.
    /// </summary>
    public double MetalThresholdHu { get; init; } = 1500;

    /// <summary>
    /// Agreement (<see cref="FittedIsotherm.Agreement"/>) of the fitted isotherm model with the ice evidence below which the
    /// analysis warns that its edge is uncertain. Default 0.9: every phantom analysis agrees at 0.98 or more, the real-CT
    /// freeze with its pre-freeze CT at 0.99; without it, fat planes in real muscle (−100 HU, darker than ice) pull the
    /// agreement to 0.70 and the ice ball 81 % too large (docs/CLINICAL.md).
    /// </summary>
    public double ModelAgreementWarningBelow { get; init; } = 0.9;

    /// <summary>
    /// Unfrozen CT value (HU) above which a voxel is treated as bone, where ice is invisible ("visible in all tissues
    /// except healthy bone", 001/004): there the ice ball is filled from the fitted isotherm model. Default 150 HU, below
    /// cancellous bone (200–300 HU) and above every soft tissue (≤ 80 HU).
    /// </summary>
    public double BoneThresholdHu { get; init; } = 150;

    /// <summary>CT value (HU) below which a voxel is air or gas, never ice. Default −400 HU (fat is ≈ −100 HU).</summary>
    public double AirThresholdHu { get; init; } = -400;

    /// <summary>
    /// Reference value (HU) of unfrozen fat, used without a pre-freeze CT to tell frozen soft tissue (≈ −40 HU) from fat.
    /// Default −100 HU (fat, docs/CLINICAL.md tissue values).
    /// </summary>
    public double FatHu { get; init; } = -100;

    /// <summary>
    /// Probe diameter (mm), used to place the tip half a diameter behind the end of the metal (the rounded tip).
    /// Default 2.4 mm, the probes of Littrup 2009 (docs/CLINICAL.md).
    /// </summary>
    public double ProbeDiameterMm { get; init; } = 2.4;

    /// <summary>Shortest straight run of metal (mm) accepted as a probe. Default 15 mm (longer than any streak blob).</summary>
    public double MinProbeLengthMm { get; init; } = 15;

    /// <summary>Most probes detected. Default 8, the planner's largest probe count.</summary>
    public int MaxProbes { get; init; } = 8;

    /// <summary>
    /// Largest distance (mm) from a probe's freezing segment at which ice is sought. Default 30 mm: with probes ≈ 2 cm
    /// apart (004) every point of even an 8 cm multi-probe ice ball lies within ≈ 30 mm of its nearest probe.
    /// </summary>
    public double SearchRadiusMm { get; init; } = 30;

    /// <summary>
    /// Length of shaft (mm) behind the tip that can carry ice (the freezing segment). Default 30 mm, beyond the 14 mm axial
    /// semi-axis centred 5 mm behind the tip of the single-probe model (CryoMC, docs/CLINICAL.md).
    /// </summary>
    public double FreezingSegmentMm { get; init; } = 30;

    /// <summary>
    /// Largest distance (mm) by which the segmented edge may depart from the fitted isotherm model (a leak guard against
    /// streaks and hypodense neighbours). Default 10 mm, about the ice ball's own radius (6–14 mm semi-axes, CryoMC).
    /// </summary>
    public double ShapeToleranceMm { get; init; } = 10;

    /// <summary>
    /// Length scale (mm) of the shape prior: where the image is ambiguous (partial volume, noise) a voxel d mm inside the
    /// fitted model counts as d / scale units of evidence for ice (at most 3 units, less than clear image evidence, 4).
    /// Default 0.5 mm (the phantom tests' optimum; ambiguous voxels lie within about half a voxel of the edge).
    /// </summary>
    public double PriorScaleMm { get; init; } = 0.5;

    /// <summary>
    /// Farthest distance (mm) from the ice edge at which critical structures are measured; farther ones are reported as
    /// beyond reach (null in JSON). Default 25 mm, well beyond every clearance (≤ 10 mm, docs/CLINICAL.md) and the 5–10 mm margins.
    /// </summary>
    public double DistanceReachMm { get; init; } = 25;

    /// <summary>
    /// Clearances to critical structures and skin (fusion uncertainty included), tumour margin, coverage goal and the lethal
    /// isotherm of the plan comparison: give the planner's own (<c>PlanningConstraints.Goals</c>) so that warnings match the plan.
    /// </summary>
    public AblationGoals Goals { get; init; } = AblationGoals.Default;

    /// <summary>Throws <see cref="SegmentationException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Goals);
        if (!(IceShiftHu < -10 && IceShiftHu > -500)) Bad(nameof(IceShiftHu), IceShiftHu, "between −500 and −10 HU");
        if (!(LethalInsetMm >= 0 && LethalInsetMm <= 20)) Bad(nameof(LethalInsetMm), LethalInsetMm, "0–20 mm");
        if (!(MetalThresholdHu > BoneThresholdHu)) Bad(nameof(MetalThresholdHu), MetalThresholdHu, "above BoneThresholdHu");
        if (!(ModelAgreementWarningBelow is >= 0 and <= 1)) Bad(nameof(ModelAgreementWarningBelow), ModelAgreementWarningBelow, "in [0, 1]");
        if (!(BoneThresholdHu > AirThresholdHu)) Bad(nameof(BoneThresholdHu), BoneThresholdHu, "above AirThresholdHu");
        if (!double.IsFinite(FatHu)) Bad(nameof(FatHu), FatHu, "finite");
        if (!(ProbeDiameterMm > 0 && ProbeDiameterMm <= 10)) Bad(nameof(ProbeDiameterMm), ProbeDiameterMm, "in (0, 10] mm");
        if (!(MinProbeLengthMm >= 2 && MinProbeLengthMm <= 200)) Bad(nameof(MinProbeLengthMm), MinProbeLengthMm, "2–200 mm");
        if (MaxProbes is < 1 or > 32) Bad(nameof(MaxProbes), MaxProbes, "1–32");
        if (!(SearchRadiusMm >= 5 && SearchRadiusMm <= 150)) Bad(nameof(SearchRadiusMm), SearchRadiusMm, "5–150 mm");
        if (!(FreezingSegmentMm >= 0 && FreezingSegmentMm <= 200)) Bad(nameof(FreezingSegmentMm), FreezingSegmentMm, "0–200 mm");
        if (!(ShapeToleranceMm >= 0 && ShapeToleranceMm <= 100)) Bad(nameof(ShapeToleranceMm), ShapeToleranceMm, "0–100 mm");
        if (!(PriorScaleMm > 0 && PriorScaleMm <= 50)) Bad(nameof(PriorScaleMm), PriorScaleMm, "in (0, 50] mm");
        if (!(DistanceReachMm >= 1 && DistanceReachMm <= 500)) Bad(nameof(DistanceReachMm), DistanceReachMm, "1–500 mm");
        Goals.Validate();
    }

    private static void Bad(string name, double value, string range) =>
        throw new SegmentationException($"Ice-ball setting {name} = {value} is out of range; it must be {range}.");
}
