namespace ImageGuide.Visualization;

/// <summary>A scalar 2-D image (row-major, x fastest), e.g. a reslice in the source's units; NaN marks "no data".</summary>
public sealed class Image2D
{
    /// <summary>Creates an image filled with zeros.</summary>
    public Image2D(int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} must be at least 1×1.");
        Width = width;
        Height = height;
        Pixels = new float[(long)width * height];
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Pixel values, row-major.</summary>
    public float[] Pixels { get; }
    /// <summary>Value at (x, y).</summary>
    public ref float this[int x, int y] => ref Pixels[(long)y * Width + x];
}

/// <summary>An 8-bit RGBA image (row-major, 4 bytes per pixel) ready for display or PNG export.</summary>
public sealed class RgbaImage
{
    /// <summary>Creates an opaque black image.</summary>
    public RgbaImage(int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} must be at least 1×1.");
        Width = width;
        Height = height;
        Pixels = new byte[(long)width * height * 4];
        for (long n = 3; n < Pixels.LongLength; n += 4) Pixels[n] = 255;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>RGBA bytes, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Colour at (x, y).</summary>
    public Rgb GetPixel(int x, int y)
    {
        long n = ((long)y * Width + x) * 4;
        return new Rgb(Pixels[n], Pixels[n + 1], Pixels[n + 2]);
    }

    /// <summary>Sets an opaque colour at (x, y); ignored outside the image.</summary>
    public void SetPixel(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        long n = ((long)y * Width + x) * 4;
        Pixels[n] = c.R; Pixels[n + 1] = c.G; Pixels[n + 2] = c.B; Pixels[n + 3] = 255;
    }

    /// <summary>Blends <paramref name="c"/> over (x, y) with opacity <paramref name="alpha"/> (0–1); ignored outside.</summary>
    public void BlendPixel(int x, int y, Rgb c, double alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        long n = ((long)y * Width + x) * 4;
        Pixels[n] = Mix(Pixels[n], c.R, alpha);
        Pixels[n + 1] = Mix(Pixels[n + 1], c.G, alpha);
        Pixels[n + 2] = Mix(Pixels[n + 2], c.B, alpha);
    }

    internal static byte Mix(byte a, byte b, double alpha) => (byte)Math.Round(a + (b - a) * alpha, MidpointRounding.AwayFromZero);
}

/// <summary>An 8-bit colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Parses "#rrggbb".</summary>
    public static Rgb Parse(string hex)
    {
        if (hex is not ['#', _, _, _, _, _, _]) throw new FormatException($"Colour '{hex}' is not of the form #rrggbb.");
        return new Rgb(Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));
    }
}
