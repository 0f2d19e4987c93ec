using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ImageGuide.Tests.Dicom;

/// <summary>Writes DICOM byte streams by hand, element by element, for reader tests.</summary>
internal sealed class DicomStreamBuilder
{
    public const uint Undefined = 0xFFFFFFFF;

    private static readonly HashSet<string> LongVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    private readonly MemoryStream _out = new();

    public DicomStreamBuilder(bool explicitVr = true, bool littleEndian = true)
    {
        ExplicitVr = explicitVr;
        LittleEndian = littleEndian;
    }

    public bool ExplicitVr { get; }

    public bool LittleEndian { get; }

    public int Length => (int)_out.Length;

    /// <summary>A new, empty builder with the same encoding (for item contents).</summary>
    public DicomStreamBuilder Nested() => new(ExplicitVr, LittleEndian);

    /// <summary>An element header (tag, VR if explicit, length) with no value.</summary>
    public DicomStreamBuilder Header(ushort group, ushort element, string vr, uint length)
    {
        U16(group);
        U16(element);
        if (ExplicitVr)
        {
            _out.Write(Encoding.ASCII.GetBytes(vr));
            if (LongVRs.Contains(vr))
            {
                U16(0);
                U32(length);
            }
            else
            {
                U16((ushort)length);
            }
        }
        else
        {
            U32(length);
        }
        return this;
    }

    /// <summary>A complete element with the given value bytes (written as they are).</summary>
    public DicomStreamBuilder Element(ushort group, ushort element, string vr, byte[] value) =>
        Header(group, element, vr, (uint)value.Length).Bytes(value);

    /// <summary>A text element, padded to even length (NUL for UI, space otherwise).</summary>
    public DicomStreamBuilder Text(ushort group, ushort element, string vr, string text)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        if (bytes.Length % 2 == 1) bytes = [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        return Element(group, element, vr, bytes);
    }

    /// <summary>A US element with values in the builder's byte order.</summary>
    public DicomStreamBuilder UInt16(ushort group, ushort element, params ushort[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (LittleEndian) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
            else BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
        }
        return Element(group, element, "US", bytes);
    }

    /// <summary>An item, delimiter or fragment header: tag and 4-byte length, no VR.</summary>
    public DicomStreamBuilder ItemTag(ushort group, ushort element, uint length)
    {
        U16(group);
        U16(element);
        U32(length);
        return this;
    }

    /// <summary>
    /// A sequence of items (each the bytes of a nested data set), with defined or undefined lengths for the
    /// sequence and for its items.
    /// </summary>
    public DicomStreamBuilder Sequence(ushort group, ushort element, bool undefinedLength, bool undefinedItems, params byte[][] items)
    {
        var body = new DicomStreamBuilder(ExplicitVr, LittleEndian);
        foreach (byte[] item in items)
        {
            body.ItemTag(0xFFFE, 0xE000, undefinedItems ? Undefined : (uint)item.Length).Bytes(item);
            if (undefinedItems) body.ItemTag(0xFFFE, 0xE00D, 0);
        }
        if (undefinedLength) body.ItemTag(0xFFFE, 0xE0DD, 0);
        byte[] content = body.ToArray();
        return Header(group, element, "SQ", undefinedLength ? Undefined : (uint)content.Length).Bytes(content);
    }

    /// <summary>Encapsulated pixel data: Basic Offset Table item, fragments, sequence delimiter.</summary>
    public DicomStreamBuilder Encapsulated(byte[] basicOffsetTable, params byte[][] fragments)
    {
        Header(0x7FE0, 0x0010, "OB", Undefined);
        ItemTag(0xFFFE, 0xE000, (uint)basicOffsetTable.Length).Bytes(basicOffsetTable);
        foreach (byte[] f in fragments) ItemTag(0xFFFE, 0xE000, (uint)f.Length).Bytes(f);
        return ItemTag(0xFFFE, 0xE0DD, 0);
    }

    public DicomStreamBuilder Bytes(params byte[] bytes)
    {
        _out.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _out.ToArray();

    /// <summary>
    /// A Part 10 file: optional 128-byte preamble and "DICM", an Explicit VR Little Endian file meta group
    /// (with group length, and the transfer syntax when given), then <paramref name="dataset"/>.
    /// </summary>
    public static byte[] Part10(byte[] dataset, string? transferSyntax, bool preamble = true)
    {
        var meta = new DicomStreamBuilder();
        meta.Element(0x0002, 0x0001, "OB", [0, 1]);
        meta.Text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7");
        meta.Text(0x0002, 0x0003, "UI", "1.2.3.4");
        if (transferSyntax is not null) meta.Text(0x0002, 0x0010, "UI", transferSyntax);
        byte[] metaBytes = meta.ToArray();
        var file = new DicomStreamBuilder();
        if (preamble) file.Bytes(new byte[128]).Bytes("DICM"u8.ToArray());
        file.Element(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)metaBytes.Length));
        return [.. file.ToArray(), .. metaBytes, .. dataset];
    }

    /// <summary>Raw deflate (RFC 1951, no zlib header) of <paramref name="data"/>.</summary>
    public static byte[] Deflate(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var z = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    private void U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (LittleEndian) BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        else BinaryPrimitives.WriteUInt16BigEndian(b, v);
        _out.Write(b);
    }

    private void U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (LittleEndian) BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        else BinaryPrimitives.WriteUInt32BigEndian(b, v);
        _out.Write(b);
    }
}
