using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// Every setting of needle-trajectory and cryoablation planning. Each default is the value documented in
/// docs/CLINICAL.md, with its source named on the property (seed papers cited by number 000–004).
/// Change them with <c>with</c>: <c>PlanningConstraints.Default with { FusionUncertaintyMm = 1.2 }</c>.
/// </summary>
public sealed record PlanningConstraints
{
    /// <summary>The documented defaults.</summary>
    public static PlanningConstraints Default { get; } = new();

    /// <summary>
    /// What the ablation must reach and keep away from: clearances (plus fusion uncertainty), tumour margin, lethal
    /// isotherm and coverage goal — shared with ice-ball analysis so that both judge by the same numbers.
    /// </summary>
    public AblationGoals Goals { get; init; } = AblationGoals.Default;

    /// <summary>
    /// Maximum insertion depth (mm): the usable needle length from skin entry to target. Default 150 mm, the example
    /// of the product brief; docs/CLINICAL.md: needle lengths are a setting (001).
    /// </summary>
    public double NeedleLengthMm { get; init; } = 150.0;

    /// <summary>
    /// Outer diameter (mm) of what is inserted along the path. Default 2.413 mm, a 13G coaxial needle
    /// (<see cref="NeedleGauge"/>), the example of 001 ("cryoprobe through a 13G coaxial needle").
    /// </summary>
    public double NeedleDiameterMm { get; init; } = NeedleGauge.OuterDiameterMm(13);

    /// <summary>
    /// Largest angle (degrees) between a path and the axial plane, i.e. the CT gantry tilt available for
    /// out-of-plane paths. Default 30° (gantry angulation for steep paths, 001).
    /// </summary>
    public double MaxAngleFromAxialDeg { get; init; } = 30.0;

    /// <summary>
    /// Largest angle (degrees) between the direction from the target back to the skin entry and the patient's posterior
    /// direction (+Y in LPS): which side the needle may come from. Default 90°, the posterior half-space — the entry lies
    /// behind the target's coronal plane — because thoracic and lumbar vertebral ablation is done with the patient prone
    /// and entered from the back: transpedicular, costotransverse and bipedicular routes (001), posterolateral
    /// (extrapedicular) routes (Gangi et al., RadioGraphics 2003); see docs/CLINICAL.md. Smaller values keep the route
    /// closer to straight posterior; 180° allows any side (e.g. the anterolateral approach to a cervical vertebra,
    /// done supine).
    /// </summary>
    public double MaxAngleFromPosteriorDeg { get; init; } = 90.0;

    /// <summary>
    /// Whether paths may cross bone. Default <see cref="BoneTraversalPolicy.TranspedicularOnly"/>: the transpedicular
    /// approach is the standard bone route (001); free crossing of other bone is not.
    /// </summary>
    public BoneTraversalPolicy BoneTraversal { get; init; } = BoneTraversalPolicy.TranspedicularOnly;

    /// <summary>Surface sampling (mm) of candidate skin entries. Default ≈ 1 mm.</summary>
    public double EntrySpacingMm { get; init; } = 1.0;

    /// <summary>
    /// Finest sampling step (mm) along a path, used where it runs closest to a structure (elsewhere the 1-Lipschitz bound
    /// between samples allows longer pieces). Clearances are lower bounds, never larger than the truth and within half a
    /// step of it — in a skin-entry search only up to <see cref="ComfortClearanceMm"/> above the requirement, beyond which
    /// they are within <see cref="TrajectoryPlanner.FarClearanceTolerance"/> of the excess. Default 0.2 mm (a 0.1 mm bound),
    /// a numerical choice well below CT voxel size.
    /// </summary>
    public double ClearanceSampleStepMm { get; init; } = 0.2;

    /// <summary>
    /// Clearance (mm) above the requirement beyond which a path is not considered closer to danger in the risk score.
    /// Default 10 mm: lesions &lt; 10 mm from important neural structures are usually excluded (001).
    /// </summary>
    public double ComfortClearanceMm { get; init; } = 10.0;

    /// <summary>
    /// Most probes the multi-probe planner may place. Default 8: many probes allow lesions &gt; 5 cm and ice balls
    /// &gt; 8 cm (004); plans above <see cref="ProbeCountWarningAbove"/> carry a warning.
    /// </summary>
    public int MaxProbeCount { get; init; } = 8;

