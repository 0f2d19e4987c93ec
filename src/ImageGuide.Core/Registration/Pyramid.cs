using ImageGuide.Imaging;
namespace ImageGuide.Registration;

/// <summary>
/// Gaussian smoothing in physical units and the shrink pyramid used by multi-resolution registration.
/// Deterministic: every output voxel depends only on the input, never on the thread count.
/// </summary>
public static class Pyramid
{
    /// <summary>
    /// Separable discrete Gaussian smoothing with standard deviation <paramref name="sigmaMm"/> in millimetres
    /// (converted per axis with the voxel spacing; the kernel is truncated at 3σ, normalised, and the
    /// image edge is replicated). A σ of 0 returns a copy.
    /// </summary>
    /// <param name="volume">Image to smooth.</param>
    /// <param name="sigmaMm">Standard deviation in mm, ≥ 0.</param>
    /// <param name="maxDegreeOfParallelism">Thread limit (−1: no limit).</param>
    /// <param name="cancellationToken">Cancels between lines.</param>
    public static Volume<float> Smooth(Volume<float> volume, double sigmaMm, int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (!(sigmaMm >= 0) || !double.IsFinite(sigmaMm))
            throw new ArgumentOutOfRangeException(nameof(sigmaMm), sigmaMm, "Smoothing σ must be a finite number ≥ 0 mm.");
        return SmoothAxes(volume, new Vec3(sigmaMm, sigmaMm, sigmaMm), maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>
    /// One pyramid level: smooth by <paramref name="sigmaMm"/>, then resample (trilinear) onto the grid
    /// <see cref="VolumeGeometry.Shrink"/> gives for <paramref name="shrinkFactor"/> (the physical extent is kept).
    /// An axis is shrunk by at most a quarter of its length, so it keeps at least 4 voxels.
    /// <para>
    /// For speed on large images, part of the smoothing is done by averaging b-voxel blocks (variance (b²−1)/12
    /// voxels², b ≤ the shrink factor), which shrinks the grid at the same time; the remaining variance is applied
    /// as a Gaussian on the reduced grid. The total variance equals σ².
    /// </para>
    /// <para>
    /// With <paramref name="targetSpacingMm"/>, an axis is shrunk only as far as that spacing: by the largest integer
    /// factor ≤ <paramref name="shrinkFactor"/> whose spacing does not exceed it, so thick slices are not coarsened
    /// further than the other image's thin ones (pass shrink factor × the finest spacing of both images).
    /// </para>
    /// </summary>
    public static Volume<float> Level(Volume<float> volume, int shrinkFactor, double sigmaMm, int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default, double? targetSpacingMm = null)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentOutOfRangeException.ThrowIfLessThan(shrinkFactor, 1);
        if (!(sigmaMm >= 0) || !double.IsFinite(sigmaMm))
            throw new ArgumentOutOfRangeException(nameof(sigmaMm), sigmaMm, "Smoothing σ must be a finite number ≥ 0 mm.");
        var g = volume.Geometry;
        if (targetSpacingMm is { } t && !(t > 0))
            throw new ArgumentOutOfRangeException(nameof(targetSpacingMm), t, "The target spacing must be > 0 mm.");
        int fx = AxisFactor(g.Nx, Limit(shrinkFactor, g.Spacing.X, targetSpacingMm)), fy = AxisFactor(g.Ny, Limit(shrinkFactor, g.Spacing.Y, targetSpacingMm)),
            fz = AxisFactor(g.Nz, Limit(shrinkFactor, g.Spacing.Z, targetSpacingMm));
        if (fx == 1 && fy == 1 && fz == 1) return Smooth(volume, sigmaMm, maxDegreeOfParallelism, cancellationToken);
        int bx = BlockFactor(fx, sigmaMm, g.Spacing.X), by = BlockFactor(fy, sigmaMm, g.Spacing.Y), bz = BlockFactor(fz, sigmaMm, g.Spacing.Z);
        var reduced = bx * by * bz > 1 ? BlockAverage(volume, bx, by, bz, maxDegreeOfParallelism, cancellationToken) : volume;
        var residual = new Vec3(Residual(sigmaMm, bx, g.Spacing.X), Residual(sigmaMm, by, g.Spacing.Y), Residual(sigmaMm, bz, g.Spacing.Z));
        var smoothed = SmoothAxes(reduced, residual, maxDegreeOfParallelism, cancellationToken);
        return Resampler.Resample(smoothed, g.Shrink(fx, fy, fz), null, InterpolationMode.Linear, 0f, cancellationToken);
    }

    /// <summary>The shrink factor limited so the axis spacing stays ≤ the target (at least 1).</summary>
    private static int Limit(int factor, double spacing, double? target) =>
        target is { } t ? Math.Clamp((int)Math.Floor(t / spacing + 1e-6), 1, factor) : factor;

    /// <summary>The factor actually used along an axis of <paramref name="n"/> voxels: at most n/4, at least 1.</summary>
    private static int AxisFactor(int n, int factor) => Math.Max(1, Math.Min(factor, n / 4));

    /// <summary>Largest block width b ≤ <paramref name="factor"/> whose box variance (b²−1)/12·s² does not exceed σ².</summary>
    private static int BlockFactor(int factor, double sigmaMm, double spacing) =>
        Math.Max(1, Math.Min(factor, (int)Math.Floor(Math.Sqrt(12 * sigmaMm * sigmaMm / (spacing * spacing) + 1))));

    private static double Residual(double sigmaMm, int b, double spacing) =>
        Math.Sqrt(Math.Max(0, sigmaMm * sigmaMm - (b * b - 1) / 12.0 * spacing * spacing));

    /// <summary>Mean of each b-voxel block; the grid keeps the input's outer corner (trailing partial blocks are dropped).</summary>
    private static Volume<float> BlockAverage(Volume<float> volume, int bx, int by, int bz, int maxDegreeOfParallelism, CancellationToken ct)
    {
        var g = volume.Geometry;
        int nx = g.Nx / bx, ny = g.Ny / by, nz = g.Nz / bz;
        var spacing = new Vec3(g.Spacing.X * bx, g.Spacing.Y * by, g.Spacing.Z * bz);
        var corner = g.IndexToPhysical(new Vec3(-0.5, -0.5, -0.5));
        var rg = new VolumeGeometry(nx, ny, nz, spacing, corner + g.Direction * (spacing / 2), g.Direction);
        var result = new Volume<float>(rg, volume.Metadata);
        var src = volume.Data;
        var dst = result.Data;
        float inv = 1f / (bx * by * bz);
        var po = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = ct };
        Parallel.For(0, nz, po, k =>
        {
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    float sum = 0;
                    for (int c = 0; c < bz; c++)
                        for (int b = 0; b < by; b++)
                        {
                            long n = g.LinearIndex(i * bx, j * by + b, k * bz + c);
                            for (int a = 0; a < bx; a++) sum += src[n + a];
                        }
                    dst[rg.LinearIndex(i, j, k)] = sum * inv;
                }
        });
        return result;
    }

    /// <summary>Separable Gaussian with a separate σ (mm) per axis, into a new volume.</summary>
    private static Volume<float> SmoothAxes(Volume<float> volume, Vec3 sigmaMm, int maxDegreeOfParallelism, CancellationToken ct)
    {
        var g = volume.Geometry;
        var src = (float[])volume.Data.Clone();
        var tmp = new float[src.Length];
        var po = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = ct };
        int[] n = [g.Nx, g.Ny, g.Nz];
        long[] stride = [1, g.Nx, (long)g.Nx * g.Ny];
        for (int axis = 0; axis < 3; axis++)
        {
            double sigmaVox = sigmaMm[axis] / g.Spacing[axis];
            if (n[axis] < 2 || sigmaVox < 0.1) continue;
            float[] kernel = GaussianKernel(sigmaVox);
            SmoothAxis(src, tmp, n, stride, axis, kernel, po);
            (src, tmp) = (tmp, src);
        }
        return new Volume<float>(g, src, volume.Metadata);
    }

    /// <summary>Normalised Gaussian kernel sampled at integer offsets −r..r with r = ⌈3σ⌉.</summary>
    internal static float[] GaussianKernel(double sigmaVox)
    {
        int r = Math.Max(1, (int)Math.Ceiling(3 * sigmaVox));
        var k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.Exp(-0.5 * i * i / (sigmaVox * sigmaVox));
        var f = new float[k.Length];
        for (int i = 0; i < k.Length; i++) f[i] = (float)(k[i] / sum);
        return f;
    }

    private static void SmoothAxis(float[] src, float[] dst, int[] n, long[] stride, int axis, float[] kernel, ParallelOptions po)
    {
        // lines run along `axis`; enumerate them by the two other axes
        int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
        int len = n[axis], r = kernel.Length / 2;
        long s = stride[axis];
        Parallel.For(0, n[a2], po, () => new float[len], (int c2, ParallelLoopState _, float[] line) =>
        {
            for (int c1 = 0; c1 < n[a1]; c1++)
            {
                long start = c1 * stride[a1] + c2 * stride[a2];
                for (int i = 0; i < len; i++) line[i] = src[start + i * s];
                for (int i = 0; i < len; i++)
                {
                    float acc = 0;
                    for (int t = -r; t <= r; t++)
                    {
                        int q = Math.Clamp(i + t, 0, len - 1);
                        acc += kernel[t + r] * line[q];
                    }
                    dst[start + i * s] = acc;
                }
            }
            return line;
        }, _ => { });
    }
}
