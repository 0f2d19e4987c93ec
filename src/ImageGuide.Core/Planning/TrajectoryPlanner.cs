using System.Globalization;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// Single-needle planning: assesses straight paths from skin entries to a target against a
/// <see cref="PlanningConstraints"/> and ranks the feasible ones. Thread-safe; one planner serves many targets.
/// </summary>
public sealed class TrajectoryPlanner
{
    private readonly bool[] _isBone = new bool[256];
    private readonly bool[] _isTarget = new bool[256];
    private readonly string[] _nameByValue = new string[256];
    private readonly double[] _required;
    private readonly Dictionary<string, double> _requiredByName = new(StringComparer.Ordinal);
    private readonly byte[] _criticalValue;
    private readonly string[] _criticalName;
    private readonly ClearanceKeys _keys;
    private readonly string[] _crossesReason;
    private Vec3[]? _allEntries;
    private static readonly IReadOnlyDictionary<string, double> NotEvaluated = new Dictionary<string, double>(0);

    /// <summary>Creates a planner over prepared anatomy.</summary>
    /// <exception cref="ImageGuideException">A constraint is out of range.</exception>
    public TrajectoryPlanner(PlanningAnatomy anatomy, PlanningConstraints? constraints = null) : this(anatomy, constraints, null)
    {
    }

    /// <summary>
    /// A planner whose paths may touch the <paramref name="waived"/> structures (their clearance requirement is dropped;
    /// crossing them is still refused): for needles that must end against a structure, such as a thermocouple.
    /// </summary>
    /// <param name="anatomy">The prepared label map.</param>
    /// <param name="constraints">Planning settings.</param>
    /// <param name="waived">Structures whose clearance is waived.</param>
    /// <param name="lesionContinuesBone">
    /// True (the default planner) when Target voxels neither start nor end a bone run; false when they end it as soft tissue
    /// does — for cement cannulas, which must reach the body through intact bone.
    /// </param>
    internal TrajectoryPlanner(PlanningAnatomy anatomy, PlanningConstraints? constraints, IReadOnlyCollection<string>? waived, bool lesionContinuesBone = true)
    {
        ArgumentNullException.ThrowIfNull(anatomy);
        Anatomy = anatomy;
        Constraints = constraints ?? PlanningConstraints.Default;
        Constraints.Validate();
        foreach (var s in anatomy.Structures)
        {
            _nameByValue[s.Value] = s.Name;
            if (s.Role == LabelRole.Bone) _isBone[s.Value] = true;
            if (s.Role == LabelRole.Target && lesionContinuesBone) _isTarget[s.Value] = true;
        }
        _required = new double[anatomy.CriticalMaps.Count];
        _criticalValue = new byte[_required.Length];
        _criticalName = new string[_required.Length];
        for (int c = 0; c < _required.Length; c++)
        {
            var s = anatomy.CriticalMaps[c].Structure;
            _required[c] = waived is not null && waived.Contains(s.Name)
                ? -(anatomy.VoxelAllowanceMm + Constraints.NeedleDiameterMm / 2 + 1)
                : Constraints.Goals.RequiredClearanceMm(s);
            _requiredByName[s.Name] = _required[c];
            _criticalValue[c] = s.Value;
            _criticalName[c] = s.Name;
        }
        _keys = new ClearanceKeys(_criticalName);
        _crossesReason = Array.ConvertAll(_criticalName, n => "crosses " + n);
    }

    /// <summary>The anatomy planned on.</summary>
    public PlanningAnatomy Anatomy { get; }

    /// <summary>The constraints applied.</summary>
    public PlanningConstraints Constraints { get; }

    /// <summary>Clearance required from each critical structure present, by name, fusion uncertainty included.</summary>
    public IReadOnlyDictionary<string, double> RequiredClearancesMm => _requiredByName;

