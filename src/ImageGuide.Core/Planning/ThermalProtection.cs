using System.Globalization;
using ImageGuide.Imaging;

namespace ImageGuide.Planning;

/// <summary>
/// Thermal protection of one critical structure near a plan's zone: the temperature the zone model expects at its
/// surface, the neural limit, where a thermocouple would go and how much hydro- or CO2-dissection would make it safe.
/// </summary>
/// <param name="Structure">The structure's name.</param>
/// <param name="ExpectedTemperatureC">Modelled temperature (°C) at the structure's hottest (heat) or coldest (cryo) voxel: its surface point nearest the zone.</param>
/// <param name="LimitC">The limit: <see cref="PlanningConstraints.HeatLimitC"/> for heat, <see cref="PlanningConstraints.ColdLimitC"/> for cryo.</param>
/// <param name="ShortfallC">How far (K) the expected temperature passes the limit; 0 when within it.</param>
/// <param name="EdgeDistanceMm">Smallest distance (mm) from the modelled zone edge (0 °C for cryo) to the structure.</param>
/// <param name="RequiredClearanceMm">The clearance the structure requires from that edge (fusion uncertainty included).</param>
/// <param name="Thermocouple">
/// Suggested thermocouple tip (LPS mm): the voxel centre just outside the structure, next to its hottest (coldest) voxel,
/// when a feasible needle path reaches it; null when none does.
/// </param>
/// <param name="ThermocouplePath">The best needle path to <paramref name="Thermocouple"/>, or null.</param>
/// <param name="SeparationMm">
/// Displacement (mm) of the structure away from the zone — hydro- or CO2-dissection — that brings its surface within the
/// limit and its clearance from the zone edge up to the requirement (for a structure the zone reaches: out of the zone
/// along the ray, plus the clearance): the larger of the two, rounded up to 0.1 mm; 0 when already safe; +∞ when no
/// displacement up to <see cref="ThermalProtectionPlanner.MaxSeparationMm"/> does.
/// </param>
public sealed record ThermalProtectionItem(
    string Structure,
    double ExpectedTemperatureC,
    double LimitC,
    double ShortfallC,
    double EdgeDistanceMm,
    double RequiredClearanceMm,
    Vec3? Thermocouple,
    TrajectoryEvaluation? ThermocouplePath,
    double SeparationMm)
{
    /// <summary>True when the structure needs protection: beyond the limit or closer to the edge than required.</summary>
    public bool NeedsProtection => SeparationMm > 0;

    /// <summary>One line: "nerve root: 47.2 °C expected (limit 45 °C), 4.0 mm of dissection, thermocouple at (x, y, z)".</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        string tc = Thermocouple is { } t ? string.Format(inv, "thermocouple at ({0:F1}, {1:F1}, {2:F1})", t.X, t.Y, t.Z) : "no feasible thermocouple path";
        string sep = SeparationMm <= 0 ? "no dissection needed"
            : double.IsPositiveInfinity(SeparationMm) ? string.Format(inv, "more than {0:G} mm of dissection needed", ThermalProtectionPlanner.MaxSeparationMm)
            : string.Format(inv, "{0:F1} mm of hydro/CO2-dissection needed", SeparationMm);
        return string.Format(inv, "{0}: {1:F1} °C expected (limit {2:G} °C), zone edge {3:F1} mm away (needs {4:F1} mm), {5}, {6}",
            Structure, ExpectedTemperatureC, LimitC, Math.Max(0, EdgeDistanceMm), RequiredClearanceMm, sep, tc);
    }
}

/// <summary>
/// Thermal-protection planning for placed applicators. For every critical structure (large vessels, the heat sinks,
/// excepted) whose nearest voxel lies within <see cref="PlanningConstraints.ThermalProtectionReachMm"/> of the zone edge:
/// the modelled temperature (<see cref="ProbeTemperatureField"/>: for heat the bioheat tail Θ₀·d₀/d outside the zone,
/// for cryo the isotherm model's exponential tail) at the structure's hottest or coldest voxel, against the neural limits;
/// a thermocouple at the voxel just outside the structure next to it, when a needle path reaches it (crossing no
/// critical structure, the clearances of the structures next to the tip waived, every other constraint kept); and the
/// displacement that makes it safe, found by moving the structure's point along the ray from the nearest applicator's zone
/// centre until the model's temperature there is within the limit and the edge clearance is met.
/// </summary>
public sealed class ThermalProtectionPlanner
{
    /// <summary>Largest displacement (mm) searched; beyond it the separation is reported as +∞.</summary>
    public const double MaxSeparationMm = 50;

