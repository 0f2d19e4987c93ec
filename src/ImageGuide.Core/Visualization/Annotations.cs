using ImageGuide.Imaging;

namespace ImageGuide.Visualization;

/// <summary>
/// Annotation geometry shared by snapshots (<see cref="SnapshotScene"/>) and the viewer: orientation letters, the scale
/// bar's length, needle paths with depth ticks, and the managed raster drawing of labels, isotherms and lines.
/// </summary>
public static class Annotations
{
    /// <summary>
    /// Letter of the patient direction a vector points to most: L/R (±x), P/A (±y), S/I (±z) in LPS; a second
    /// letter is added when another component is at least half the largest (oblique), e.g. "LA".
    /// </summary>
    public static string OrientationLetters(Vec3 direction)
    {
        var d = direction.Normalized();
        Span<double> mag = [Math.Abs(d.X), Math.Abs(d.Y), Math.Abs(d.Z)];
        int first = mag[0] >= mag[1] && mag[0] >= mag[2] ? 0 : mag[1] >= mag[2] ? 1 : 2;
        string letters = Letter(d, first);
        int second = -1;
        for (int a = 0; a < 3; a++)
            if (a != first && mag[a] >= 0.5 * mag[first] && (second < 0 || mag[a] > mag[second])) second = a;
        return second < 0 ? letters : letters + Letter(d, second);

        static string Letter(Vec3 v, int axis) => axis switch
        {
            0 => v.X > 0 ? "L" : "R",
            1 => v.Y > 0 ? "P" : "A",
            _ => v.Z > 0 ? "S" : "I",
        };
    }

    /// <summary>The scale bar's length: a round 1, 2 or 5 × 10ⁿ mm near a fifth of the image width.</summary>
    public static double ScaleBarLengthMm(int widthPixels, double pixelSpacingMm)
    {
        double target = widthPixels * pixelSpacingMm / 5;
        double p = Math.Pow(10, Math.Floor(Math.Log10(target)));
        return target >= 5 * p ? 5 * p : target >= 2 * p ? 2 * p : p;
    }

    /// <summary>
    /// Fills label regions with their colours at <paramref name="opacity"/> and draws their outlines opaque.
    /// <paramref name="labels"/> is a nearest-neighbour reslice of the label map (0 = background).
    /// </summary>
    public static void DrawLabels(RgbaImage image, Image2D labels, IReadOnlyDictionary<int, Rgb> colors, double opacity = 0.3, bool contours = true)
    {
        if (labels.Width != image.Width || labels.Height != image.Height)
            throw new ImageGuideException("Label slice and image differ in size.");
        for (int y = 0; y < labels.Height; y++)
            for (int x = 0; x < labels.Width; x++)
            {
                float v = labels[x, y];
                if (float.IsNaN(v) || v == 0 || !colors.TryGetValue((int)v, out var c)) continue;
                bool edge = x == 0 || y == 0 || x == labels.Width - 1 || y == labels.Height - 1 ||
                            labels[x - 1, y] != v || labels[x + 1, y] != v || labels[x, y - 1] != v || labels[x, y + 1] != v;
                if (contours && edge) image.SetPixel(x, y, c);
                else if (opacity > 0) image.BlendPixel(x, y, c, opacity);
            }
    }

    /// <summary>
    /// The projection of a needle from <paramref name="entry"/> to <paramref name="target"/> on the plane, in pixel
    /// coordinates: first the needle itself, then one tick across it every <paramref name="tickMm"/> mm of depth from
    /// the entry (6 pixels long, 12 every 5th). A needle seen end-on gets no ticks. The viewer draws the same segments.
    /// </summary>
    public static List<ContourSegment> TrajectorySegments(SlicePlane plane, Vec3 entry, Vec3 target, double tickMm = 10)
    {
        var (x0, y0, _) = plane.PhysicalToPixel(entry);
        var (x1, y1, _) = plane.PhysicalToPixel(target);
        var segments = new List<ContourSegment> { new(x0, y0, x1, y1) };
        double length = Vec3.Distance(entry, target);
        double dx = x1 - x0, dy = y1 - y0, norm = Math.Sqrt(dx * dx + dy * dy);
        if (length <= 0 || norm < 1e-9) return segments;
        var axis = (target - entry) / length;
        double nx = -dy / norm, ny = dx / norm;
        for (double d = tickMm; d < length; d += tickMm)
        {
            var (tx, ty, _) = plane.PhysicalToPixel(entry + axis * d);
            double half = segments.Count % 5 == 0 ? 6 : 3;
            segments.Add(new ContourSegment(tx - nx * half, ty - ny * half, tx + nx * half, ty + ny * half));
        }
        return segments;
    }

    /// <summary>Draws <see cref="TrajectorySegments"/> and returns how many ticks were drawn.</summary>
    public static int DrawTrajectory(RgbaImage image, SlicePlane plane, Vec3 entry, Vec3 target, Rgb color, double tickMm = 10)
    {
        var segments = TrajectorySegments(plane, entry, target, tickMm);
        foreach (var s in segments) DrawLine(image, (int)Math.Round(s.X0), (int)Math.Round(s.Y0), (int)Math.Round(s.X1), (int)Math.Round(s.Y1), color);
        return segments.Count - 1;
    }

    /// <summary>
    /// Draws isotherm contours (<see cref="IsothermContours"/>) of a temperature field in °C given at physical points,
    /// one colour per level.
    /// </summary>
    public static void DrawIsotherms(RgbaImage image, SlicePlane plane, Func<Vec3, double> temperatureC, IReadOnlyList<(double TemperatureC, Rgb Color)> levels)
    {
        if (image.Width != plane.Width || image.Height != plane.Height) throw new ImageGuideException("Image and plane differ in size.");
        var field = IsothermContours.Sample(plane, temperatureC);
        foreach (var (level, color) in levels)
            foreach (var s in IsothermContours.Trace(field, plane.Width, plane.Height, level))
                DrawLine(image, (int)Math.Round(s.X0), (int)Math.Round(s.Y0), (int)Math.Round(s.X1), (int)Math.Round(s.Y1), color);
    }

    /// <summary>Bresenham line, clipped to the image.</summary>
    public static void DrawLine(RgbaImage image, int x0, int y0, int x1, int y1, Rgb color)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        int guard = dx - dy + 1;
        while (guard-- > 0)
        {
            image.SetPixel(x0, y0, color);
            if (x0 == x1 && y0 == y1) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }
}
