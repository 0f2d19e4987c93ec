using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// A label map prepared for planning: the structures with their roles, an exact squared distance map (mm²) per critical
/// structure and for the target, the distance to the outside of the body (for the skin), and the body-surface voxels
/// from which skin entries are drawn. Build once per label map (the distance transforms are the expensive part), then
/// plan many targets against it. Immutable and safe to share between threads.
/// </summary>
public sealed class PlanningAnatomy
{
    private readonly LabelRole?[] _roleByValue = new LabelRole?[256];
    private readonly int[] _surface;

    /// <summary>Side (voxels, a power of two) of the blocks of <see cref="GuardedBlocks"/>.</summary>
    internal const int BlockShift = 3;

    private PlanningAnatomy(Volume<byte> labels, IReadOnlyList<LabelDefinition> structures, IReadOnlyList<CriticalMap> critical,
        Volume<float>? targetSquared, Volume<float> outsideSquared, int[] surface, bool[] guardedBlocks, PlanningRegion region)
    {
        GuardedBlocks = guardedBlocks;
        Region = region;
        Labels = labels;
        Structures = structures;
        CriticalMaps = critical;
        TargetSquaredDistance = targetSquared;
        OutsideSquaredDistance = outsideSquared;
        _surface = surface;
        foreach (var s in structures) _roleByValue[s.Value] = s.Role;
        var g = labels.Geometry;
        VoxelAllowanceMm = 0.5 * Math.Sqrt(g.Spacing.X * g.Spacing.X + g.Spacing.Y * g.Spacing.Y + g.Spacing.Z * g.Spacing.Z);
    }

    /// <summary>The label map (0 = outside the body).</summary>
    public Volume<byte> Labels { get; }

    /// <summary>Grid of the label map and of every distance map.</summary>
    public VolumeGeometry Geometry => Labels.Geometry;

    /// <summary>The entries of the label table.</summary>
    public IReadOnlyList<LabelDefinition> Structures { get; }

    /// <summary>
    /// The box of the label grid the distance maps cover (<see cref="PlanningRegion.Whole"/> unless a region was given);
    /// every map lies on this box's grid and equals the whole-volume map there.
    /// </summary>
    public PlanningRegion Region { get; }

    /// <summary>One squared distance map per critical structure present in the label map, over <see cref="Region"/>.</summary>
    public IReadOnlyList<CriticalMap> CriticalMaps { get; }

    /// <summary>Squared distance (mm²) to the nearest target voxel centre over <see cref="Region"/>; null when no target voxel exists.</summary>
    public Volume<float>? TargetSquaredDistance { get; }

    /// <summary>Squared distance (mm²) to the nearest voxel outside the body (label 0) over <see cref="Region"/>: depth below the skin.</summary>
    public Volume<float> OutsideSquaredDistance { get; }

    /// <summary>Number of body-surface voxels (candidate skin entries before thinning).</summary>
    public int SurfaceVoxelCount => _surface.Length;

    /// <summary>
    /// Half the voxel diagonal (mm). A labelled voxel stands for a cube of tissue, so the distance to a structure is the
    /// distance to its voxel centres minus at most this; subtracting it keeps clearances conservative.
    /// </summary>
    public double VoxelAllowanceMm { get; }

    /// <summary>
    /// One flag per block of 2^<see cref="BlockShift"/> voxels a side (i fastest): true when the block holds a voxel of a
    /// critical, bone or target structure. A needle walk can skip the samples whose nearest voxel lies in an unguarded block.
    /// </summary>
    internal bool[] GuardedBlocks { get; }

    /// <summary>Role of a label value, or null for values the label table does not name (treated as passable tissue).</summary>
    public LabelRole? RoleOf(byte value) => _roleByValue[value];

