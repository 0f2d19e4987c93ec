using System.Globalization;
using ImageGuide.Imaging;

namespace ImageGuide.Planning;

/// <summary>
/// What the multi-probe planner scores ice against: the tumour + margin voxels (all, and a search sample), and the
/// protected voxels — those whose centre lies closer than a clearance (plus the voxel allowance) to a critical structure
/// or to the skin, where the 0 °C isotherm must not reach.
/// </summary>
internal sealed class IceScene
{
    private readonly PlanningAnatomy _a;
    private readonly PlanningConstraints _c;
    private readonly string[] _names;       // constraint names: critical structures, then "skin"
    private readonly double[] _required;    // clearance per constraint (mm), uncertainty included
    private readonly double[] _goal;        // xyz of all tumour + margin voxels
    private readonly double[] _sample;      // xyz of the search sample
    private readonly double[] _protected;   // xyz of protected voxels
    private readonly int[] _protectedBy;    // constraint of each protected voxel
    private readonly double[] _protectedDistance; // distance of each protected voxel from the tumour centre, ascending
    private readonly double[] _reach;       // per probe count n: reach of cooling 37/n of one probe
    private readonly int[] _blocked;        // tumour + margin voxels protected, per constraint
    private readonly double[] _tumourToConstraint; // smallest distance (mm) from tumour voxels to each constraint
    private readonly (int I0, int I1, int J0, int J1, int K0, int K1) _goalBox;

    private IceScene(PlanningAnatomy a, PlanningConstraints c, string[] names, double[] required, double[] goal, double[] sample,
        double[] prot, int[] protBy, double[] protDistance, double[] reach, int[] blocked, double[] tumourTo, double coverageCap, Vec3 centre, double radius,
        (int, int, int, int, int, int) goalBox)
    {
        _a = a; _c = c; _names = names; _required = required; _goal = goal; _sample = sample;
        _protected = prot; _protectedBy = protBy; _protectedDistance = protDistance; _reach = reach; _blocked = blocked; _tumourToConstraint = tumourTo;
        CoverageCap = coverageCap; TumourCentre = centre; TumourRadiusMm = radius; _goalBox = goalBox;
    }

    /// <summary>Centroid of the tumour voxels.</summary>
    public Vec3 TumourCentre { get; }

    /// <summary>Largest distance from the centroid to a tumour voxel centre.</summary>
    public double TumourRadiusMm { get; }

    /// <summary>Largest lethal coverage possible without freezing a protected voxel.</summary>
    public double CoverageCap { get; }

    /// <summary>Number of constraints (critical structures + skin).</summary>
    public int ConstraintCount => _names.Length;

    public string ConstraintName(int index) => _names[index];

