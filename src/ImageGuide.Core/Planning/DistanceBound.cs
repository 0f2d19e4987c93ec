using System.Buffers;
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
    /// <summary>
    /// Lower bound (mm) of the distance from continuous index (x, y, z) of the label grid to the point set of a map that
    /// covers the box of <paramref name="g"/>'s size starting at voxel <paramref name="o"/> (the planning region). Indices
    /// are kept in label-grid terms so that a box map gives bit for bit the value of the whole-volume map inside the box.
    /// </summary>
    public static double AtIndex(float[] sq, VolumeGeometry g, (int I, int J, int K) o, double x, double y, double z)
    {
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        double sx = g.Spacing.X, sy = g.Spacing.Y, sz = g.Spacing.Z;
        double cx = Math.Clamp(x, o.I, o.I + nx - 1), cy = Math.Clamp(y, o.J, o.J + ny - 1), cz = Math.Clamp(z, o.K, o.K + nz - 1);
        double ox = (x - cx) * sx, oy = (y - cy) * sy, oz = (z - cz) * sz;
        double outside = ox == 0 && oy == 0 && oz == 0 ? 0 : Math.Sqrt(ox * ox + oy * oy + oz * oz);

        int i0 = Math.Min((int)cx, o.I + Math.Max(nx - 2, 0));
        int j0 = Math.Min((int)cy, o.J + Math.Max(ny - 2, 0));
        int k0 = Math.Min((int)cz, o.K + Math.Max(nz - 2, 0));
        double fx = cx - i0, fy = cy - j0, fz = cz - k0;
        int di = nx > 1 ? 1 : 0;
        int dj = ny > 1 ? nx : 0;
        int dk = nz > 1 ? nx * ny : 0;
        int b = ((k0 - o.K) * ny + j0 - o.J) * nx + i0 - o.I;
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
    /// Lower bound (mm) of the minimum distance from the segment a → b (continuous label-grid indices) to the point set of
    /// a map over the box at <paramref name="o"/> (see <see cref="AtIndex"/>), by
    /// best-first branch and bound. Between two samples with bounds L1, L2 a distance h apart the 1-Lipschitz distance is
    /// at least min over δ ∈ [0, h] of max(L1 − δ, L2 − (h − δ)). The intervals cover the segment and each one's bound is
    /// valid, so the smallest bound B is never above the true minimum; the interval holding B is halved until B is within
    /// the tolerance of the smallest sample U (or the interval is at most <paramref name="stepMm"/> long, where
    /// B ≥ U − step / 2). The tolerance is half a step while B is below <paramref name="preciseBelowMm"/> and grows by
    /// <paramref name="relativeTolerance"/> of the excess above it, so far-away structures cost a few samples.
    /// </summary>
    public static double OnSegment(float[] sq, VolumeGeometry g, (int I, int J, int K) o, Vec3 a, Vec3 b, double stepMm,
        double preciseBelowMm = double.PositiveInfinity, double relativeTolerance = 0)
    {
        var s = g.Spacing;
        Vec3 delta = b - a;
        double length = Math.Sqrt(delta.X * delta.X * s.X * s.X + delta.Y * delta.Y * s.Y * s.Y + delta.Z * delta.Z * s.Z * s.Z);
        double start = AtIndex(sq, g, o, a.X, a.Y, a.Z);
        if (length < 1e-9) return start;
        double end = AtIndex(sq, g, o, b.X, b.Y, b.Z);
        double lowest = Math.Min(start, end), halfStep = 0.5 * stepMm;

        // Leaves are disjoint, cover the segment and are longer than half a step, so this many always fit.
        int capacity = 2 * (int)Math.Min(int.MaxValue / 4, Math.Ceiling(length / stepMm)) + 2;
        var heap = ArrayPool<Interval>.Shared.Rent(capacity);
        try
        {
            int count = 0;
            Push(heap, ref count, new Interval(0, length, start, end));
            while (true)
            {
                var top = Pop(heap, ref count);
                double bound = top.Bound;
                double tolerance = bound > preciseBelowMm ? Math.Max(halfStep, relativeTolerance * (bound - preciseBelowMm)) : halfStep;
                if (top.T2 - top.T1 <= stepMm || lowest - bound <= tolerance) return bound;
                double tm = 0.5 * (top.T1 + top.T2), u = tm / length;
                double lm = AtIndex(sq, g, o, a.X + delta.X * u, a.Y + delta.Y * u, a.Z + delta.Z * u);
                lowest = Math.Min(lowest, lm);
                Push(heap, ref count, new Interval(top.T1, tm, top.L1, lm));
                Push(heap, ref count, new Interval(tm, top.T2, lm, top.L2));
            }
        }
        finally
        {
            ArrayPool<Interval>.Shared.Return(heap);
        }
    }

    /// <summary>A piece [T1, T2] (mm along the segment) with the bounds L1, L2 at its ends and the bound over it.</summary>
    private readonly struct Interval
    {
        public Interval(double t1, double t2, double l1, double l2)
        {
            T1 = t1; T2 = t2; L1 = l1; L2 = l2;
            double h = t2 - t1, cross = (l1 - l2 + h) / 2;
            Bound = cross <= 0 ? l2 - h : cross >= h ? l1 - h : (l1 + l2 - h) / 2;
        }

        public readonly double T1, T2, L1, L2, Bound;
    }

    private static void Push(Interval[] heap, ref int count, Interval item)
    {
        int n = count++;
        while (n > 0)
        {
            int parent = (n - 1) >> 1;
            if (heap[parent].Bound <= item.Bound) break;
            heap[n] = heap[parent];
            n = parent;
        }
        heap[n] = item;
    }

    private static Interval Pop(Interval[] heap, ref int count)
    {
        var top = heap[0];
        var last = heap[--count];
        int n = 0;
        while (true)
        {
            int child = 2 * n + 1;
            if (child >= count) break;
            if (child + 1 < count && heap[child + 1].Bound < heap[child].Bound) child++;
            if (heap[child].Bound >= last.Bound) break;
            heap[n] = heap[child];
            n = child;
        }
        if (count > 0) heap[n] = last;
        return top;
    }
}