    /// <summary>Assesses the straight path from <paramref name="entry"/> to <paramref name="target"/> (LPS mm), e.g. one the user drew.</summary>
    /// <exception cref="ImageGuideException">Entry and target coincide or are not finite.</exception>
    public TrajectoryEvaluation Evaluate(Vec3 entry, Vec3 target)
    {
        if (!double.IsFinite(entry.X + entry.Y + entry.Z + target.X + target.Y + target.Z))
            throw new ImageGuideException($"Trajectory entry {entry} or target {target} is not a finite point.");
        if (Vec3.Distance(entry, target) < 1e-6)
            throw new ImageGuideException($"Trajectory entry and target are the same point {entry}; give two distinct points.");
        return Assess(entry, target, evaluateAll: true);
    }

    /// <summary>
    /// Searches every skin entry (body surface thinned to <see cref="PlanningConstraints.EntrySpacingMm"/>, restricted to the
    /// non-zero voxels of <paramref name="entryRegion"/> when given) for paths to <paramref name="target"/>.
    /// </summary>
    public TrajectoryPlan Plan(Vec3 target, Volume<byte>? entryRegion = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        // The unrestricted candidates depend only on the anatomy and the spacing: thin the surface once per planner.
        var entries = entryRegion is null
            ? _allEntries ??= Anatomy.EntryCandidates(Constraints.EntrySpacingMm)
            : Anatomy.EntryCandidates(Constraints.EntrySpacingMm, entryRegion);
        return Plan(target, entries, progress, cancellationToken);
    }

