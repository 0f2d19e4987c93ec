namespace ImageGuide.Tests.Imaging;

public class RigidTransformTests
{
    [Test]
    public void RotationAboutCentre_MapsHandComputedPoint()
    {
        // 90° about +z around centre (10, 0, 0), then translate (0, 0, 5): (11, 0, 0) → (10, 1, 5)
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), Math.PI / 2), new Vec3(0, 0, 5), new Vec3(10, 0, 0));
        Assert.That(Vec3.MaxAbsDifference(t.TransformPoint(new Vec3(11, 0, 0)), new Vec3(10, 1, 5)), Is.LessThan(1e-12));
        Assert.That(Vec3.MaxAbsDifference(t.TransformVector(new Vec3(1, 0, 0)), new Vec3(0, 1, 0)), Is.LessThan(1e-12));
    }

    [Test]
    public void Inverse_UndoesTransform()
    {
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 2, 3), 0.4), new Vec3(3, -7, 11), new Vec3(5, 6, -2));
        var p = new Vec3(-40, 17, 99);
        Assert.That(Vec3.MaxAbsDifference(t.Inverse().TransformPoint(t.TransformPoint(p)), p), Is.LessThan(1e-10));
    }

    [Test]
    public void Compose_EqualsSequentialApplication()
    {
        var a = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 1, 0), 0.3), new Vec3(1, 2, 3), new Vec3(4, 5, 6));
        var b = new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 0, 1), -0.7), new Vec3(-9, 0, 2), new Vec3(-1, 0, 8));
        var ab = RigidTransform.Compose(a, b);
        foreach (var p in new[] { new Vec3(0, 0, 0), new Vec3(100, -50, 20), new Vec3(-3, 8, -13) })
            Assert.That(Vec3.MaxAbsDifference(ab.TransformPoint(p), b.TransformPoint(a.TransformPoint(p))), Is.LessThan(1e-10));
    }

    [Test]
    public void Matrix4x4_RoundTripAndHandValues()
    {
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), Math.PI / 2), new Vec3(1, 2, 3), Vec3.Zero);
        var m = t.ToMatrix4x4();
        // R = [[0,-1,0],[1,0,0],[0,0,1]], offset = t since centre is 0
        double[,] expected = { { 0, -1, 0, 1 }, { 1, 0, 0, 2 }, { 0, 0, 1, 3 }, { 0, 0, 0, 1 } };
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                Assert.That(m[r, c], Is.EqualTo(expected[r, c]).Within(1e-12), $"m[{r},{c}]");
        var back = RigidTransform.FromMatrix4x4(m, new Vec3(7, 8, 9));
        Assert.That(back.Center, Is.EqualTo(new Vec3(7, 8, 9)));
        var p = new Vec3(3, -4, 5);
        Assert.That(Vec3.MaxAbsDifference(back.TransformPoint(p), t.TransformPoint(p)), Is.LessThan(1e-12));
    }

    [Test]
    public void FromMatrix_RefusesScalingAndReflection()
    {
        double[,] scaled = { { 2, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
        Assert.Throws<GeometryException>(() => RigidTransform.FromMatrix4x4(scaled));
        double[,] mirrored = { { -1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
        var ex = Assert.Throws<GeometryException>(() => RigidTransform.FromMatrix4x4(mirrored));
        Assert.That(ex!.Message, Does.Contain("reflection"));
    }

    [Test]
    public void Versor_FromMatrix_RecoversLargeRotations()
    {
        foreach (double angle in new[] { 0.0, 0.1, 1.5, 3.0, Math.PI })
        {
            var q = Versor.FromAxisAngle(new Vec3(-2, 1, 0.5), angle);
            var r = Versor.FromMatrix(q.ToMatrix());
            Assert.That(Mat3.MaxAbsDifference(r.ToMatrix(), q.ToMatrix()), Is.LessThan(1e-12), $"angle {angle}");
            Assert.That(r.AngleRad, Is.EqualTo(angle).Within(1e-9));
        }
    }
}
