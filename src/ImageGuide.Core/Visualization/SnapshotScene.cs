using System.Buffers;
using ImageGuide.Imaging;

namespace ImageGuide.Visualization;

/// <summary>What a group of lines of a <see cref="SnapshotScene"/> shows.</summary>
public enum SceneStrokeKind
{
    /// <summary>The outline of a label region.</summary>
    LabelOutline,
    /// <summary>An isotherm (or another iso-line of a field, e.g. the ice-ball edge).</summary>
    Isotherm,
    /// <summary>A needle path from entry to target.</summary>
    Trajectory,
    /// <summary>The depth ticks across a needle path, one per centimetre from the entry.</summary>
    DepthTicks,
    /// <summary>The scale bar and its end caps.</summary>
    ScaleBar,
    /// <summary>A cement-access cannula path (transpedicular, for augmentation after the ablation), drawn dashed.</summary>
    AccessPath,
}

/// <summary>Lines of one colour and width, in pixel coordinates of the scene's plane (pixel centres at integers).</summary>
/// <param name="Kind">What the lines show.</param>
/// <param name="Color">Their colour.</param>
/// <param name="WidthPixels">Their width when drawn anti-aliased; a pure-managed renderer draws one pixel wide.</param>
/// <param name="Segments">The straight pieces.</param>
public sealed record SceneStroke(SceneStrokeKind Kind, Rgb Color, double WidthPixels, IReadOnlyList<ContourSegment> Segments);

/// <summary>Which point of a text's box lies on its anchor.</summary>
public enum SceneTextAlign
{
    /// <summary>Top-left corner.</summary>
    TopLeft,
    /// <summary>Middle of the top edge.</summary>
    TopCenter,
    /// <summary>Middle of the left edge.</summary>
    MiddleLeft,
    /// <summary>Middle of the right edge.</summary>
    MiddleRight,
    /// <summary>Middle of the bottom edge.</summary>
    BottomCenter,
    /// <summary>Bottom-left corner.</summary>
    BottomLeft,
}

/// <summary>What a text of a <see cref="SnapshotScene"/> is.</summary>
public enum SceneTextRole
{
    /// <summary>A patient-direction letter at an edge (L, R, A, P, S, I or two of them for oblique planes).</summary>
    Orientation,
    /// <summary>The scale bar's length, e.g. "20 mm".</summary>
    ScaleBar,
    /// <summary>The view's name, top-left.</summary>
    Title,
    /// <summary>One line of the legend (an isotherm, or a kind of path), drawn after a swatch of its colour.</summary>
    Legend,
    /// <summary>A depth along a needle (at every 5th tick), in mm from the entry.</summary>
    Depth,
}

/// <summary>A text to draw in a real font. Layout is by anchor: the renderer measures the text and places its box.</summary>
/// <param name="Role">What it is.</param>
/// <param name="Text">The characters.</param>
/// <param name="X">Anchor x in pixels.</param>
/// <param name="Y">Anchor y in pixels.</param>
/// <param name="Align">Which point of the text's box is on the anchor.</param>
/// <param name="SizePixels">Font size (em height) in pixels.</param>
/// <param name="Color">Text colour; the renderer adds a dark halo so text stays readable on bright pixels.</param>
/// <param name="Swatch">For <see cref="SceneTextRole.Legend"/>: the colour of the line it names, drawn as a short line before the text.</param>
/// <param name="MaxWidthPixels">Room for the text; a renderer makes a wider text smaller (down to 8 pixels), then cuts it with "…". Unlimited when null.</param>
public sealed record SceneText(SceneTextRole Role, string Text, double X, double Y, SceneTextAlign Align, double SizePixels, Rgb Color, Rgb? Swatch = null,
    double? MaxWidthPixels = null);

