using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Tests.Viewer;

/// <summary>The ray-cast pane against analytic phantoms: a bone sphere must appear as a disc where the geometry puts it.</summary>
public sealed class RayCastSnapshotTests
{
    private const int Size = 128;
    private const double SphereRadiusMm = 20;

    // 64³ voxels of 2 mm centred on the origin: soft tissue (40 HU) with a bone sphere (1000 HU) at 'sphereCenter'
    private static Volume<float> Phantom(Vec3 sphereCenter, float inside, float outside, ImageMetadata metadata)
    {
        var g = new VolumeGeometry(64, 64, 64, new Vec3(2, 2, 2), new Vec3(-63, -63, -63));
        var v = new Volume<float>(g, metadata);
        for (int k = 0; k < 64; k++)
            for (int j = 0; j < 64; j++)
                for (int i = 0; i < 64; i++)
                    v[i, j, k] = Vec3.Distance(g.IndexToPhysical(i, j, k), sphereCenter) <= SphereRadiusMm ? inside : outside;
        return v;
    }

    // camera at the origin, 128 mm field on 128 px: 1 mm per pixel, pixel centre (63.5, 63.5) on the origin
    private static OrbitCamera Camera(double azimuthDeg) => new(Vec3.Zero, 128, azimuthDeg);

    /// <summary>Bright pixels (luminance above a quarter of the brightest): their count-equivalent radius and centroid.</summary>
    private static (double Radius, double X, double Y, int Count) BrightDisc(RgbaImage image)
    {
        double max = 0;
        for (long n = 0; n < image.Pixels.LongLength; n += 4) max = Math.Max(max, Luminance(image, n));
        Assert.That(max, Is.GreaterThan(60), "something bright must be rendered");
        int count = 0;
        double sx = 0, sy = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (Luminance(image, ((long)y * image.Width + x) * 4) > max / 4)
                {
                    count++;
                    sx += x;
                    sy += y;
                }
        return (Math.Sqrt(count / Math.PI), sx / count, sy / count, count);
    }

    private static double Luminance(RgbaImage image, long n) => (image.Pixels[n] + image.Pixels[n + 1] + image.Pixels[n + 2]) / 3.0;

    // anterior view: screen x = patient left (+x), screen y = inferior (−z); from the right side (azimuth 90°): screen x = +y
    // (scale 0.5: rays cast into a 64² image stretched over the pane, as while rotating)
    [TestCase(0, 63.5 + 15, 63.5 - 10, 1.0)]
    [TestCase(90, 63.5 - 12, 63.5 - 10, 1.0)]
    [TestCase(0, 63.5 + 15, 63.5 - 10, 0.5)]
    public void BoneSphereSilhouetteIsADiscOfTheSphereRadiusAtItsProjection(double azimuth, double expectedX, double expectedY, double scale)
    {
        var sphere = new Vec3(15, -12, 10);
        var ct = Phantom(sphere, 1000, 40, new ImageMetadata { Modality = "CT", Units = "HU" });
        var scene = new ViewerScene(ct);
        var state = new ViewState(scene) { RayCastScale = scale };
        Assert.That(state.BaseTransfer, Is.EqualTo(TransferFunction.CtBone), "CT in HU gets the CT bone transfer function");

        var image = Gpu.RenderVolume(scene, state, Camera(azimuth).ImagePlane(Size, Size));
        var disc = BrightDisc(image);

        Assert.That(disc.Radius, Is.EqualTo(SphereRadiusMm).Within(1.5), "disc radius in pixels (1 mm per pixel)");
        Assert.That(disc.X, Is.EqualTo(expectedX).Within(1), "disc centre x");
        Assert.That(disc.Y, Is.EqualTo(expectedY).Within(1), "disc centre y");
        // soft tissue (40 HU) is below the bone ramp: the corners stay black
        Assert.That(Luminance(image, 0), Is.LessThan(5));
        Assert.That(Luminance(image, ((long)Size * Size - 1) * 4), Is.LessThan(5));
    }

    [Test]
    public void OverlaySphereIsDrawnWhereTheFixedToMovingTransformPutsIt()
    {
        // the overlay holds a sphere at T(c): seen in the fixed frame it must appear at c
        var c = new Vec3(-18, 5, -8);
        var transform = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.3), new Vec3(10, -6, 4), Vec3.Zero);
        var overlay = Phantom(transform.TransformPoint(c), 900, 0, new ImageMetadata { Modality = "MR" });
        var empty = Phantom(Vec3.Zero, 0, 0, new ImageMetadata { Modality = "CT", Units = "HU" });
        var scene = new ViewerScene(empty) { Overlay = overlay, OverlayTransform = transform };
        var state = new ViewState(scene) { OverlayTransfer = new TransferFunction(100, 500, 0.6), Opacity = 1 };

        var disc = BrightDisc(Gpu.RenderVolume(scene, state, Camera(0).ImagePlane(Size, Size)));

        Assert.That(disc.Radius, Is.EqualTo(SphereRadiusMm).Within(1.5), "disc radius");
        Assert.That(disc.X, Is.EqualTo(63.5 - 18).Within(1), "disc centre x = c.x");
        Assert.That(disc.Y, Is.EqualTo(63.5 + 8).Within(1), "disc centre y = −c.z");
    }
}
