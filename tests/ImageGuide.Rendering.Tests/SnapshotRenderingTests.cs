using ImageGuide.Imaging;
using ImageGuide.Visualization;
using NUnit.Framework;

namespace ImageGuide.Rendering.Tests;

/// <summary>
/// Core's snapshot scenes drawn by <see cref="SkiaSnapshotRenderer"/>: same scene → same bytes; lines and the scale bar
/// on the pixels that hand-computed geometry gives; text present where the scene places it (ink in the region, not OCR;
/// what the text says is checked on the scene's data in Core's tests). The plane: 200 × 200 pixels of 0.5 mm about the
/// origin, axial (pixel (x, y) at ((x − 99.5)·0.5, (y − 99.5)·0.5, 0) mm), on a black picture.
/// </summary>
public class SnapshotRenderingTests
{
    private static readonly SlicePlane Axial = new(Vec3.Zero, new Vec3(1, 0, 0), new Vec3(0, 1, 0), 200, 200, 0.5);

    // a 43 mm oblique needle (no 5 cm depth label): pixel (59.5, 69.5) → (129.5, 119.5)
    private static readonly Vec3 Entry = new(-20, -15, 0), Target = new(15, 10, 0);

    private static SnapshotRequest Request() => new()
    {
        Image = new Volume<float>(new VolumeGeometry(60, 60, 10, new Vec3(2, 2, 2), new Vec3(-59, -59, -9))),
        Plane = Axial,
        Window = new WindowLevel(50, 100), // the image's 0 at the window's bottom: black
        Trajectories = [new TrajectoryLine(Entry, Target)],
    };

    private static RgbaImage Draw(SnapshotScene scene) => SkiaSnapshotRenderer.Instance.Render(scene);

    [Test]
    public void TheSameScene_GivesTheSamePngBytes()
    {
        var scene = SnapshotScene.Build(Request() with { Title = "Axial through the tip" });
        byte[] a = PngExport.Encode(Draw(scene)), b = PngExport.Encode(Draw(SnapshotScene.Build(Request() with { Title = "Axial through the tip" })));
        Assert.That(a, Is.EqualTo(b));
        Assert.That(scene.Picture.Pixels.All(v => v is 0 or 255), "drawing does not change the scene's picture");
    }

