using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Resamples rescaled input slices onto the orthogonal, uniform output grid of a plan. An output voxel P at depth z
/// along the normal is interpolated linearly between the two input slices that bracket z, at the points where the
/// line through P along the stacking direction meets them; each of those is read bilinearly in-plane. For a stack
/// without shear the in-plane positions are whole pixels, so values are copied and only blended along the normal.
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
            var dst = output.Slice(k);
            // in-plane offsets (in pixels) of each bracketing slice relative to the output's (i, j)
            double du0 = (layout.GridOffsetAlongRow + layout.ShearRow * (depth[s] - z) - layout.OffsetAlongRow[s]) / columnSpacing;
            double dv0 = (layout.GridOffsetAlongColumn + layout.ShearColumn * (depth[s] - z) - layout.OffsetAlongColumn[s]) / rowSpacing;
            double du1 = (layout.GridOffsetAlongRow + layout.ShearRow * (depth[s1] - z) - layout.OffsetAlongRow[s1]) / columnSpacing;
            double dv1 = (layout.GridOffsetAlongColumn + layout.ShearColumn * (depth[s1] - z) - layout.OffsetAlongColumn[s1]) / rowSpacing;
            bool use0 = w < 1 - 1e-12, use1 = w > 1e-12;
            var a = slices[s];
            var b = slices[s1];
            for (int j = 0; j < g.Ny; j++)
            {
                int row = j * g.Nx;
                for (int i = 0; i < g.Nx; i++)
                {
                    double v = 0;
                    bool inside = true;
                    if (use0)
                    {
                        if (TryBilinear(a, rows, cols, i + du0, j + dv0, out double va)) v += (1 - w) * va;
                        else inside = false;
                    }
                    if (use1 && inside)
                    {
                        if (TryBilinear(b, rows, cols, i + du1, j + dv1, out double vb)) v += w * vb;
                        else inside = false;
                    }
                    dst[row + i] = inside ? (float)v : outside;
                }
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
    /// Bilinear value at column u, row v of a slice; false beyond half a pixel outside (the edge value is
    /// extended within that half pixel, as <see cref="Interpolator"/> does).
    /// </summary>
    private static bool TryBilinear(float[] p, int rows, int cols, double u, double v, out double value)
    {
        const double eps = 1e-9;
        if (!(u >= -0.5 - eps && v >= -0.5 - eps && u <= cols - 0.5 + eps && v <= rows - 0.5 + eps)) { value = 0; return false; }
        u = Math.Clamp(u, 0, cols - 1);
        v = Math.Clamp(v, 0, rows - 1);
        int i0 = Math.Min((int)u, Math.Max(cols - 2, 0));
        int j0 = Math.Min((int)v, Math.Max(rows - 2, 0));
        double fu = u - i0, fv = v - j0;
        int di = cols > 1 ? 1 : 0, dj = rows > 1 ? cols : 0;
        int b = j0 * cols + i0;
        double c00 = p[b], c10 = p[b + di], c01 = p[b + dj], c11 = p[b + dj + di];
        double top = fu == 0 ? c00 : c00 + (c10 - c00) * fu;
        double bottom = fu == 0 ? c01 : c01 + (c11 - c01) * fu;
        value = fv == 0 ? top : top + (bottom - top) * fv;
        return true;
    }
}
