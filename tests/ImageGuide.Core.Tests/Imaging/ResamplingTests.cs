namespace ImageGuide.Tests.Imaging;

public class ResamplingTests
{
    private static double Linear(Vec3 p) => 2 * p.X - 3 * p.Y + 0.5 * p.Z + 7;

    private static Volume<float> LinearPhantom(VolumeGeometry g)
    {
        var v = new Volume<float>(g);
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    v[i, j, k] = (float)Linear(g.IndexToPhysical(i, j, k));
        return v;
    }

    [Test]
    public void Trilinear_IsExactForLinearFunction()
    {
        var g = new VolumeGeometry(6, 5, 4, new Vec3(1, 2, 3), new Vec3(-3, 4, 10));
        var v = LinearPhantom(g);
        var idx = new Vec3(2.25, 1.5, 2.75);
        double s = Interpolator.SampleLinear(v, idx.X, idx.Y, idx.Z, double.NaN);
        Assert.That(s, Is.EqualTo(Linear(g.IndexToPhysical(idx))).Within(1e-4));
    }

    [Test]
    public void Nearest_AndOutside_FollowHalfVoxelRule()
    {
        var v = new Volume<short>(new VolumeGeometry(2, 1, 1, new Vec3(1, 1, 1), Vec3.Zero), [10, 20]);
        Assert.That(Interpolator.SampleNearest(v, 0.49, 0, 0, -1), Is.EqualTo(10));
        Assert.That(Interpolator.SampleNearest(v, 0.51, 0, 0, -1), Is.EqualTo(20));
        Assert.That(Interpolator.SampleNearest(v, 1.5, 0, 0, -1), Is.EqualTo(20));
        Assert.That(Interpolator.SampleNearest(v, 1.51, 0, 0, -1), Is.EqualTo(-1));
        Assert.That(Interpolator.SampleLinear(v, 0.25, 0, 0, -1), Is.EqualTo(12.5));
        Assert.That(Interpolator.SampleLinear(v, -0.6, 0, 0, -1), Is.EqualTo(-1));
    }

    [Test]
    public void Resample_ThroughRotation_GivesFunctionAtMappedPoints()
    {
        var src = LinearPhantom(new VolumeGeometry(40, 40, 40, new Vec3(1, 1, 1), new Vec3(-20, -20, -20)));
        var target = new VolumeGeometry(10, 12, 8, new Vec3(1.5, 1.2, 2), new Vec3(-6, -5, -7),
            Versor.FromAxisAngle(new Vec3(1, 1, 0), 0.35).ToMatrix());
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.2), new Vec3(2, -1, 3), new Vec3(1, 1, 1));
        var r = Resampler.Resample(src, target, t, InterpolationMode.Linear, float.NaN);
        for (int k = 0; k < target.Nz; k++)
            for (int j = 0; j < target.Ny; j++)
                for (int i = 0; i < target.Nx; i++)
                {
                    double expected = Linear(t.TransformPoint(target.IndexToPhysical(i, j, k)));
                    Assert.That(r[i, j, k], Is.EqualTo(expected).Within(1e-3), $"voxel {i},{j},{k}");
                }
    }

    [Test]
    public void Resample_OutsideSource_GetsOutsideValue()
    {
        var src = new Volume<short>(new VolumeGeometry(4, 4, 4, new Vec3(1, 1, 1), Vec3.Zero));
        Array.Fill(src.Data, (short)5);
        var target = new VolumeGeometry(2, 1, 1, new Vec3(10, 1, 1), new Vec3(1, 1, 1));
        var r = Resampler.Resample(src, target, null, InterpolationMode.Nearest, (short)-1000);
        Assert.That(r.Data, Is.EqualTo(new short[] { 5, -1000 }));
    }

    [Test]
    public void Statistics_AndPercentiles_MatchHandValues()
    {
        var v = new Volume<float>(new VolumeGeometry(5, 1, 2, new Vec3(1, 1, 1), Vec3.Zero), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var s = VolumeStatistics.Compute(v);
        Assert.That((s.Count, s.Min, s.Max, s.Mean), Is.EqualTo((10L, 1.0, 10.0, 5.5)));
        Assert.That(s.StandardDeviation, Is.EqualTo(Math.Sqrt(8.25)).Within(1e-12));
        // numpy.percentile([1..10], [0, 25, 50, 90, 100]) = [1, 3.25, 5.5, 9.1, 10]
        var p = VolumeStatistics.Percentiles(v, [0, 25, 50, 90, 100]);
        Assert.That(p, Is.EqualTo(new[] { 1, 3.25, 5.5, 9.1, 10 }).Within(1e-12));
        var mask = new Volume<byte>(v.Geometry, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
        Assert.That(VolumeStatistics.Compute(v, mask).Mean, Is.EqualTo(8.0));
    }
}
