using System.Globalization;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>One cement cannula path of a cementoplasty access.</summary>
/// <param name="Side">"left" or "right": the pedicle (patient side) the path goes through.</param>
/// <param name="Target">The cannula tip (LPS mm): in bone, in the anterior third of the vertebral body.</param>
/// <param name="Path">The path's assessment (same clearances, reasons and risk score as every trajectory), or null when none is feasible.</param>
/// <param name="BoneEntry">Where the path first enters bone (LPS mm), or null.</param>
/// <param name="Why">When no path is feasible: the commonest rejection reasons of the paths from that side, in words.</param>
public sealed record CementTrajectory(string Side, Vec3 Target, TrajectoryEvaluation? Path, Vec3? BoneEntry, string? Why = null);

/// <summary>A uni- or bipedicular transpedicular access for vertebral augmentation after ablation.</summary>
/// <param name="Approach">"unipedicular" (one cannula to the midline) or "bipedicular" (one through each pedicle).</param>
/// <param name="Trajectories">The cannula paths.</param>
/// <param name="Feasible">True when every cannula has a feasible transpedicular path.</param>
/// <param name="Reason">Why not, in words; null when feasible.</param>
public sealed record CementAccessPlan(string Approach, IReadOnlyList<CementTrajectory> Trajectories, bool Feasible, string? Reason);

/// <summary>
/// Cementoplasty access (001): cannulas from the posterior skin through a pedicle to the anterior third of the vertebral
/// body — unipedicular to the midline, or bipedicular to each half — assessed by the <see cref="TrajectoryPlanner"/>
/// with the same clearances, bone policy (one bone entry ending at the tip) and ranking. The vertebral body is found
/// from the labels: bone voxels in the axial slab of ± <see cref="SlabHalfHeightMm"/> around the level's centre, within
/// <see cref="HalfWidthMm"/> of the canal's midline and anterior to the canal (the Critical structure named csf,
/// thecal sac, canal or cord nearest the level); anterior is −y (LPS). The body's anterior third spans the front third of
/// its antero-posterior extent there; a target is the bone voxel nearest the ideal point (midline, or a quarter of the
/// body's width to each side, at the middle of the anterior third). A path counts as transpedicular when it first
/// enters bone behind the body's posterior wall, lateral to the canal by at most <see cref="PedicleReachMm"/>, on its side,
/// and meets no tumour (Target) behind that wall; its bone run must be intact bone (a lesion met on the way ends the run,
/// unlike for an ablation applicator, whose run continues through a lesion inside bone).
/// </summary>
public sealed class CementAccessPlanner
{
    /// <summary>Half the height (mm) of the slab the body is measured in.</summary>
    public const double SlabHalfHeightMm = 4;

    /// <summary>Largest lateral distance (mm) from the canal midline counted as vertebral body.</summary>
    public const double HalfWidthMm = 30;

    /// <summary>
    /// How far (mm) lateral to the canal a transpedicular path may first enter bone: about a lumbar pedicle's width
    /// (pedicles are 5–18 mm wide; a geometric choice), which excludes entries through the transverse process.
    /// </summary>
    public const double PedicleReachMm = 15;

    private static readonly string[] CanalNames = ["csf", "thecal", "canal", "cord"];
    private readonly TrajectoryPlanner _paths;

    /// <summary>Creates the planner over a trajectory planner (its anatomy, constraints and bone policy).</summary>
    public CementAccessPlanner(TrajectoryPlanner paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = new TrajectoryPlanner(paths.Anatomy, paths.Constraints, null, lesionContinuesBone: false);
    }

