namespace ImageGuide.Phantoms;

/// <summary>
/// One streak artefact in an axial slice: a line through (<see cref="X"/>, <see cref="Y"/>) (frame mm) at angle
/// <see cref="Angle"/>, of value Amplitude·exp(−perp²/2w²)·exp(−|along|/decay).
/// </summary>
internal readonly record struct StreakLine(double X, double Y, double Angle, double Amplitude, double WidthMm, double DecayMm)
{
    /// <summary>Perpendicular distance beyond which a streak is treated as zero (4 widths).</summary>
    public double Reach => 4 * WidthMm;

    /// <summary>
    /// Adds the streak to one plane of values laid out on an axis-aligned grid (x = x0 + i·sx, y = y0 + j·sy).
    /// </summary>
    public void AddTo(Span<float> plane, int nx, int ny, double x0, double y0, double sx, double sy)
    {
        double c = Math.Cos(Angle), s = Math.Sin(Angle), reach = Reach, inv2w2 = 1 / (2 * WidthMm * WidthMm), invDecay = 1 / DecayMm;
        for (int j = 0; j < ny; j++)
        {
            double y = y0 + j * sy, cy = (y - Y) * c;
            int i0 = 0, i1 = nx - 1;
            if (Math.Abs(s) > 1e-9)
            {
                // perp(x) = −(x − X)·s + (y − Y)·c  ⇒  |perp| ≤ reach for x in [xa, xb]
                double xa = X + (cy - reach) / s, xb = X + (cy + reach) / s;
                if (xa > xb) (xa, xb) = (xb, xa);
                i0 = Math.Max(0, (int)Math.Ceiling((xa - x0) / sx));
                i1 = Math.Min(nx - 1, (int)Math.Floor((xb - x0) / sx));
            }
            else if (Math.Abs(cy) > reach) continue;
            var row = plane.Slice(j * nx, nx);
            for (int i = i0; i <= i1; i++)
            {
                double dx = x0 + i * sx - X, dy = y - Y;
                double perp = -dx * s + dy * c, along = dx * c + dy * s;
                row[i] += (float)(Amplitude * Math.Exp(-perp * perp * inv2w2 - Math.Abs(along) * invDecay));
            }
        }
    }
}