/// <summary>
/// A snapshot as data: the picture's pixels (the windowed, coloured and fused image with label tints) and the
/// annotations over it — label outlines, isotherms, needle paths with depth ticks, the scale bar, orientation letters,
/// a title, an isotherm legend and depth labels — all in pixel coordinates of <see cref="Plane"/>. Core computes it
/// (<see cref="Build"/>); an <see cref="ISnapshotRenderer"/> draws it: <see cref="ManagedSnapshotRenderer"/> without
/// text in pure managed code, ImageGuide.Rendering with Skia (anti-aliased lines, an embedded font).
/// </summary>
public sealed class SnapshotScene
{
    /// <summary>Colour of needle paths and their ticks.</summary>
    public static readonly Rgb TrajectoryColor = new(0, 255, 0);
    /// <summary>Colour of cement-access paths (<see cref="SnapshotRequest.AccessPaths"/>), drawn dashed so they differ from ablation paths in grey print too.</summary>
    public static readonly Rgb AccessPathColor = new(255, 105, 180);
    /// <summary>Dash and gap of cement-access paths, pixels.</summary>
    public const double AccessDashPixels = 7, AccessGapPixels = 5;
    /// <summary>Colour of the orientation letters.</summary>
    public static readonly Rgb OrientationColor = new(255, 255, 0);
    /// <summary>Colour of the scale bar, the title and the legend text.</summary>
    public static readonly Rgb TextColor = new(255, 255, 255);

    /// <summary>Creates a scene.</summary>
    public SnapshotScene(SlicePlane plane, RgbaImage picture, IReadOnlyList<SceneStroke> strokes, IReadOnlyList<SceneText> texts, double scaleBarMm)
    {
        ArgumentNullException.ThrowIfNull(plane);
        ArgumentNullException.ThrowIfNull(picture);
        if (picture.Width != plane.Width || picture.Height != plane.Height)
            throw new ImageGuideException($"The picture ({picture.Width}×{picture.Height}) and the plane ({plane.Width}×{plane.Height}) differ in size.");
        Plane = plane;
        Picture = picture;
        Strokes = strokes ?? throw new ArgumentNullException(nameof(strokes));
        Texts = texts ?? throw new ArgumentNullException(nameof(texts));
        ScaleBarMm = scaleBarMm;
    }

    /// <summary>The plane the picture samples.</summary>
    public SlicePlane Plane { get; }
    /// <summary>The picture before annotation (image, fusion, label tints).</summary>
    public RgbaImage Picture { get; }
    /// <summary>Lines, in drawing order.</summary>
    public IReadOnlyList<SceneStroke> Strokes { get; }
    /// <summary>Texts, in drawing order.</summary>
    public IReadOnlyList<SceneText> Texts { get; }
    /// <summary>The scale bar's length in mm (<see cref="Annotations.ScaleBarLengthMm"/>); it is drawn <c>ScaleBarMm / Plane.PixelSpacing</c> pixels long.</summary>
    public double ScaleBarMm { get; }
    /// <summary>Width in pixels.</summary>
    public int Width => Plane.Width;
    /// <summary>Height in pixels.</summary>
    public int Height => Plane.Height;

    /// <summary>Font size in pixels for letters and labels: about 1/28 of the shorter side, between 11 and 18 pixels.</summary>
    public static double TextSize(int width, int height) => Math.Clamp(Math.Min(width, height) / 28.0, 11, 18);

    /// <summary>Margin between the picture's edge and the annotations, pixels.</summary>
    public static double MarginPixels(int width, int height) => Math.Round(TextSize(width, height) / 2);

    /// <summary>
    /// The scale bar: a horizontal line of <see cref="ScaleBarMm"/> bottom-left, starting a margin from the left edge,
    /// 1.6 text heights above the bottom (its label sits below it), and its end caps.
    /// </summary>
    public static (double X0, double X1, double Y) ScaleBarGeometry(int width, int height, double pixelSpacingMm)
    {
        double size = TextSize(width, height), m = MarginPixels(width, height);
        double px = Annotations.ScaleBarLengthMm(width, pixelSpacingMm) / pixelSpacingMm;
        double y = height - 1 - m - 1.6 * size;
        return (m, m + px, y);
    }

