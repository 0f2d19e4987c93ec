using System.Buffers;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Resamples rescaled input slices onto the orthogonal, uniform output grid of a plan. An output voxel P at depth z
/// along the normal is interpolated linearly between the two input slices that bracket z, at the points where the
/// line through P along the stacking direction meets them; each of those is read bilinearly in-plane. Within one
/// output plane the in-plane offset of each bracketing slice is constant, so the bilinear weights are too; for a
/// stack without shear the offsets are whole pixels and values are only blended along the normal. Positions more
/// than half a pixel outside a slice give the outside value; within that half pixel the edge value is extended
/// (as <see cref="Interpolator"/> does).
/// </summary>
internal static class SliceStackResampler
{
    public static void Resample(float[][] slices, int rows, int cols, double columnSpacing, double rowSpacing, StackLayout layout,
        Volume<float> output, float outside, IProgress<double>? progress, double progressStart, CancellationToken cancellationToken)
    {
        var g = output.Geometry;
        var depth = layout.Depth;
        int last = slices.Length - 1;
        int done = 0;
        var po = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, g.Nz, po, k =>
        {
            double z = Math.Clamp(k * g.Spacing.Z, 0, depth[last]);
            int s = Bracket(depth, z);
            int s1 = Math.Min(s + 1, last);
            double w = s1 == s ? 0 : Math.Clamp((z - depth[s]) / (depth[s1] - depth[s]), 0, 1);
            double du0 = (layout.GridOffsetAlongRow + layout.ShearRow * (depth[s] - z) - layout.OffsetAlongRow[s]) / columnSpacing;
            double dv0 = (layout.GridOffsetAlongColumn + layout.ShearColumn * (depth[s] - z) - layout.OffsetAlongColumn[s]) / rowSpacing;
            double du1 = (layout.GridOffsetAlongRow + layout.ShearRow * (depth[s1] - z) - layout.OffsetAlongRow[s1]) / columnSpacing;
            double dv1 = (layout.GridOffsetAlongColumn + layout.ShearColumn * (depth[s1] - z) - layout.OffsetAlongColumn[s1]) / rowSpacing;
            bool use0 = w < 1 - 1e-12, use1 = w > 1e-12;
            var dst = output.Slice(k);
            double[] acc = ArrayPool<double>.Shared.Rent(g.Nx);
            bool[] valid = ArrayPool<bool>.Shared.Rent(g.Nx);
            try
            {
                var a = acc.AsSpan(0, g.Nx);
                var ok = valid.AsSpan(0, g.Nx);
                for (int j = 0; j < g.Ny; j++)
                {
                    a.Clear();
                    ok.Fill(true);
                    if (use0) AccumulateRow(slices[s], rows, cols, j + dv0, du0, 1 - w, a, ok);
                    if (use1) AccumulateRow(slices[s1], rows, cols, j + dv1, du1, w, a, ok);
                    var row = dst.Slice(j * g.Nx, g.Nx);
                    for (int i = 0; i < row.Length; i++) row[i] = ok[i] ? (float)a[i] : outside;
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(acc);
                ArrayPool<bool>.Shared.Return(valid);
            }
            progress?.Report(progressStart + (1 - progressStart) * Interlocked.Increment(ref done) / g.Nz);
        });
    }

    /// <summary>Largest s ≤ count − 2 with depth[s] ≤ z (0 for a single slice).</summary>
    private static int Bracket(double[] depth, double z)
    {
        int lo = 0, hi = Math.Max(0, depth.Length - 2);
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (depth[mid] <= z) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>
    /// Adds <paramref name="weight"/> × the bilinear value at (column i + du, row v) of slice <paramref name="p"/>
    /// to acc[i] for every output column i, clearing ok[i] where the point is outside the slice.
    /// </summary>
    private static void AccumulateRow(float[] p, int rows, int cols, double v, double du, double weight, Span<double> acc, Span<bool> ok)
    {
        const double eps = 1e-9;
        if (!(v >= -0.5 - eps && v <= rows - 0.5 + eps)) { ok.Clear(); return; }
        v = Math.Clamp(v, 0, rows - 1);
        int j0 = Math.Min((int)v, Math.Max(rows - 2, 0));
        double fv = v - j0;
        var top = p.AsSpan(j0 * cols, cols);
        var bottom = rows > 1 ? p.AsSpan((j0 + 1) * cols, cols) : top;
        double fl = Math.Floor(du);
        double fu = du - fl;
        int shift = (int)fl;
        // interior: i0 = i + shift and i0 + 1 both inside the slice
        int iStart = Math.Max(0, -shift), iEnd = Math.Min(acc.Length, cols - 1 - shift);
        for (int i = 0; i < Math.Min(iStart, acc.Length); i++) Edge(top, bottom, cols, i + du, fv, weight, ref acc[i], ref ok[i]);
        for (int i = Math.Max(iEnd, iStart); i < acc.Length; i++) Edge(top, bottom, cols, i + du, fv, weight, ref acc[i], ref ok[i]);
        for (int i = iStart; i < iEnd; i++)
        {
            int i0 = i + shift;
            double t = top[i0] + (top[i0 + 1] - top[i0]) * fu;
            double b = bottom[i0] + (bottom[i0 + 1] - bottom[i0]) * fu;
            acc[i] += weight * (t + (b - t) * fv);
        }
    }

    /// <summary>One sample near or beyond a slice's left/right edge.</summary>
    private static void Edge(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, int cols, double u, double fv, double weight, ref double acc, ref bool ok)
    {
        const double eps = 1e-9;
        if (!(u >= -0.5 - eps && u <= cols - 0.5 + eps)) { ok = false; return; }
        u = Math.Clamp(u, 0, cols - 1);
        int i0 = Math.Min((int)u, Math.Max(cols - 2, 0));
        int i1 = cols > 1 ? i0 + 1 : i0;
        double fu = u - i0;
        double t = top[i0] + (top[i1] - top[i0]) * fu;
        double b = bottom[i0] + (bottom[i1] - bottom[i0]) * fu;
        acc += weight * (t + (b - t) * fv);
    }
}
