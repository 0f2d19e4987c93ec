using System.Globalization;
using ImageGuide.Visualization;

namespace ImageGuide.Workflows.Validation;

/// <summary>Drawing primitives for the report's charts on an <see cref="RgbaImage"/>: rectangles, lines, text, axis ticks.</summary>
internal sealed class ChartCanvas
{
    public static readonly Rgb Background = new(255, 255, 255), Ink = new(30, 30, 30), Grid = new(225, 225, 225);

    /// <summary>Series colours (colour-blind-safe Okabe–Ito): ImageGuide blue, then orange, green, purple.</summary>
    public static readonly Rgb[] SeriesColors = [new(0, 114, 178), new(230, 159, 0), new(0, 158, 115), new(204, 121, 167)];

    public ChartCanvas(int width, int height)
    {
        Image = new RgbaImage(width, height);
        FillRect(0, 0, width, height, Background);
    }

    public RgbaImage Image { get; }

    public void FillRect(int x0, int y0, int x1, int y1, Rgb c)
    {
        for (int y = Math.Max(0, Math.Min(y0, y1)); y < Math.Min(Image.Height, Math.Max(y0, y1)); y++)
            for (int x = Math.Max(0, Math.Min(x0, x1)); x < Math.Min(Image.Width, Math.Max(x0, x1)); x++) Image.SetPixel(x, y, c);
    }

    public void HLine(int x0, int x1, int y, Rgb c, int thickness = 1) => FillRect(Math.Min(x0, x1), y, Math.Max(x0, x1) + 1, y + thickness, c);

    public void VLine(int x, int y0, int y1, Rgb c, int thickness = 1) => FillRect(x, Math.Min(y0, y1), x + thickness, Math.Max(y0, y1) + 1, c);

    public void Frame(int x0, int y0, int x1, int y1, Rgb c)
    {
        HLine(x0, x1, y0, c); HLine(x0, x1, y1, c); VLine(x0, y0, y1, c); VLine(x1, y0, y1, c);
    }

    /// <summary>Text (upper-cased: the bitmap font has capitals) with its top-left at (x, y); returns its width.</summary>
    public int Text(string text, int x, int y, Rgb c, int scale = 1)
    {
        string t = Glyphable(text);
        BitmapFont.Draw(Image, t, x, y, c, scale);
        return BitmapFont.MeasureWidth(t, scale);
    }

    public static int TextWidth(string text, int scale = 1) => BitmapFont.MeasureWidth(Glyphable(text), scale);

    public void TextRight(string text, int right, int y, Rgb c) => Text(text, right - TextWidth(text), y, c);

    public void TextCentered(string text, int center, int y, Rgb c, int scale = 1) => Text(text, center - TextWidth(text, scale) / 2, y, c, scale);

    /// <summary>Upper case except the unit letters the font has in lower case (mm, s).</summary>
    private static string Glyphable(string text)
    {
        var chars = text.ToUpperInvariant().ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (text[i] is 'm' or 's' && (i == 0 || !char.IsLetter(text[i - 1]) || text[i - 1] is 'm') && (i + 1 == text.Length || !char.IsLetter(text[i + 1]) || text[i + 1] is 'm'))
                chars[i] = text[i];
        return new string(chars);
    }

    /// <summary>A "nice" axis maximum and tick step (1, 2, 2.5 or 5 × 10ⁿ) covering <paramref name="max"/>.</summary>
    public static (double Max, double Step) NiceAxis(double max, int targetTicks = 5)
    {
        if (!(max > 0) || !double.IsFinite(max)) return (1, 0.2);
        double raw = max / targetTicks, mag = Math.Pow(10, Math.Floor(Math.Log10(raw))), step = mag * 10;
        foreach (var m in (double[])[1, 2, 2.5, 5, 10])
            if (m * mag >= raw) { step = m * mag; break; }
        return (Math.Ceiling(max / step - 1e-9) * step, step);
    }

    public static string Tick(double v) => v.ToString(v == Math.Round(v) ? "0" : "0.##", CultureInfo.InvariantCulture);

    /// <summary>A legend row of coloured squares with names, starting at (x, y).</summary>
    public void Legend(IReadOnlyList<string> names, int x, int y)
    {
        for (int s = 0; s < names.Count; s++)
        {
            FillRect(x, y, x + 9, y + 9, SeriesColors[s % SeriesColors.Length]);
            x += 14 + Text(names[s], x + 14, y + 1, Ink) + 16;
        }
    }
}