    public static IceScene Build(PlanningAnatomy a, PlanningConstraints c, ProbeModel model,
        IReadOnlyDictionary<string, double> requiredByName, CancellationToken ct)
    {
        var targetSq = a.TargetSquaredDistance
            ?? throw new ImageGuideException("The label map has no voxel of a Target structure; label the tumour (role Target) to plan an ablation.");
        var g = a.Geometry;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        float margin2 = (float)(c.Goals.TumourMarginMm * c.Goals.TumourMarginMm);
        var ts = targetSq.Data;
        var region = a.Region;

        // Tumour + margin voxels (all inside the distance maps' region) and the tumour's bounding box.
        var goalIdx = new List<int>();
        double sx = 0, sy = 0, sz = 0;
        int tumourCount = 0, i0 = nx, i1 = -1, j0 = ny, j1 = -1, k0 = nz, k1 = -1;
        for (int k = region.K0; k < region.K0 + region.Nz; k++)
        {
            ct.ThrowIfCancellationRequested();
            for (int j = region.J0; j < region.J0 + region.Ny; j++)
            {
                int row = (k * ny + j) * nx, regionRow = ((k - region.K0) * region.Ny + j - region.J0) * region.Nx - region.I0;
                for (int i = region.I0; i < region.I0 + region.Nx; i++)
                {
                    float v = ts[regionRow + i];
                    if (v > margin2) continue;
                    goalIdx.Add(row + i);
                    i0 = Math.Min(i0, i); i1 = Math.Max(i1, i); j0 = Math.Min(j0, j); j1 = Math.Max(j1, j); k0 = Math.Min(k0, k); k1 = Math.Max(k1, k);
                    if (v == 0) { sx += i; sy += j; sz += k; tumourCount++; }
                }
            }
        }
        if (tumourCount == 0)
            throw new ImageGuideException("The Target voxels lie outside the region the distance maps were computed over; prepare the anatomy with a region around the tumour.");
        if (Touches(i0, i1, region.I0, region.Nx, nx) || Touches(j0, j1, region.J0, region.Ny, ny) || Touches(k0, k1, region.K0, region.Nz, nz))
            throw new ImageGuideException("The tumour + margin reaches the edge of the region the distance maps were computed over; prepare the anatomy with a larger region (PlanningRegion.Around) or over the whole grid.");
        var centre = g.IndexToPhysical(new Vec3(sx / tumourCount, sy / tumourCount, sz / tumourCount));
        var goal = ToPoints(g, goalIdx);
        double radius = 0;
        foreach (int n in goalIdx)
            if (a.SquaredAt(targetSq, n) == 0) radius = Math.Max(radius, Vec3.Distance(centre, Point(g, n)));
        int stride = Math.Max(1, (goalIdx.Count + CryoPlanner.SearchSampleCount - 1) / CryoPlanner.SearchSampleCount);
        var sampleIdx = new List<int>();
        for (int n = 0; n < goalIdx.Count; n += stride) sampleIdx.Add(goalIdx[n]);

        // Constraints: each critical structure, then the skin.
        int cc = a.CriticalMaps.Count;
        var names = new string[cc + 1];
        var required = new double[cc + 1];
        var maps = new Volume<float>[cc + 1];
        for (int m = 0; m < cc; m++)
        {
            names[m] = a.CriticalMaps[m].Structure.Name;
            required[m] = requiredByName[names[m]];
            maps[m] = a.CriticalMaps[m].SquaredDistance;
        }
        names[cc] = "skin";
        required[cc] = c.Goals.SkinClearanceMm + c.Goals.FusionUncertaintyMm;
        maps[cc] = a.OutsideSquaredDistance;
        var limit2 = new float[cc + 1];
        for (int m = 0; m <= cc; m++) limit2[m] = (float)Math.Pow(Math.Max(0, required[m] + a.VoxelAllowanceMm), 2);

        // Protected voxels in the region the ice of any layout tried can reach: probes lie within tumour radius + margin
        // across and a stagger of about one ice length along the shaft.
        var reach = new double[c.MaxProbeCount + 1];
        for (int n = 1; n <= c.MaxProbeCount; n++) reach[n] = model.CombinedEdgeReachMm(n);
        double pad = radius + c.Goals.TumourMarginMm + 2 * model.Isotherms[0].AxialMm + reach[c.MaxProbeCount];
        var box = Expand(g, (i0, i1, j0, j1, k0, k1), pad);
        var perSlice = new List<(int, int)>[box.K1 - box.K0 + 1];
        Parallel.For(box.K0, box.K1 + 1, new ParallelOptions { CancellationToken = ct }, k =>
        {
            var list = new List<(int, int)>();
            for (int j = box.J0; j <= box.J1; j++)
                for (int i = box.I0; i <= box.I1; i++)
                {
                    int n = (k * ny + j) * nx + i;
                    for (int m = 0; m <= cc; m++)
                        if (a.SquaredAt(maps[m], i, j, k) < limit2[m]) list.Add((n, m));
                }
            perSlice[k - box.K0] = list;
        });
        var prot = new List<(double Distance, int Index, int By)>();
        foreach (var list in perSlice)
            foreach (var (n, m) in list) prot.Add((Vec3.Distance(Point(g, n), centre), n, m));
        prot.Sort();
        var protIdx = prot.ConvertAll(x => x.Index);
        var protBy = prot.ConvertAll(x => x.By).ToArray();
        var protDistance = prot.ConvertAll(x => x.Distance).ToArray();

        var blocked = new int[cc + 1];
        var tumourTo = new double[cc + 1];
        Array.Fill(tumourTo, double.PositiveInfinity);
        int blockedAny = 0;
        foreach (int n in goalIdx)
        {
            bool any = false;
            for (int m = 0; m <= cc; m++)
            {
                float sq = a.SquaredAt(maps[m], n);
                if (sq < limit2[m]) { blocked[m]++; any = true; }
                if (a.SquaredAt(targetSq, n) == 0) tumourTo[m] = Math.Min(tumourTo[m], Math.Sqrt(sq) - a.VoxelAllowanceMm);
            }
            if (any) blockedAny++;
        }
        double cap = goalIdx.Count == 0 ? 0 : 1 - blockedAny / (double)goalIdx.Count;
        return new IceScene(a, c, names, required, goal, ToPoints(g, sampleIdx), ToPoints(g, protIdx), protBy, protDistance, reach,
            blocked, tumourTo, cap, centre, radius, (i0, i1, j0, j1, k0, k1));
    }

    /// <summary>True when [lo, hi] reaches a face of the region [start, start + size) that is not a face of the grid.</summary>
    private static bool Touches(int lo, int hi, int start, int size, int gridSize) =>
        (lo <= start && start > 0) || (hi >= start + size - 1 && start + size < gridSize);