    private readonly TrajectoryPlanner _paths;

    /// <summary>Creates the planner over the trajectory planner's anatomy and constraints.</summary>
    public ThermalProtectionPlanner(TrajectoryPlanner paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = paths;
    }

    /// <summary>Assesses every critical structure near the applicators' zone.</summary>
    /// <param name="model">The applicator model.</param>
    /// <param name="probes">The applicators (tip and unit axis, entry → tip).</param>
    /// <param name="edgeDistancesMm">By structure: the zone edge's distance (<see cref="CryoPlan.IceToCriticalMm"/>).</param>
    /// <param name="findThermocouplePaths">Search a needle path to each thermocouple (a skin-entry search per structure).</param>
    /// <param name="cancellationToken">Cancels between structures.</param>
    public IReadOnlyList<ThermalProtectionItem> Assess(ProbeModel model, IReadOnlyList<(Vec3 Tip, Vec3 Axis)> probes,
        IReadOnlyDictionary<string, double> edgeDistancesMm, bool findThermocouplePaths = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(edgeDistancesMm);
        var result = new List<ThermalProtectionItem>();
        if (probes.Count == 0) return result;
        var c = _paths.Constraints;
        var a = _paths.Anatomy;
        var field = new ProbeTemperatureField(model, probes);
        double limit = model.IsHeat ? c.HeatLimitC : c.ColdLimitC;
        var centres = new Vec3[probes.Count];
        for (int p = 0; p < probes.Count; p++) centres[p] = model.Zone.Centre(probes[p].Tip, probes[p].Axis.Normalized());
        double reach = model.ReachMm(model.EdgeDose) + c.ThermalProtectionReachMm;
        foreach (var map in a.CriticalMaps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var s = map.Structure;
            if (c.IsHeatSink(s.Name)) continue;
            double edge = edgeDistancesMm.TryGetValue(s.Name, out double e) ? e : double.PositiveInfinity;
            if (!(edge <= c.ThermalProtectionReachMm)) continue;
            var hot = ExtremeVoxel(a, s.Value, model, field, centres, reach);
            if (hot is not { } voxel) continue;
            double t = field.TemperatureAt(voxel.Centre);
            double shortfall = Math.Max(0, model.IsHeat ? t - limit : limit - t);
            double required = _paths.RequiredClearancesMm[s.Name];
            double separation = Separation(model, field, centres, voxel.Centre, limit, Math.Max(0, required - edge), required);
            Vec3? thermocouple = null;
            TrajectoryEvaluation? path = null;
            if (findThermocouplePaths && voxel.Outside is { } outside)
            {
                path = ThermocouplePath(outside, cancellationToken);
                if (path is not null) thermocouple = outside;
            }
            result.Add(new ThermalProtectionItem(s.Name, t, limit, shortfall, edge, required, thermocouple, path, separation));
        }
        return result;
    }

    private readonly record struct Extreme(Vec3 Centre, Vec3? Outside);

    /// <summary>The structure's voxel with the largest dose within <paramref name="reach"/> of a zone centre, and its 6-neighbour outside the structure with the largest dose.</summary>
    private static Extreme? ExtremeVoxel(PlanningAnatomy a, byte value, ProbeModel model, ProbeTemperatureField field, Vec3[] centres, double reach)
    {
        var g = a.Geometry;
        var data = a.Labels.Data;
        double lx = double.MaxValue, ly = double.MaxValue, lz = double.MaxValue, hx = double.MinValue, hy = double.MinValue, hz = double.MinValue;
        foreach (var c in centres)
            for (int corner = 0; corner < 8; corner++)
            {
                var idx = g.PhysicalToIndex(c + new Vec3((corner & 1) == 0 ? -reach : reach, (corner & 2) == 0 ? -reach : reach, (corner & 4) == 0 ? -reach : reach));
                lx = Math.Min(lx, idx.X); ly = Math.Min(ly, idx.Y); lz = Math.Min(lz, idx.Z);
                hx = Math.Max(hx, idx.X); hy = Math.Max(hy, idx.Y); hz = Math.Max(hz, idx.Z);
            }
        int i0 = Math.Max(0, (int)Math.Floor(lx)), i1 = Math.Min(g.Nx - 1, (int)Math.Ceiling(hx));
        int j0 = Math.Max(0, (int)Math.Floor(ly)), j1 = Math.Min(g.Ny - 1, (int)Math.Ceiling(hy));
        int k0 = Math.Max(0, (int)Math.Floor(lz)), k1 = Math.Min(g.Nz - 1, (int)Math.Ceiling(hz));
        double best = double.NegativeInfinity;
        int bi = -1, bj = -1, bk = -1;
        for (int k = k0; k <= k1; k++)
            for (int j = j0; j <= j1; j++)
            {
                long row = g.LinearIndex(0, j, k);
                for (int i = i0; i <= i1; i++)
                {
                    if (data[row + i] != value) continue;
                    double dose = model.DoseFromTemperature(field.TemperatureAt(g.IndexToPhysical(i, j, k)));
                    if (dose > best) { best = dose; bi = i; bj = j; bk = k; }
                }
            }
        if (bi < 0) return null;
        Vec3? outside = null;
        double bestOut = double.NegativeInfinity;
        ReadOnlySpan<(int, int, int)> steps = [(1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)];
        foreach (var (di, dj, dk) in steps)
        {
            int i = bi + di, j = bj + dj, k = bk + dk;
            if (!g.Contains(i, j, k) || data[g.LinearIndex(i, j, k)] == value || data[g.LinearIndex(i, j, k)] == 0) continue;
            var p = g.IndexToPhysical(i, j, k);
            double dose = model.DoseFromTemperature(field.TemperatureAt(p));
            if (dose > bestOut) { bestOut = dose; outside = p; }
        }
        return new Extreme(g.IndexToPhysical(bi, bj, bk), outside);
    }

