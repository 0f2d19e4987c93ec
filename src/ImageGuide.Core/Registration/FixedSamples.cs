using ImageGuide.Imaging;
namespace ImageGuide.Registration;

/// <summary>How the fixed image is sampled for the metric.</summary>
public enum SamplingStrategy
{
    /// <summary>Seeded uniformly random continuous positions (elastix "RandomCoordinate"): no grid aliasing.</summary>
    Random,
    /// <summary>Voxel centres on a regular grid with an integer stride chosen to give about the requested count.</summary>
    Regular,
}

/// <summary>
/// Fixed-image sample positions (LPS mm) and their fixed-image values, drawn once per resolution level so the
/// metric never touches the fixed image again.
/// </summary>
internal sealed class FixedSamples
{
    private FixedSamples(double[] x, double[] y, double[] z, float[] values)
    {
        X = x; Y = y; Z = z; Values = values;
    }

    public double[] X { get; }
    public double[] Y { get; }
    public double[] Z { get; }
    public float[] Values { get; }
    public int Count => Values.Length;

    /// <summary>
    /// Draws about <paramref name="count"/> samples of <paramref name="image"/> inside <paramref name="mask"/> (any grid;
    /// nearest lookup) and, when <paramref name="overlap"/> is given, only where each of its transforms maps them inside its grid.
    /// </summary>
    public static FixedSamples Draw(Volume<float> image, Volume<byte>? mask, SamplingStrategy strategy, int count, ulong seed,
        (IReadOnlyList<RigidTransform> Transforms, VolumeGeometry Grid)? overlap = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var g = image.Geometry;
        if (g.Nx < 2 || g.Ny < 2 || g.Nz < 2)
            throw new RegistrationException($"The fixed image ({g.Nx}×{g.Ny}×{g.Nz} at this level) needs at least 2 voxels along every axis; use smaller shrink factors.");
        var xs = new List<double>(count); var ys = new List<double>(count); var zs = new List<double>(count); var vs = new List<float>(count);
        void TryAdd(double i, double j, double k)
        {
            var p = g.IndexToPhysical(new Vec3(i, j, k));
            if (mask is not null && Interpolator.SampleAtPoint(mask, p, InterpolationMode.Nearest, 0) == 0) return;
            if (overlap is { } o)
                foreach (var t in o.Transforms)
                {
                    var q = o.Grid.PhysicalToIndex(t.TransformPoint(p));
                    if (!(q.X >= 0 && q.Y >= 0 && q.Z >= 0 && q.X <= o.Grid.Nx - 1 && q.Y <= o.Grid.Ny - 1 && q.Z <= o.Grid.Nz - 1)) return;
                }
            xs.Add(p.X); ys.Add(p.Y); zs.Add(p.Z);
            vs.Add((float)Interpolator.SampleLinear(image, i, j, k, 0));
        }
        if (strategy == SamplingStrategy.Regular)
        {
            int stride = Math.Max(1, (int)Math.Round(Math.Cbrt(g.VoxelCount / (double)count)));
            for (int k = stride / 2; k < g.Nz; k += stride)
                for (int j = stride / 2; j < g.Ny; j += stride)
                    for (int i = stride / 2; i < g.Nx; i += stride)
                        TryAdd(i, j, k);
        }
        else
        {
            var rng = new SplitMix64(seed);
            long attempts = 0, maxAttempts = 50L * count;
            while (vs.Count < count && attempts++ < maxAttempts)
                TryAdd(rng.NextDouble() * (g.Nx - 1), rng.NextDouble() * (g.Ny - 1), rng.NextDouble() * (g.Nz - 1));
        }
        if (vs.Count < Math.Min(count, 64))
            throw new RegistrationException(
                $"Only {vs.Count} fixed-image samples fall inside the fixed mask{(overlap is null ? "" : " and the region overlapping the moving image")}; " +
                "the mask must cover the anatomy to register (check it lies on the fixed image) and the images must overlap.");
        return new FixedSamples([.. xs], [.. ys], [.. zs], [.. vs]);
    }
}
