using System.Buffers.Binary;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// Lays sample values out as DICOM native little-endian Pixel Data (PS3.5 8.1 and 8.2), independently of the
/// codecs, so tests can compare a decoded frame with the bytes an uncompressed file would hold.
/// </summary>
internal static class NativeFrame
{
    /// <summary>
    /// Native bytes of one frame. <paramref name="samples"/> is in (row, column, sample) order; each value's
    /// low BitsAllocated bits are stored.
    /// </summary>
    public static byte[] Build(ReadOnlySpan<uint> samples, in DicomPixelFormat format)
    {
        int bps = format.BitsAllocated / 8;
        int spp = format.SamplesPerPixel;
        int pixels = format.Rows * format.Columns;
        Assert.That(samples.Length, Is.EqualTo(pixels * spp));
        var bytes = new byte[format.FrameSizeBytes];
        for (int p = 0; p < pixels; p++)
        {
            for (int s = 0; s < spp; s++)
            {
                int index = format.PlanarConfiguration == 1 ? (s * pixels + p) * bps : (p * spp + s) * bps;
                uint v = samples[p * spp + s];
                switch (bps)
                {
                    case 1: bytes[index] = (byte)v; break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(index), (ushort)v); break;
                    default: BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(index), v); break;
                }
            }
        }

        return bytes;
    }

    /// <summary>The byte that sample <paramref name="s"/> of pixel <paramref name="p"/> holds at significance <paramref name="byteIndex"/> (0 = least significant).</summary>
    public static byte ByteOf(ReadOnlySpan<byte> native, in DicomPixelFormat format, int p, int s, int byteIndex)
    {
        int bps = format.BitsAllocated / 8;
        int pixels = format.Rows * format.Columns;
        int index = format.PlanarConfiguration == 1 ? (s * pixels + p) * bps : (p * format.SamplesPerPixel + s) * bps;
        return native[index + byteIndex];
    }

    /// <summary>A pixel description with the usual defaults (HighBit = BitsStored − 1).</summary>
    public static DicomPixelFormat Format(int rows, int columns, int samples, int bitsAllocated, int bitsStored,
        bool signed = false, int planar = 0) =>
        new(rows, columns, samples, bitsAllocated, bitsStored, bitsStored - 1, signed ? 1 : 0, planar,
            samples == 1 ? "MONOCHROME2" : "RGB");
}
