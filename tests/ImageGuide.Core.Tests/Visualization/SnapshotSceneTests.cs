using System.Buffers.Binary;
using System.Text;
using ImageGuide.Model;
using ImageGuide.Visualization;

namespace ImageGuide.Tests.Visualization;

/// <summary>
/// Core's snapshot scene (the annotations as data) against hand-computed geometry, and the managed, text-free renderer.
/// The axial plane below is 200 × 200 pixels of 0.5 mm centred on the origin: pixel (x, y) is at
/// ((x − 99.5)·0.5, (y − 99.5)·0.5, 0) mm, screen right = patient left, screen down = posterior.
/// </summary>
public class SnapshotSceneTests
{
    private static readonly SlicePlane Axial = new(Vec3.Zero, new Vec3(1, 0, 0), new Vec3(0, 1, 0), 200, 200, 0.5);
    private static readonly Vec3 Entry = new(0, -40, 0), Target = new(0, 35, 0);

    private static SnapshotRequest Request(LabelMap? labels = null) => new()
    {
        Image = new Volume<float>(new VolumeGeometry(60, 60, 10, new Vec3(2, 2, 2), new Vec3(-59, -59, -9))),
        Plane = Axial,
        Window = new WindowLevel(50, 100), // 0 at the window's bottom: a black picture
        Labels = labels,
        Trajectories = [new TrajectoryLine(Entry, Target)],
        Title = "Axial",
    };

    [Test]
    public void CementAccessPaths_AreDashedInTheirOwnColour_AndNamedInTheLegendBesideTheAblationPath()
    {
        // a 60 mm cannula from (−30, 20) to (30, 20) mm: on the 0.5 mm plane centred at 0 it runs from pixel x 40 to 160 at
        // row 140; dashes of 7 px every 12 px cover 120 px in 10 dashes, ⌈120 / 12⌉ = 10, each 7 px (the last may be cut)
        var scene = SnapshotScene.Build(Request() with { AccessPaths = [new TrajectoryLine(new Vec3(-30, 20, 0), new Vec3(30, 20, 0))] });
        var access = scene.Strokes.Single(s => s.Kind == SceneStrokeKind.AccessPath);
        Assert.That(access.Color, Is.EqualTo(SnapshotScene.AccessPathColor));
        Assert.That(access.Color, Is.Not.EqualTo(SnapshotScene.TrajectoryColor));
        Assert.That(access.Segments, Has.Count.EqualTo(10));
        Assert.That(access.Segments[0].X0, Is.EqualTo(39.5).Within(1e-9));
        Assert.That(access.Segments[0].Y0, Is.EqualTo(139.5).Within(1e-9));
        Assert.That(access.Segments[0].X1 - access.Segments[0].X0, Is.EqualTo(SnapshotScene.AccessDashPixels).Within(1e-9));
        Assert.That(access.Segments[1].X0 - access.Segments[0].X0, Is.EqualTo(SnapshotScene.AccessDashPixels + SnapshotScene.AccessGapPixels).Within(1e-9));
        var legend = scene.Texts.Where(t => t.Role == SceneTextRole.Legend).ToList();
        Assert.That(legend.Select(t => (t.Text, t.Swatch)), Is.EqualTo(new (string, Rgb?)[]
            { ("ablation path", SnapshotScene.TrajectoryColor), ("cement access (dashed)", SnapshotScene.AccessPathColor) }));
        // without access paths nothing of the kind is drawn
        Assert.That(SnapshotScene.Build(Request()).Strokes.Any(s => s.Kind == SceneStrokeKind.AccessPath), Is.False);
    }

