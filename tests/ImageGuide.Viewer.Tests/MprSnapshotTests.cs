using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Tests.Viewer;

/// <summary>The GPU MPR pane against core's CPU reslice, window, colour map, fusion and label drawing.</summary>
public sealed class MprSnapshotTests
{
    private const int Size = 128;

    // An oblique, anisotropic grid with a smooth pattern plus a sharp sphere: interpolation, geometry and edges all matter.
    private static Volume<float> PatternVolume(Vec3 origin)
    {
        var axes = new Versor(0.1, -0.05, 0.2, 1).Normalized().ToMatrix();
        var g = new VolumeGeometry(48, 40, 32, new Vec3(1.2, 1.5, 2.0), origin, axes);
        var v = new Volume<float>(g);
        var c = g.Center;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var p = g.IndexToPhysical(i, j, k) - c;
                    double smooth = 300 * Math.Sin(p.X / 7) * Math.Cos(p.Y / 9) + 4 * p.Z;
                    v[i, j, k] = (float)(p.Length < 15 ? smooth + 900 : smooth);
                }
        return v;
    }

    private static SlicePlane ObliquePlane(Vec3 center) =>
        new(center + new Vec3(3, -2, 1.5), new Vec3(1, 0.3, 0.2), new Vec3(-0.1, 0.2, -1), Size, Size, 0.55);

    [Test]
    public void GreyPaneMatchesCoreReslice()
    {
        var volume = PatternVolume(new Vec3(-30, -25, -20));
        var scene = new ViewerScene(volume);
        var window = new WindowLevel(200, 1200);
        var state = new ViewState(scene) { BaseWindow = window, BaseColors = ColorMap.Grey };
        var plane = ObliquePlane(volume.Geometry.Center);

        var gpu = Gpu.RenderMpr(scene, state, plane);
        var cpu = Fusion.Colorize(Reslicer.Reslice(volume, plane), window, ColorMap.Grey);

        var (fraction, max) = Gpu.Agreement(gpu, cpu, tolerance: 2);
        TestContext.Out.WriteLine($"within 2 levels: {fraction:P2}, largest difference {max}");
        Assert.That(fraction, Is.GreaterThanOrEqualTo(0.99), $"pixels within 2 grey levels (largest difference {max})");
    }

    [Test]
    public void PlaneThatLeavesTheVolumeIsBlackOutsideLikeCore()
    {
        var volume = PatternVolume(new Vec3(-30, -25, -20));
        var scene = new ViewerScene(volume);
        var window = new WindowLevel(200, 1200);
        var state = new ViewState(scene) { BaseWindow = window };
        // shifted so that about a third of the plane lies outside the grid
        var plane = new SlicePlane(volume.Geometry.Center + new Vec3(25, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 0, -1), Size, Size, 0.5);

        var gpu = Gpu.RenderMpr(scene, state, plane);
        var slice = Reslicer.Reslice(volume, plane);
        var cpu = Fusion.Colorize(slice, window, ColorMap.Grey);

        int outside = Fusion.ValidMask(slice).Count(v => !v);
        Assert.That(outside, Is.GreaterThan(Size * Size / 5), "the test plane must leave the volume");
        Assert.That(Gpu.Agreement(gpu, cpu, tolerance: 2).Fraction, Is.GreaterThanOrEqualTo(0.99));
    }

    [TestCase(FusionMode.Alpha)]
    [TestCase(FusionMode.Checkerboard)]
    [TestCase(FusionMode.Difference)]
    public void FusedPaneMatchesCoreFusionThroughTheTransform(FusionMode mode)
    {
        var fixedVolume = PatternVolume(new Vec3(-30, -25, -20));
        var moving = PatternVolume(new Vec3(-26, -31, -17));
        var center = fixedVolume.Geometry.Center;
        var transform = new RigidTransform(Versor.FromAxisAngle(new Vec3(0.2, 0.3, 1).Normalized(), 0.15), new Vec3(2, -4, 1.5), center);
        var scene = new ViewerScene(fixedVolume) { Overlay = moving, OverlayTransform = transform };
        var baseWindow = new WindowLevel(200, 1200);
        var overlayWindow = new WindowLevel(400, 1500);
        var state = new ViewState(scene)
        {
            BaseWindow = baseWindow, OverlayWindow = overlayWindow, BaseColors = ColorMap.Grey, OverlayColors = ColorMap.Hot,
            Fusion = mode, Opacity = 0.4, TilePixels = 16,
        };
        var plane = ObliquePlane(center);

        var gpu = Gpu.RenderMpr(scene, state, plane);
        var overlaySlice = Reslicer.Reslice(moving, plane, transform);
        var cpu = Fusion.Fuse(
            Fusion.Colorize(Reslicer.Reslice(fixedVolume, plane), baseWindow, ColorMap.Grey),
            Fusion.Colorize(overlaySlice, overlayWindow, ColorMap.Hot),
            Fusion.ValidMask(overlaySlice), mode, 0.4, 16);

        var (fraction, max) = Gpu.Agreement(gpu, cpu, tolerance: 2);
        TestContext.Out.WriteLine($"within 2 levels: {fraction:P2}, largest difference {max}");
        Assert.That(fraction, Is.GreaterThanOrEqualTo(0.99), $"{mode}: pixels within 2 levels (largest difference {max})");
    }

    [Test]
    public void LabelFillAndContoursMatchCoreAnnotations()
    {
        var volume = PatternVolume(new Vec3(-30, -25, -20));
        var g = volume.Geometry;
        var labels = new Volume<byte>(g);
        var c = g.Center;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var p = g.IndexToPhysical(i, j, k) - c;
                    labels[i, j, k] = p.Length < 12 ? (byte)1 : p.X > 8 ? (byte)2 : (byte)0;
                }
        var colors = new Dictionary<int, Rgb> { [1] = new(255, 0, 0), [2] = new(0, 200, 255) };
        var scene = new ViewerScene(volume) { Labels = labels, LabelColors = colors };
        var window = new WindowLevel(200, 1200);
        var state = new ViewState(scene) { BaseWindow = window, LabelOpacity = 0.3 };
        var plane = ObliquePlane(c);

        var gpu = Gpu.RenderMpr(scene, state, plane);
        var cpu = Fusion.Colorize(Reslicer.Reslice(volume, plane), window, ColorMap.Grey);
        Annotations.DrawLabels(cpu, Reslicer.Reslice(labels, plane, mode: InterpolationMode.Nearest), colors, 0.3);

        var (fraction, max) = Gpu.Agreement(gpu, cpu, tolerance: 2);
        TestContext.Out.WriteLine($"within 2 levels: {fraction:P2}, largest difference {max}");
        Assert.That(fraction, Is.GreaterThanOrEqualTo(0.99), $"pixels within 2 levels (largest difference {max})");
    }
}