    /// <summary>The uni- and bipedicular accesses to the vertebral body at <paramref name="level"/> (LPS mm; e.g. the tumour centroid).</summary>
    /// <exception cref="ImageGuideException">No canal structure or no vertebral body bone at that level.</exception>
    public IReadOnlyList<CementAccessPlan> Plan(Vec3 level, CancellationToken cancellationToken = default)
    {
        var a = _paths.Anatomy;
        var g = a.Geometry;
        var data = a.Labels.Data;
        var canalValues = new bool[256];
        bool anyCanal = false;
        foreach (var s in a.Structures)
            if (s.Role == LabelRole.Critical && Array.Exists(CanalNames, n => s.Name.Contains(n, StringComparison.OrdinalIgnoreCase)))
                anyCanal = canalValues[s.Value] = true;
        if (!anyCanal)
            throw new ImageGuideException("Cement access needs the spinal canal: label the CSF, thecal sac or cord as a Critical structure (its name containing csf, thecal, canal or cord).");
        var isBone = new bool[256];
        foreach (var s in a.Structures) if (s.Role == LabelRole.Bone) isBone[s.Value] = true;

        // Canal and bone voxels in the slab.
        double cx = 0, cy = 0, canalFront = double.PositiveInfinity;
        int canalCount = 0;
        var slab = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    byte v = data[g.LinearIndex(i, j, k)];
                    if (!canalValues[v] && !isBone[v]) continue;
                    var p = g.IndexToPhysical(i, j, k);
                    if (Math.Abs(p.Z - level.Z) > SlabHalfHeightMm) continue;
                    if (canalValues[v]) { cx += p.X; cy += p.Y; canalCount++; }
                    else slab.Add(p);
                }
        }
        if (canalCount == 0) throw new ImageGuideException(FormattableString.Invariant($"Cement access: no canal voxel within {SlabHalfHeightMm} mm of z = {level.Z:F1} mm; give a point at the vertebra to augment."));
        cx /= canalCount; cy /= canalCount;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    if (!canalValues[data[g.LinearIndex(i, j, k)]]) continue;
                    var p = g.IndexToPhysical(i, j, k);
                    if (Math.Abs(p.Z - level.Z) <= SlabHalfHeightMm && Math.Abs(p.X - cx) <= 8) canalFront = Math.Min(canalFront, p.Y);
                }
        var body = slab.FindAll(p => Math.Abs(p.X - cx) <= HalfWidthMm && p.Y < canalFront);
        if (body.Count == 0) throw new ImageGuideException(FormattableString.Invariant($"Cement access: no vertebral-body bone anterior to the canal near z = {level.Z:F1} mm."));
        double front = body.Min(p => p.Y), back = body.Max(p => p.Y);
        double thirdY = front + (back - front) / 6; // middle of the anterior third
        var third = body.FindAll(p => p.Y <= front + (back - front) / 3);
        double left = third.Max(p => p.X), right = third.Min(p => p.X), width = left - right;
        double canalHalf = CanalHalfWidth(a, canalValues, cx, level.Z);

        Vec3 Nearest(Vec3 ideal) => third.MinBy(p => Vec3.Distance(p, ideal));
        var entries = a.EntryCandidates(_paths.Constraints.EntrySpacingMm).Where(e => e.Y > cy).ToList();

        CementTrajectory Access(string side, Vec3 target)
        {
            var plan = _paths.Plan(target, entries, null, cancellationToken);
            foreach (var t in plan.Ranked)
            {
                var bone = FirstBone(a, isBone, t.Entry, t.Target, back);
                if (bone is not { } b) continue;
                int sign = side == "left" ? 1 : -1; // LPS: +x is patient left
                double lateral = sign * (b.X - cx);
                if (b.Y > back && lateral > canalHalf && lateral <= canalHalf + PedicleReachMm) return new CementTrajectory(side, target, t, b);
            }
            var counts = new Dictionary<string, int>();
            int sideSign = side == "left" ? 1 : -1;
            foreach (var r in plan.Rejected)
                if (sideSign * (r.Entry.X - cx) > 0)
                    foreach (var reason in r.Reasons)
                    {
                        string key = reason.StartsWith("crosses bone", StringComparison.Ordinal) ? "crosses bone more than once or not ending at the tip"
                            : reason.Split(' ')[0] == "clearance" ? "too close to" + reason[(reason.IndexOf(" to ", StringComparison.Ordinal) + 3)..].Split(" (")[0]
                            : reason.Split(' ')[0] is "depth" or "cranio-caudal" ? reason.Split(' ')[0] : reason;
                        counts[key] = counts.GetValueOrDefault(key) + 1;
                    }
            if (plan.Ranked.Count > 0) counts["feasible paths miss the pedicle"] = plan.Ranked.Count;
            string why = string.Join("; ", counts.OrderByDescending(kv => kv.Value).Take(3).Select(kv => $"{kv.Key} ({kv.Value} entries)"));
            return new CementTrajectory(side, target, null, null, why);
        }

        var mid = Nearest(new Vec3(cx, thirdY, level.Z));
        CementTrajectory? uni = null;
        foreach (var side in new[] { "left", "right" })
        {
            var t = Access(side, mid);
            if (t.Path is not null && (uni?.Path is null || t.Path.RiskScore < uni.Path.RiskScore)) uni = t;
            uni ??= t;
        }
        var bi = new[] { Access("left", Nearest(new Vec3(cx + width / 4, thirdY, level.Z))), Access("right", Nearest(new Vec3(cx - width / 4, thirdY, level.Z))) };
        return [Result("unipedicular", [uni!]), Result("bipedicular", bi)];
    }

    private CementAccessPlan Result(string approach, IReadOnlyList<CementTrajectory> list)
    {
        var missing = list.Where(t => t.Path is null).ToList();
        return new CementAccessPlan(approach, list, missing.Count == 0,
            missing.Count == 0 ? null : string.Join("; ", missing.Select(t => string.Format(CultureInfo.InvariantCulture,
                "no feasible transpedicular path through the {0} pedicle to the anterior third of the vertebral body: {1}", t.Side, t.Why))));
    }

    private static double CanalHalfWidth(PlanningAnatomy a, bool[] canal, double cx, double z)
    {
        var g = a.Geometry;
        double half = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    if (!canal[a.Labels.Data[g.LinearIndex(i, j, k)]]) continue;
                    var p = g.IndexToPhysical(i, j, k);
                    if (Math.Abs(p.Z - z) <= SlabHalfHeightMm) half = Math.Max(half, Math.Abs(p.X - cx));
                }
        return half;
    }

    /// <summary>
    /// First point (nearest-voxel walk at half the smallest spacing) of the segment that lies in bone; null when there is
    /// none or when the segment meets the tumour (a Target voxel) behind the body's posterior wall (y &gt; <paramref name="backY"/>):
    /// the cannula's tract and pedicle must be free of tumour; inside the body it may cross the lesion it fills.
    /// </summary>
    private static Vec3? FirstBone(PlanningAnatomy a, bool[] isBone, Vec3 entry, Vec3 target, double backY)
    {
        var g = a.Geometry;
        double step = 0.5 * Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z)), len = Vec3.Distance(entry, target);
        var u = (target - entry) / len;
        Vec3? first = null;
        for (double t = 0; t <= len; t += step)
        {
            var p = entry + u * t;
            var idx = g.PhysicalToIndex(p);
            int i = (int)Math.Round(idx.X), j = (int)Math.Round(idx.Y), k = (int)Math.Round(idx.Z);
            if (!g.Contains(i, j, k)) continue;
            byte v = a.Labels.Data[g.LinearIndex(i, j, k)];
            if (a.RoleOf(v) == LabelRole.Target && p.Y > backY) return null;
            if (isBone[v] && first is null) first = p;
        }
        return first;
    }
}