    [Test]
    public void OrientationLetters_AreTheAxialConvention_AtTheEdgeCentres()
    {
        var scene = SnapshotScene.Build(Request());
        var letters = scene.Texts.Where(t => t.Role == SceneTextRole.Orientation).ToDictionary(t => t.Align, t => t);
        Assert.That(letters[SceneTextAlign.MiddleRight].Text, Is.EqualTo("L"));
        Assert.That(letters[SceneTextAlign.MiddleLeft].Text, Is.EqualTo("R"));
        Assert.That(letters[SceneTextAlign.TopCenter].Text, Is.EqualTo("A"));
        Assert.That(letters[SceneTextAlign.BottomCenter].Text, Is.EqualTo("P"));
        Assert.That(letters[SceneTextAlign.MiddleRight].X, Is.GreaterThan(180), "right letter at the right edge");
        Assert.That(letters[SceneTextAlign.MiddleLeft].X, Is.LessThan(20));
        Assert.That(letters[SceneTextAlign.TopCenter].Y, Is.LessThan(20));
        Assert.That(letters[SceneTextAlign.BottomCenter].Y, Is.GreaterThan(180));
        Assert.That(letters[SceneTextAlign.MiddleRight].Y, Is.EqualTo(99.5), "vertically centred");
        Assert.That(letters[SceneTextAlign.TopCenter].X, Is.EqualTo(99.5), "horizontally centred");
    }

    [Test]
    public void ScaleBar_IsTheRoundLengthInPixelsOfThePlane()
    {
        var scene = SnapshotScene.Build(Request());
        // 200 px · 0.5 mm = 100 mm wide; a fifth is 20 mm, already round → 40 pixels
        Assert.That(scene.ScaleBarMm, Is.EqualTo(20));
        var bar = scene.Strokes.Single(s => s.Kind == SceneStrokeKind.ScaleBar).Segments[0];
        Assert.That(bar.X1 - bar.X0, Is.EqualTo(40).Within(1e-9));
        Assert.That(bar.Y0, Is.EqualTo(bar.Y1));
        Assert.That(bar.Y0, Is.GreaterThan(150), "bottom");
        Assert.That(scene.Texts.Single(t => t.Role == SceneTextRole.ScaleBar).Text, Is.EqualTo("20 mm"));
    }

    [Test]
    public void Trajectory_RunsBetweenTheProjectedEndsWithOneTickPerCentimetre_AndOneDepthLabel()
    {
        var scene = SnapshotScene.Build(Request());
        var line = scene.Strokes.Single(s => s.Kind == SceneStrokeKind.Trajectory).Segments.Single();
        // (0, −40, 0) → pixel (99.5, 19.5); (0, 35, 0) → (99.5, 169.5)
        Assert.That((line.X0, line.Y0, line.X1, line.Y1), Is.EqualTo((99.5, 19.5, 99.5, 169.5)));
        var ticks = scene.Strokes.Single(s => s.Kind == SceneStrokeKind.DepthTicks).Segments;
        Assert.That(ticks, Has.Count.EqualTo(7), "75 mm: ticks at 10 … 70 mm");
        for (int k = 0; k < ticks.Count; k++)
        {
            double y = 19.5 + (k + 1) * 10 / 0.5;
            Assert.That(ticks[k].Y0, Is.EqualTo(y).Within(1e-9), $"tick {k + 1} at {(k + 1) * 10} mm");
            Assert.That(Math.Abs(ticks[k].X1 - ticks[k].X0), Is.EqualTo(k == 4 ? 12 : 6).Within(1e-9), "the 5th tick is long");
        }
        var depth = scene.Texts.Single(t => t.Role == SceneTextRole.Depth);
        Assert.That(depth.Text, Is.EqualTo("50 mm"));
        Assert.That(depth.Y, Is.EqualTo(19.5 + 100).Within(1e-9));
    }

    [Test]
    public void ANeedleCrossingThePlane_OrDepthLabelsOff_HasNoDepthLabels()
    {
        var scene = SnapshotScene.Build(Request() with { Trajectories = [new TrajectoryLine(new Vec3(0, -40, -30), new Vec3(0, 35, 30))] });
        Assert.That(scene.Texts.Where(t => t.Role == SceneTextRole.Depth), Is.Empty);
        Assert.That(scene.Strokes.Single(s => s.Kind == SceneStrokeKind.DepthTicks).Segments, Has.Count.EqualTo(9), "96 mm: 9 ticks");
        var off = SnapshotScene.Build(Request() with { DepthLabels = false });
        Assert.That(off.Texts.Where(t => t.Role == SceneTextRole.Depth), Is.Empty, "depth labels switched off");
        Assert.That(off.Strokes.Single(s => s.Kind == SceneStrokeKind.DepthTicks).Segments, Has.Count.EqualTo(7), "the ticks stay");
    }