    /// <summary>
    /// Smallest displacement s (mm, 0.1 mm resolution) of <paramref name="point"/> away from the nearest zone centre such that
    /// the temperature there is within the limit, and at least <paramref name="clearanceShortfallMm"/>.
    /// </summary>
    internal static double Separation(ProbeModel model, ProbeTemperatureField field, Vec3[] centres, Vec3 point, double limit, double clearanceShortfallMm,
        double requiredClearanceMm = 0)
    {
        bool Safe(Vec3 p) => model.IsHeat ? field.TemperatureAt(p) <= limit : field.TemperatureAt(p) >= limit;
        bool Outside(Vec3 p) => model.DoseFromTemperature(field.TemperatureAt(p)) < model.EdgeDose;
        Vec3 nearest = centres[0];
        foreach (var c in centres) if (Vec3.Distance(c, point) < Vec3.Distance(nearest, point)) nearest = c;
        Vec3 dir = point - nearest;
        dir = dir.Length < 1e-9 ? new Vec3(1, 0, 0) : dir.Normalized();
        // A structure the zone already reaches must leave it and then keep its clearance: the displacement to the zone
        // edge along the ray plus the required clearance.
        double clearance = clearanceShortfallMm;
        if (!Outside(point)) clearance = Math.Max(clearance, Bisect(s => Outside(point + dir * s)) + requiredClearanceMm);
        double thermal = Safe(point) ? 0 : Bisect(s => Safe(point + dir * s));
        double need = Math.Max(thermal, clearance);
        return double.IsPositiveInfinity(need) ? need : Math.Ceiling(need * 10 - 1e-6) / 10;
    }

    /// <summary>Smallest s in (0, <see cref="MaxSeparationMm"/>] (to 1e-4 mm) with <paramref name="ok"/>(s), assuming monotone; +∞ when none.</summary>
    private static double Bisect(Func<double, bool> ok)
    {
        if (!ok(MaxSeparationMm)) return double.PositiveInfinity;
        double lo = 0, hi = MaxSeparationMm;
        while (hi - lo > 1e-4)
        {
            double mid = 0.5 * (lo + hi);
            if (ok(mid)) hi = mid; else lo = mid;
        }
        return hi;
    }

    /// <summary>The best feasible path to the thermocouple point, waiving the clearances of structures closer to it than they require.</summary>
    private TrajectoryEvaluation? ThermocouplePath(Vec3 point, CancellationToken ct)
    {
        var c = _paths.Constraints;
        var a = _paths.Anatomy;
        var g = a.Geometry;
        var idx = g.PhysicalToIndex(point);
        int i = (int)Math.Round(idx.X), j = (int)Math.Round(idx.Y), k = (int)Math.Round(idx.Z);
        var waived = new List<string>();
        foreach (var map in a.CriticalMaps)
        {
            double d = Math.Sqrt(a.SquaredAt(map.SquaredDistance, i, j, k));
            if (d < _paths.RequiredClearancesMm[map.Structure.Name] + a.VoxelAllowanceMm + c.NeedleDiameterMm) waived.Add(map.Structure.Name);
        }
        var relaxed = new TrajectoryPlanner(a, c, waived);
        var plan = relaxed.Plan(point, (Volume<byte>?)null, null, ct);
        return plan.Best;
    }
}