    /// <summary>Assesses the given skin entries (LPS mm) against <paramref name="target"/> and ranks the feasible paths.</summary>
    public TrajectoryPlan Plan(Vec3 target, IReadOnlyList<Vec3> entries, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!double.IsFinite(target.X + target.Y + target.Z))
            throw new ImageGuideException($"Target {target} is not a finite point.");
        var results = new TrajectoryEvaluation?[entries.Count];
        const int chunk = 256;
        int chunks = (entries.Count + chunk - 1) / chunk, done = 0;
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, c =>
        {
            int end = Math.Min(entries.Count, (c + 1) * chunk);
            for (int n = c * chunk; n < end; n++)
                if (Vec3.Distance(entries[n], target) >= 1e-6) results[n] = Assess(entries[n], target, evaluateAll: false);
            if (progress is not null) progress.Report(Interlocked.Increment(ref done) / (double)chunks);
        });

        var feasible = new List<TrajectoryEvaluation>();
        var rejected = new List<TrajectoryEvaluation>();
        foreach (var r in results)
            if (r is not null) (r.Feasible ? feasible : rejected).Add(r);
        return new TrajectoryPlan(target, Constraints, entries.Count, RankAndMarkPareto(feasible), rejected);
    }

    private static List<TrajectoryEvaluation> RankAndMarkPareto(List<TrajectoryEvaluation> feasible)
    {
        int n = feasible.Count;
        var obj = new double[n * 4];
        for (int t = 0; t < n; t++)
        {
            var e = feasible[t];
            obj[4 * t] = e.LengthMm;
            obj[4 * t + 1] = Math.Abs(e.CraniocaudalAngleDeg);
            obj[4 * t + 2] = e.BoneLengthMm;
            obj[4 * t + 3] = -e.WorstClearanceMarginMm;
        }
        var order = new int[n];
        for (int t = 0; t < n; t++) order[t] = t;
        Array.Sort(order, (p, q) =>
        {
            for (int m = 0; m < 4; m++)
            {
                int c = obj[4 * p + m].CompareTo(obj[4 * q + m]);
                if (c != 0) return c;
            }
            return p.CompareTo(q);
        });
        // In lexicographic order a path can only be dominated by one before it, and domination is transitive,
        // so comparing against the front found so far is enough.
        var front = new List<int>();
        var pareto = new bool[n];
        foreach (int p in order)
        {
            bool dominated = false;
            foreach (int q in front)
            {
                bool allLe = true, anyLt = false;
                for (int m = 0; m < 4 && allLe; m++)
                {
                    double a = obj[4 * q + m], b = obj[4 * p + m];
                    if (a > b) allLe = false;
                    else if (a < b) anyLt = true;
                }
                if (allLe && anyLt) { dominated = true; break; }
            }
            if (!dominated) { front.Add(p); pareto[p] = true; }
        }
        var ranked = new List<TrajectoryEvaluation>(n);
        for (int t = 0; t < n; t++) ranked.Add(pareto[t] ? feasible[t] with { ParetoOptimal = true } : feasible[t]);
        ranked.Sort((a, b) => a.RiskScore != b.RiskScore ? a.RiskScore.CompareTo(b.RiskScore) : a.LengthMm.CompareTo(b.LengthMm));
        return ranked;
    }

    /// <summary>
    /// Assesses one path. A search (<paramref name="evaluateAll"/> false) rejects in cheap order — depth, angles and
    /// approach side (<see cref="PlanningConstraints.MaxAngleFromPosteriorDeg"/>), then
    /// crossings and bone from the label walk — and only then measures clearances, which beyond
    /// <see cref="PlanningConstraints.ComfortClearanceMm"/> above the requirement (where they change neither feasibility nor
    /// the risk score) are lower bounds within <see cref="FarClearanceTolerance"/> of the excess. A user's path is
    /// assessed fully and to half a sampling step.
    /// </summary>
    private TrajectoryEvaluation Assess(Vec3 entry, Vec3 target, bool evaluateAll)
    {
        var c = Constraints;
        Vec3 d = target - entry;
        double length = d.Length;
        Vec3 u = d / length;
        double cc = Math.Asin(Math.Clamp(u.Z, -1, 1)) * 180 / Math.PI;
        double inPlane = Math.Abs(u.X) < 1e-12 && Math.Abs(u.Y) < 1e-12 ? 0 : Math.Atan2(u.X, Math.Abs(u.Y)) * 180 / Math.PI;
        List<string>? reasons = null;
        var inv = CultureInfo.InvariantCulture;
        if (length > c.NeedleLengthMm)
            (reasons ??= []).Add(string.Format(inv, "depth {0:F1} mm > {1:G} mm needle", length, c.NeedleLengthMm));
        if (Math.Abs(cc) > c.MaxAngleFromAxialDeg)
            (reasons ??= []).Add(string.Format(inv, "cranio-caudal angle {0:F1}° > {1:G}° gantry tilt limit", Math.Abs(cc), c.MaxAngleFromAxialDeg));
        // the side the needle comes from: angle between target → entry (−u) and posterior (+Y in LPS)
        double fromPosterior = Math.Acos(Math.Clamp(-u.Y, -1, 1)) * 180 / Math.PI;
        if (fromPosterior > c.MaxAngleFromPosteriorDeg + 1e-9)
            (reasons ??= []).Add(string.Format(inv, "approach {0:F1}° from posterior > {1:G}° allowed (entry {2} of the target; the patient lies prone and is entered from the back)",
                fromPosterior, c.MaxAngleFromPosteriorDeg, fromPosterior > 90 ? "anterior" : "lateral"));
        if (reasons is not null && !evaluateAll)
            return new TrajectoryEvaluation(entry, target, length, inPlane, cc, NotEvaluated, _requiredByName, 0, 0, false, reasons, double.PositiveInfinity);

        var g = Anatomy.Geometry;
        Vec3 a = g.PhysicalToIndex(entry), b = g.PhysicalToIndex(target);
        var walk = Walk(a, b, length);
        if (!evaluateAll)
        {
            for (int m = 0; m < _required.Length; m++)
                if (walk.Hits.Contains(_criticalValue[m])) (reasons ??= []).Add(_crossesReason[m]);
            AddBoneReasons(walk, ref reasons);
            if (reasons is not null)
                return new TrajectoryEvaluation(entry, target, length, inPlane, cc, NotEvaluated, _requiredByName,
                    walk.BoneLengthMm, walk.BoneEntries, false, reasons, double.PositiveInfinity);
        }

        var values = new double[_required.Length];
        double radius = c.NeedleDiameterMm / 2, closeness = 0;
        var region = Anatomy.Region;
        var origin = (region.I0, region.J0, region.K0);
        for (int m = 0; m < _required.Length; m++)
        {
            var map = Anatomy.CriticalMaps[m].SquaredDistance;
            double offset = Anatomy.VoxelAllowanceMm + radius;
            double lower = evaluateAll
                ? DistanceBound.OnSegment(map.Data, map.Geometry, origin, a, b, c.ClearanceSampleStepMm)
                : DistanceBound.OnSegment(map.Data, map.Geometry, origin, a, b, c.ClearanceSampleStepMm,
                    _required[m] + c.ComfortClearanceMm + offset, FarClearanceTolerance);
            double clearance = lower - offset;
            values[m] = clearance;
            closeness += Math.Max(0, 1 - (clearance - _required[m]) / c.ComfortClearanceMm);
            if (walk.Hits.Contains(_criticalValue[m]))
                (reasons ??= []).Add(_crossesReason[m]);
            else if (clearance < _required[m])
                (reasons ??= []).Add(string.Format(inv, "clearance {0:F1} mm < {1:F1} mm to {2}{3}", clearance, _required[m], _criticalName[m],
                    c.Goals.FusionUncertaintyMm > 0 ? string.Format(inv, " (incl. {0:F1} mm fusion uncertainty)", c.Goals.FusionUncertaintyMm) : ""));
        }
        if (evaluateAll) AddBoneReasons(walk, ref reasons);

        double risk = c.RiskWeightDepth * length / c.NeedleLengthMm
                      + c.RiskWeightAngle * (c.MaxAngleFromAxialDeg > 0 ? Math.Abs(cc) / c.MaxAngleFromAxialDeg : 0)
                      + c.RiskWeightBone * walk.BoneLengthMm / c.NeedleLengthMm
                      + c.RiskWeightClearance * closeness;
        return new TrajectoryEvaluation(entry, target, length, inPlane, cc, new ClearanceMap(_keys, values), _requiredByName,
            walk.BoneLengthMm, walk.BoneEntries, reasons is null, (IReadOnlyList<string>?)reasons ?? [], risk);
    }

    /// <summary>
    /// Relative tolerance of clearances more than <see cref="PlanningConstraints.ComfortClearanceMm"/> above their
    /// requirement in a skin-entry search: such a clearance is reported as a lower bound within this fraction of its
    /// excess over requirement + comfort (never above the truth).
    /// </summary>
    public const double FarClearanceTolerance = 0.1;

    private void AddBoneReasons(in WalkResult walk, ref List<string>? reasons)
    {
        if (walk.BoneEntries == 0) return;
        var inv = CultureInfo.InvariantCulture;
        var c = Constraints;
        if (c.BoneTraversal == BoneTraversalPolicy.Forbidden)
            (reasons ??= []).Add(string.Format(inv, "crosses bone ({0}) for {1:F1} mm; bone traversal is forbidden", BoneNames(walk.Hits), walk.BoneLengthMm));
        else if (c.BoneTraversal == BoneTraversalPolicy.TranspedicularOnly && (walk.BoneEntries > 1 || !walk.EndsInBone))
            (reasons ??= []).Add(string.Format(inv, "crosses bone ({0}) {1} time(s) for {2:F1} mm, not as one entry ending at the target; only a transpedicular route is allowed",
                BoneNames(walk.Hits), walk.BoneEntries, walk.BoneLengthMm));
    }

    private string BoneNames(LabelSet hits)
    {
        var names = new List<string>();
        for (int v = 1; v < 256; v++)
            if (hits.Contains((byte)v) && _isBone[v]) names.Add(_nameByValue[v]);
        return string.Join(", ", names);
    }

    /// <summary>A set of label values (256 bits).</summary>
    private struct LabelSet
    {
        private ulong _b0, _b1, _b2, _b3;

        public void Add(byte v)
        {
            ulong bit = 1UL << (v & 63);
            switch (v >> 6)
            {
                case 0: _b0 |= bit; break;
                case 1: _b1 |= bit; break;
                case 2: _b2 |= bit; break;
                default: _b3 |= bit; break;
            }
        }

        public readonly bool Contains(byte v)
        {
            ulong word = (v >> 6) switch { 0 => _b0, 1 => _b1, 2 => _b2, _ => _b3 };
            return (word >> (v & 63) & 1) != 0;
        }
    }

    private readonly record struct WalkResult(LabelSet Hits, double BoneLengthMm, int BoneEntries, bool EndsInBone);

    /// <summary>
    /// Nearest-voxel walk along the path at half the smallest spacing: critical and bone labels met, and bone runs (target
    /// voxels neither start nor end a run: a metastasis inside a vertebral body is crossed as part of the bone it lies in,
    /// pedicle → lesion → anterior body being one passage; a lesion outside bone is soft tissue to the run). Samples
    /// whose nearest voxel lies in a block without critical or bone voxels (<see cref="PlanningAnatomy.GuardedBlocks"/>)
    /// meet neither, so the walk jumps over them to the last sample at least one step before the block's exit.
    /// </summary>
    private WalkResult Walk(Vec3 a, Vec3 b, double lengthMm)
    {
        var g = Anatomy.Geometry;
        var data = Anatomy.Labels.Data;
        var blocks = Anatomy.GuardedBlocks;
        var isBone = _isBone;
        const int shift = PlanningAnatomy.BlockShift, side = 1 << shift;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz, bx = (nx >> shift) + 1, by = (ny >> shift) + 1;
        double step = 0.5 * Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z));
        int n = Math.Max(1, (int)Math.Ceiling(lengthMm / step));
        double stepMm = lengthMm / n;
        double dx = b.X - a.X, dy = b.Y - a.Y, dz = b.Z - a.Z;
        var hits = new LabelSet();
        bool inBone = false;
        int entries = 0, boneSteps = 0;
        for (int s = 0; s <= n;)
        {
            double t = s / (double)n;
            int i = (int)Math.Floor(a.X + dx * t + 0.5);
            int j = (int)Math.Floor(a.Y + dy * t + 0.5);
            int k = (int)Math.Floor(a.Z + dz * t + 0.5);
            bool inside = (uint)i < (uint)nx && (uint)j < (uint)ny && (uint)k < (uint)nz;
            if (inside && !blocks[((k >> shift) * by + (j >> shift)) * bx + (i >> shift)])
            {
                // Parameter where the rounded index leaves this block along each axis; samples up to one step before it stay.
                double exit = Math.Min(ExitT(a.X, dx, i >> shift << shift, side),
                    Math.Min(ExitT(a.Y, dy, j >> shift << shift, side), ExitT(a.Z, dz, k >> shift << shift, side)));
                int last = exit >= 1 ? n : Math.Max(s, (int)Math.Floor(exit * n) - 1);
                inBone = false;
                s = last + 1;
                continue;
            }
            byte v = inside ? data[((long)k * ny + j) * nx + i] : (byte)0;
            hits.Add(v);
            if (_isTarget[v]) { s++; continue; } // a lesion neither starts nor ends a bone run: one inside bone continues it
            bool bone = isBone[v];
            if (bone && !inBone) entries++;
            if (bone && s > 0) boneSteps++;
            inBone = bone;
            s++;
        }
        return new WalkResult(hits, boneSteps * stepMm, entries, inBone);
    }

    /// <summary>Parameter t at which floor(a + d·t + 0.5) leaves [lo, lo + side); +∞ when it never does.</summary>
    private static double ExitT(double a, double d, int lo, int side) =>
        d > 0 ? (lo + side - 0.5 - a) / d : d < 0 ? (lo - 0.5 - a) / d : double.PositiveInfinity;
}