    private static (int I0, int I1, int J0, int J1, int K0, int K1) Expand(VolumeGeometry g, (int I0, int I1, int J0, int J1, int K0, int K1) b, double mm)
    {
        int pi = (int)Math.Ceiling(mm / g.Spacing.X), pj = (int)Math.Ceiling(mm / g.Spacing.Y), pk = (int)Math.Ceiling(mm / g.Spacing.Z);
        return (Math.Max(0, b.I0 - pi), Math.Min(g.Nx - 1, b.I1 + pi), Math.Max(0, b.J0 - pj), Math.Min(g.Ny - 1, b.J1 + pj),
            Math.Max(0, b.K0 - pk), Math.Min(g.Nz - 1, b.K1 + pk));
    }

    private static Vec3 Point(VolumeGeometry g, int n)
    {
        int plane = g.Nx * g.Ny, k = n / plane, r = n - k * plane, j = r / g.Nx, i = r - j * g.Nx;
        return g.IndexToPhysical(i, j, k);
    }

    private static double[] ToPoints(VolumeGeometry g, List<int> indices)
    {
        var xyz = new double[indices.Count * 3];
        for (int t = 0; t < indices.Count; t++)
        {
            var p = Point(g, indices[t]);
            xyz[3 * t] = p.X; xyz[3 * t + 1] = p.Y; xyz[3 * t + 2] = p.Z;
        }
        return xyz;
    }

    /// <summary>Lethal coverage of every <paramref name="stride"/>-th point of the search sample.</summary>
    public double SampleCoverage(ProbeModel model, Vec3[] centres, Vec3[] axes, double lethalC, int stride)
    {
        double need = model.LethalDose(lethalC);
        int hit = 0, used = 0, count = _sample.Length / 3;
        for (int t = 0; t < count; t += stride, used++)
            if (IceField.Cooling(model, centres, axes, centres.Length, _sample[3 * t], _sample[3 * t + 1], _sample[3 * t + 2]) >= need) hit++;
        return used == 0 ? 0 : hit / (double)used;
    }

    /// <summary>
    /// The constraint of the first protected voxel the 0 °C isotherm reaches, or −1 when none. Voxels farther from the
    /// tumour centre than the farthest probe plus the reach of 37/n K of one probe cannot freeze and are skipped.
    /// </summary>
    public int FirstViolation(ProbeModel model, Vec3[] centres, Vec3[] axes)
    {
        double ice = model.EdgeDose;
        double spread = 0;
        foreach (var c in centres) spread = Math.Max(spread, Vec3.Distance(c, TumourCentre));
        double cutoff = spread + Reach(model, centres.Length);
        int count = _protected.Length / 3;
        for (int t = 0; t < count && _protectedDistance[t] <= cutoff; t++)
            if (IceField.Cooling(model, centres, axes, centres.Length, _protected[3 * t], _protected[3 * t + 1], _protected[3 * t + 2]) >= ice)
                return _protectedBy[t];
        return -1;
    }

    private double Reach(ProbeModel model, int n) => n < _reach.Length ? _reach[n] : model.CombinedEdgeReachMm(n);

    public readonly record struct Measures(double Coverage, double MinMarginMm, IReadOnlyDictionary<string, double> IceToCritical, double IceToSkin);

