namespace ImageGuide.Tests.Planning;

public class DistanceTransformTests
{
    private static Volume<byte> RandomMask(int nx, int ny, int nz, Vec3 spacing, double density, int seed, Mat3? direction = null)
    {
        var g = new VolumeGeometry(nx, ny, nz, spacing, new Vec3(-3, 7, 11), direction ?? Mat3.Identity);
        var v = new Volume<byte>(g);
        var rng = new Random(seed);
        for (int n = 0; n < v.Data.Length; n++) v.Data[n] = rng.NextDouble() < density ? (byte)(1 + rng.Next(3)) : (byte)0;
        return v;
    }

    /// <summary>Brute force: distance between physical voxel centres, minimum over all object voxels.</summary>
    private static double BruteForce(Volume<byte> m, int i, int j, int k, bool objectIsNonZero)
    {
        var g = m.Geometry;
        var p = g.IndexToPhysical(i, j, k);
        double best = double.PositiveInfinity;
        for (int c = 0; c < g.Nz; c++)
            for (int b = 0; b < g.Ny; b++)
                for (int a = 0; a < g.Nx; a++)
                    if ((m[a, b, c] != 0) == objectIsNonZero)
                        best = Math.Min(best, Vec3.Distance(p, g.IndexToPhysical(a, b, c)));
        return best;
    }

    [TestCase(5, 23, 19, 17, 0.004, 3, 5, 2, 9, 7, 11)]
    [TestCase(6, 20, 20, 20, 0.0005, 0, 0, 0, 20, 20, 20)]
    [TestCase(7, 18, 14, 25, 0.01, 17, 0, 24, 1, 14, 1)]
    [TestCase(8, 30, 25, 12, 0.0, 4, 4, 4, 10, 10, 4)]
    public void BoxTransformEqualsTheWholeVolumeTransformInsideTheBox(int seed, int nx, int ny, int nz, double density,
        int i0, int j0, int k0, int bx, int by, int bz)
    {
        // Sparse objects mostly outside the box: the box values must still see them, bit for bit as the full transform.
        var mask = RandomMask(nx, ny, nz, new Vec3(0.8, 1.1, 2.3), density, seed);
        var flags = DistanceTransform.NonZeroFlags(invert: false);
        var full = DistanceTransform.Squared(mask, flags);
        var box = DistanceTransform.Squared(mask, flags, (i0, j0, k0), (bx, by, bz));
        Assert.That(box.Geometry.Size, Is.EqualTo(new[] { bx, by, bz }));
        Assert.That(Vec3.Distance(box.Geometry.Origin, mask.Geometry.IndexToPhysical(i0, j0, k0)), Is.LessThan(1e-9));
        for (int k = 0; k < bz; k++)
            for (int j = 0; j < by; j++)
                for (int i = 0; i < bx; i++)
                    Assert.That(box[i, j, k], Is.EqualTo(full[i0 + i, j0 + j, k0 + k]), $"({i0 + i}, {j0 + j}, {k0 + k})");
        Assert.Throws<ArgumentOutOfRangeException>(() => DistanceTransform.Squared(mask, flags, (i0, j0, k0), (nx + 1, by, bz)));
    }

    [TestCase(1, 13, 9, 7, 0.02)]
    [TestCase(2, 8, 15, 6, 0.1)]
    [TestCase(3, 11, 10, 12, 0.005)]
    [TestCase(4, 1, 17, 9, 0.05)]
    public void UnsignedMatchesBruteForceOnAnisotropicRandomMasks(int seed, int nx, int ny, int nz, double density)
    {
        var mask = RandomMask(nx, ny, nz, new Vec3(0.7, 1.3, 2.9), density, seed);
        var d = DistanceTransform.Unsigned(mask);
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    double expected = BruteForce(mask, i, j, k, true);
                    Assert.That(d[i, j, k], Is.EqualTo(expected).Within(1e-4 * Math.Max(1, expected)), $"voxel ({i},{j},{k})");
                }
    }

    [Test]
    public void ObliqueAxesGiveThePhysicalDistance()
    {
        // Rotated orthonormal axes: the distance between voxel centres is still physical distance.
        var dir = Mat3.FromColumns(new Vec3(0.6, 0.8, 0), new Vec3(-0.8, 0.6, 0), new Vec3(0, 0, 1));
        var mask = RandomMask(9, 7, 6, new Vec3(1.1, 0.5, 2.0), 0.03, 7, dir);
        var d = DistanceTransform.Unsigned(mask);
        for (int k = 0; k < 6; k++)
            for (int j = 0; j < 7; j++)
                for (int i = 0; i < 9; i++)
                    Assert.That(d[i, j, k], Is.EqualTo(BruteForce(mask, i, j, k, true)).Within(1e-4));
    }

    [Test]
    public void SignedIsPositiveOutsideAndMinusDistanceToBackgroundInside()
    {
        var mask = RandomMask(10, 9, 8, new Vec3(0.8, 1.0, 1.7), 0.5, 11);
        var s = DistanceTransform.Signed(mask);
        for (int k = 0; k < 8; k++)
            for (int j = 0; j < 9; j++)
                for (int i = 0; i < 10; i++)
                {
                    bool inside = mask[i, j, k] != 0;
                    double expected = inside ? -BruteForce(mask, i, j, k, false) : BruteForce(mask, i, j, k, true);
                    Assert.That(s[i, j, k], Is.EqualTo(expected).Within(1e-4));
                }
    }

    [Test]
    public void HandComputedSlabDistances()
    {
        // Object = plane k = 0; spacing along k 2.5 mm, so voxel k lies 2.5·k mm away.
        var g = new VolumeGeometry(4, 3, 5, new Vec3(1, 1, 2.5), Vec3.Zero);
        var m = new Volume<byte>(g);
        for (int j = 0; j < 3; j++) for (int i = 0; i < 4; i++) m[i, j, 0] = 1;
        var d = DistanceTransform.Unsigned(m);
        Assert.That(d[2, 1, 3], Is.EqualTo(7.5f));
        Assert.That(d[0, 2, 4], Is.EqualTo(10f));
        Assert.That(d[3, 0, 0], Is.EqualTo(0f));
    }

    [Test]
    public void EmptyMaskIsInfiniteAndLabelSelectionWorks()
    {
        var g = new VolumeGeometry(5, 5, 5, new Vec3(1, 1, 1), Vec3.Zero);
        var m = new Volume<byte>(g);
        Assert.That(DistanceTransform.Unsigned(m).Data.All(float.IsPositiveInfinity), Is.True);
        m[0, 0, 0] = 2;
        m[4, 4, 4] = 3;
        var flags = new bool[256];
        flags[3] = true;
        var sq = DistanceTransform.Squared(m, flags);
        Assert.That(sq[0, 0, 0], Is.EqualTo(48f)); // (4²+4²+4²) to the label-3 voxel only
        Assert.That(sq[4, 4, 3], Is.EqualTo(1f));
    }

    [Test]
    public void CancellationIsHonoured()
    {
        var m = RandomMask(20, 20, 20, new Vec3(1, 1, 1), 0.01, 3);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => DistanceTransform.Unsigned(m, cts.Token));
    }
}