    [Test]
    public void LabelOutline_LiesOnTheDiscEdge_AndTheFillIsTinted()
    {
        // a ball of radius 15 mm (label 1, red) about the origin on a 1 mm grid
        var g = new VolumeGeometry(61, 61, 11, new Vec3(1, 1, 1), new Vec3(-30, -30, -5));
        var vol = new Volume<byte>(g);
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    if (g.IndexToPhysical(i, j, k).Length <= 15) vol[i, j, k] = 1;
        var red = new Rgb(255, 0, 0);
        var labels = new LabelMap(vol, new LabelTable([new LabelDefinition(1, "target", LabelRole.Target, Color: new LabelColor(255, 0, 0))]));
        var scene = SnapshotScene.Build(Request(labels) with { Trajectories = [] });
        var outline = scene.Strokes.Single(s => s.Kind == SceneStrokeKind.LabelOutline);
        Assert.That(outline.Color, Is.EqualTo(red));
        Assert.That(outline.Segments, Has.Count.GreaterThan(100));
        foreach (var s in outline.Segments)
        {
            double r = Axial.PixelToPhysical(s.X0, s.Y0).Length;
            Assert.That(r, Is.EqualTo(15).Within(1.2), "outline within a voxel of the 15 mm disc edge");
        }
        // the centre is the black image tinted 30 % red: 0 + 255 · 0.3 = 76.5 → 77
        Assert.That(scene.Picture.GetPixel(100, 100), Is.EqualTo(new Rgb(77, 0, 0)));
    }

    [Test]
    public void ManagedRenderer_DrawsTheLinesButNoText()
    {
        var scene = SnapshotScene.Build(Request());
        var image = ManagedSnapshotRenderer.Instance.Render(scene);
        Assert.That(image.GetPixel(100, 100), Is.EqualTo(SnapshotScene.TrajectoryColor), "the needle through the centre");
        Assert.That(image.GetPixel(50, 120), Is.EqualTo(new Rgb(0, 0, 0)), "background");
        // no text: apart from the lines' pixels the picture is unchanged
        int changed = 0;
        for (int y = 0; y < 200; y++)
            for (int x = 0; x < 200; x++)
                if (image.GetPixel(x, y) != scene.Picture.GetPixel(x, y)) changed++;
        int lineish = scene.Strokes.Sum(s => s.Segments.Sum(sg => (int)Math.Ceiling(Math.Max(Math.Abs(sg.X1 - sg.X0), Math.Abs(sg.Y1 - sg.Y0))) + 1));
        Assert.That(changed, Is.LessThanOrEqualTo(lineish), "only line pixels differ from the picture");
        Assert.That(scene.Picture.GetPixel(195, 100), Is.EqualTo(image.GetPixel(195, 100)), "no letter at the right edge");
    }

    [Test]
    public void Write_StoresTheAnnotationsAsPngText()
    {
        string path = Path.Combine(Path.GetTempPath(), $"imageguide-scene-{Guid.NewGuid():N}.png");
        try
        {
            FusionSnapshot.Write(Request(), path);
            var text = TextChunks(File.ReadAllBytes(path));
            Assert.That(text["Orientation"], Is.EqualTo("left R, right L, top A, bottom P"));
            Assert.That(text["Scale bar"], Is.EqualTo("20 mm"));
            Assert.That(text["Pixel spacing"], Is.EqualTo("0.5 mm"));
            Assert.That(text["Title"], Is.EqualTo("Axial"));
            Assert.That(PngDecoder.Decode(File.ReadAllBytes(path)).Width, Is.EqualTo(200), "still a PNG a strict reader decodes");
        }
        finally { File.Delete(path); }
    }

    private static Dictionary<string, string> TextChunks(byte[] png)
    {
        var result = new Dictionary<string, string>();
        for (int pos = 8; pos < png.Length;)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (Encoding.ASCII.GetString(png, pos + 4, 4) == "tEXt")
            {
                var data = png.AsSpan(pos + 8, len);
                int zero = data.IndexOf((byte)0);
                result[Encoding.Latin1.GetString(data[..zero])] = Encoding.Latin1.GetString(data[(zero + 1)..]);
            }
            pos += 12 + len;
        }
        return result;
    }
}
