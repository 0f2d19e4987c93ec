using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

/// <summary>One small phantom case shared by the phantom tests (generated once, a few seconds).</summary>
internal static class PhantomFixture
{
    public static readonly PhantomOptions Options = new() { Seed = 7, Size = PhantomSize.Small, ProbeCount = 3 };

    private static readonly Lazy<PhantomCase> LazyCase = new(() => PhantomGenerator.Generate(Options));

    public static PhantomCase Case => LazyCase.Value;

    /// <summary>Voxel index nearest to a physical point (throws when outside the grid).</summary>
    public static (int I, int J, int K) Nearest(VolumeGeometry g, Vec3 p)
    {
        var x = g.PhysicalToIndex(p);
        var idx = ((int)Math.Round(x.X), (int)Math.Round(x.Y), (int)Math.Round(x.Z));
        Assert.That(g.Contains(idx.Item1, idx.Item2, idx.Item3), Is.True, $"{p} lies outside the grid");
        return idx;
    }

    /// <summary>True when the 3×3×3 neighbourhood of interior voxel (i, j, k) holds one value only.</summary>
    public static bool Uniform(byte[] data, VolumeGeometry g, int i, int j, int k)
    {
        byte v = data[g.LinearIndex(i, j, k)];
        for (int dk = -1; dk <= 1; dk++)
            for (int dj = -1; dj <= 1; dj++)
            {
                long row = g.LinearIndex(i, j + dj, k + dk);
                if (data[row - 1] != v || data[row] != v || data[row + 1] != v) return false;
            }
        return true;
    }
}
