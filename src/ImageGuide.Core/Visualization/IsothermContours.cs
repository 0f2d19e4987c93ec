using ImageGuide.Imaging;

namespace ImageGuide.Visualization;

/// <summary>A straight piece of a contour in pixel coordinates of a <see cref="SlicePlane"/>.</summary>
public readonly record struct ContourSegment(double X0, double Y0, double X1, double Y1);

/// <summary>
/// Iso-lines of a scalar field on a plane (e.g. the 0, −20 and −40 °C isotherms of planned cryoprobes), by marching
/// squares with linear interpolation along cell edges. Both the CPU snapshots and the viewer draw these segments.
/// </summary>
public static class IsothermContours
{
    /// <summary>The field at every pixel of the plane, row-major (parallel over rows).</summary>
    public static double[] Sample(SlicePlane plane, Func<Vec3, double> field)
    {
        ArgumentNullException.ThrowIfNull(plane);
        ArgumentNullException.ThrowIfNull(field);
        int w = plane.Width;
        var values = new double[(long)w * plane.Height];
        Parallel.For(0, plane.Height, y =>
        {
            for (int x = 0; x < w; x++) values[(long)y * w + x] = field(plane.PixelToPhysical(x, y));
        });
        return values;
    }

    /// <summary>Segments where the sampled field crosses <paramref name="level"/>.</summary>
    public static List<ContourSegment> Trace(ReadOnlySpan<double> values, int width, int height, double level)
    {
        if (values.Length != (long)width * height) throw new ArgumentException("values must hold width × height samples.", nameof(values));
        var segments = new List<ContourSegment>();
        Span<double> px = stackalloc double[4], py = stackalloc double[4];
        for (int y = 0; y + 1 < height; y++)
            for (int x = 0; x + 1 < width; x++)
            {
                double a = values[y * width + x] - level, b = values[y * width + x + 1] - level;
                double c = values[(y + 1) * width + x + 1] - level, d = values[(y + 1) * width + x] - level;
                int n = 0;
                // corners in order a(x,y) → b(x+1,y) → c(x+1,y+1) → d(x,y+1); a crossing on each edge whose ends differ in sign
                Edge(a, b, x, y, 1, 0, px, py, ref n);
                Edge(b, c, x + 1, y, 0, 1, px, py, ref n);
                Edge(d, c, x, y + 1, 1, 0, px, py, ref n);
                Edge(a, d, x, y, 0, 1, px, py, ref n);
                if (n >= 2) segments.Add(new ContourSegment(px[0], py[0], px[1], py[1]));
                if (n == 4) segments.Add(new ContourSegment(px[2], py[2], px[3], py[3]));
            }
        return segments;
    }

    private static void Edge(double v0, double v1, int x, int y, int dx, int dy, Span<double> px, Span<double> py, ref int n)
    {
        if ((v0 < 0) == (v1 < 0)) return;
        double t = v0 / (v0 - v1);
        px[n] = x + dx * t;
        py[n] = y + dy * t;
        n++;
    }
}