    /// <summary>Prepares a label map read with its label table (<see cref="LabelMap"/>) for planning.</summary>
    /// <inheritdoc cref="Create(Volume{byte}, LabelTable, IProgress{double}?, CancellationToken)"/>
    public static PlanningAnatomy Create(LabelMap labels, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Create(labels.Volume, labels.Table, progress, cancellationToken);
    }

    /// <summary>
    /// Prepares a label map for planning under <paramref name="constraints"/>, with distance maps only over
    /// <see cref="PlanningRegion.Around"/> the Target structures and <paramref name="targets"/> (LPS mm): the same plans as
    /// over the whole grid for those targets, faster on large grids.
    /// </summary>
    /// <inheritdoc cref="Create(Volume{byte}, LabelTable, PlanningRegion, IProgress{double}?, CancellationToken)"/>
    public static PlanningAnatomy Create(LabelMap labels, PlanningConstraints constraints, IEnumerable<Vec3>? targets = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Create(labels.Volume, labels.Table, PlanningRegion.Around(labels.Volume, labels.Table, constraints, targets), progress, cancellationToken);
    }

    /// <inheritdoc cref="Create(Volume{byte}, LabelTable, PlanningRegion, IProgress{double}?, CancellationToken)"/>
    public static PlanningAnatomy Create(Volume<byte> labels, LabelTable table,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Create(labels, table, PlanningRegion.Whole(labels.Geometry), progress, cancellationToken);
    }

    /// <summary>
    /// Prepares a label map for planning: computes the distance maps (parallel exact EDT) and the body surface.
    /// </summary>
    /// <param name="labels">Label map; 0 is outside the body, every other value is inside it.</param>
    /// <param name="table">The label table: roles, names (keys of the clearances in the plan) and optional clearances.</param>
    /// <param name="region">Box of the grid the distance maps cover (values there equal the whole-volume ones).</param>
    /// <param name="progress">Receives the fraction done (0–1) after each distance map.</param>
    /// <param name="cancellationToken">Cancels between distance maps and grid lines.</param>
    /// <exception cref="ImageGuideException">The table gives label value 0 (outside the body) a role.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The region is empty or leaves the grid.</exception>
    public static PlanningAnatomy Create(Volume<byte> labels, LabelTable table, PlanningRegion region,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(table);
        bool whole = region == PlanningRegion.Whole(labels.Geometry);
        Volume<float> Map(bool[] flags) => whole ? DistanceTransform.Squared(labels, flags, cancellationToken)
            : DistanceTransform.Squared(labels, flags, (region.I0, region.J0, region.K0), (region.Nx, region.Ny, region.Nz), cancellationToken);
        var list = table.Labels;
        foreach (var s in list)
            if (s.Value == 0) throw new ImageGuideException($"Label '{s.Name}' uses value 0, which means outside the body; give it a value 1–255.");

        var present = new bool[256];
        foreach (byte v in labels.Data) present[v] = true;

        var critical = new List<LabelDefinition>();
        var targetFlags = new bool[256];
        bool anyTarget = false;
        foreach (var s in list)
        {
            if (!present[s.Value]) continue;
            if (s.Role == LabelRole.Critical) critical.Add(s);
            if (s.Role == LabelRole.Target) { targetFlags[s.Value] = true; anyTarget = true; }
        }

        int total = critical.Count + 2, done = 0;
        var maps = new List<CriticalMap>(critical.Count);
        foreach (var s in critical)
        {
            var flags = new bool[256];
            flags[s.Value] = true;
            maps.Add(new CriticalMap(s, Map(flags)));
            progress?.Report(++done / (double)total);
        }
        var target = anyTarget ? Map(targetFlags) : null;
        progress?.Report(++done / (double)total);
        var outsideFlags = new bool[256];
        outsideFlags[0] = true;
        var outside = Map(outsideFlags);
        progress?.Report(1.0);
        var guarded = new bool[256];
        foreach (var s in list)
            if (s.Role is LabelRole.Critical or LabelRole.Bone or LabelRole.Target) guarded[s.Value] = true;
        return new PlanningAnatomy(labels, list, maps, target, outside, BodySurface(labels, cancellationToken),
            GuardBlocks(labels, guarded, cancellationToken), region);
    }

