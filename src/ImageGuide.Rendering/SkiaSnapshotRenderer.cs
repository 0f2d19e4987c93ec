using System.Runtime.InteropServices;
using ImageGuide.Visualization;
using SkiaSharp;

namespace ImageGuide.Rendering;

/// <summary>
/// Draws Core's <see cref="SnapshotScene"/> with Skia, in the manner of 3D Slicer's slice views: anti-aliased lines
/// (label outlines, isotherms, needles with depth ticks, the scale bar) and text in the embedded DejaVu Sans
/// (<see cref="EmbeddedFonts"/>) with a dark halo — orientation letters at the edge centres, the view's title and
/// isotherm legend top-left, the scale bar's length, depths along the needles. CPU raster only: the same scene gives the
/// same pixels on one machine. Install it for a process with <c>FusionSnapshot.Renderer = SkiaSnapshotRenderer.Instance</c>.
/// </summary>
public sealed class SkiaSnapshotRenderer : ISnapshotRenderer
{
    /// <summary>The one instance (stateless; safe to use from several threads).</summary>
    public static SkiaSnapshotRenderer Instance { get; } = new();

    private static readonly SKColor Halo = new(0, 0, 0, 190);

    private SkiaSnapshotRenderer() { }

    /// <inheritdoc />
    public RgbaImage Render(SnapshotScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int w = scene.Width, h = scene.Height;
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        CopyRows(scene.Picture.Pixels, bitmap, toBitmap: true);
        using (var canvas = new SKCanvas(bitmap))
        {
            foreach (var stroke in scene.Strokes) DrawStroke(canvas, stroke);
            foreach (var text in scene.Texts) DrawText(canvas, text);
        }
        var image = new RgbaImage(w, h);
        CopyRows(image.Pixels, bitmap, toBitmap: false);
        return image;
    }

    private static void DrawStroke(SKCanvas canvas, SceneStroke stroke)
    {
        if (stroke.Segments.Count == 0) return;
        using var path = new SKPath();
        // scene coordinates put pixel centres at integers, Skia at +0.5
        foreach (var s in stroke.Segments)
        {
            path.MoveTo((float)(s.X0 + 0.5), (float)(s.Y0 + 0.5));
            path.LineTo((float)(s.X1 + 0.5), (float)(s.Y1 + 0.5));
        }
        using var paint = new SKPaint
        {
            IsAntialias = true, IsStroke = true, StrokeWidth = (float)stroke.WidthPixels,
            StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round, Color = Color(stroke.Color),
        };
        canvas.DrawPath(path, paint);
    }

    /// <summary>
    /// Only the <paramref name="texts"/>, as they would be drawn on a snapshot, on a transparent
    /// <paramref name="width"/> × <paramref name="height"/> layer: premultiplied RGBA rows, top row first — for a GL
    /// overlay texture (the viewer's orientation letters and scale-bar label).
    /// </summary>
    public static byte[] TextLayer(IReadOnlyList<SceneText> texts, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Layer size {width}×{height} must be at least 1×1.");
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(bitmap))
            foreach (var text in texts) DrawText(canvas, text);
        var pixels = new byte[(long)width * height * 4];
        CopyRows(pixels, bitmap, toBitmap: false);
        return pixels;
    }

    private static void DrawText(SKCanvas canvas, SceneText text)
    {
        using var font = new SKFont(text.Role is SceneTextRole.Orientation or SceneTextRole.Title ? EmbeddedFonts.Bold : EmbeddedFonts.Regular, (float)text.SizePixels)
        {
            Edging = SKFontEdging.Antialias, Subpixel = true, Hinting = SKFontHinting.None,
        };
        float size = (float)text.SizePixels;
        float swatch = text.Swatch is null ? 0 : 1.6f * size, gap = text.Swatch is null ? 0 : 0.4f * size;
        string content = text.Text;
        if (text.MaxWidthPixels is { } max)
        {
            float room = (float)max - swatch - gap, natural = font.MeasureText(content);
            if (natural > room)
            {
                font.Size = Math.Max(8f, font.Size * room / natural);
                if (font.MeasureText(content) > room)
                {
                    while (content.Length > 1 && font.MeasureText(content + "…") > room) content = content[..^1].TrimEnd();
                    content += "…";
                }
            }
        }
        float width = swatch + gap + font.MeasureText(content);
        float capHeight = font.Metrics.CapHeight;
        float x = (float)text.X + 0.5f, y = (float)text.Y + 0.5f;
        float left = text.Align switch
        {
            SceneTextAlign.TopCenter or SceneTextAlign.BottomCenter => x - width / 2,
            SceneTextAlign.MiddleRight => x - width,
            _ => x,
        };
        float baseline = text.Align switch
        {
            SceneTextAlign.TopLeft or SceneTextAlign.TopCenter => y + capHeight,
            SceneTextAlign.MiddleLeft or SceneTextAlign.MiddleRight => y + capHeight / 2,
            _ => y,
        };
        using var halo = new SKPaint
        {
            IsAntialias = true, IsStroke = true, StrokeWidth = Math.Max(2f, size / 6), StrokeJoin = SKStrokeJoin.Round, Color = Halo,
        };
        using var ink = new SKPaint { IsAntialias = true, Color = Color(text.Color) };
        if (text.Swatch is { } sw)
        {
            float my = baseline - capHeight / 2;
            using var line = new SKPaint { IsAntialias = true, IsStroke = true, StrokeWidth = 2.5f, StrokeCap = SKStrokeCap.Round, Color = Color(sw) };
            halo.StrokeWidth += 2.5f;
            canvas.DrawLine(left + 1, my, left + swatch - 1, my, halo);
            halo.StrokeWidth -= 2.5f;
            canvas.DrawLine(left + 1, my, left + swatch - 1, my, line);
        }
        float tx = left + swatch + gap;
        canvas.DrawText(content, tx, baseline, SKTextAlign.Left, font, halo);
        canvas.DrawText(content, tx, baseline, SKTextAlign.Left, font, ink);
    }

    private static SKColor Color(Rgb c) => new(c.R, c.G, c.B);

    private static void CopyRows(byte[] pixels, SKBitmap bitmap, bool toBitmap)
    {
        int rowBytes = bitmap.Width * 4;
        nint start = bitmap.GetPixels();
        for (int y = 0; y < bitmap.Height; y++)
        {
            nint row = start + (nint)y * bitmap.RowBytes;
            if (toBitmap) Marshal.Copy(pixels, y * rowBytes, row, rowBytes);
            else Marshal.Copy(row, pixels, y * rowBytes, rowBytes);
        }
        if (toBitmap) bitmap.NotifyPixelsChanged();
    }
}
