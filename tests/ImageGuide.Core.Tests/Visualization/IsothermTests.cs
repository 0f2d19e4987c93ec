using ImageGuide.Planning;
using ImageGuide.Visualization;

namespace ImageGuide.Tests.Visualization;

public class IsothermTests
{
    [Test]
    public void SingleProbeIsotherms_AreDrawnOnTheCatalogueEllipses()
    {
        // One probe pointing +z with its tip at the origin: each catalogue isotherm is an ellipsoid of radii
        // (RadialMm, RadialMm, AxialMm) about the ice centre, CentreOffsetMm behind the tip.
        var model = ProbeCatalogue.BuiltIn.Get(ProbeCatalogue.DefaultModelName);
        var field = new ProbeTemperatureField(model, [(Vec3.Zero, new Vec3(0, 0, 1))]);
        var centre = new Vec3(0, 0, -model.CentreOffsetMm);
        const double px = 0.25;
        var plane = new SlicePlane(centre, new Vec3(1, 0, 0), new Vec3(0, 0, 1), 241, 241, px); // contains the shaft
        var color = new Rgb(0, 255, 255);
        foreach (var iso in model.Isotherms)
        {
            var image = new RgbaImage(plane.Width, plane.Height);
            Annotations.DrawIsotherms(image, plane, field.TemperatureAt, [(iso.TemperatureC, color)]);
            int marked = 0;
            for (int y = 0; y < plane.Height; y++)
                for (int x = 0; x < plane.Width; x++)
                {
                    if (image.GetPixel(x, y) != color) continue;
                    marked++;
                    var d = plane.PixelToPhysical(x, y) - centre;
                    double r = Math.Sqrt(Math.Pow(d.X / iso.RadialMm, 2) + Math.Pow(d.Z / iso.AxialMm, 2));
                    Assert.That(Math.Abs(r - 1) * Math.Min(iso.RadialMm, iso.AxialMm), Is.LessThan(1.5 * px), $"{iso.TemperatureC} °C at pixel {x},{y}");
                }
            // an ellipse's perimeter (Ramanujan) in pixels: the contour is closed and about one pixel thick
            double a = iso.RadialMm, b = iso.AxialMm, h = Math.Pow(a - b, 2) / Math.Pow(a + b, 2);
            double perimeterPx = Math.PI * (a + b) * (1 + 3 * h / (10 + Math.Sqrt(4 - 3 * h))) / px;
            Assert.That(marked, Is.InRange(0.7 * perimeterPx, 1.6 * perimeterPx), $"{iso.TemperatureC} °C contour pixels");
        }
    }

    [Test]
    public void FarFromProbes_TheFieldIsBodyTemperature()
    {
        var model = ProbeCatalogue.BuiltIn.Get(ProbeCatalogue.DefaultModelName);
        var field = new ProbeTemperatureField(model, [(Vec3.Zero, new Vec3(0, 0, 1)), (new Vec3(20, 0, 0), new Vec3(0, 0, 1))]);
        Assert.That(field.TemperatureAt(new Vec3(500, 500, 500)), Is.EqualTo(ProbeModel.BodyTemperatureC).Within(1e-6));
        // two probes cool more between them than one alone does at the same distance
        var single = new ProbeTemperatureField(model, [(Vec3.Zero, new Vec3(0, 0, 1))]);
        var between = new Vec3(10, 0, -model.CentreOffsetMm);
        Assert.That(field.TemperatureAt(between), Is.LessThan(single.TemperatureAt(between)));
    }
}

public class IsothermContourTests
{
    [Test]
    public void LinearField_GivesStraightContourAtTheInterpolatedCrossing()
    {
        // f(x, y) = 2x + 1 on a 6 × 4 grid; f = 8 at x = 3.5 exactly
        var values = new double[6 * 4];
        for (int y = 0; y < 4; y++) for (int x = 0; x < 6; x++) values[y * 6 + x] = 2 * x + 1;
        var segments = ImageGuide.Visualization.IsothermContours.Trace(values, 6, 4, 8);
        Assert.That(segments, Has.Count.EqualTo(3)); // one per row of cells
        foreach (var s in segments)
        {
            Assert.That((s.X0, s.X1), Is.EqualTo((3.5, 3.5)));
            Assert.That(Math.Abs(s.Y1 - s.Y0), Is.EqualTo(1.0));
        }
    }
}
