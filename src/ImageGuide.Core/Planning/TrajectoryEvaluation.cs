using ImageGuide.Imaging;
namespace ImageGuide.Planning;

/// <summary>
/// One straight needle path from a skin entry to the target, assessed against the constraints. Points are LPS mm.
/// </summary>
/// <param name="Entry">Skin entry point.</param>
/// <param name="Target">Target point (needle tip).</param>
/// <param name="LengthMm">Insertion depth, entry to target.</param>
/// <param name="InPlaneAngleDeg">
/// Angle in the axial plane between the path's projection and the anterior–posterior axis, signed positive towards
/// patient left: 0° is a vertical path, ±90° a horizontal lateral one.
/// </param>
/// <param name="CraniocaudalAngleDeg">
/// Angle between the path and the axial plane (the gantry tilt it needs), positive when the needle advances towards
/// the head.
/// </param>
/// <param name="ClearancesMm">
/// By critical structure name: a lower bound of the distance from the needle surface to the structure along the whole
/// path (never larger than the truth; negative when the needle touches it). Within half a sampling step of the truth up
/// to <see cref="PlanningConstraints.ComfortClearanceMm"/> above the requirement; in a skin-entry search larger ones are
/// lower bounds within <see cref="TrajectoryPlanner.FarClearanceTolerance"/> of their excess. Empty when a search
/// rejected the path on depth, angle, a crossing or bone before clearances were measured.
/// </param>
/// <param name="RequiredClearancesMm">By critical structure name: the clearance required, fusion uncertainty included.</param>
/// <param name="BoneLengthMm">Path length inside bone.</param>
/// <param name="BoneEntries">Number of separate entries into bone along the path.</param>
/// <param name="Feasible">True when no constraint is violated.</param>
/// <param name="Reasons">Why the path is rejected, in words; empty when feasible.</param>
/// <param name="RiskScore">
/// Documented risk (lower is better): w_depth·L/L_max + w_angle·|cranio-caudal|/angle_max + w_bone·bone/L_max +
/// w_clear·Σ_structures max(0, 1 − (clearance − required)/comfort), weights and scales from <see cref="PlanningConstraints"/>.
/// +∞ for paths a search rejected before clearances were measured.
/// </param>
public sealed record TrajectoryEvaluation(
    Vec3 Entry,
    Vec3 Target,
    double LengthMm,
    double InPlaneAngleDeg,
    double CraniocaudalAngleDeg,
    IReadOnlyDictionary<string, double> ClearancesMm,
    IReadOnlyDictionary<string, double> RequiredClearancesMm,
    double BoneLengthMm,
    int BoneEntries,
    bool Feasible,
    IReadOnlyList<string> Reasons,
    double RiskScore)
{
    /// <summary>True when no other feasible path of the plan is at least as good on depth, angle, bone length and worst clearance margin, and better on one.</summary>
    public bool ParetoOptimal { get; init; }

    /// <summary>Smallest clearance minus its requirement over all critical structures (mm); +∞ when there are none or none were evaluated.</summary>
    public double WorstClearanceMarginMm
    {
        get
        {
            double m = double.PositiveInfinity;
            foreach (var (name, c) in ClearancesMm)
                if (RequiredClearancesMm.TryGetValue(name, out double r)) m = Math.Min(m, c - r);
            return m;
        }
    }
}
