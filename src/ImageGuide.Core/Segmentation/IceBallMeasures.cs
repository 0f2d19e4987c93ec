using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>Extent of an ice ball: principal axes of its voxels and its length along each (largest first).</summary>
/// <param name="LongMm">Extent along the first principal axis, mm.</param>
/// <param name="MidMm">Extent along the second principal axis, mm.</param>
/// <param name="ShortMm">Extent along the third principal axis, mm.</param>
/// <param name="Centroid">Centre of mass (LPS mm).</param>
/// <param name="LongAxis">Unit vector of the first principal axis.</param>
/// <param name="MidAxis">Unit vector of the second principal axis.</param>
/// <param name="ShortAxis">Unit vector of the third principal axis.</param>
public sealed record IceBallDiameters(double LongMm, double MidMm, double ShortMm, Vec3 Centroid, Vec3 LongAxis, Vec3 MidAxis, Vec3 ShortAxis);

/// <summary>
/// The measurements of the ice-ball report, usable on any mask (a segmentation or a ground truth) so that both are measured
/// with the same definitions. Distances are between voxel centres by exact Euclidean distance transforms
/// (<see cref="DistanceTransform"/>), with the edge of a mask taken half a voxel (half the smallest spacing) beyond its
/// outermost voxel centres.
/// </summary>
public static class IceBallMeasures
{
    /// <summary>Volume of the non-zero voxels in millilitres.</summary>
    public static double VolumeMl(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var s = mask.Geometry.Spacing;
        return Count(mask.Data) * s.X * s.Y * s.Z / 1000.0;
    }

    /// <summary>
    /// Principal axes of the mask's voxel centres and the extent along each: the spread of the centres' projections plus
    /// one voxel's length along that axis. Null for an empty mask.
    /// </summary>
    public static IceBallDiameters? Diameters(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var pts = Points(mask);
        if (pts.Count == 0) return null;
        var (c, cov) = SymmetricEigen3.Moments(pts);
        var axes = SymmetricEigen3.Decompose(cov).Vectors;
        var ext = new double[3];
        var g = mask.Geometry;
        for (int a = 0; a < 3; a++)
        {
            double lo = double.MaxValue, hi = double.MinValue;
            foreach (var p in pts)
            {
                double t = Vec3.Dot(p - c, axes[a]);
                lo = Math.Min(lo, t); hi = Math.Max(hi, t);
            }
            var idx = g.PhysicalVectorToIndex(axes[a]);
            ext[a] = hi - lo + Math.Abs(idx.X) * g.Spacing.X * g.Spacing.X + Math.Abs(idx.Y) * g.Spacing.Y * g.Spacing.Y + Math.Abs(idx.Z) * g.Spacing.Z * g.Spacing.Z;
        }
        var order = new[] { 0, 1, 2 };
        Array.Sort(order, (x, y) => ext[y].CompareTo(ext[x]));
        return new IceBallDiameters(ext[order[0]], ext[order[1]], ext[order[2]], c, axes[order[0]], axes[order[1]], axes[order[2]]);
    }

