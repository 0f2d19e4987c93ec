namespace ImageGuide.Imaging;

/// <summary>Points drawn from a mask, for measuring transforms where the anatomy is (target registration errors, test motions).</summary>
public static class MaskSampling
{
    /// <summary>
    /// <paramref name="count"/> seeded random points (LPS mm) uniformly inside the non-zero voxels of
    /// <paramref name="foreground"/>, each jittered within its voxel.
    /// </summary>
    /// <exception cref="InvalidImageDataException">The mask is empty.</exception>
    public static Vec3[] RandomPoints(Volume<byte> foreground, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(foreground);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var d = foreground.Data;
        var g = foreground.Geometry;
        var voxels = new List<int>();
        for (int n = 0; n < d.Length; n++) if (d[n] != 0) voxels.Add(n);
        if (voxels.Count == 0) throw new InvalidImageDataException("The foreground mask is empty; TRE points cannot be drawn from it.");
        var rng = new SplitMix64((ulong)seed);
        var points = new Vec3[count];
        long plane = (long)g.Nx * g.Ny;
        for (int p = 0; p < count; p++)
        {
            int n = voxels[(int)(rng.NextDouble() * voxels.Count)];
            int k = (int)(n / plane), j = (int)(n % plane / g.Nx), i = n % g.Nx;
            points[p] = g.IndexToPhysical(new Vec3(i + rng.NextDouble() - 0.5, j + rng.NextDouble() - 0.5, k + rng.NextDouble() - 0.5));
        }
        return points;
    }
}
