using ImageGuide.Imaging;
namespace ImageGuide.Planning;

/// <summary>
/// Conservative reads of a squared Euclidean distance map. The squared distance to a point set, minus |p|², is a
/// minimum of affine functions of p and hence concave; by Jensen's inequality over the trilinear weights w_c (which
/// reproduce p exactly) the true distance satisfies D(p)² ≥ Σ w_c D(c)² − Σ w_c |c − p|², and the last term is
/// Σ_axes s_a² f_a (1 − f_a). This lower bound is exact at voxel centres and loses only a few hundredths of a mm a few mm
/// away from a structure, where a plain trilinear read of D could be wrong by half a voxel diagonal.
/// </summary>
internal static class DistanceBound
{
    /// <summary>Lower bound (mm) of the distance from continuous index (x, y, z) to the map's point set.</summary>
    public static double AtIndex(float[] sq, VolumeGeometry g, double x, double y, double z)
    {
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        double sx = g.Spacing.X, sy = g.Spacing.Y, sz = g.Spacing.Z;
        double cx = Math.Clamp(x, 0, nx - 1), cy = Math.Clamp(y, 0, ny - 1), cz = Math.Clamp(z, 0, nz - 1);
        double ox = (x - cx) * sx, oy = (y - cy) * sy, oz = (z - cz) * sz;
        double outside = ox == 0 && oy == 0 && oz == 0 ? 0 : Math.Sqrt(ox * ox + oy * oy + oz * oz);

        int i0 = Math.Min((int)cx, Math.Max(nx - 2, 0));
        int j0 = Math.Min((int)cy, Math.Max(ny - 2, 0));
        int k0 = Math.Min((int)cz, Math.Max(nz - 2, 0));
        double fx = cx - i0, fy = cy - j0, fz = cz - k0;
        int di = nx > 1 ? 1 : 0;
        int dj = ny > 1 ? nx : 0;
        int dk = nz > 1 ? nx * ny : 0;
        int b = (k0 * ny + j0) * nx + i0;
        double c00 = sq[b] + (sq[b + di] - (double)sq[b]) * fx;
        double c10 = sq[b + dj] + (sq[b + dj + di] - (double)sq[b + dj]) * fx;
        double c01 = sq[b + dk] + (sq[b + dk + di] - (double)sq[b + dk]) * fx;
        double c11 = sq[b + dk + dj] + (sq[b + dk + dj + di] - (double)sq[b + dk + dj]) * fx;
        double c0 = c00 + (c10 - c00) * fy, c1 = c01 + (c11 - c01) * fy;
        double interp = c0 + (c1 - c0) * fz;
        double variance = sx * sx * fx * (1 - fx) + sy * sy * fy * (1 - fy) + sz * sz * fz * (1 - fz);
        double d2 = interp - variance;
        return (d2 > 0 ? Math.Sqrt(d2) : 0) - outside;
    }

    /// <summary>
    /// Lower bound (mm) of the minimum distance from the segment a → b (continuous indices) to the map's point set.
    /// A first pass with steps proportional to the distance finds the smallest sampled bound m; the second pass steps
    /// max(h, L − m), so samples are <paramref name="stepMm"/> apart wherever the path comes near m and farther apart
    /// elsewhere. Between two samples with bounds L1, L2 a distance h apart the 1-Lipschitz distance is at least the
    /// minimum over the interval of max(L1 − δ, L2 − (h − δ)); the result is the smallest of these interval bounds, so
    /// it is never above the true minimum and at most about half a step below it.
    /// </summary>
    public static double OnSegment(float[] sq, VolumeGeometry g, Vec3 a, Vec3 b, double stepMm)
    {
        var s = g.Spacing;
        Vec3 delta = b - a;
        double length = Math.Sqrt(delta.X * delta.X * s.X * s.X + delta.Y * delta.Y * s.Y * s.Y + delta.Z * delta.Z * s.Z * s.Z);
        double start = AtIndex(sq, g, a.X, a.Y, a.Z);
        if (length < 1e-9) return start;

        double lowest = start, l = start;
        for (double t = 0; t < length;)
        {
            t = Math.Min(length, t + Math.Max(stepMm, 0.5 * l));
            double u = t / length;
            l = AtIndex(sq, g, a.X + delta.X * u, a.Y + delta.Y * u, a.Z + delta.Z * u);
            lowest = Math.Min(lowest, l);
        }

        double best = start, l1 = start;
        for (double t = 0; t < length;)
        {
            double t2 = Math.Min(length, t + Math.Max(stepMm, l1 - lowest));
            double h = t2 - t, u = t2 / length;
            double l2 = AtIndex(sq, g, a.X + delta.X * u, a.Y + delta.Y * u, a.Z + delta.Z * u);
            double cross = (l1 - l2 + h) / 2;
            double between = cross <= 0 ? l2 - h : cross >= h ? l1 - h : (l1 + l2 - h) / 2;
            best = Math.Min(best, Math.Min(between, l2));
            l1 = l2;
            t = t2;
        }
        return best;
    }
}
