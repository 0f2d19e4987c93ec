namespace ImageGuide.Visualization;

/// <summary>A 256-entry colour lookup table for [0, 1] intensities.</summary>
public sealed class ColorMap
{
    private readonly Rgb[] _lut;

    private ColorMap(string name, Rgb[] lut) { Name = name; _lut = lut; }

    /// <summary>Name (grey, hot, viridis).</summary>
    public string Name { get; }

    /// <summary>Black to white.</summary>
    public static ColorMap Grey { get; } = FromAnchors("grey", [(0, new Rgb(0, 0, 0)), (1, new Rgb(255, 255, 255))]);

    /// <summary>Black → red → yellow → white (MR or ice overlays).</summary>
    public static ColorMap Hot { get; } = FromAnchors("hot",
        [(0, new Rgb(0, 0, 0)), (0.375, new Rgb(255, 0, 0)), (0.75, new Rgb(255, 255, 0)), (1, new Rgb(255, 255, 255))]);

    /// <summary>
    /// Perceptually uniform blue → green → yellow map, interpolated from nine anchor colours of matplotlib's
    /// viridis (exact at the anchors, within a few levels of the original between them).
    /// </summary>
    public static ColorMap Viridis { get; } = FromAnchors("viridis",
    [
        (0.000, new Rgb(68, 1, 84)), (0.125, new Rgb(71, 45, 123)), (0.250, new Rgb(59, 82, 139)),
        (0.375, new Rgb(44, 114, 142)), (0.500, new Rgb(33, 145, 140)), (0.625, new Rgb(40, 174, 128)),
        (0.750, new Rgb(94, 201, 98)), (0.875, new Rgb(173, 220, 48)), (1.000, new Rgb(253, 231, 37)),
    ]);

    /// <summary>Looks a map up by name.</summary>
    public static ColorMap FromName(string name) => name.ToLowerInvariant() switch
    {
        "grey" or "gray" => Grey,
        "hot" => Hot,
        "viridis" => Viridis,
        _ => throw new ImageGuideException($"Unknown colour map '{name}'; use grey, hot or viridis."),
    };

    /// <summary>Colour of intensity t in [0, 1] (clamped).</summary>
    public Rgb Map(double t) => _lut[(int)Math.Round(Math.Clamp(double.IsNaN(t) ? 0 : t, 0, 1) * 255)];

    private static ColorMap FromAnchors(string name, (double T, Rgb C)[] anchors)
    {
        var lut = new Rgb[256];
        int a = 0;
        for (int n = 0; n < 256; n++)
        {
            double t = n / 255.0;
            while (a < anchors.Length - 2 && t > anchors[a + 1].T) a++;
            var (t0, c0) = anchors[a];
            var (t1, c1) = anchors[a + 1];
            double f = (t - t0) / (t1 - t0);
            lut[n] = new Rgb(RgbaImage.Mix(c0.R, c1.R, f), RgbaImage.Mix(c0.G, c1.G, f), RgbaImage.Mix(c0.B, c1.B, f));
        }
        return new ColorMap(name, lut);
    }
}