    /// <summary>Probe count above which a plan is warned about. Default 3: &gt; 3 probes is a risk factor for major complications (001, 004).</summary>
    public int ProbeCountWarningAbove { get; init; } = 3;

    /// <summary>
    /// Spacing (mm) between neighbouring probes. Default 20 mm: probes ≈ 2 cm apart (004). Layouts closer than a quarter
    /// of it are not tried; plans closer than three quarters of it carry a warning.
    /// </summary>
    public double ProbeSpacingMm { get; init; } = 20.0;

    /// <summary>
    /// Distance (mm) of the outer probes inside the tumour edge. Default 10 mm: ≈ 1 cm from the outer tumour margin (004).
    /// The ring layout that follows this rule is always tried; plans whose outer probes come closer than half of it to
    /// the edge carry a warning.
    /// </summary>
    public double ProbeInsetMm { get; init; } = 10.0;

    /// <summary>
    /// Probe arrangement the multi-probe planner tries. Default <see cref="Planning.ProbeLayout.Parallel"/>, the usual
    /// layout (004); <see cref="Planning.ProbeLayout.Converging"/> is needed where only a narrow window leads to the tumour,
    /// and <see cref="Planning.ProbeLayout.Auto"/> searches both (about twice the time) and keeps the better. Spacing
    /// (<see cref="ProbeSpacingMm"/>) is measured between tips for converging probes.
    /// </summary>
    public ProbeLayout ProbeLayout { get; init; } = ProbeLayout.Parallel;

    /// <summary>Probe model name in the probe catalogue. Default the approximate 2.4 mm probe (Littrup 2009 / CryoMC figures).</summary>
    public string ProbeModel { get; init; } = ProbeCatalogue.DefaultModelName;

    /// <summary>
    /// Distance (mm) from a heat applicator's zone within which a large vessel gives a heat-sink warning. Default 10 mm:
    /// no source gives a distance; vessels of ≥ 3 mm in contact with the zone cool it (Thanos 2008; Lehmann 2016, 3.4 mm
    /// vessels), and 10 mm is a cautious reach beyond contact (docs/CLINICAL.md).
    /// </summary>
    public double HeatSinkDistanceMm { get; init; } = 10.0;

    /// <summary>
    /// Name fragments (case-insensitive) of structures treated as large vessels for heat-sink warnings; a structure must be
    /// labelled Critical to be measured. Default aorta, ivc, cava, vena, vein, artery, vessel (the phantom's aorta and IVC).
    /// </summary>
    public IReadOnlyList<string> HeatSinkStructureNames { get; init; } = ["aorta", "ivc", "cava", "vena", "vein", "artery", "vessel"];