    /// <summary>
    /// The lethal zone: voxels of <paramref name="iceBall"/> at least <paramref name="insetMm"/> inside its edge (the 0 °C
    /// isotherm). A voxel's depth is its distance to the nearest voxel outside minus half a voxel.
    /// </summary>
    public static Volume<byte> LethalZone(Volume<byte> iceBall, double insetMm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iceBall);
        var g = iceBall.Geometry;
        var result = new Volume<byte>(g);
        var box = GridBox.OfNonZero(iceBall, 1);
        if (box.IsEmpty) return result;
        var crop = box.Crop(iceBall);
        var d2 = DistanceTransform.Squared(crop, DistanceTransform.NonZeroFlags(invert: true), cancellationToken);
        double half = HalfVoxel(g);
        var lethal = new Volume<byte>(crop.Geometry);
        for (long n = 0; n < crop.Data.LongLength; n++)
            lethal.Data[n] = (byte)(crop.Data[n] != 0 && Math.Sqrt(d2.Data[n]) - half >= insetMm ? 1 : 0);
        box.Paste(lethal, result);
        return result;
    }

    /// <summary>Fraction (0–1) of the target's voxels inside the lethal zone; null when the target is empty.</summary>
    public static double? Coverage(Volume<byte> target, Volume<byte> lethalZone)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(lethalZone);
        RequireSameGrid(target, lethalZone);
        long t = 0, covered = 0;
        for (long n = 0; n < target.Data.LongLength; n++)
        {
            if (target.Data[n] == 0) continue;
            t++;
            if (lethalZone.Data[n] != 0) covered++;
        }
        return t == 0 ? null : (double)covered / t;
    }

    /// <summary>
    /// Smallest signed margin (mm) from the target's surface to the lethal edge: positive when the lethal zone encloses the
    /// target with that much to spare, negative by how far the target reaches beyond it. Null when the target is empty,
    /// −∞ when the lethal zone is.
    /// </summary>
    public static double? MinMarginMm(Volume<byte> target, Volume<byte> lethalZone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(lethalZone);
        RequireSameGrid(target, lethalZone);
        var tBox = GridBox.OfNonZero(target, 0);
        if (tBox.IsEmpty) return null;
        var lBox = GridBox.OfNonZero(lethalZone, 0);
        if (lBox.IsEmpty) return double.NegativeInfinity;
        var g = target.Geometry;
        var box = new GridBox(Math.Min(tBox.I0, lBox.I0), Math.Min(tBox.J0, lBox.J0), Math.Min(tBox.K0, lBox.K0),
            Math.Max(tBox.I1, lBox.I1), Math.Max(tBox.J1, lBox.J1), Math.Max(tBox.K1, lBox.K1)).Grow(g, 2 * Math.Max(g.Spacing.X, Math.Max(g.Spacing.Y, g.Spacing.Z)));
        var sd = DistanceTransform.Signed(box.Crop(lethalZone), cancellationToken);
        var t = box.Crop(target);
        double half = HalfVoxel(g), best = double.PositiveInfinity;
        for (long n = 0; n < t.Data.LongLength; n++)
            if (t.Data[n] != 0) best = Math.Min(best, -EdgeDistance(sd.Data[n], half));
        return best;
    }

    /// <summary>
    /// Smallest signed distance (mm) from the ice edge to each critical structure of the table (role Critical) present in
    /// <paramref name="labels"/> — negative when the ice reaches into it — and to the skin ("skin": the body surface, when
    /// the table has Body labels). Null values: farther than <paramref name="reachMm"/> from the ice (or no ice).
    /// </summary>
    public static IReadOnlyDictionary<string, double?> CriticalDistancesMm(Volume<byte> iceBall, Volume<byte> labels, LabelTable table,
        double reachMm, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iceBall);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(table);
        RequireSameGrid(iceBall, labels);
        var present = new bool[256];
        foreach (byte v in labels.Data) present[v] = true;
        var critical = table.WithRole(LabelRole.Critical).Where(d => present[d.Value]).ToList();
        bool hasBody = table.Labels.Any(d => d.Role == LabelRole.Body && present[d.Value]);
        var result = new Dictionary<string, double?>(StringComparer.OrdinalIgnoreCase);
        foreach (var d in critical) result[d.Name] = null;
        if (hasBody) result[SkinKey] = null;
        var g = iceBall.Geometry;
        var iceBox = GridBox.OfNonZero(iceBall, 0);
        if (iceBox.IsEmpty || result.Count == 0) return result;
        var box = iceBox.Grow(g, reachMm);
        var sd = DistanceTransform.Signed(box.Crop(iceBall), cancellationToken);
        var lab = box.Crop(labels);
        var best = new double[256];
        Array.Fill(best, double.PositiveInfinity);
        double outside = double.PositiveInfinity, half = HalfVoxel(g);
        for (long n = 0; n < lab.Data.LongLength; n++)
        {
            double e = EdgeDistance(sd.Data[n], half);
            byte v = lab.Data[n];
            if (e < best[v]) best[v] = e;
            if (v == 0 && e < outside) outside = e;
        }
        foreach (var d in critical) result[d.Name] = best[d.Value] <= reachMm ? best[d.Value] : null;
        if (hasBody) result[SkinKey] = outside <= reachMm ? outside : null;
        return result;
    }

    /// <summary>Key of the body-surface distance in <see cref="CriticalDistancesMm"/>.</summary>
    public const string SkinKey = "skin";

    /// <summary>Dice overlap 2|A∩B| / (|A| + |B|) of two masks on one grid (1 when both are empty).</summary>
    public static double Dice(Volume<byte> a, Volume<byte> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        RequireSameGrid(a, b);
        long na = 0, nb = 0, both = 0;
        for (long n = 0; n < a.Data.LongLength; n++)
        {
            bool x = a.Data[n] != 0, y = b.Data[n] != 0;
            if (x) na++;
            if (y) nb++;
            if (x && y) both++;
        }
        return na + nb == 0 ? 1 : 2.0 * both / (na + nb);
    }

    /// <summary>Mean symmetric distance (mm) between the surface voxels of two masks (each surface to the other mask's surface).</summary>
    public static double MeanSurfaceDistanceMm(Volume<byte> a, Volume<byte> b, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        RequireSameGrid(a, b);
        var sa = Surface(a);
        var sb = Surface(b);
        var da = DistanceTransform.Unsigned(sa, cancellationToken);
        var db = DistanceTransform.Unsigned(sb, cancellationToken);
        double sum = 0;
        long count = 0;
        for (long n = 0; n < sa.Data.LongLength; n++)
        {
            if (sa.Data[n] != 0) { sum += db.Data[n]; count++; }
            if (sb.Data[n] != 0) { sum += da.Data[n]; count++; }
        }
        return count == 0 ? 0 : sum / count;
    }

    /// <summary>Mask voxels with at least one 6-neighbour outside the mask (or on the grid border).</summary>
    public static Volume<byte> Surface(Volume<byte> mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var g = mask.Geometry;
        var result = new Volume<byte>(g);
        var d = mask.Data;
        long nx = g.Nx, plane = nx * g.Ny;
        Parallel.For(0, g.Nz, k =>
        {
            for (int j = 0; j < g.Ny; j++)
            {
                long n = g.LinearIndex(0, j, k);
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    if (d[n] == 0) continue;
                    bool edge = i == 0 || j == 0 || k == 0 || i == g.Nx - 1 || j == g.Ny - 1 || k == g.Nz - 1 ||
                        d[n - 1] == 0 || d[n + 1] == 0 || d[n - nx] == 0 || d[n + nx] == 0 || d[n - plane] == 0 || d[n + plane] == 0;
                    if (edge) result.Data[n] = 1;
                }
            }
        });
        return result;
    }

    /// <summary>Signed distance at a voxel centre converted to the distance from the mask's edge (half a voxel beyond its centres).</summary>
    internal static double EdgeDistance(float signed, double half) => signed > 0 ? signed - half : signed + half;

    internal static double HalfVoxel(VolumeGeometry g) => 0.5 * Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z));

    internal static long Count(byte[] data)
    {
        long c = 0;
        foreach (byte v in data) if (v != 0) c++;
        return c;
    }

    private static List<Vec3> Points(Volume<byte> mask)
    {
        var g = mask.Geometry;
        var pts = new List<Vec3>();
        var box = GridBox.OfNonZero(mask, 0);
        for (int k = box.K0; k < box.K1; k++)
            for (int j = box.J0; j < box.J1; j++)
            {
                long n = g.LinearIndex(box.I0, j, k);
                for (int i = box.I0; i < box.I1; i++, n++)
                    if (mask.Data[n] != 0) pts.Add(g.IndexToPhysical(i, j, k));
            }
        return pts;
    }

    internal static void RequireSameGrid<TA, TB>(Volume<TA> a, Volume<TB> b) where TA : unmanaged where TB : unmanaged
    {
        if (!a.Geometry.ApproximatelyEquals(b.Geometry, 1e-3))
            throw new SegmentationException($"Masks lie on different grids ({a.Geometry} and {b.Geometry}); resample one onto the other first.");
    }
}