    /// <summary>Final figures on every voxel: coverage, margin, and 0 °C edge distances to each constraint.</summary>
    public Measures Measure(IceField field, double lethalC)
    {
        double need = field.Model.LethalDose(lethalC), edge = field.Model.EdgeDose;
        int hit = 0, count = _goal.Length / 3;
        for (int t = 0; t < count; t++)
            if (field.Cooling(_goal[3 * t], _goal[3 * t + 1], _goal[3 * t + 2]) >= need) hit++;
        double coverage = count == 0 ? 0 : hit / (double)count;

        var g = _a.Geometry;
        int nx = g.Nx, ny = g.Ny;
        var ts = _a.TargetSquaredDistance!;
        int cc = _names.Length - 1;
        var maps = new Volume<float>[cc + 1];
        for (int m = 0; m < cc; m++) maps[m] = _a.CriticalMaps[m].SquaredDistance;
        maps[cc] = _a.OutsideSquaredDistance;

        // Margin: the nearest not-lethal voxel to the tumour, searched around tumour + margin.
        double pad = _c.Goals.TumourMarginMm + 10;
        var mbox = Expand(g, _goalBox, 10);
        double minMargin2 = pad * pad;
        // Ice: voxels the 0 °C isotherm reaches, searched around the probes.
        var ibox = IceBox(field, Reach(field.Model, field.Centres.Count));
        var lo = new Vec3(Math.Min(mbox.I0, ibox.I0), Math.Min(mbox.J0, ibox.J0), Math.Min(mbox.K0, ibox.K0));
        var hi = new Vec3(Math.Max(mbox.I1, ibox.I1), Math.Max(mbox.J1, ibox.J1), Math.Max(mbox.K1, ibox.K1));
        var perSlice = new (double Margin2, double[] Near)[(int)(hi.Z - lo.Z) + 1];
        Parallel.For((int)lo.Z, (int)hi.Z + 1, k =>
        {
            double m2 = double.PositiveInfinity;
            var near = new double[cc + 1];
            Array.Fill(near, double.PositiveInfinity);
            bool inM = k >= mbox.K0 && k <= mbox.K1, inI = k >= ibox.K0 && k <= ibox.K1;
            for (int j = (int)lo.Y; j <= (int)hi.Y; j++)
                for (int i = (int)lo.X; i <= (int)hi.X; i++)
                {
                    bool m = inM && j >= mbox.J0 && j <= mbox.J1 && i >= mbox.I0 && i <= mbox.I1;
                    bool ic = inI && j >= ibox.J0 && j <= ibox.J1 && i >= ibox.I0 && i <= ibox.I1;
                    if (!m && !ic) continue;
                    var p = g.IndexToPhysical(i, j, k);
                    double cool = field.Cooling(p.X, p.Y, p.Z);
                    if (m && cool < need) m2 = Math.Min(m2, _a.SquaredAt(ts, i, j, k));
                    if (ic && cool >= edge)
                        for (int s = 0; s <= cc; s++) near[s] = Math.Min(near[s], _a.SquaredAt(maps[s], i, j, k));
                }
            perSlice[k - (int)lo.Z] = (m2, near);
        });
        var nearest = new double[cc + 1];
        Array.Fill(nearest, double.PositiveInfinity);
        foreach (var (m2, near) in perSlice)
        {
            if (near is null) continue;
            minMargin2 = Math.Min(minMargin2, m2);
            for (int s = 0; s <= cc; s++) nearest[s] = Math.Min(nearest[s], near[s]);
        }
        var toCritical = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int s = 0; s < cc; s++) toCritical[_names[s]] = Math.Sqrt(nearest[s]) - _a.VoxelAllowanceMm;
        return new Measures(coverage, Math.Sqrt(minMargin2), toCritical, Math.Sqrt(nearest[cc]) - _a.VoxelAllowanceMm);
    }

    private (int I0, int I1, int J0, int J1, int K0, int K1) IceBox(IceField field, double reachMm)
    {
        var g = _a.Geometry;
        double lx = double.MaxValue, ly = double.MaxValue, lz = double.MaxValue, hx = double.MinValue, hy = double.MinValue, hz = double.MinValue;
        foreach (var c in field.Centres)
        {
            var idx = g.PhysicalToIndex(c);
            lx = Math.Min(lx, idx.X); ly = Math.Min(ly, idx.Y); lz = Math.Min(lz, idx.Z);
            hx = Math.Max(hx, idx.X); hy = Math.Max(hy, idx.Y); hz = Math.Max(hz, idx.Z);
        }
        var b = ((int)Math.Floor(lx), (int)Math.Ceiling(hx), (int)Math.Floor(ly), (int)Math.Ceiling(hy), (int)Math.Floor(lz), (int)Math.Ceiling(hz));
        return Expand(g, b, reachMm);
    }

    public IReadOnlyDictionary<string, double> EmptyCriticalDistances()
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int s = 0; s < _names.Length - 1; s++) d[_names[s]] = double.PositiveInfinity;
        return d;
    }

    /// <summary>The critical structures (not the skin) that block part of tumour + margin or lie within <paramref name="withinMm"/> of the tumour.</summary>
    public IEnumerable<string> BlockingCriticalNames(double withinMm)
    {
        for (int m = 0; m < _names.Length - 1; m++)
            if (_blocked[m] > 0 || _tumourToConstraint[m] <= withinMm) yield return _names[m];
    }

    /// <summary>The constraints that block part of tumour + margin, with the tumour's distance to each.</summary>
    public string BlockingDescription()
    {
        var parts = new List<string>();
        for (int m = 0; m < _names.Length; m++)
            if (_blocked[m] > 0)
                parts.Add(string.Format(CultureInfo.InvariantCulture, "{0} (tumour {1:F1} mm from it)", _names[m], Math.Max(0, _tumourToConstraint[m])));
        return string.Join(", ", parts);
    }

    /// <summary>The clearances of the blocking constraints.</summary>
    public string RequirementDescription()
    {
        var parts = new List<string>();
        for (int m = 0; m < _names.Length; m++)
            if (_blocked[m] > 0) parts.Add(string.Format(CultureInfo.InvariantCulture, "{0:F1} mm from {1}", _required[m], _names[m]));
        return string.Join(", ", parts);
    }
}
