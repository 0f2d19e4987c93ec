using BitMiracle.LibJpeg.Classic;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// Test-only JPEG encoder and reference decoder built on BitMiracle.LibJpeg.NET, a managed port of IJG libjpeg 6b:
/// encodes sequential or progressive frames (optionally with restart intervals and chosen sampling factors), and
/// decodes 8-bit frames without colour conversion as libjpeg does (its 2×2 "fancy" upsampling differs from libjpeg's,
/// so compare it only on frames without 2×2 subsampling).
/// </summary>
internal static class LibJpegTestCoder
{
    /// <summary>Encodes interleaved 8-bit samples (1 or 3 per pixel; 3 are coded as YCbCr) at <paramref name="quality"/>.</summary>
    public static byte[] Encode(byte[] samples, int width, int height, int components, int quality, bool progressive,
        int restartInterval = 0, (int H, int V)? lumaSampling = null)
    {
        var c = new jpeg_compress_struct(new jpeg_error_mgr());
        using var output = new MemoryStream();
        c.jpeg_stdio_dest(output);
        c.Image_width = width;
        c.Image_height = height;
        c.Input_components = components;
        c.In_color_space = components == 1 ? J_COLOR_SPACE.JCS_GRAYSCALE : J_COLOR_SPACE.JCS_RGB;
        c.jpeg_set_defaults();
        c.jpeg_set_quality(quality, true);
        if (components == 3 && lumaSampling is { } s)
        {
            c.Component_info[0].H_samp_factor = s.H;
            c.Component_info[0].V_samp_factor = s.V;
        }

        if (progressive) c.jpeg_simple_progression();
        c.Restart_interval = restartInterval;
        c.jpeg_start_compress(true);
        var row = new byte[1][];
        for (int y = 0; y < height; y++)
        {
            row[0] = samples.AsSpan(y * width * components, width * components).ToArray();
            c.jpeg_write_scanlines(row, 1);
        }

        c.jpeg_finish_compress();
        return output.ToArray();
    }

    /// <summary>Decodes an 8-bit frame to interleaved samples of its coded components (no colour conversion).</summary>
    public static byte[] Decode(byte[] jpeg)
    {
        var d = new jpeg_decompress_struct(new jpeg_error_mgr());
        d.jpeg_stdio_src(new MemoryStream(jpeg));
        d.jpeg_read_header(true);
        d.Out_color_space = d.Jpeg_color_space;
        d.jpeg_start_decompress();
        int stride = d.Output_width * d.Output_components;
        var result = new byte[stride * d.Output_height];
        var row = new byte[1][];
        row[0] = new byte[stride];
        for (int y = 0; y < d.Output_height; y++)
        {
            d.jpeg_read_scanlines(row, 1);
            row[0].CopyTo(result, y * stride);
        }

        d.jpeg_finish_decompress();
        return result;
    }

    /// <summary>A deterministic test picture: gradients, a sharp-edged disc and seeded noise, so every coefficient band carries data.</summary>
    public static byte[] Picture(int width, int height, int components, int seed = 1)
    {
        var random = new Random(seed);
        var samples = new byte[width * height * components];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        for (int k = 0; k < components; k++)
        {
            double v = 40 + 150.0 * x / width + 50 * Math.Sin((y + 7 * k) / 5.0);
            if ((x - width / 2) * (x - width / 2) + (y - height / 3) * (y - height / 3) < width * height / 12) v = 230 - 60 * k;
            v += random.Next(-20, 21);
            samples[(y * width + x) * components + k] = (byte)Math.Clamp((int)v, 0, 255);
        }

        return samples;
    }
}
