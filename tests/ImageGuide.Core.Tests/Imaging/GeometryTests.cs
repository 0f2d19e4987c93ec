namespace ImageGuide.Tests.Imaging;

public class GeometryTests
{
    // A 90° rotation about z: i axis → +y (posterior), j axis → −x (right), k axis → +z.
    private static readonly Mat3 RotZ90 = Mat3.FromColumns(new(0, 1, 0), new(-1, 0, 0), new(0, 0, 1));

    [Test]
    public void IndexToPhysical_MatchesHandComputedOblique()
    {
        var g = new VolumeGeometry(10, 20, 30, new Vec3(0.5, 2, 3), new Vec3(10, -20, 5), RotZ90);
        // world = origin + D·(s∘idx): idx (2,3,4) → s∘idx = (1, 6, 12) → D·(1,6,12) = (−6, 1, 12)
        var p = g.IndexToPhysical(2, 3, 4);
        Assert.That(Vec3.MaxAbsDifference(p, new Vec3(4, -19, 17)), Is.LessThan(1e-12));
        var back = g.PhysicalToIndex(p);
        Assert.That(Vec3.MaxAbsDifference(back, new Vec3(2, 3, 4)), Is.LessThan(1e-12));
        var cont = g.PhysicalToIndex(new Vec3(10 - 3, -20 + 0.25, 5 + 1.5)); // y moved 0.25 = i·0.5 → i 0.5; x −3 = −j·2 → j 1.5; z 1.5 → k 0.5
        Assert.That(Vec3.MaxAbsDifference(cont, new Vec3(0.5, 1.5, 0.5)), Is.LessThan(1e-12));
    }

    [Test]
    public void PhysicalBounds_CoverAllCorners()
    {
        var g = new VolumeGeometry(3, 2, 2, new Vec3(1, 1, 1), new Vec3(0, 0, 0), RotZ90);
        var (min, max) = g.PhysicalBounds();
        // i spans y 0..2, j spans x −1..0, k spans z 0..1
        Assert.That(Vec3.MaxAbsDifference(min, new Vec3(-1, 0, 0)), Is.LessThan(1e-12));
        Assert.That(Vec3.MaxAbsDifference(max, new Vec3(0, 2, 1)), Is.LessThan(1e-12));
    }

    [Test]
    public void InvalidGeometry_IsRefusedWithTypedError()
    {
        Assert.Throws<GeometryException>(() => new VolumeGeometry(0, 1, 1, new Vec3(1, 1, 1), Vec3.Zero));
        Assert.Throws<GeometryException>(() => new VolumeGeometry(1, 1, 1, new Vec3(1, 0, 1), Vec3.Zero));
        var sheared = Mat3.FromColumns(new(1, 0, 0), new(0, 1, 0), new Vec3(0, 0.3173, 0.9483).Normalized() + new Vec3(0, 0.1, 0));
        var ex = Assert.Throws<GeometryException>(() => new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero, sheared));
        Assert.That(ex!.Message, Does.Contain("orthonormal"));
    }

    [Test]
    public void ApproximatelyEquals_RespectsTolerance()
    {
        var a = new VolumeGeometry(4, 4, 4, new Vec3(1, 1, 1), new Vec3(1, 2, 3));
        var b = a.WithOrigin(new Vec3(1, 2, 3.0005));
        Assert.That(a.ApproximatelyEquals(b, 1e-3), Is.True);
        Assert.That(a.ApproximatelyEquals(b, 1e-4), Is.False);
        Assert.That(a.ApproximatelyEquals(a.WithSize(4, 4, 5)), Is.False);
    }

    [Test]
    public void Shrink_KeepsOuterCornerAndExtent()
    {
        var g = new VolumeGeometry(8, 8, 6, new Vec3(1, 1, 2), new Vec3(0, 0, 0), RotZ90);
        var s = g.Shrink(2, 2, 2);
        Assert.That(s.Size, Is.EqualTo(new[] { 4, 4, 3 }));
        Assert.That(Vec3.MaxAbsDifference(s.Extent, g.Extent), Is.LessThan(1e-12));
        var corner = g.IndexToPhysical(new Vec3(-0.5, -0.5, -0.5));
        Assert.That(Vec3.MaxAbsDifference(s.IndexToPhysical(new Vec3(-0.5, -0.5, -0.5)), corner), Is.LessThan(1e-12));
    }

    [Test]
    public void LinearIndex_Is64BitSafe()
    {
        var g = new VolumeGeometry(2048, 2048, 1024, new Vec3(1, 1, 1), Vec3.Zero);
        Assert.That(g.LinearIndex(2047, 2047, 1023), Is.EqualTo(2048L * 2048 * 1024 - 1));
        Assert.That(g.VoxelCount, Is.EqualTo(4294967296L));
        Assert.Throws<GeometryException>(() => new Volume<byte>(g));
    }
}
