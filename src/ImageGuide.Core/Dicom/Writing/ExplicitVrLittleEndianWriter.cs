using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ImageGuide.Dicom.Writing;

/// <summary>
/// Appends DICOM data elements in Explicit VR Little Endian to a growing buffer. Values are padded to even length
/// (UI with a NUL byte, other text with a space, binary with a zero byte). Elements must be written in ascending tag
/// order; a call out of order throws, so a file is never written with an unsorted data set. Not thread-safe.
/// </summary>
internal sealed class ExplicitVrLittleEndianWriter
{
    private readonly MemoryStream _buffer = new();
    private uint _lastTag;

    /// <summary>Bytes written so far.</summary>
    public long Length => _buffer.Length;

    /// <summary>The encoded elements.</summary>
    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>Text element (AE, AS, CS, DA, DS, IS, LO, LT, PN, SH, ST, TM, UI, UT …).</summary>
    public void Text(ushort group, ushort element, string vr, string? value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value ?? "");
        int padded = bytes.Length + (bytes.Length & 1);
        Header(group, element, vr, padded);
        _buffer.Write(bytes);
        if (padded != bytes.Length) _buffer.WriteByte(vr == "UI" ? (byte)0 : (byte)' ');
    }

    /// <summary>Decimal String with one or more values joined by a backslash, each at most 16 characters.</summary>
    public void Decimal(ushort group, ushort element, params ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++) parts[i] = FormatDecimal(values[i]);
        Text(group, element, "DS", string.Join('\\', parts));
    }

    /// <summary>Integer String.</summary>
    public void Integer(ushort group, ushort element, long value) =>
        Text(group, element, "IS", value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Unsigned short (US).</summary>
    public void UShort(ushort group, ushort element, ushort value)
    {
        Header(group, element, "US", 2);
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        _buffer.Write(b);
    }

    /// <summary>Unsigned long (UL).</summary>
    public void ULong(ushort group, ushort element, uint value)
    {
        Header(group, element, "UL", 4);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _buffer.Write(b);
    }

    /// <summary>Binary element (OB, OW) with a 32-bit length; odd lengths get a zero pad byte.</summary>
    public void Binary(ushort group, ushort element, string vr, ReadOnlySpan<byte> value)
    {
        int padded = value.Length + (value.Length & 1);
        Header(group, element, vr, padded);
        _buffer.Write(value);
        if (padded != value.Length) _buffer.WriteByte(0);
    }

    /// <summary>
    /// Sequence (SQ) of defined length whose items are already-encoded data sets (each written with its own
    /// writer); items get defined lengths too.
    /// </summary>
    public void Sequence(ushort group, ushort element, params byte[][] items)
    {
        long length = 0;
        foreach (var item in items) length += 8 + item.Length;
        Header(group, element, "SQ", checked((int)length));
        Span<byte> h = stackalloc byte[8];
        foreach (var item in items)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h, 0xFFFE);
            BinaryPrimitives.WriteUInt16LittleEndian(h[2..], 0xE000);
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)item.Length);
            _buffer.Write(h);
            _buffer.Write(item);
        }
    }

    private void Header(ushort group, ushort element, string vr, int length)
    {
        uint tag = (uint)group << 16 | element;
        if (tag <= _lastTag && _buffer.Length > 0)
            throw new InvalidOperationException($"DICOM elements must be written in ascending tag order: ({group:X4},{element:X4}) after ({_lastTag >> 16:X4},{_lastTag & 0xFFFF:X4}).");
        _lastTag = tag;
        Span<byte> h = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(h, group);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], element);
        h[4] = (byte)vr[0];
        h[5] = (byte)vr[1];
        if (IsLongLength(vr))
        {
            h[6] = 0; h[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], (uint)length);
            _buffer.Write(h);
        }
        else
        {
            if (length > ushort.MaxValue)
                throw new InvalidOperationException($"Value of ({group:X4},{element:X4}) {vr} is {length} bytes, more than a 16-bit length allows.");
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
            _buffer.Write(h[..8]);
        }
    }

    private static bool IsLongLength(string vr) => vr is "OB" or "OW" or "OF" or "OD" or "OL" or "OV" or "SQ" or "UT" or "UN" or "UC" or "UR";

    /// <summary>
    /// Shortest text of at most 16 characters (the DS limit) that represents <paramref name="value"/>: the
    /// round-trip form when it fits, otherwise the most significant digits that fit (≥ 10 significant digits
    /// for any value of magnitude 1e-5 … 1e6).
    /// </summary>
    public static string FormatDecimal(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "A Decimal String must be finite.");
        if (value == 0) return "0";
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        for (int digits = 15; s.Length > 16 && digits > 0; digits--)
            s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s;
    }
}
