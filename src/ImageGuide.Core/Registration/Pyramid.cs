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
        var g = volume.Geometry;
        var src = (float[])volume.Data.Clone();
        if (sigmaMm == 0) return new Volume<float>(g, src, volume.Metadata);
        var tmp = new float[src.Length];
        var po = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        int[] n = [g.Nx, g.Ny, g.Nz];
        long[] stride = [1, g.Nx, (long)g.Nx * g.Ny];
        for (int axis = 0; axis < 3; axis++)
        {
            double sigmaVox = sigmaMm / g.Spacing[axis];
            if (n[axis] < 2 || sigmaVox < 0.1) continue;
            float[] kernel = GaussianKernel(sigmaVox);
            SmoothAxis(src, tmp, n, stride, axis, kernel, po);
            (src, tmp) = (tmp, src);
        }
        return new Volume<float>(g, src, volume.Metadata);
    }

    /// <summary>
    /// One pyramid level: smooth by <paramref name="sigmaMm"/>, then resample (trilinear) onto the grid
    /// <see cref="VolumeGeometry.Shrink"/> gives for <paramref name="shrinkFactor"/> (the physical extent is kept).
    /// An axis is shrunk by at most a quarter of its length, so it keeps at least 4 voxels.
    /// </summary>
    public static Volume<float> Level(Volume<float> volume, int shrinkFactor, double sigmaMm, int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentOutOfRangeException.ThrowIfLessThan(shrinkFactor, 1);
        var smoothed = Smooth(volume, sigmaMm, maxDegreeOfParallelism, cancellationToken);
        if (shrinkFactor == 1) return smoothed;
        var g = volume.Geometry;
        var target = g.Shrink(AxisFactor(g.Nx, shrinkFactor), AxisFactor(g.Ny, shrinkFactor), AxisFactor(g.Nz, shrinkFactor));
        return Resampler.Resample(smoothed, target, null, InterpolationMode.Linear, 0f, cancellationToken);
    }

    /// <summary>The factor actually used along an axis of <paramref name="n"/> voxels: at most n/4, at least 1.</summary>
    private static int AxisFactor(int n, int factor) => Math.Max(1, Math.Min(factor, n / 4));

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