    /// <summary>
    /// Squared distance (mm²) of <paramref name="map"/> (one of this anatomy's maps) at a voxel of the label grid:
    /// the map's value inside <see cref="Region"/>, outside it the 1-Lipschitz lower bound (D(q) − |p − q|)² from the
    /// nearest voxel q of the region (0 when that is negative), so that distances are never overstated.
    /// </summary>
    internal float SquaredAt(Volume<float> map, int linearIndex)
    {
        var g = Geometry;
        int plane = g.Nx * g.Ny, k = linearIndex / plane, rest = linearIndex - k * plane, j = rest / g.Nx;
        return SquaredAt(map, rest - j * g.Nx, j, k);
    }

    /// <inheritdoc cref="SquaredAt(Volume{float}, int)"/>
    internal float SquaredAt(Volume<float> map, int i, int j, int k)
    {
        var r = Region;
        int a = i - r.I0, b = j - r.J0, c = k - r.K0;
        if ((uint)a < (uint)r.Nx && (uint)b < (uint)r.Ny && (uint)c < (uint)r.Nz) return map.Data[((long)c * r.Ny + b) * r.Nx + a];
        int qa = Math.Clamp(a, 0, r.Nx - 1), qb = Math.Clamp(b, 0, r.Ny - 1), qc = Math.Clamp(c, 0, r.Nz - 1);
        var s = Geometry.Spacing;
        double off = Math.Sqrt(Math.Pow((a - qa) * s.X, 2) + Math.Pow((b - qb) * s.Y, 2) + Math.Pow((c - qc) * s.Z, 2));
        double d = Math.Sqrt(map.Data[((long)qc * r.Ny + qb) * r.Nx + qa]) - off;
        return d > 0 ? (float)(d * d) : 0f;
    }

    /// <summary>Flags the blocks that hold a voxel of a guarded label value.</summary>
    private static bool[] GuardBlocks(Volume<byte> labels, bool[] guarded, CancellationToken ct)
    {
        var g = labels.Geometry;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        int bx = (nx >> BlockShift) + 1, by = (ny >> BlockShift) + 1, bz = (nz >> BlockShift) + 1;
        var blocks = new bool[bx * by * bz];
        var d = labels.Data;
        Parallel.For(0, bz, new ParallelOptions { CancellationToken = ct }, zb =>
        {
            int k1 = Math.Min(nz, (zb + 1) << BlockShift);
            for (int k = zb << BlockShift; k < k1; k++)
                for (int j = 0; j < ny; j++)
                {
                    int row = (k * ny + j) * nx, blockRow = (zb * by + (j >> BlockShift)) * bx;
                    for (int i = 0; i < nx; i++)
                        if (guarded[d[row + i]]) blocks[blockRow + (i >> BlockShift)] = true;
                }
        });
        return blocks;
    }

    /// <summary>Body voxels with a 6-neighbour outside the body (the grid border does not count as outside).</summary>
    private static int[] BodySurface(Volume<byte> labels, CancellationToken ct)
    {
        var g = labels.Geometry;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        var d = labels.Data;
        if (g.VoxelCount > int.MaxValue) throw new GeometryException($"Label map {nx}×{ny}×{nz} is too large to plan on; crop it.");
        var perSlice = new List<int>[nz];
        Parallel.For(0, nz, new ParallelOptions { CancellationToken = ct }, k =>
        {
            var found = new List<int>();
            for (int j = 0; j < ny; j++)
            {
                int row = (k * ny + j) * nx;
                for (int i = 0; i < nx; i++)
                {
                    int n = row + i;
                    if (d[n] == 0) continue;
                    if ((i > 0 && d[n - 1] == 0) || (i < nx - 1 && d[n + 1] == 0) ||
                        (j > 0 && d[n - nx] == 0) || (j < ny - 1 && d[n + nx] == 0) ||
                        (k > 0 && d[n - nx * ny] == 0) || (k < nz - 1 && d[n + nx * ny] == 0))
                        found.Add(n);
                }
            }
            perSlice[k] = found;
        });
        int count = 0;
        foreach (var l in perSlice) count += l.Count;
        var all = new int[count];
        int at = 0;
        foreach (var l in perSlice) { l.CopyTo(all, at); at += l.Count; }
        return all;
    }

