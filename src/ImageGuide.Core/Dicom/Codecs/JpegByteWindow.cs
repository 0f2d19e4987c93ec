using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// The fast path shared by the JPEG and JPEG-LS bit readers: where the next 8 bytes hold no 0xFF (so no stuffing and no
/// marker in either scheme), as many whole bytes as fit are moved into the left-aligned bit buffer at once.
/// </summary>
internal static class JpegByteWindow
{
    /// <summary>
    /// Moves whole bytes from <paramref name="data"/> at <paramref name="pos"/> into <paramref name="buffer"/> (next bit at
    /// bit 63, <paramref name="bits"/> valid) when the 8-byte window there holds no 0xFF; false (nothing moved) otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryTake(ReadOnlySpan<byte> data, ref int pos, ref ulong buffer, ref int bits)
    {
        if (pos + 8 > data.Length) return false;
        ulong word = BinaryPrimitives.ReadUInt64BigEndian(data[pos..]);
        ulong inverted = ~word;
        // a zero byte in ~word is a 0xFF byte in word
        if (((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) != 0) return false;
        int take = (64 - bits) >> 3;
        buffer |= (word >> (64 - 8 * take)) << (64 - bits - 8 * take);
        bits += 8 * take;
        pos += take;
        return true;
    }
}