    /// <summary>True when <paramref name="structure"/> contains one of <see cref="HeatSinkStructureNames"/>.</summary>
    public bool IsHeatSink(string structure)
    {
        foreach (var n in HeatSinkStructureNames)
            if (structure.Contains(n, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>
    /// Highest temperature (°C) a critical structure may reach next to a heat zone. Default 45 °C: irreversible damage of
    /// neural tissue above 45 °C (003); keep juxtaneural tissue between 10 and 45 °C (Sag &amp; Husain 2022).
    /// </summary>
    public double HeatLimitC { get; init; } = 45.0;

    /// <summary>
    /// Lowest temperature (°C) a critical structure may reach next to an ice ball. Default −3 °C: in the canine epidural
    /// model no lasting deficit at −3 °C or warmer, lasting deficits at −8 °C or colder (AJNR 2024). The stricter
    /// 10 °C of Sag &amp; Husain 2022 is a setting away.
    /// </summary>
    public double ColdLimitC { get; init; } = -3.0;

    /// <summary>
    /// Distance (mm) from the zone edge within which a critical structure is assessed for thermal protection. Default
    /// 20 mm: twice the 10 mm under which lesions near neural structures are usually excluded (001).
    /// </summary>
    public double ThermalProtectionReachMm { get; init; } = 20.0;

    /// <summary>
    /// Largest hydro- or CO2-dissection (mm) <see cref="CryoPlanner.PlanWithDissection"/> tries, in 1 mm steps. Default
    /// 10 mm: no source gives a figure; it equals the 10 mm under which lesions near neural structures are usually
    /// excluded (001), beyond which displacement alone is not a plan.
    /// </summary>
    public int MaxDissectionMm { get; init; } = 10;

    /// <summary>Weight of insertion depth (as a fraction of <see cref="NeedleLengthMm"/>) in the risk score. Default 1 (equal weights: the literature gives none).</summary>
    public double RiskWeightDepth { get; init; } = 1.0;

    /// <summary>Weight of the cranio-caudal angle (as a fraction of <see cref="MaxAngleFromAxialDeg"/>) in the risk score. Default 1.</summary>
    public double RiskWeightAngle { get; init; } = 1.0;

    /// <summary>Weight of closeness to each critical structure (0 at ≥ <see cref="ComfortClearanceMm"/> above its requirement, 1 at the requirement) in the risk score. Default 1.</summary>
    public double RiskWeightClearance { get; init; } = 1.0;

    /// <summary>Weight of the bone path length (as a fraction of <see cref="NeedleLengthMm"/>) in the risk score. Default 1.</summary>
    public double RiskWeightBone { get; init; } = 1.0;

    /// <summary>Checks every setting; throws <see cref="ImageGuideException"/> naming the first bad one.</summary>
    public void Validate()
    {
        static void Check(bool ok, string what)
        {
            if (!ok) throw new ImageGuideException($"Planning setting {what}; correct it and plan again.");
        }
        Check(Goals is not null, "Goals must not be null");
        Goals!.Validate();
        Check(NeedleLengthMm > 0 && double.IsFinite(NeedleLengthMm), $"NeedleLengthMm = {NeedleLengthMm} must be > 0");
        Check(NeedleDiameterMm > 0 && NeedleDiameterMm < 20, $"NeedleDiameterMm = {NeedleDiameterMm} must be in (0, 20)");
        Check(MaxAngleFromAxialDeg >= 0 && MaxAngleFromAxialDeg <= 90, $"MaxAngleFromAxialDeg = {MaxAngleFromAxialDeg} must be in [0, 90]");
        Check(MaxAngleFromPosteriorDeg >= 0 && MaxAngleFromPosteriorDeg <= 180, $"MaxAngleFromPosteriorDeg = {MaxAngleFromPosteriorDeg} must be in [0, 180]");
        Check(EntrySpacingMm > 0 && EntrySpacingMm <= 20, $"EntrySpacingMm = {EntrySpacingMm} must be in (0, 20]");
        Check(ClearanceSampleStepMm > 0 && ClearanceSampleStepMm <= 5, $"ClearanceSampleStepMm = {ClearanceSampleStepMm} must be in (0, 5]");
        Check(ComfortClearanceMm > 0, $"ComfortClearanceMm = {ComfortClearanceMm} must be > 0");
        Check(MaxProbeCount >= 1 && MaxProbeCount <= 25, $"MaxProbeCount = {MaxProbeCount} must be in [1, 25]");
        Check(ProbeCountWarningAbove >= 1, $"ProbeCountWarningAbove = {ProbeCountWarningAbove} must be ≥ 1");
        Check(ProbeSpacingMm > 0, $"ProbeSpacingMm = {ProbeSpacingMm} must be > 0");
        Check(ProbeInsetMm >= 0, $"ProbeInsetMm = {ProbeInsetMm} must be ≥ 0");
        Check(HeatSinkDistanceMm >= 0 && double.IsFinite(HeatSinkDistanceMm), $"HeatSinkDistanceMm = {HeatSinkDistanceMm} must be ≥ 0");
        Check(HeatSinkStructureNames is not null, "HeatSinkStructureNames must not be null");
        Check(HeatLimitC > Planning.ProbeModel.BodyTemperatureC && HeatLimitC < 100, $"HeatLimitC = {HeatLimitC} must be in (37, 100) °C");
        Check(ColdLimitC < Planning.ProbeModel.BodyTemperatureC && ColdLimitC > -100, $"ColdLimitC = {ColdLimitC} must be in (−100, 37) °C");
        Check(ThermalProtectionReachMm >= 0 && ThermalProtectionReachMm <= 100, $"ThermalProtectionReachMm = {ThermalProtectionReachMm} must be in [0, 100]");
        Check(MaxDissectionMm >= 0 && MaxDissectionMm <= 50, $"MaxDissectionMm = {MaxDissectionMm} must be in [0, 50]");
        Check(Enum.IsDefined(ProbeLayout), $"ProbeLayout = {ProbeLayout} must be Parallel, Converging or Auto");
        Check(RiskWeightDepth >= 0 && RiskWeightAngle >= 0 && RiskWeightClearance >= 0 && RiskWeightBone >= 0, "risk weights must be ≥ 0");
    }
}
