namespace ImageGuide.Visualization;

/// <summary>How two co-registered slices are combined for display.</summary>
public enum FusionMode
{
    /// <summary>Overlay blended over the base with a constant opacity.</summary>
    Alpha,
    /// <summary>Alternating square tiles of base and overlay — edges that do not continue across tiles show misregistration.</summary>
    Checkerboard,
    /// <summary>Absolute difference of the two windowed intensities (grey).</summary>
    Difference,
}

/// <summary>Turns scalar slices into colour images and fuses two of them.</summary>
public static class Fusion
{
    /// <summary>Windows and colour-maps a slice; NaN (outside the volume) becomes black.</summary>
    public static RgbaImage Colorize(Image2D image, WindowLevel window, ColorMap map)
    {
        var rgba = new RgbaImage(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                float v = image[x, y];
                rgba.SetPixel(x, y, float.IsNaN(v) ? new Rgb(0, 0, 0) : map.Map(window.Apply(v)));
            }
        return rgba;
    }

    /// <summary>
    /// Fuses two images of equal size. Alpha: <c>round(base + (overlay − base)·opacity)</c> per channel, only where
    /// the overlay has data; checkerboard: tiles of <paramref name="tilePixels"/> starting with the base at (0, 0);
    /// difference: <c>|a − b|</c> per channel.
    /// </summary>
    /// <param name="baseImage">The fixed image, colourised.</param>
    /// <param name="overlay">The moving image resliced through the transform, colourised.</param>
    /// <param name="overlayValid">Per-pixel flag: overlay has data (not NaN before colourising); null = everywhere.</param>
    /// <param name="mode">Fusion mode.</param>
    /// <param name="opacity">Overlay opacity for <see cref="FusionMode.Alpha"/>.</param>
    /// <param name="tilePixels">Tile size for <see cref="FusionMode.Checkerboard"/>.</param>
    public static RgbaImage Fuse(RgbaImage baseImage, RgbaImage overlay, bool[]? overlayValid, FusionMode mode, double opacity = 0.5, int tilePixels = 32)
    {
        if (baseImage.Width != overlay.Width || baseImage.Height != overlay.Height)
            throw new ImageGuideException($"Cannot fuse a {baseImage.Width}×{baseImage.Height} image with a {overlay.Width}×{overlay.Height} one.");
        if (tilePixels < 1) throw new ArgumentOutOfRangeException(nameof(tilePixels), "Tile size must be ≥ 1 pixel.");
        var result = new RgbaImage(baseImage.Width, baseImage.Height);
        for (int y = 0; y < result.Height; y++)
            for (int x = 0; x < result.Width; x++)
            {
                var a = baseImage.GetPixel(x, y);
                var b = overlay.GetPixel(x, y);
                bool valid = overlayValid?[y * result.Width + x] ?? true;
                result.SetPixel(x, y, mode switch
                {
                    FusionMode.Alpha => valid ? new Rgb(RgbaImage.Mix(a.R, b.R, opacity), RgbaImage.Mix(a.G, b.G, opacity), RgbaImage.Mix(a.B, b.B, opacity)) : a,
                    FusionMode.Checkerboard => ((x / tilePixels + y / tilePixels) & 1) == 0 ? a : b,
                    _ => new Rgb((byte)Math.Abs(a.R - b.R), (byte)Math.Abs(a.G - b.G), (byte)Math.Abs(a.B - b.B)),
                });
            }
        return result;
    }

    /// <summary>Per-pixel "has data" flags of a reslice (false where NaN).</summary>
    public static bool[] ValidMask(Image2D image)
    {
        var m = new bool[image.Pixels.Length];
        for (int n = 0; n < m.Length; n++) m[n] = !float.IsNaN(image.Pixels[n]);
        return m;
    }
}
