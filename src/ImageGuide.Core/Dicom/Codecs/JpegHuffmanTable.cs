using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// One JPEG Huffman table (ITU T.81 Annex C) prepared for decoding: a 9-bit first-level lookup table for
/// short codes and the canonical MAXCODE / VALPTR arrays (F.2.2.3) for codes of 10 to 16 bits.
/// </summary>
internal sealed class JpegHuffmanTable
{
    /// <summary>Bits resolved by the first-level lookup table.</summary>
    public const int LookupBits = 9;

    // Entry = (code length << 8) | symbol; 0 means "code longer than LookupBits".
    private readonly ushort[] _lookup = new ushort[1 << LookupBits];
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];
    private readonly byte[] _values;

    private JpegHuffmanTable(byte[] values) => _values = values;

    /// <summary>
    /// Reads the tables of a DHT marker segment (ITU-T T.81 B.2.4.2) into <paramref name="dcTables"/> (class 0) and
    /// <paramref name="acTables"/> (class 1; when null, as for lossless scans, which reference DC-class tables only, AC
    /// tables are checked but not kept).
    /// </summary>
    /// <param name="s">The segment's data (after its length).</param>
    /// <param name="offset">Offset of <paramref name="s"/> in the frame, for error messages.</param>
    /// <param name="dcMaxSymbol">Largest DC-class symbol (15: DCT magnitude categories up to 12-bit data; 16: lossless difference categories).</param>
    /// <param name="dcTables">Destination of the DC-class tables, by id 0–3.</param>
    /// <param name="acTables">Destination of the AC-class tables (symbols are run/size bytes), or null.</param>
    /// <exception cref="DicomCodecException">The segment is cut off or declares a class or id out of range.</exception>
    public static void ReadSegment(ReadOnlySpan<byte> s, int offset, int dcMaxSymbol, JpegHuffmanTable?[] dcTables, JpegHuffmanTable?[]? acTables)
    {
        int p = 0;
        while (p < s.Length)
        {
            if (p + 17 > s.Length)
                throw new DicomCodecException("JPEG DHT segment is cut off inside a table's code counts.", offset + p);
            int tableClass = s[p] >> 4;
            int id = s[p] & 15;
            if (tableClass > 1 || id > 3)
                throw new DicomCodecException($"JPEG DHT declares table class {tableClass}, id {id}; class must be 0 or 1 and id 0..3.", offset + p);
            ReadOnlySpan<byte> counts = s.Slice(p + 1, 16);
            int total = 0;
            foreach (byte n in counts) total += n;
            if (p + 17 + total > s.Length)
                throw new DicomCodecException($"JPEG DHT table declares {total} values but the segment holds {s.Length - p - 17}.", offset + p);
            if (tableClass == 0) dcTables[id] = Build(counts, s.Slice(p + 17, total), dcMaxSymbol, offset + p);
            else if (acTables is not null) acTables[id] = Build(counts, s.Slice(p + 17, total), 255, offset + p);
            p += 17 + total;
        }
    }

    /// <summary>
    /// Builds the table from the 16 code-length counts and the symbol values of a DHT segment.
    /// Symbols above <paramref name="maxSymbol"/> or an over-subscribed code space are rejected.
    /// </summary>
    /// <param name="counts">BITS: number of codes of each length 1..16.</param>
    /// <param name="values">HUFFVAL: the symbols in code order.</param>
    /// <param name="maxSymbol">Largest symbol allowed (16 for lossless difference categories).</param>
    /// <param name="segmentOffset">Offset of the DHT data in the frame, for error messages.</param>
    public static JpegHuffmanTable Build(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, int maxSymbol, int segmentOffset)
    {
        var table = new JpegHuffmanTable(values.ToArray());
        for (int i = 0; i < values.Length; i++)
            if (values[i] > maxSymbol)
                throw new DicomCodecException($"Huffman table value {values[i]} exceeds {maxSymbol}, the largest symbol a table of this class may hold.", segmentOffset);

        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            if (code + n > 1 << length)
                throw new DicomCodecException($"Huffman table is over-subscribed at code length {length}.", segmentOffset);
            table._valueOffset[length] = k - code;
            table._maxCode[length] = n == 0 ? -1 : code + n - 1;
            for (int i = 0; i < n; i++, code++, k++)
            {
                if (length > LookupBits) continue;
                int shift = LookupBits - length;
                ushort entry = (ushort)((length << 8) | values[k]);
                table._lookup.AsSpan(code << shift, 1 << shift).Fill(entry);
            }

            code <<= 1;
        }

        table._maxCode[17] = int.MaxValue; // sentinel: no code is longer than 16 bits
        return table;
    }

    /// <summary>
    /// Decodes one symbol from the 16 bits at the top of <paramref name="peek16"/>; returns the symbol and
    /// sets <paramref name="length"/> to the code length, or returns -1 for a bit pattern that is no code.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(uint peek16, out int length)
    {
        // peek16 < 2^16, so the index is below 2^LookupBits, the table's length.
        int entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_lookup), (int)(peek16 >> (16 - LookupBits)));
        if (entry != 0)
        {
            length = entry >> 8;
            return entry & 0xFF;
        }

        return DecodeLong(peek16, out length);
    }

    private int DecodeLong(uint peek16, out int length)
    {
        for (int l = LookupBits + 1; l <= 16; l++)
        {
            int c = (int)(peek16 >> (16 - l));
            if (c <= _maxCode[l])
            {
                length = l;
                return _values[_valueOffset[l] + c];
            }
        }

        length = 0;
        return -1;
    }
}
