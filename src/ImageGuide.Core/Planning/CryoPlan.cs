using ImageGuide.Imaging;

namespace ImageGuide.Planning;

/// <summary>A cryoprobe placed by the planner, with the assessment of its path. Points are LPS mm.</summary>
/// <param name="Tip">Probe tip.</param>
/// <param name="Axis">Unit vector along the shaft from the entry towards the tip.</param>
/// <param name="Entry">Skin entry of the probe's path.</param>
/// <param name="Path">The path's assessment (clearances, angles, depth).</param>
public sealed record PlannedProbe(Vec3 Tip, Vec3 Axis, Vec3 Entry, TrajectoryEvaluation Path);

/// <summary>A displacement (hydro- or CO2-dissection) of a critical structure away from the tumour that a plan needs.</summary>
/// <param name="Structure">The structure's name.</param>
/// <param name="SeparationMm">How far (mm) it must be moved away: enough for the edge clearance and the thermal limit.</param>
public sealed record Dissection(string Structure, double SeparationMm)
{
    /// <summary>"4.0 mm at csf (thermocouple at (x, y, z))", the thermocouple from <paramref name="protection"/> when one is suggested.</summary>
    public string Describe(IReadOnlyList<ThermalProtectionItem> protection)
    {
        ArgumentNullException.ThrowIfNull(protection);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string tc = "";
        foreach (var t in protection)
            if (t.Structure == Structure && t.Thermocouple is { } p)
                tc = string.Format(inv, " (thermocouple at {0:F1}, {1:F1}, {2:F1})", p.X, p.Y, p.Z);
        return string.Format(inv, "{0:F1} mm at {1}{2}", SeparationMm, Structure, tc);
    }
}

/// <summary>A large vessel near a heat applicator's zone.</summary>
/// <param name="Structure">The vessel's structure name.</param>
/// <param name="DistanceMm">Smallest distance (mm) from the modelled zone edge to it (0 when the zone reaches it).</param>
public sealed record HeatSink(string Structure, double DistanceMm);

/// <summary>
/// A multi-applicator ablation plan (cryo, RF or MW, <see cref="Modality"/>): where the probes go and what the combined ice model predicts. When no acceptable
/// layout exists, <see cref="Feasible"/> is false and <see cref="InfeasibleReason"/> says why.
/// </summary>
public sealed class CryoPlan
{
    internal CryoPlan(bool feasible, string? infeasibleReason, IReadOnlyList<PlannedProbe> probes, double coverage, double minMarginMm,
        IReadOnlyDictionary<string, double> iceToCriticalMm, double iceToSkinMm, IReadOnlyList<string> warnings,
        ProbeModel model, PlanningConstraints constraints)
    {
        Layout = ProbeLayout.Parallel;
        foreach (var p in probes)
            if (Vec3.Dot(p.Axis, probes[0].Axis) < 0.9999) Layout = ProbeLayout.Converging;
        Feasible = feasible;
        InfeasibleReason = infeasibleReason;
        Probes = probes;
        LethalCoverage = coverage;
        MinMarginMm = minMarginMm;
        IceToCriticalMm = iceToCriticalMm;
        IceToSkinMm = iceToSkinMm;
        Warnings = warnings;
        Model = model;
        Constraints = constraints;
    }

    /// <summary>True when the probes reach every constraint (clearances of the 0 °C edge, paths, coverage goal).</summary>
    public bool Feasible { get; }

    /// <summary>Why no acceptable plan exists ("infeasible because …"), or null.</summary>
    public string? InfeasibleReason { get; }

    /// <summary><see cref="ProbeLayout.Parallel"/> when every probe shares one axis direction, else <see cref="ProbeLayout.Converging"/>.</summary>
    public ProbeLayout Layout { get; }

    /// <summary>The probes; empty when no layout keeps the clearances.</summary>
    public IReadOnlyList<PlannedProbe> Probes { get; }

    /// <summary>Fraction (0–1) of tumour + margin voxels colder than the lethal isotherm.</summary>
    public double LethalCoverage { get; }

    /// <summary>
    /// Smallest distance (mm) from the tumour to tissue the lethal isotherm does not reach (voxel-centre resolution);
    /// 0 when part of the tumour itself is not covered.
    /// </summary>
    public double MinMarginMm { get; }

    /// <summary>By critical structure name: smallest distance (mm) from the predicted 0 °C edge to the structure (+∞ when far).</summary>
    public IReadOnlyDictionary<string, double> IceToCriticalMm { get; }

    /// <summary>Smallest distance (mm) from the predicted 0 °C edge to the skin.</summary>
    public double IceToSkinMm { get; }

    /// <summary>Warnings (probe count, spacing, approximate model, coverage short of the goal).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The probe model used.</summary>
    public ProbeModel Model { get; }

    /// <summary>The plan's modality (the applicator model's).</summary>
    public AblationModality Modality => Model.Modality;

    /// <summary>
    /// Thermal protection of each critical structure near the zone (<see cref="ThermalProtectionPlanner"/>): expected
    /// temperature, limit, thermocouple, separation. Empty when the plan has no applicators.
    /// </summary>
    public IReadOnlyList<ThermalProtectionItem> ThermalProtection { get; init; } = [];

    /// <summary>
    /// Displacements the plan relies on (<see cref="CryoPlanner.PlanWithDissection"/>): empty for a plan feasible as the
    /// anatomy lies.
    /// </summary>
    public IReadOnlyList<Dissection> Dissection { get; init; } = [];

    /// <summary>False when the plan is feasible only with <see cref="Dissection"/>; then <see cref="ReasonWithoutDissection"/> says why.</summary>
    public bool FeasibleWithoutDissection => Dissection.Count == 0 && Feasible;

    /// <summary>Why the plan is infeasible without its dissection, or null.</summary>
    public string? ReasonWithoutDissection { get; init; }

    /// <summary>This plan with other warnings and a dissection.</summary>
    internal CryoPlan With(IReadOnlyList<string> warnings, IReadOnlyList<Dissection> dissection, string? reasonWithout,
        IReadOnlyList<ThermalProtectionItem>? protection = null) =>
        new(Feasible, InfeasibleReason, Probes, LethalCoverage, MinMarginMm, IceToCriticalMm, IceToSkinMm, warnings, Model, Constraints)
        {
            HeatSinks = HeatSinks,
            ThermalProtection = protection ?? ThermalProtection,
            Dissection = dissection,
            ReasonWithoutDissection = reasonWithout,
        };

    /// <summary>Large vessels within <see cref="PlanningConstraints.HeatSinkDistanceMm"/> of a heat applicator's zone; empty for cryo.</summary>
    public IReadOnlyList<HeatSink> HeatSinks { get; init; } = [];

    /// <summary>The constraints the plan was made under (fusion uncertainty included in every clearance).</summary>
    public PlanningConstraints Constraints { get; }
}