    /// <summary>Reslices, windows, colours and fuses the request's images and lays out its annotations.</summary>
    public static SnapshotScene Build(SnapshotRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plane = request.Plane;
        var baseSlice = Reslicer.Reslice(request.Image, plane);
        var window = request.Window ?? DefaultWindow(request.Image.Metadata, baseSlice);
        bool greyBoth = request.Overlay is not null && request.Mode != FusionMode.Alpha;
        var picture = Fusion.Colorize(baseSlice, window, request.ImageColors);
        if (request.Overlay is { } overlay)
        {
            var overSlice = Reslicer.Reslice(overlay, plane, request.ImageToOverlay);
            var overWindow = request.OverlayWindow ?? WindowLevel.FromPercentiles(overSlice.Pixels);
            var overImage = Fusion.Colorize(overSlice, overWindow, greyBoth ? ColorMap.Grey : request.OverlayColors);
            picture = Fusion.Fuse(picture, overImage, Fusion.ValidMask(overSlice), request.Mode, request.Opacity, request.TilePixels);
        }
        int w = plane.Width, h = plane.Height;
        double size = TextSize(w, h), m = MarginPixels(w, h);
        var strokes = new List<SceneStroke>();
        var texts = new List<SceneText>();
        bool titled = request.Title is { Length: > 0 };
        double legendTop = m + (titled ? size * 1.6 : 0);

        if (request.Labels is { } labels)
        {
            var labelSlice = Reslicer.Reslice(labels.Volume, plane, request.ImageToLabels, InterpolationMode.Nearest);
            var colors = FusionSnapshot.LabelColors(labels.Table);
            Annotations.DrawLabels(picture, labelSlice, colors, opacity: 0.3, contours: false);
            strokes.AddRange(LabelOutlines(labelSlice, colors));
        }

        if (request.Temperature is { } temperature && request.Isotherms.Count > 0)
        {
            var field = IsothermContours.Sample(plane, temperature);
            for (int n = 0; n < request.Isotherms.Count; n++)
            {
                var (level, color) = request.Isotherms[n];
                var segments = IsothermContours.Trace(field, w, h, level);
                strokes.Add(new SceneStroke(SceneStrokeKind.Isotherm, color, 1.5, segments));
                string name = request.IsothermLabels is { } names && n < names.Count ? names[n] : FormattableString.Invariant($"{level:0.#} °C").Replace("-", "−", StringComparison.Ordinal);
                texts.Add(new SceneText(SceneTextRole.Legend, name, m, legendTop + n * size * 1.25, SceneTextAlign.TopLeft, size * 0.85, TextColor, color));
            }
        }

        for (int n = 0; n < request.Trajectories.Count; n++)
        {
            var t = request.Trajectories[n];
            var segments = Annotations.TrajectorySegments(plane, t.Entry, t.Target);
            strokes.Add(new SceneStroke(SceneStrokeKind.Trajectory, TrajectoryColor, 2, [segments[0]]));
            if (segments.Count == 1) continue;
            strokes.Add(new SceneStroke(SceneStrokeKind.DepthTicks, TrajectoryColor, 1.5, segments.GetRange(1, segments.Count - 1)));
            // the first needle, when it lies in the plane (projected within 10 % of its length), carries its depth at
            // every 5th tick (5 cm), right of the tick's end; other needles and oblique projections would only clutter
            if (n > 0 || !request.DepthLabels || !InPlane(plane, t)) continue;
            for (int k = 5; k < segments.Count; k += 5)
            {
                var s = segments[k];
                var (x, y) = s.X1 >= s.X0 ? (s.X1, s.Y1) : (s.X0, s.Y0);
                texts.Add(new SceneText(SceneTextRole.Depth, FormattableString.Invariant($"{k * 10} mm"), x + 3, y, SceneTextAlign.MiddleLeft, size * 0.8, TrajectoryColor));
            }
        }

        if (request.AccessPaths.Count > 0)
        {
            var dashes = new List<ContourSegment>();
            foreach (var a in request.AccessPaths) Dash(Annotations.TrajectorySegments(plane, a.Entry, a.Target)[0], dashes);
            strokes.Add(new SceneStroke(SceneStrokeKind.AccessPath, AccessPathColor, 2, dashes));
            // the legend names both kinds of path (after the isotherms), so the two are told apart
            int row = request.Temperature is not null ? request.Isotherms.Count : 0;
            if (request.Trajectories.Count > 0)
                texts.Add(new SceneText(SceneTextRole.Legend, "ablation path", m, legendTop + row++ * size * 1.25, SceneTextAlign.TopLeft, size * 0.85, TextColor, TrajectoryColor));
            texts.Add(new SceneText(SceneTextRole.Legend, "cement access (dashed)", m, legendTop + row * size * 1.25, SceneTextAlign.TopLeft, size * 0.85, TextColor, AccessPathColor));
        }

        var (bx0, bx1, by) = ScaleBarGeometry(w, h, plane.PixelSpacing);
        double barMm = Annotations.ScaleBarLengthMm(w, plane.PixelSpacing);
        strokes.Add(new SceneStroke(SceneStrokeKind.ScaleBar, TextColor, 2,
            [new(bx0, by, bx1, by), new(bx0, by - 4, bx0, by + 2), new(bx1, by - 4, bx1, by + 2)]));
        texts.Add(new SceneText(SceneTextRole.ScaleBar, FormattableString.Invariant($"{barMm:0.##} mm"), bx0, by + 4, SceneTextAlign.TopLeft, size * 0.85, TextColor));

        double letter = size * 1.15;
        // the title stays left of the top orientation letter (two letters wide at most)
        if (titled) texts.Add(new SceneText(SceneTextRole.Title, request.Title!, m, m, SceneTextAlign.TopLeft, size, TextColor,
            MaxWidthPixels: Math.Max(0, (w - 1) / 2.0 - m - 1.2 * letter)));
        texts.AddRange(OrientationTexts(plane, letter, m));
        return new SnapshotScene(plane, picture, strokes, texts, barMm);
    }

