using System.Buffers.Binary;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// A minimal RLE Lossless encoder written from DICOM PS3.5 G.3 (byte segments, most significant byte
/// first per sample, PackBits runs, segments padded to an even length), used to round-trip the decoder.
/// </summary>
internal static class RleTestEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> native, in DicomPixelFormat format)
    {
        int bps = format.BitsAllocated / 8;
        int pixels = format.Rows * format.Columns;
        int segments = bps * format.SamplesPerPixel;
        var body = new List<byte>();
        var offsets = new int[segments];
        var plane = new byte[pixels];
        for (int seg = 0; seg < segments; seg++)
        {
            int sample = seg / bps;
            int byteIndex = bps - 1 - seg % bps; // MSB first
            for (int p = 0; p < pixels; p++) plane[p] = NativeFrame.ByteOf(native, format, p, sample, byteIndex);
            offsets[seg] = 64 + body.Count;
            int start = body.Count;
            PackBits(plane, body);
            if ((body.Count - start) % 2 == 1) body.Add(0);
        }

        var result = new byte[64 + body.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)segments);
        for (int i = 0; i < segments; i++) BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4 + 4 * i), (uint)offsets[i]);
        body.CopyTo(result, 64);
        return result;
    }

    /// <summary>PS3.5 G.3.1: replicate runs of 2..128 equal bytes as (1 − n, byte), literal runs of 1..128 as (n − 1, bytes…).</summary>
    private static void PackBits(ReadOnlySpan<byte> data, List<byte> output)
    {
        int i = 0;
        while (i < data.Length)
        {
            int run = 1;
            while (i + run < data.Length && run < 128 && data[i + run] == data[i]) run++;
            if (run >= 2)
            {
                output.Add((byte)(sbyte)(1 - run));
                output.Add(data[i]);
                i += run;
                continue;
            }

            int length = 1;
            while (i + length < data.Length && length < 128
                   && !(i + length + 1 < data.Length && data[i + length] == data[i + length + 1]))
                length++;
            output.Add((byte)(length - 1));
            for (int k = 0; k < length; k++) output.Add(data[i + k]);
            i += length;
        }
    }
}
