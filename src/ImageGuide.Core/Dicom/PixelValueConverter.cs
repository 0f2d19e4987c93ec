using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom;

/// <summary>
/// Turns a decoded native frame into integer sample values, written pixel by pixel (samples of a pixel together)
/// whatever the Planar Configuration. One tight loop per sample width; no per-sample branching on the format.
/// </summary>
internal static class PixelValueConverter
{
    /// <summary>pydicom-style values: BitsAllocated bits as unsigned or signed, no masking; 1-bit unpacked.</summary>
    public static void ToRawValues(ReadOnlySpan<byte> frame, in DicomPixelFormat f, Span<long> values)
    {
        Layout(f, values.Length, out int planes, out int count, out int stride);
        bool signed = f.IsSigned;
        for (int s = 0; s < planes; s++)
        {
            int src = s * count;
            switch (f.BitsAllocated)
            {
                case 1:
                    for (int p = 0; p < count; p++) { int k = src + p; values[p * stride + s] = (frame[k >> 3] >> (k & 7)) & 1; }
                    break;
                case 8:
                    if (signed) for (int p = 0; p < count; p++) values[p * stride + s] = (sbyte)frame[src + p];
                    else for (int p = 0; p < count; p++) values[p * stride + s] = frame[src + p];
                    break;
                case 16:
                    if (signed) for (int p = 0; p < count; p++) values[p * stride + s] = BinaryPrimitives.ReadInt16LittleEndian(frame[(2 * (src + p))..]);
                    else for (int p = 0; p < count; p++) values[p * stride + s] = BinaryPrimitives.ReadUInt16LittleEndian(frame[(2 * (src + p))..]);
                    break;
                default:
                    if (signed) for (int p = 0; p < count; p++) values[p * stride + s] = BinaryPrimitives.ReadInt32LittleEndian(frame[(4 * (src + p))..]);
                    else for (int p = 0; p < count; p++) values[p * stride + s] = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 * (src + p))..]);
                    break;
            }
        }
    }

    /// <summary>Stored values: shifted down to the High Bit, masked to Bits Stored, sign-extended if signed.</summary>
    public static void ToStoredValues(ReadOnlySpan<byte> frame, in DicomPixelFormat f, Span<int> values, string? path)
    {
        Layout(f, values.Length, out int planes, out int count, out int stride);
        int shift = f.HighBit + 1 - f.BitsStored;
        int up = 32 - f.BitsStored; // shifting left then right (arithmetic or logical) masks and sign-extends at once
        bool signed = f.IsSigned;
        if (f.BitsAllocated == 16 && stride == 1 && BitConverter.IsLittleEndian)
        {
            Stored16(MemoryMarshal.Cast<byte, ushort>(frame)[..values.Length], values, shift, up, signed);
            return;
        }
        for (int s = 0; s < planes; s++)
        {
            int src = s * count;
            switch (f.BitsAllocated)
            {
                case 1:
                    for (int p = 0; p < count; p++) { int k = src + p; values[p * stride + s] = (frame[k >> 3] >> (k & 7)) & 1; }
                    break;
                case 8:
                    for (int p = 0; p < count; p++) values[p * stride + s] = Stored((uint)frame[src + p] >> shift, up, signed);
                    break;
                case 16:
                    for (int p = 0; p < count; p++)
                        values[p * stride + s] = Stored((uint)BinaryPrimitives.ReadUInt16LittleEndian(frame[(2 * (src + p))..]) >> shift, up, signed);
                    break;
                default:
                    for (int p = 0; p < count; p++)
                    {
                        uint raw = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 * (src + p))..]) >> shift;
                        if (!signed && up == 0 && raw > int.MaxValue)
                            throw new DicomException($"sample {p * stride + s} has the unsigned 32-bit stored value {raw}, beyond the range of Int32; read it with DecodeFrameRawValues.", path, DicomTags.PixelData);
                        values[p * stride + s] = Stored(raw, up, signed);
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// A decoded 16-bit grey-scale frame (native little-endian layout) turned into its stored values in place, as
    /// 16-bit patterns: shifted down to the High Bit, masked to Bits Stored and sign-extended if signed — the values of
    /// <see cref="ToStoredValues"/> narrowed to 16 bits, which hold them exactly. Nothing to do for the usual
    /// Bits Stored 16.
    /// </summary>
    public static void ToStoredValuesInPlace(Span<ushort> values, in DicomPixelFormat f)
    {
        if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(values, values);
        int shift = f.HighBit + 1 - f.BitsStored;
        int up = 16 - f.BitsStored;
        if (shift == 0 && up == 0) return;
        bool signed = f.IsSigned;
        int n = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref ushort v = ref MemoryMarshal.GetReference(values);
            for (; n <= values.Length - Vector128<ushort>.Count; n += Vector128<ushort>.Count)
            {
                var x = Vector128.ShiftLeft(Vector128.ShiftRightLogical(Vector128.LoadUnsafe(ref v, (nuint)n), shift), up);
                x = signed ? Vector128.ShiftRightArithmetic(x.AsInt16(), up).AsUInt16() : Vector128.ShiftRightLogical(x, up);
                x.StoreUnsafe(ref v, (nuint)n);
            }
        }
        for (; n < values.Length; n++)
        {
            int x = (ushort)((values[n] >> shift) << up);
            values[n] = signed ? (ushort)((short)x >> up) : (ushort)(x >> up);
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
            s[..b].CopyTo(d[..b]);                      // Y1
            s.Slice(2 * b, 2 * b).CopyTo(d.Slice(b));   // Cb Cr
            s.Slice(b, b).CopyTo(d.Slice(3 * b, b));    // Y2
            s.Slice(2 * b, 2 * b).CopyTo(d.Slice(4 * b)); // Cb Cr
        }
    }

    /// <summary>The common CT/MR case (16-bit, one sample) with SIMD: widen, shift down to the high bit, mask and sign-extend.</summary>
    private static void Stored16(ReadOnlySpan<ushort> src, Span<int> values, int shift, int up, bool signed)
    {
        int n = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var dst = MemoryMarshal.Cast<int, uint>(values);
            for (int w = Vector<ushort>.Count; n <= src.Length - w; n += w)
            {
                Vector.Widen(new Vector<ushort>(src[n..]), out Vector<uint> lo, out Vector<uint> hi);
                Store(Vector.ShiftLeft(Vector.ShiftRightLogical(lo, shift), up), dst[n..], up, signed);
                Store(Vector.ShiftLeft(Vector.ShiftRightLogical(hi, shift), up), dst[(n + Vector<uint>.Count)..], up, signed);
            }
        }
        for (; n < src.Length; n++) values[n] = Stored((uint)src[n] >> shift, up, signed);

        static void Store(Vector<uint> v, Span<uint> dst, int up, bool signed)
        {
            if (signed) Vector.AsVectorUInt32(Vector.ShiftRightArithmetic(Vector.AsVectorInt32(v), up)).CopyTo(dst);
            else Vector.ShiftRightLogical(v, up).CopyTo(dst);
        }
    }

    private static int Stored(uint shifted, int up, bool signed) =>
        up == 0 ? (int)shifted : signed ? (int)(shifted << up) >> up : (int)((shifted << up) >> up);

    private static void Layout(in DicomPixelFormat f, int valueCount, out int planes, out int count, out int stride)
    {
        bool planar = f.SamplesPerPixel > 1 && f.PlanarConfiguration == 1;
        planes = planar ? f.SamplesPerPixel : 1;
        count = planar ? valueCount / f.SamplesPerPixel : valueCount;
        stride = planar ? f.SamplesPerPixel : 1;
    }
}