    /// <summary>
    /// The four orientation letters of <paramref name="plane"/> (<see cref="Annotations.OrientationLetters"/> of ±U, ±V),
    /// anchored at the middle of each edge, <paramref name="marginPixels"/> inside; the viewer's panes use the same.
    /// </summary>
    public static IReadOnlyList<SceneText> OrientationTexts(SlicePlane plane, double sizePixels, double marginPixels)
    {
        ArgumentNullException.ThrowIfNull(plane);
        int w = plane.Width, h = plane.Height;
        double m = marginPixels;
        return
        [
            new(SceneTextRole.Orientation, Annotations.OrientationLetters(plane.U), w - 1 - m, (h - 1) / 2.0, SceneTextAlign.MiddleRight, sizePixels, OrientationColor),
            new(SceneTextRole.Orientation, Annotations.OrientationLetters(-plane.U), m, (h - 1) / 2.0, SceneTextAlign.MiddleLeft, sizePixels, OrientationColor),
            new(SceneTextRole.Orientation, Annotations.OrientationLetters(-plane.V), (w - 1) / 2.0, m, SceneTextAlign.TopCenter, sizePixels, OrientationColor),
            new(SceneTextRole.Orientation, Annotations.OrientationLetters(plane.V), (w - 1) / 2.0, h - 1 - m, SceneTextAlign.BottomCenter, sizePixels, OrientationColor),
        ];
    }

    /// <summary>
    /// The scene's annotations as text (PNG tEXt chunks): the view, orientation at each edge, pixel size, scale bar and
    /// legend, so that a picture drawn without text still says what it shows.
    /// </summary>
    public IReadOnlyList<(string Key, string Value)> Description()
    {
        string Letter(SceneTextAlign a) => Texts.FirstOrDefault(t => t.Role == SceneTextRole.Orientation && t.Align == a)?.Text ?? "";
        var list = new List<(string, string)>();
        if (Texts.FirstOrDefault(t => t.Role == SceneTextRole.Title) is { } title) list.Add(("Title", title.Text));
        list.Add(("Orientation", $"left {Letter(SceneTextAlign.MiddleLeft)}, right {Letter(SceneTextAlign.MiddleRight)}, top {Letter(SceneTextAlign.TopCenter)}, bottom {Letter(SceneTextAlign.BottomCenter)}"));
        list.Add(("Pixel spacing", FormattableString.Invariant($"{Plane.PixelSpacing:0.####} mm")));
        list.Add(("Scale bar", FormattableString.Invariant($"{ScaleBarMm:0.##} mm")));
        var legend = Texts.Where(t => t.Role == SceneTextRole.Legend && t.Swatch is not null)
            .Select(t => $"{t.Text} #{t.Swatch!.Value.R:x2}{t.Swatch.Value.G:x2}{t.Swatch.Value.B:x2}").ToList();
        if (legend.Count > 0) list.Add(("Legend", string.Join("; ", legend)));
        return list;
    }

    /// <summary>Cuts <paramref name="line"/> into dashes of <see cref="AccessDashPixels"/> separated by <see cref="AccessGapPixels"/>.</summary>
    private static void Dash(ContourSegment line, List<ContourSegment> into)
    {
        double dx = line.X1 - line.X0, dy = line.Y1 - line.Y0, length = Math.Sqrt(dx * dx + dy * dy);
        if (length < 1e-9) return;
        double ux = dx / length, uy = dy / length;
        for (double d = 0; d < length; d += AccessDashPixels + AccessGapPixels)
        {
            double e = Math.Min(length, d + AccessDashPixels);
            into.Add(new ContourSegment(line.X0 + ux * d, line.Y0 + uy * d, line.X0 + ux * e, line.Y0 + uy * e));
        }
    }

