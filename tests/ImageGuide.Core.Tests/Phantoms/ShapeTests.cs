using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

public class ShapeTests
{
    [Test]
    public void CapsuleAndBoxDistancesAreExact()
    {
        var capsule = new Capsule(new Vec3(0, 0, 0), new Vec3(10, 0, 0), 2);
        Assert.That(capsule.SignedDistance(new Vec3(5, 5, 0)), Is.EqualTo(3).Within(1e-12));
        Assert.That(capsule.SignedDistance(new Vec3(13, 0, 4)), Is.EqualTo(3).Within(1e-12));
        Assert.That(capsule.SignedDistance(new Vec3(5, 0, 0)), Is.EqualTo(-2).Within(1e-12));
        var r = Versor.FromAxisAngle(new Vec3(0, 0, 1), Math.PI / 2).ToMatrix();
        var box = new OrientedBox(new Vec3(1, 1, 1), new Vec3(4, 2, 1), r); // long side now along y
        Assert.That(box.SignedDistance(new Vec3(1, 7, 1)), Is.EqualTo(2).Within(1e-12));
        Assert.That(box.SignedDistance(new Vec3(5, 1, 1)), Is.EqualTo(2).Within(1e-12));
        Assert.That(box.SignedDistance(new Vec3(1, 1, 1)), Is.EqualTo(-1).Within(1e-12));
    }

    [Test]
    public void DistanceBoundsAreConservativeNoSurfaceLiesCloserThanTheBound()
    {
        var shapes = new Shape[]
        {
            new Ellipsoid(new Vec3(1, 2, 3), new Vec3(10, 5, 3), Shape.FrameAlong(new Vec3(1, 1, 0))),
            new EllipticCylinder(new Vec3(0, 0, 0), 8, 4, 6),
            new ShapeUnion([new Ellipsoid(new Vec3(0, 0, 0), new Vec3(6, 6, 6)), new Capsule(new Vec3(0, 0, 0), new Vec3(12, 0, 0), 2)]),
        };
        var rng = PhantomRandom.ForStream(1, 99);
        foreach (var s in shapes)
            for (int n = 0; n < 300; n++)
            {
                var p = new Vec3(rng.Uniform(-15, 15), rng.Uniform(-15, 15), rng.Uniform(-15, 15));
                double bound = s.SignedDistance(p);
                bool inside = bound < 0;
                for (int m = 0; m < 200; m++)
                {
                    var d = new Vec3(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian()).Normalized();
                    var q = p + d * (Math.Abs(bound) * 0.999 * Math.Cbrt(rng.NextDouble()));
                    Assert.That(s.Contains(q), Is.EqualTo(inside), $"{s.GetType().Name}: surface between {p} and {q}, closer than the bound {bound}");
                }
            }
    }

    [Test]
    public void InsideTestsMatchTheAnalyticSurfaces()
    {
        var e = new Ellipsoid(new Vec3(1, 2, 3), new Vec3(10, 5, 3), Shape.FrameAlong(new Vec3(1, 1, 0)));
        Assert.That(e.Contains(e.Center + e.Axes.Column(2) * 2.99), Is.True);
        Assert.That(e.Contains(e.Center + e.Axes.Column(2) * 3.01), Is.False);
        Assert.That(e.Contains(e.Center + e.Axes.Column(0) * 9.99), Is.True);
        Assert.That(e.Contains(e.Center + e.Axes.Column(0) * 10.01), Is.False);
        var c = new EllipticCylinder(new Vec3(0, 0, 0), 8, 4, 6);
        Assert.That(c.Contains(new Vec3(7.9, 0, 5.9)), Is.True);
        Assert.That(c.Contains(new Vec3(0, 4.1, 0)), Is.False);
        Assert.That(c.Contains(new Vec3(0, 0, 6.1)), Is.False);
        var (min, max) = e.Bounds;
        for (int n = 0; n < 64; n++)
        {
            double t = n * Math.PI / 32;
            var surface = e.Center + e.Axes * new Vec3(10 * Math.Cos(t), 5 * Math.Sin(t), 0);
            Assert.That(surface.X >= min.X - 1e-9 && surface.X <= max.X + 1e-9 && surface.Y >= min.Y - 1e-9 && surface.Y <= max.Y + 1e-9, Is.True);
        }
    }
}
