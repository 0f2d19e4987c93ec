using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Tests.Viewer;

/// <summary>The GL panes carry core's orientation letters and scale bar.</summary>
public sealed class OrientationAnnotationTests
{
    [Test]
    public void AxialPaneShowsLettersAtItsEdgesAndAScaleBarOfCoreLength()
    {
        var volume = new Volume<float>(new VolumeGeometry(40, 40, 40, new Vec3(1, 1, 1), new Vec3(-20, -20, -20)));
        var scene = new ViewerScene(volume);
        var state = new ViewState(scene) { Cursor = new Vec3(1000, 1000, 1000) };
        var plane = new SlicePlane(Vec3.Zero, new Vec3(1, 0, 0), new Vec3(0, 1, 0), 200, 160, 0.5); // axial: right = L, down = P

        var image = Gpu.RenderMprAnnotated(scene, state, plane);

        var yellow = new Rgb(255, 255, 0);
        int Count(int x0, int y0, int x1, int y1)
        {
            int n = 0;
            for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) if (image.GetPixel(x, y) == yellow) n++;
            return n;
        }
        // one letter at the middle of each edge, nothing in the centre
        Assert.That(Count(plane.Width - 20, 70, plane.Width, 90), Is.GreaterThan(10), "right edge (L)");
        Assert.That(Count(0, 70, 20, 90), Is.GreaterThan(10), "left edge (R)");
        Assert.That(Count(90, 0, 110, 22), Is.GreaterThan(10), "top edge (A)");
        Assert.That(Count(90, plane.Height - 22, 110, plane.Height), Is.GreaterThan(10), "bottom edge (P)");
        Assert.That(Count(40, 40, 160, 120), Is.EqualTo(0), "centre");
        // scale bar: 200 px × 0.5 mm / 5 = 20 mm → 40 px of white from x = 8
        double bar = Annotations.ScaleBarLengthMm(plane.Width, plane.PixelSpacing) / plane.PixelSpacing;
        Assert.That(bar, Is.EqualTo(40));
        var white = new Rgb(255, 255, 255);
        int lit = 0;
        for (int x = 8; x <= 48; x++) if (image.GetPixel(x, plane.Height - 10) == white || image.GetPixel(x, plane.Height - 11) == white) lit++;
        Assert.That(lit, Is.GreaterThanOrEqualTo(38));
    }
}
