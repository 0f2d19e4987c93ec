using ImageGuide.Planning;
using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Tests.Viewer;

/// <summary>Planned isotherms on the GPU MPR pane lie on the probe model's ellipses, as core traces them.</summary>
public sealed class IsothermPaneTests
{
    [Test]
    public void ZeroDegreeIsothermIsDrawnOnTheCatalogueEllipse()
    {
        var model = ProbeCatalogue.BuiltIn.Get(ProbeCatalogue.DefaultModelName);
        var field = new ProbeTemperatureField(model, [(Vec3.Zero, new Vec3(0, 0, 1))]);
        var centre = new Vec3(0, 0, -model.CentreOffsetMm);
        var volume = new Volume<float>(new VolumeGeometry(40, 40, 40, new Vec3(1, 1, 1), new Vec3(-20, -20, -25)));
        var cyan = new Rgb(0, 255, 255);
        var scene = new ViewerScene(volume) { Temperature = field.TemperatureAt, Isotherms = [(0, cyan)] };
        var state = new ViewState(scene) { Cursor = new Vec3(1000, 1000, 1000) }; // cross-hair off the pane
        const double px = 0.25;
        var plane = new SlicePlane(centre, new Vec3(1, 0, 0), new Vec3(0, 0, 1), 160, 160, px);

        var image = Gpu.RenderMprAnnotated(scene, state, plane);

        var zero = model.Isotherms.Single(i => i.TemperatureC == 0);
        int marked = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                if (image.GetPixel(x, y) != cyan) continue;
                marked++;
                var d = plane.PixelToPhysical(x, y) - centre;
                double r = Math.Sqrt(Math.Pow(d.X / zero.RadialMm, 2) + Math.Pow(d.Z / zero.AxialMm, 2));
                Assert.That(Math.Abs(r - 1) * Math.Min(zero.RadialMm, zero.AxialMm), Is.LessThan(2 * px), $"pixel {x},{y}");
            }
        // GL drops the exit pixel of each one-cell segment (diamond-exit rule), so about half the perimeter's pixels light up
        double a = zero.RadialMm, b = zero.AxialMm;
        Assert.That(marked, Is.GreaterThan(0.35 * Math.PI * (a + b) / px), "a contour all around the probe");
    }
}
