namespace ImageGuide.Model;

/// <summary>
/// What an ablation must achieve and what it must keep away from: the clearances to critical structures and skin (the
/// fusion uncertainty added to each), the tumour margin, the lethal isotherm and the coverage goal. The planner plans
/// to them (<c>PlanningConstraints.Goals</c>) and ice-ball analysis judges the intra-procedural ice by the same numbers.
/// Each default is the value documented in docs/CLINICAL.md, with its source named on the property (seed papers cited
/// by number 000–004). Change them with <c>with</c>: <c>AblationGoals.Default with { FusionUncertaintyMm = 1.2 }</c>.
/// </summary>
public sealed record AblationGoals
{
    /// <summary>The documented defaults.</summary>
    public static AblationGoals Default { get; } = new();

    /// <summary>
    /// Minimum clearance (mm) from the needle surface, and from the 0 °C ice edge, to a critical structure whose label
    /// table gives no <c>clearanceMm</c>. Default 3 mm: eligibility "&gt; 3 mm to neurovascular structures" (Lippa, in 004).
    /// </summary>
    public double CriticalClearanceMm { get; init; } = 3.0;

    /// <summary>
    /// Minimum distance (mm) from the 0 °C ice edge to the skin (the body surface). Default 5 mm: "&gt; 5 mm to skin"
    /// (Lippa, in 004).
    /// </summary>
    public double SkinClearanceMm { get; init; } = 5.0;

    /// <summary>
    /// Clearances (mm) by structure name that override both the label table and <see cref="CriticalClearanceMm"/>.
    /// Default: none. Names compare case-insensitively.
    /// </summary>
    public IReadOnlyDictionary<string, double> ClearanceOverridesMm { get; init; } =
        new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Registration / fusion uncertainty (mm), e.g. a registration's p95 TRE, added to every clearance requirement
    /// (needle and ice) and reported in the plan. Default 0 (structures drawn on the planning image itself).
    /// </summary>
    public double FusionUncertaintyMm { get; init; }

    /// <summary>Where <see cref="FusionUncertaintyMm"/> came from, in words (written into the plan), or null when it was simply given.</summary>
    public string? FusionUncertaintySource { get; init; }

    /// <summary>Tumour margin (mm) the lethal ice must cover beyond the tumour. Default 5 mm: "≥ 5–8 mm" (001).</summary>
    public double TumourMarginMm { get; init; } = 5.0;

    /// <summary>
    /// Lethal isotherm (°C). Default −20 °C (001, 004); −40 °C is the stricter alternative (003). Read from the probe
    /// model's temperature field, so any value between its isotherms works.
    /// </summary>
    public double LethalIsothermC { get; init; } = -20.0;

    /// <summary>
    /// Lethal coverage of tumour + margin the multi-probe planner aims for before it stops adding probes. Default 0.98:
    /// complete ablation with margin is the aim (001); 2 % allows for voxelisation at the margin surface.
    /// </summary>
    public double CoverageGoal { get; init; } = 0.98;

    /// <summary>
    /// Clearance (mm) required from <paramref name="structure"/>, fusion uncertainty included: the override by name, else
    /// the label table's value, else <see cref="CriticalClearanceMm"/>; plus <see cref="FusionUncertaintyMm"/>.
    /// </summary>
    public double RequiredClearanceMm(LabelDefinition structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        double c = ClearanceOverridesMm.TryGetValue(structure.Name, out double o) ? o : structure.ClearanceMm ?? CriticalClearanceMm;
        return c + FusionUncertaintyMm;
    }

    /// <summary>Clearance (mm) required between the 0 °C ice edge and the skin, fusion uncertainty included.</summary>
    public double RequiredSkinClearanceMm => SkinClearanceMm + FusionUncertaintyMm;

    /// <summary>Checks every goal; throws <see cref="ImageGuideException"/> naming the first bad one.</summary>
    public void Validate()
    {
        static void Check(bool ok, string what)
        {
            if (!ok) throw new ImageGuideException($"Ablation goal {what}; correct it and try again.");
        }
        Check(CriticalClearanceMm >= 0 && double.IsFinite(CriticalClearanceMm), $"CriticalClearanceMm = {CriticalClearanceMm} must be ≥ 0");
        Check(SkinClearanceMm >= 0 && double.IsFinite(SkinClearanceMm), $"SkinClearanceMm = {SkinClearanceMm} must be ≥ 0");
        Check(FusionUncertaintyMm >= 0 && double.IsFinite(FusionUncertaintyMm), $"FusionUncertaintyMm = {FusionUncertaintyMm} must be ≥ 0");
        Check(TumourMarginMm >= 0 && TumourMarginMm <= 50, $"TumourMarginMm = {TumourMarginMm} must be in [0, 50]");
        Check(double.IsFinite(LethalIsothermC) && LethalIsothermC < 0, $"LethalIsothermC = {LethalIsothermC} must be below 0 °C");
        Check(CoverageGoal > 0 && CoverageGoal <= 1, $"CoverageGoal = {CoverageGoal} must be in (0, 1]");
        Check(ClearanceOverridesMm is not null, "ClearanceOverridesMm must not be null");
        foreach (var (name, mm) in ClearanceOverridesMm!)
            Check(mm >= 0 && double.IsFinite(mm), $"ClearanceOverridesMm[{name}] = {mm} must be ≥ 0");
    }
}
