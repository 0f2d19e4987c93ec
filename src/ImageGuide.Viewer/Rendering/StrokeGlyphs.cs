namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// Orientation letters (A, I, L, P, R, S) as line strokes in a 5 × 7 box, y down, so the GL panes can draw core's
/// <c>Annotations.OrientationLetters</c> with the same line shader as the other annotations.
/// </summary>
internal static class StrokeGlyphs
{
    public const double Width = 5, Height = 7;

    private static readonly Dictionary<char, double[][]> Strokes = new()
    {
        ['A'] = [[0, 7, 2.5, 0, 5, 7], [1, 4, 4, 4]],
        ['I'] = [[1, 0, 4, 0], [2.5, 0, 2.5, 7], [1, 7, 4, 7]],
        ['L'] = [[0, 0, 0, 7, 5, 7]],
        ['P'] = [[0, 7, 0, 0, 4, 0, 5, 1, 5, 3, 4, 4, 0, 4]],
        ['R'] = [[0, 7, 0, 0, 4, 0, 5, 1, 5, 3, 4, 4, 0, 4], [2, 4, 5, 7]],
        ['S'] = [[5, 1, 4, 0, 1, 0, 0, 1, 0, 3, 1, 3.5, 4, 3.5, 5, 4, 5, 6, 4, 7, 1, 7, 0, 6]],
    };

    /// <summary>Appends the segments (x0, y0, x1, y1 in pane pixels) of <paramref name="text"/> drawn at (x, y), top-left, scaled.</summary>
    public static void Append(List<(double X0, double Y0, double X1, double Y1)> segments, string text, double x, double y, double scale)
    {
        foreach (char ch in text)
        {
            if (Strokes.TryGetValue(ch, out var polylines))
                foreach (var line in polylines)
                    for (int n = 0; n + 3 < line.Length; n += 2)
                        segments.Add((x + line[n] * scale, y + line[n + 1] * scale, x + line[n + 2] * scale, y + line[n + 3] * scale));
            x += (Width + 2) * scale;
        }
    }

    /// <summary>Width of <paramref name="text"/> in pixels at <paramref name="scale"/>.</summary>
    public static double MeasureWidth(string text, double scale) => text.Length == 0 ? 0 : (text.Length * (Width + 2) - 2) * scale;
}
