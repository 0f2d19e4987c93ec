using System.Buffers.Binary;
using System.IO.Compression;

namespace ImageGuide.Visualization;

/// <summary>
/// Writes rendered images as 8-bit RGB PNG (ISO/IEC 15948): our own encoder, because BigGustave 1.0.6 switches to
/// a 4-bit palette for images with few colours and then writes truncated rows when the width is odd.
/// Each row uses the "Sub" filter, which suits slices with smooth rows; compression is zlib.
/// </summary>
public static class PngExport
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes an RGBA image as PNG bytes (RGB, alpha dropped), with optional tEXt chunks (Latin-1 keys and text).</summary>
    public static byte[] Encode(RgbaImage image, IReadOnlyList<(string Key, string Value)>? text = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height, stride = w * 3;
        var raw = new byte[(long)h * (stride + 1)];
        var src = image.Pixels;
        Parallel.For(0, h, y =>
        {
            long o = (long)y * (stride + 1), s = (long)y * w * 4;
            raw[o] = 1; // Sub filter
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                {
                    byte cur = src[s + x * 4 + c], left = x > 0 ? src[s + (x - 1) * 4 + c] : (byte)0;
                    raw[o + 1 + x * 3 + c] = (byte)(cur - left);
                }
        });
        var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], h);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour RGB
        WriteChunk(png, "IHDR"u8, ihdr);
        foreach (var (key, value) in text ?? [])
            WriteChunk(png, "tEXt"u8, TextChunk(key, value));
        WriteChunk(png, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>Writes a PNG file atomically (temporary file in the same folder, then moved into place).</summary>
    public static void Write(RgbaImage image, string path, IReadOnlyList<(string Key, string Value)>? text = null)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        string tmp = full + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(tmp, Encode(image, text));
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>A tEXt chunk's data: keyword (1–79 Latin-1 characters), a zero byte, the text in Latin-1 ('?' for other characters).</summary>
    private static byte[] TextChunk(string key, string value)
    {
        if (key.Length is < 1 or > 79) throw new ArgumentException($"PNG text keyword '{key}' must have 1 to 79 characters.", nameof(key));
        var data = new byte[key.Length + 1 + value.Length];
        for (int i = 0; i < key.Length; i++) data[i] = Latin1(key[i]);
        for (int i = 0; i < value.Length; i++) data[key.Length + 1 + i] = Latin1(value[i]);
        return data;

        static byte Latin1(char c) => c is >= ' ' and <= '~' or >= '\u00a0' and <= '\u00ff' ? (byte)c : c == '\u2212' ? (byte)'-' : (byte)'?';
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        s.Write(type);
        s.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(buf, crc);
        s.Write(buf);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