    private static bool InPlane(SlicePlane plane, TrajectoryLine t)
    {
        var (x0, y0, d0) = plane.PhysicalToPixel(t.Entry);
        var (x1, y1, d1) = plane.PhysicalToPixel(t.Target);
        double projected = Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) * plane.PixelSpacing;
        return projected >= 0.9 * Vec3.Distance(t.Entry, t.Target) && Math.Abs(d0) < 5 && Math.Abs(d1) < 5;
    }

    /// <summary>
    /// Outlines of each drawn label: the 0.5 iso-line of its indicator on the nearest-neighbour label slice, traced
    /// over the label's bounding box grown by one pixel of background (so regions touching the edge are closed too).
    /// </summary>
    private static List<SceneStroke> LabelOutlines(Image2D labelSlice, IReadOnlyDictionary<int, Rgb> colors)
    {
        int w = labelSlice.Width, h = labelSlice.Height;
        // bounding box of every drawable label value present, in one pass
        var boxes = new SortedDictionary<int, (int X0, int Y0, int X1, int Y1)>();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float v = labelSlice[x, y];
                if (float.IsNaN(v) || v == 0 || !colors.ContainsKey((int)v)) continue;
                int key = (int)v;
                boxes[key] = boxes.TryGetValue(key, out var b) ? (Math.Min(b.X0, x), Math.Min(b.Y0, y), Math.Max(b.X1, x), Math.Max(b.Y1, y)) : (x, y, x, y);
            }
        var strokes = new List<SceneStroke>(boxes.Count);
        foreach (var (value, box) in boxes)
        {
            int ox = box.X0 - 1, oy = box.Y0 - 1, bw = box.X1 - box.X0 + 3, bh = box.Y1 - box.Y0 + 3;
            var indicator = ArrayPool<double>.Shared.Rent(bw * bh);
            try
            {
                Array.Clear(indicator, 0, bw * bh);
                for (int y = box.Y0; y <= box.Y1; y++)
                    for (int x = box.X0; x <= box.X1; x++)
                        if (labelSlice[x, y] == value) indicator[(y - oy) * bw + x - ox] = 1;
                var raw = IsothermContours.Trace(indicator.AsSpan(0, bw * bh), bw, bh, 0.5);
                var segments = new List<ContourSegment>(raw.Count);
                foreach (var s in raw) segments.Add(new ContourSegment(s.X0 + ox, s.Y0 + oy, s.X1 + ox, s.Y1 + oy));
                strokes.Add(new SceneStroke(SceneStrokeKind.LabelOutline, colors[value], 1.25, segments));
            }
            finally { ArrayPool<double>.Shared.Return(indicator); }
        }
        return strokes;
    }

    private static WindowLevel DefaultWindow(ImageMetadata metadata, Image2D slice) =>
        metadata.Units == "HU" || metadata.Modality == "CT" ? WindowLevel.CtSoftTissue : WindowLevel.FromPercentiles(slice.Pixels);
}

/// <summary>Draws a <see cref="SnapshotScene"/> into an RGBA picture of the scene's size.</summary>
public interface ISnapshotRenderer
{
    /// <summary>The annotated picture; <paramref name="scene"/> is not changed.</summary>
    RgbaImage Render(SnapshotScene scene);
}

/// <summary>
/// Core's own renderer, pure managed code with no native library: the picture and every line (one pixel wide,
/// not anti-aliased), but no text — the orientation, scale bar length and legend are in <see cref="SnapshotScene.Description"/>,
/// which <see cref="FusionSnapshot.Write"/> stores in the PNG. Applications with ImageGuide.Rendering draw text too.
/// </summary>
public sealed class ManagedSnapshotRenderer : ISnapshotRenderer
{
    /// <summary>The one instance.</summary>
    public static ManagedSnapshotRenderer Instance { get; } = new();

    private ManagedSnapshotRenderer() { }

    /// <inheritdoc />
    public RgbaImage Render(SnapshotScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var image = new RgbaImage(scene.Width, scene.Height);
        scene.Picture.Pixels.CopyTo(image.Pixels, 0);
        foreach (var stroke in scene.Strokes)
            foreach (var s in stroke.Segments)
                Annotations.DrawLine(image, (int)Math.Round(s.X0), (int)Math.Round(s.Y0), (int)Math.Round(s.X1), (int)Math.Round(s.Y1), stroke.Color);
        return image;
    }
}
