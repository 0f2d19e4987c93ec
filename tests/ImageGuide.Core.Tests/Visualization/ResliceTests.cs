using ImageGuide.Visualization;

namespace ImageGuide.Tests.Visualization;

public class ResliceTests
{
    // A solid sphere of radius R centred at C, rendered with 4³ supersampling for partial-volume edges.
    private static readonly Vec3 C = new(3.2, -4.1, 12.7);
    private const double R = 20;

    private static Volume<float> Sphere(Mat3 direction)
    {
        var g = new VolumeGeometry(64, 64, 64, new Vec3(1, 1, 1), Vec3.Zero, direction);
        g = g.WithOrigin(C - g.IndexToPhysicalMatrix * new Vec3(31.5, 31.5, 31.5) + g.Origin);
        var v = new Volume<float>(g);
        Parallel.For(0, 64, k =>
        {
            for (int j = 0; j < 64; j++)
                for (int i = 0; i < 64; i++)
                {
                    int inside = 0;
                    for (int s = 0; s < 64; s++)
                    {
                        var p = g.IndexToPhysical(new Vec3(i + ((s & 3) - 1.5) / 4, j + (((s >> 2) & 3) - 1.5) / 4, k + ((s >> 4) - 1.5) / 4));
                        if (Vec3.Distance(p, C) <= R) inside++;
                    }
                    v[i, j, k] = inside / 64f;
                }
        });
        return v;
    }

    // Area of the 0.5 iso-region × pixel area → equivalent circle radius.
    private static double CircleRadius(Image2D img, double spacing)
    {
        double area = 0;
        foreach (var p in img.Pixels) if (p >= 0.5f) area += spacing * spacing;
        return Math.Sqrt(area / Math.PI);
    }

    [TestCase(0.0)]
    [TestCase(8.0)]
    [TestCase(15.0)]
    public void AxialPlane_ThroughSphere_GivesCircleOfKnownRadius(double offsetMm)
    {
        var v = Sphere(Mat3.Identity);
        var plane = new SlicePlane(C + new Vec3(0, 0, offsetMm), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 120, 120, 0.5);
        var img = Reslicer.Reslice(v, plane);
        double expected = Math.Sqrt(R * R - offsetMm * offsetMm);
        Assert.That(CircleRadius(img, 0.5), Is.EqualTo(expected).Within(0.25), "radius within half a pixel");
    }

    [Test]
    public void ObliquePlane_OnRotatedVolume_GivesCircleOfKnownRadius()
    {
        var v = Sphere(Versor.FromAxisAngle(new Vec3(1, -2, 0.5), 0.6).ToMatrix());
        var n = new Vec3(1, 1, 1).Normalized();
        var u = Vec3.Cross(n, new Vec3(0, 0, 1)).Normalized();
        var plane = new SlicePlane(C + n * 10, u, Vec3.Cross(n, u), 120, 120, 0.5);
        var img = Reslicer.Reslice(v, plane);
        Assert.That(CircleRadius(img, 0.5), Is.EqualTo(Math.Sqrt(R * R - 100)).Within(0.25));
    }

    [Test]
    public void NeedlePlanes_ContainAndCrossTheNeedle()
    {
        var v = Sphere(Mat3.Identity);
        var entry = C + new Vec3(-30, 25, 10);
        var along = SlicePlane.AlongNeedle(entry, C, pixelSpacing: 0.5);
        // the needle lies in the plane and runs straight down the screen
        var (ex, ey, ed) = along.PhysicalToPixel(entry);
        var (tx, ty, td) = along.PhysicalToPixel(C);
        Assert.That(Math.Abs(ed) + Math.Abs(td), Is.LessThan(1e-9));
        Assert.That(ex, Is.EqualTo(tx).Within(1e-9));
        Assert.That(ty - ey, Is.EqualTo(Vec3.Distance(entry, C) / 0.5).Within(1e-9));
        // the plane contains the sphere centre: a great circle
        Assert.That(CircleRadius(Reslicer.Reslice(v, along), 0.5), Is.EqualTo(R).Within(0.25));
        // bull's-eye plane 5 mm before the target: circle of radius sqrt(R² − 5²), centred on the needle
        var eye = SlicePlane.BullsEye(entry, C, Vec3.Distance(entry, C) - 5, fieldMm: 60);
        var img = Reslicer.Reslice(v, eye);
        Assert.That(CircleRadius(img, 0.5), Is.EqualTo(Math.Sqrt(R * R - 25)).Within(0.25));
        Assert.That(img[(eye.Width - 1) / 2, (eye.Height - 1) / 2], Is.EqualTo(1f));
    }

    [Test]
    public void Reslice_ThroughTransform_SamplesMovedVolume()
    {
        // volume moved by +10 mm in x: a plane in the fixed frame mapped through fixed→moving (+10 x) sees the sphere centred
        var v = Sphere(Mat3.Identity);
        var shift = RigidTransform.FromTranslation(new Vec3(10, 0, 0));
        var plane = new SlicePlane(C - new Vec3(10, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 101, 101, 0.5);
        var img = Reslicer.Reslice(v, plane, shift);
        Assert.That(img[50, 50], Is.EqualTo(1f));
        Assert.That(CircleRadius(img, 0.5), Is.EqualTo(R).Within(0.25));
        Assert.That(float.IsNaN(Reslicer.Reslice(v, new SlicePlane(C + new Vec3(500, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 3, 3, 1))[1, 1]), Is.True);
    }

    [Test]
    public void Reslice_ThroughAFieldOfARigidMotion_MatchesTheRigidMotion()
    {
        // consistency: a displacement field sampled from a rigid motion reslices the volume as the motion itself does
        var v = Sphere(Mat3.Identity);
        var motion = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.2), new Vec3(6, -3, 2), C);
        var field = DisplacementField.Sample(motion, v.Geometry);
        var plane = new SlicePlane(C, new Vec3(1, 0, 0), new Vec3(0, 1, 0), 81, 81, 0.5);
        var rigid = Reslicer.Reslice(v, plane, motion);
        var viaField = Reslicer.Reslice(v, plane, field);
        double worst = 0;
        for (int y = 0; y < 81; y++)
            for (int x = 0; x < 81; x++)
                if (!float.IsNaN(rigid[x, y])) worst = Math.Max(worst, Math.Abs(rigid[x, y] - viaField[x, y]));
        Assert.That(worst, Is.LessThan(1e-3));
        Assert.That(CircleRadius(viaField, 0.5), Is.EqualTo(CircleRadius(rigid, 0.5)).Within(1e-3));
    }
}
