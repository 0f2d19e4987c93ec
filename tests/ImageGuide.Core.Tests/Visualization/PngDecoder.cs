using System.Buffers.Binary;
using System.IO.Compression;

namespace ImageGuide.Tests.Visualization;

/// <summary>A minimal, independent PNG reader for tests (8-bit RGB/RGBA and 1/2/4/8-bit palette, all five row filters).</summary>
internal static class PngDecoder
{
    public static (int Width, int Height, byte[] Rgb) Decode(byte[] png)
    {
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "PNG signature");
        int pos = 8, width = 0, height = 0, channels = 0, depth = 8;
        byte[] palette = [];
        var idat = new MemoryStream();
        while (pos < png.Length)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                depth = data[8];
                channels = data[9] switch { 2 => 3, 6 => 4, 3 => 1, _ => throw new AssertionException($"colour type {data[9]}") };
                Assert.That(channels == 1 || depth == 8, "8-bit depth for RGB/RGBA");
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "PLTE") palette = data.ToArray();
            pos += 12 + len;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        int stride = (width * channels * depth + 7) / 8;
        int bpp = Math.Max(1, channels * depth / 8);
        var img = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = bytes[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= bpp ? img[y * stride + x - bpp] : 0;
                int b = y > 0 ? img[(y - 1) * stride + x] : 0;
                int c = x >= bpp && y > 0 ? img[(y - 1) * stride + x - bpp] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                int pred = filter switch
                {
                    0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2,
                    4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                    _ => throw new AssertionException($"filter {filter}"),
                };
                img[y * stride + x] = (byte)(bytes[y * (stride + 1) + 1 + x] + pred);
            }
        }
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int n = y * width + x;
                if (channels == 1)
                {
                    int bit = x * depth, index = (img[y * stride + bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
                    for (int ch = 0; ch < 3; ch++) rgb[n * 3 + ch] = palette[index * 3 + ch];
                }
                else
                    for (int ch = 0; ch < 3; ch++) rgb[n * 3 + ch] = img[y * stride + x * channels + ch];
            }
        return (width, height, rgb);
    }
}
