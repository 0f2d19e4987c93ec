using System.Buffers.Binary;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom;

/// <summary>Turns a decoded native frame into integer sample values.</summary>
internal static class PixelValueConverter
{
    /// <summary>pydicom-style values: BitsAllocated bits as unsigned or signed, no masking; 1-bit unpacked.</summary>
    public static void ToRawValues(ReadOnlySpan<byte> frame, in DicomPixelFormat f, Span<long> values)
    {
        bool signed = f.IsSigned;
        int spp = f.SamplesPerPixel;
        long pixels = f.PixelCount;
        bool planar = spp > 1 && f.PlanarConfiguration == 1;
        for (int i = 0; i < values.Length; i++)
        {
            int j = planar ? (int)((i % spp) * pixels + i / spp) : i;
            values[i] = f.BitsAllocated switch
            {
                1 => (frame[j >> 3] >> (j & 7)) & 1,
                8 => signed ? (sbyte)frame[j] : frame[j],
                16 => signed ? BinaryPrimitives.ReadInt16LittleEndian(frame.Slice(2 * j, 2)) : BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(2 * j, 2)),
                _ => signed ? BinaryPrimitives.ReadInt32LittleEndian(frame.Slice(4 * j, 4)) : BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(4 * j, 4)),
            };
        }
    }

    /// <summary>Stored values: shifted down to the High Bit, masked to Bits Stored, sign-extended if signed.</summary>
    public static void ToStoredValues(ReadOnlySpan<byte> frame, in DicomPixelFormat f, Span<int> values, string? path)
    {
        int bits = f.BitsStored;
        int shift = f.HighBit + 1 - bits;
        uint mask = bits >= 32 ? uint.MaxValue : (1u << bits) - 1;
        uint signBit = 1u << (bits - 1);
        bool signed = f.IsSigned;
        int spp = f.SamplesPerPixel;
        long pixels = f.PixelCount;
        bool planar = spp > 1 && f.PlanarConfiguration == 1;
        for (int i = 0; i < values.Length; i++)
        {
            int j = planar ? (int)((i % spp) * pixels + i / spp) : i;
            uint raw = f.BitsAllocated switch
            {
                1 => (uint)((frame[j >> 3] >> (j & 7)) & 1),
                8 => frame[j],
                16 => BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(2 * j, 2)),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(4 * j, 4)),
            };
            uint v = (raw >> shift) & mask;
            if (signed)
            {
                values[i] = (v & signBit) != 0 ? (int)(v | ~mask) : (int)v;
            }
            else
            {
                if (v > int.MaxValue)
                    throw new DicomException($"sample {i} has the unsigned 32-bit stored value {v}, beyond the range of Int32; read it with DecodeFrameRawValues.", path, DicomTags.PixelData);
                values[i] = (int)v;
            }
        }
    }

    /// <summary>Expands native YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair) to three samples per pixel.</summary>
    public static void ExpandYbr422(ReadOnlySpan<byte> sub, Span<byte> full, int bytesPerSample)
    {
        int b = bytesPerSample;
        int pairs = Math.Min(sub.Length / (4 * b), full.Length / (6 * b));
        for (int p = 0; p < pairs; p++)
        {
            ReadOnlySpan<byte> s = sub.Slice(4 * b * p, 4 * b);
            Span<byte> d = full.Slice(6 * b * p, 6 * b);
            s.Slice(0, b).CopyTo(d.Slice(0, b));          // Y1
            s.Slice(2 * b, b).CopyTo(d.Slice(b, b));      // Cb
            s.Slice(3 * b, b).CopyTo(d.Slice(2 * b, b));  // Cr
            s.Slice(b, b).CopyTo(d.Slice(3 * b, b));      // Y2
            s.Slice(2 * b, b).CopyTo(d.Slice(4 * b, b));  // Cb
            s.Slice(3 * b, b).CopyTo(d.Slice(5 * b, b));  // Cr
        }
    }
}
