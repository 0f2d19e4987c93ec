using ImageGuide.Visualization;

namespace ImageGuide.Tests.Visualization;

public class RenderingTests
{
    private static RgbaImage Solid(int w, int h, Rgb c)
    {
        var img = new RgbaImage(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.SetPixel(x, y, c);
        return img;
    }

    [Test]
    public void AlphaBlend_IsPixelExact()
    {
        var a = Solid(2, 1, new Rgb(100, 0, 255));
        var b = Solid(2, 1, new Rgb(201, 50, 0));
        var f = Fusion.Fuse(a, b, [true, false], FusionMode.Alpha, 0.25);
        // 100 + (201−100)·0.25 = 125.25 → 125; 0 + 50·0.25 = 12.5 → 13 (away from zero); 255 − 255·0.25 = 191.25 → 191
        Assert.That(f.GetPixel(0, 0), Is.EqualTo(new Rgb(125, 13, 191)));
        Assert.That(f.GetPixel(1, 0), Is.EqualTo(new Rgb(100, 0, 255)), "no overlay data: base shows");
    }

    [Test]
    public void Checkerboard_AndDifference_ArePixelExact()
    {
        var a = Solid(4, 4, new Rgb(10, 20, 30));
        var b = Solid(4, 4, new Rgb(50, 5, 30));
        var cb = Fusion.Fuse(a, b, null, FusionMode.Checkerboard, tilePixels: 2);
        Assert.That(cb.GetPixel(1, 1), Is.EqualTo(new Rgb(10, 20, 30)));
        Assert.That(cb.GetPixel(2, 1), Is.EqualTo(new Rgb(50, 5, 30)));
        Assert.That(cb.GetPixel(2, 2), Is.EqualTo(new Rgb(10, 20, 30)));
        var d = Fusion.Fuse(a, b, null, FusionMode.Difference);
        Assert.That(d.GetPixel(3, 3), Is.EqualTo(new Rgb(40, 15, 0)));
    }

    [Test]
    public void WindowLevel_AndColorMaps_MapKnownValues()
    {
        var w = WindowLevel.CtSoftTissue; // 40 ± 200
        Assert.That(w.Apply(-160), Is.EqualTo(0));
        Assert.That(w.Apply(240), Is.EqualTo(1));
        Assert.That(w.Apply(40), Is.EqualTo(0.5));
        Assert.That(ColorMap.Grey.Map(0.5), Is.EqualTo(new Rgb(128, 128, 128)));
        Assert.That(ColorMap.Viridis.Map(0), Is.EqualTo(new Rgb(68, 1, 84)));
        Assert.That(ColorMap.Viridis.Map(1), Is.EqualTo(new Rgb(253, 231, 37)));
        // t = 0.5 → LUT entry 128 (t = 0.50196), red→yellow segment f = (0.50196 − 0.375)/0.375 = 0.3386 → G = 86
        Assert.That(ColorMap.Hot.Map(0.5), Is.EqualTo(new Rgb(255, 86, 0)));
        var img = new Image2D(2, 1);
        img[0, 0] = 40; img[1, 0] = float.NaN;
        var rgba = Fusion.Colorize(img, w, ColorMap.Grey);
        Assert.That(rgba.GetPixel(0, 0), Is.EqualTo(new Rgb(128, 128, 128)));
        Assert.That(rgba.GetPixel(1, 0), Is.EqualTo(new Rgb(0, 0, 0)));
        var mr = WindowLevel.FromPercentiles(new float[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 10, 90);
        Assert.That((mr.Center, mr.Width), Is.EqualTo((5.0, 8.0)));
    }

    // For each permutation/flip of LPS axes as volume axes, the standard planes' letters are fixed by physical space.
    [TestCase(1, 0, 0, 0, 1, 0)]
    [TestCase(0, 1, 0, 1, 0, 0)]
    [TestCase(0, 0, 1, 1, 0, 0)]
    [TestCase(-1, 0, 0, 0, 0, -1)]
    public void OrientationLetters_DependOnlyOnPhysicalDirections(double ix, double iy, double iz, double jx, double jy, double jz)
    {
        var i = new Vec3(ix, iy, iz);
        var j = new Vec3(jx, jy, jz);
        var g = new VolumeGeometry(10, 10, 10, new Vec3(1, 1, 1), Vec3.Zero, Mat3.FromColumns(i, j, Vec3.Cross(i, j)));
        var axial = SlicePlane.Axial(g, g.Center);
        Assert.That((Annotations.OrientationLetters(axial.U), Annotations.OrientationLetters(-axial.U)), Is.EqualTo(("L", "R")));
        Assert.That((Annotations.OrientationLetters(axial.V), Annotations.OrientationLetters(-axial.V)), Is.EqualTo(("P", "A")));
        var cor = SlicePlane.Coronal(g, g.Center);
        Assert.That((Annotations.OrientationLetters(cor.V), Annotations.OrientationLetters(-cor.V)), Is.EqualTo(("I", "S")));
        var sag = SlicePlane.Sagittal(g, g.Center);
        Assert.That((Annotations.OrientationLetters(sag.U), Annotations.OrientationLetters(-sag.U)), Is.EqualTo(("A", "P")));
        // the volume's own i axis direction letter
        Assert.That(Annotations.OrientationLetters(g.Direction.Column(0)), Is.EqualTo(ix > 0 ? "L" : ix < 0 ? "R" : iy > 0 ? "P" : "S"));
        Assert.That(Annotations.OrientationLetters(new Vec3(1, -0.8, 0)), Is.EqualTo("LA"));
    }

    [Test]
    public void Png_RoundTripsPixels()
    {
        var img = new RgbaImage(3, 2);
        img.SetPixel(0, 0, new Rgb(255, 0, 0));
        img.SetPixel(2, 1, new Rgb(1, 2, 3));
        var (w, h, rgb) = PngDecoder.Decode(PngExport.Encode(img));
        Assert.That((w, h), Is.EqualTo((3, 2)));
        Assert.That(rgb[..3], Is.EqualTo(new byte[] { 255, 0, 0 }));
        Assert.That(rgb[15..18], Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(rgb[3..6], Is.EqualTo(new byte[] { 0, 0, 0 }));
    }

    [Test]
    public void Trajectory_HasOneTickPerCentimetre()
    {
        var plane = new SlicePlane(Vec3.Zero, new Vec3(1, 0, 0), new Vec3(0, 1, 0), 200, 200, 0.5);
        var img = new RgbaImage(200, 200);
        int ticks = Annotations.DrawTrajectory(img, plane, new Vec3(0, -40, 0), new Vec3(0, 35, 0), new Rgb(0, 255, 0), 10);
        Assert.That(ticks, Is.EqualTo(7)); // 75 mm → ticks at 10..70 mm
        var (x, y, _) = plane.PhysicalToPixel(new Vec3(0, 0, 0));
        Assert.That(img.GetPixel((int)Math.Round(x), (int)Math.Round(y)), Is.EqualTo(new Rgb(0, 255, 0)));
        Assert.That(Annotations.ScaleBarLengthMm(img.Width, 0.5), Is.EqualTo(20)); // 200 px · 0.5 / 5 = 20 mm
    }
}