    /// <summary>
    /// Skin entry candidates: body-surface voxel centres (LPS mm) thinned to about one per <paramref name="spacingMm"/>
    /// cell, optionally restricted to the non-zero voxels of <paramref name="entryRegion"/> (same grid as the labels).
    /// </summary>
    /// <exception cref="GeometryException">The entry region is on another grid.</exception>
    public Vec3[] EntryCandidates(double spacingMm, Volume<byte>? entryRegion = null)
    {
        var g = Geometry;
        if (entryRegion is not null && !entryRegion.Geometry.ApproximatelyEquals(g))
            throw new GeometryException($"The entry-region mask ({entryRegion.Geometry}) is not on the label map's grid ({g}); resample it onto the label grid first.");
        int si = Math.Max(1, (int)Math.Round(spacingMm / g.Spacing.X));
        int sj = Math.Max(1, (int)Math.Round(spacingMm / g.Spacing.Y));
        int sk = Math.Max(1, (int)Math.Round(spacingMm / g.Spacing.Z));
        int cx = (g.Nx + si - 1) / si, cy = (g.Ny + sj - 1) / sj, cz = (g.Nz + sk - 1) / sk;
        var taken = new bool[(long)cx * cy * cz];
        var result = new List<Vec3>();
        int nx = g.Nx, plane = g.Nx * g.Ny;
        foreach (int n in _surface)
        {
            if (entryRegion is not null && entryRegion.Data[n] == 0) continue;
            int k = n / plane, rem = n - k * plane, j = rem / nx, i = rem - j * nx;
            long cell = ((long)(k / sk) * cy + j / sj) * cx + i / si;
            if (taken[cell]) continue;
            taken[cell] = true;
            result.Add(g.IndexToPhysical(i, j, k));
        }
        return result.ToArray();
    }

    /// <summary>Physical centroid (LPS mm) of the voxels of the named target structure, or of all target voxels when no name is given.</summary>
    /// <exception cref="ImageGuideException">No such structure, or it has no voxels.</exception>
    public Vec3 TargetCentroid(string? name = null)
    {
        var flags = new bool[256];
        foreach (var s in Structures)
            if (name is null ? s.Role == LabelRole.Target : string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                flags[s.Value] = true;
        var g = Geometry;
        double si = 0, sj = 0, sk = 0;
        long count = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
            {
                long row = g.LinearIndex(0, j, k);
                for (int i = 0; i < g.Nx; i++)
                    if (flags[Labels.Data[row + i]]) { si += i; sj += j; sk += k; count++; }
            }
        if (count == 0)
            throw new ImageGuideException(name is null
                ? "The label map has no voxel of a Target structure; give the target point or label the tumour."
                : $"Structure '{name}' is not in the label table or has no voxels in the label map.");
        return g.IndexToPhysical(new Vec3(si / count, sj / count, sk / count));
    }
}

/// <summary>A critical structure and its squared distance map (mm², to its voxel centres).</summary>
/// <param name="Structure">The structure.</param>
/// <param name="SquaredDistance">Squared distance map over the anatomy's <see cref="PlanningAnatomy.Region"/> (its own grid: the label grid's spacing and direction, origin at the region's first voxel).</param>
public sealed record CriticalMap(LabelDefinition Structure, Volume<float> SquaredDistance);