    [Test]
    public void TheNeedle_LiesOnTheLineBetweenItsProjectedEnds_AntiAliased()
    {
        var image = Draw(SnapshotScene.Build(Request()));
        double x0 = 59.5, y0 = 69.5, x1 = 129.5, y1 = 119.5, len = Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
        int onLine = 0, partial = 0;
        for (int y = 0; y < 200; y++)
            for (int x = 0; x < 200; x++)
            {
                var c = image.GetPixel(x, y);
                if (c.G < 40 || 2 * c.R > c.G) continue; // green ink only (letters are yellow, the scale bar white, also at their soft edges)
                // distance to the needle segment and position along it
                double t = Math.Clamp(((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / (len * len), 0, 1);
                double d = Math.Sqrt(Math.Pow(x - x0 - t * (x1 - x0), 2) + Math.Pow(y - y0 - t * (y1 - y0), 2));
                Assert.That(d, Is.LessThanOrEqualTo(7.5), $"green pixel ({x},{y}) off the needle and its ticks (half-length 3 px, 6 px every 5th)");
                if (d <= 1.5) onLine++;
                if (c.G is > 40 and < 200) partial++;
            }
        Assert.That(onLine, Is.GreaterThan(0.9 * len), "a continuous line along the needle");
        Assert.That(partial, Is.GreaterThan(20), "anti-aliased edges, not a one-bit line");
        // both ends: the entry and the target pixels are lit
        Assert.That(image.GetPixel(60, 70).G, Is.GreaterThan(150));
        Assert.That(image.GetPixel(129, 119).G, Is.GreaterThan(150));
    }

    [Test]
    public void TheScaleBar_IsItsStatedLengthInPixels()
    {
        var scene = SnapshotScene.Build(Request());
        var image = Draw(scene);
        // 20 mm (a fifth of 100 mm) at 0.5 mm/pixel: 40 pixels, from the margin
        var (bx0, bx1, by) = SnapshotScene.ScaleBarGeometry(200, 200, 0.5);
        Assert.That(bx1 - bx0, Is.EqualTo(40));
        int row = (int)Math.Round(by), first = -1, last = -1;
        for (int x = 0; x < 100; x++)
        {
            var c = image.GetPixel(x, row);
            if (c.R > 200 && c.G > 200 && c.B > 200) { if (first < 0) first = x; last = x; }
        }
        // round caps of a 2-pixel line add a pixel at each end
        Assert.That(last - first, Is.InRange(39, 42), $"white run from {first} to {last}");
        Assert.That(first, Is.EqualTo((int)Math.Round(bx0)).Within(1));
    }

    [Test]
    public void OrientationLetters_InkTheEdgeCentresOnly_AndTheLabelsAreDrawn()
    {
        var scene = SnapshotScene.Build(Request());
        var image = Draw(scene);
        int Yellow(int xa, int ya, int xb, int yb)
        {
            int n = 0;
            for (int y = ya; y < yb; y++)
                for (int x = xa; x < xb; x++)
                {
                    var c = image.GetPixel(x, y);
                    if (c.R > 180 && c.G > 180 && c.B < 100) n++;
                }
            return n;
        }
        Assert.That(Yellow(180, 85, 200, 115), Is.GreaterThan(15), "right edge (L)");
        Assert.That(Yellow(0, 85, 20, 115), Is.GreaterThan(15), "left edge (R)");
        Assert.That(Yellow(85, 0, 115, 22), Is.GreaterThan(15), "top edge (A)");
        Assert.That(Yellow(85, 178, 115, 200), Is.GreaterThan(15), "bottom edge (P)");
        Assert.That(Yellow(25, 25, 175, 175) + Yellow(0, 0, 25, 25) + Yellow(175, 0, 200, 25) + Yellow(175, 175, 200, 200), Is.Zero, "nowhere else");

        // the scale bar's label below the bar: ink with the text, none without it
        var (bx0, _, by) = SnapshotScene.ScaleBarGeometry(200, 200, 0.5);
        int Ink(RgbaImage img)
        {
            int n = 0;
            for (int y = (int)by + 4; y < 200; y++) for (int x = (int)bx0; x < (int)bx0 + 40; x++) if (img.GetPixel(x, y).R > 128) n++;
            return n;
        }
        var textless = new SnapshotScene(scene.Plane, scene.Picture, scene.Strokes, [], scene.ScaleBarMm);
        Assert.That(Ink(image), Is.GreaterThan(20), "\"20 mm\" under the bar");
        Assert.That(Ink(Draw(textless)), Is.Zero);
    }

    [Test]
    public void TheFont_IsTheEmbeddedDejaVuSans()
    {
        Assert.That(EmbeddedFonts.Regular.FamilyName, Is.EqualTo("DejaVu Sans"));
        Assert.That(EmbeddedFonts.Bold.FamilyName, Is.EqualTo("DejaVu Sans"));
        Assert.That(EmbeddedFonts.Bold.IsBold, Is.True);
        Assert.That(EmbeddedFonts.Regular.ContainsGlyphs("L R A P S I 0123456789 mm °C −"), Is.True, "every character the snapshots write");
    }

    [Test]
    public void ALongTitle_IsFittedLeftOfTheTopLetter()
    {
        var scene = SnapshotScene.Build(Request() with { Title = "A very long title that could never fit beside the top orientation letter of this view" });
        var image = Draw(scene);
        // the title's row: nothing white between the title's room and the top letter
        var title = scene.Texts.Single(t => t.Role == SceneTextRole.Title);
        int right = (int)Math.Ceiling(title.X + title.MaxWidthPixels!.Value) + 1;
        int ink = 0;
        for (int y = 0; y < 30; y++)
            for (int x = right; x < 90; x++)
            {
                var c = image.GetPixel(x, y);
                if (c.R > 128 && c.B > 128) ink++;
            }
        Assert.That(ink, Is.Zero, "the title stops at its room");
    }
}
