using System.Globalization;
using SkiaSharp;

namespace ImageGuide.Rendering;

/// <summary>Lays text, tables and images down the pages, starting a new page when the next item does not fit.</summary>
internal sealed class PdfPageWriter(SKDocument document, SKTypeface regular, SKTypeface boldFace, string footer)
{
    /// <summary>Skia's PDF image encoding quality above 100: lossless (Flate), never JPEG — snapshots and charts stay sharp.</summary>
    public const int LosslessImages = 101;

    /// <summary>A4 in points.</summary>
    public const float PageWidth = 595, PageHeight = 842, Margin = 48;
    public static readonly SKColor Ink = new(30, 30, 30), Muted = new(110, 110, 110), Rule = new(200, 200, 200), Stripe = new(242, 245, 248);

    private SKCanvas? _canvas;
    private float _y;
    private int _pages;

    private SKCanvas Canvas
    {
        get
        {
            if (_canvas is null)
            {
                _canvas = document.BeginPage(PageWidth, PageHeight);
                _pages++;
                _y = Margin;
                using var font = new SKFont(regular, 8);
                using var paint = new SKPaint { Color = Muted, IsAntialias = true };
                _canvas.DrawText(footer + " — page " + _pages.ToString(CultureInfo.InvariantCulture), PageWidth - Margin,
                    PageHeight - Margin / 2, SKTextAlign.Right, font, paint);
            }
            return _canvas;
        }
    }

    public void NewPage()
    {
        if (_canvas is null) return;
        document.EndPage();
        _canvas = null;
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    public void Need(float height)
    {
        if (_canvas is not null && _y + height > PageHeight - Margin) NewPage();
    }

    public void Gap(float points) => _y += points;

    public void Text(string text, float size, SKColor? color = null, bool bold = false)
    {
        using var font = new SKFont(bold ? boldFace : regular, size);
        using var paint = new SKPaint { Color = color ?? Ink, IsAntialias = true };
        foreach (var line in Wrap(text, font, PageWidth - 2 * Margin))
        {
            Need(size * 1.4f);
            var canvas = Canvas;
            _y += size * 1.1f;
            canvas.DrawText(line, Margin, _y, SKTextAlign.Left, font, paint);
            _y += size * 0.4f;
        }
    }

    /// <summary>A table, its first row the header (repeated on each page); columns as wide as their widest cell, the spare width shared out.</summary>
    public void Table(IReadOnlyList<string[]> rows)
    {
        const float size = 8.5f, rowHeight = 13, padding = 6;
        int columns = rows[0].Length;
        float width = PageWidth - 2 * Margin;
        using var font = new SKFont(regular, size);
        using var boldFont = new SKFont(boldFace, size);
        var natural = new float[columns];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns && c < rows[r].Length; c++)
                natural[c] = Math.Max(natural[c], (r == 0 ? boldFont : font).MeasureText(rows[r][c]) + padding);
        float sum = natural.Sum(), spare = (width - sum) / columns;
        var x = new float[columns + 1];
        for (int c = 0; c < columns; c++) x[c + 1] = x[c] + (spare >= 0 ? natural[c] + spare : natural[c] * width / sum);
        using var paint = new SKPaint { Color = Ink, IsAntialias = true };
        using var fill = new SKPaint { Color = Stripe };
        using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.6f, IsStroke = true };
        for (int r = 0; r < rows.Count; r++)
        {
            bool header = r == 0;
            if (_canvas is not null && _y + rowHeight > PageHeight - Margin)
            {
                NewPage();
                Row(rows[0], true); // repeat the header on each page
            }
            Row(rows[r], header);
        }
        _y += 6;

        void Row(string[] cells, bool header)
        {
            var canvas = Canvas;
            if (header) canvas.DrawRect(Margin, _y, width, rowHeight, fill);
            for (int c = 0; c < cells.Length && c < columns; c++)
            {
                var f = header ? boldFont : font;
                string text = Fit(cells[c], f, x[c + 1] - x[c] - padding / 2);
                canvas.DrawText(text, Margin + x[c] + 2, _y + rowHeight - 3.5f, SKTextAlign.Left, f, paint);
            }
            _y += rowHeight;
            canvas.DrawLine(Margin, _y, Margin + width, _y, rule);
        }
    }

    public void Image(SKImage image, string caption)
    {
        float width = PageWidth - 2 * Margin, height = width * image.Height / image.Width, maxHeight = PageHeight - 2 * Margin - 20;
        if (height > maxHeight) { width *= maxHeight / height; height = maxHeight; }
        Need(height + 16);
        var canvas = Canvas;
        using var paint = new SKPaint();
        canvas.DrawImage(image, SKRect.Create(Margin, _y, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), paint);
        _y += height + 2;
        Text(caption, 7, Muted);
        _y += 6;
    }

    /// <summary>Images side by side in one row (each scaled to an equal share of the width), each with its caption below.</summary>
    public void ImageRow(IReadOnlyList<(SKImage Image, string Caption)> images, float maxHeight = 240)
    {
        if (images.Count == 0) return;
        const float gap = 8;
        float cell = (PageWidth - 2 * Margin - gap * (images.Count - 1)) / images.Count;
        float rowHeight = images.Max(i => Math.Min(maxHeight, cell * i.Image.Height / i.Image.Width));
        Need(rowHeight + 16);
        var canvas = Canvas;
        using var paint = new SKPaint();
        using var font = new SKFont(regular, 7);
        using var muted = new SKPaint { Color = Muted, IsAntialias = true };
        for (int n = 0; n < images.Count; n++)
        {
            var (image, caption) = images[n];
            float w = cell, h = w * image.Height / image.Width;
            if (h > rowHeight) { w *= rowHeight / h; h = rowHeight; }
            float x = Margin + n * (cell + gap) + (cell - w) / 2;
            canvas.DrawImage(image, SKRect.Create(x, _y, w, h), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), paint);
            canvas.DrawText(Fit(caption, font, cell), Margin + n * (cell + gap), _y + rowHeight + 9, SKTextAlign.Left, font, muted);
        }
        _y += rowHeight + 18;
    }

    public int Close()
    {
        _ = Canvas; // at least one page
        NewPage();
        return _pages;
    }

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width) return text;
        while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
        return text + "…";
    }

    private static IEnumerable<string> Wrap(string text, SKFont font, float width)
    {
        var line = "";
        foreach (var word in text.Split(' '))
        {
            string candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && font.MeasureText(candidate) > width)
            {
                yield return line;
                line = word;
            }
            else line = candidate;
        }
        if (line.Length > 0) yield return line;
    }
}
