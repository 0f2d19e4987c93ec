using System.Buffers.Binary;
using System.Text;

namespace ImageGuide.Dicom.Network;

/// <summary>DIMSE command field values (PS3.7 §E.1, Table E.1-1).</summary>
public enum DimseCommandField : ushort
{
    /// <summary>C-STORE-RQ.</summary>
    CStoreRequest = 0x0001,
    /// <summary>C-STORE-RSP.</summary>
    CStoreResponse = 0x8001,
    /// <summary>C-GET-RQ.</summary>
    CGetRequest = 0x0010,
    /// <summary>C-GET-RSP.</summary>
    CGetResponse = 0x8010,
    /// <summary>C-FIND-RQ.</summary>
    CFindRequest = 0x0020,
    /// <summary>C-FIND-RSP.</summary>
    CFindResponse = 0x8020,
    /// <summary>C-MOVE-RQ.</summary>
    CMoveRequest = 0x0021,
    /// <summary>C-MOVE-RSP.</summary>
    CMoveResponse = 0x8021,
    /// <summary>C-ECHO-RQ.</summary>
    CEchoRequest = 0x0030,
    /// <summary>C-ECHO-RSP.</summary>
    CEchoResponse = 0x8030,
    /// <summary>C-CANCEL-RQ.</summary>
    CCancelRequest = 0x0FFF,
}

/// <summary>DIMSE status values used by ImageGuide (PS3.7 Annex C) and their classes.</summary>
public static class DimseStatus
{
    /// <summary>Success.</summary>
    public const ushort Success = 0x0000;
    /// <summary>Pending (C-FIND match, C-MOVE/C-GET progress).</summary>
    public const ushort Pending = 0xFF00;
    /// <summary>Pending, some optional keys not supported.</summary>
    public const ushort PendingWarning = 0xFF01;
    /// <summary>Cancelled.</summary>
    public const ushort Cancel = 0xFE00;
    /// <summary>Warning: one or more sub-operations failed (C-MOVE, C-GET).</summary>
    public const ushort SubOperationsWarning = 0xB000;
    /// <summary>Failure: duplicate SOP instance (a different instance with this UID is already stored).</summary>
    public const ushort DuplicateSopInstance = 0x0111;
    /// <summary>Failure: SOP class not supported.</summary>
    public const ushort SopClassNotSupported = 0x0122;
    /// <summary>Refused: out of resources.</summary>
    public const ushort OutOfResources = 0xA700;
    /// <summary>Error: data set does not match SOP class (or cannot be read).</summary>
    public const ushort DatasetDoesNotMatchSopClass = 0xA900;
    /// <summary>Failure: cannot understand.</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>True for 0xFF00 and 0xFF01.</summary>
    public static bool IsPending(ushort status) => status is Pending or PendingWarning;

    /// <summary>True for success and the warning statuses (0x0001, 0x0107, 0x0116, 0xBxxx).</summary>
    public static bool IsSuccessOrWarning(ushort status) => status is Success or 0x0001 or 0x0107 or 0x0116 || (status & 0xF000) == 0xB000;

    /// <summary>"success", "warning", "pending", "cancel" or "failure".</summary>
    public static string Describe(ushort status) =>
        status == Success ? "success" : IsPending(status) ? "pending" : status == Cancel ? "cancel"
        : IsSuccessOrWarning(status) ? "warning" : "failure";
}

/// <summary>
/// A DIMSE command set (group 0000, always Implicit VR Little Endian; PS3.7 §6.3 and §E). Holds the elements as
/// encoded bytes; typed accessors read and write the ones ImageGuide uses.
/// </summary>
public sealed class DimseCommand
{
    /// <summary>(0000,0800) value meaning "no data set follows".</summary>
    public const ushort NoDataset = 0x0101;

    private readonly SortedDictionary<uint, byte[]> _elements = new();

    /// <summary>(0000,0100) Command Field.</summary>
    public DimseCommandField CommandField
    {
        get => (DimseCommandField)GetUInt16(0x0100);
        set => SetUInt16(0x0100, (ushort)value);
    }

    /// <summary>(0000,0110) Message ID.</summary>
    public ushort MessageId { get => GetUInt16(0x0110); set => SetUInt16(0x0110, value); }

    /// <summary>(0000,0120) Message ID Being Responded To.</summary>
    public ushort MessageIdBeingRespondedTo { get => GetUInt16(0x0120); set => SetUInt16(0x0120, value); }

    /// <summary>(0000,0002) Affected SOP Class UID.</summary>
    public string? AffectedSopClassUid { get => GetString(0x0002); set => SetString(0x0002, value, uid: true); }

    /// <summary>(0000,1000) Affected SOP Instance UID.</summary>
    public string? AffectedSopInstanceUid { get => GetString(0x1000); set => SetString(0x1000, value, uid: true); }

    /// <summary>(0000,0600) Move Destination.</summary>
    public string? MoveDestination { get => GetString(0x0600); set => SetString(0x0600, value, uid: false); }

    /// <summary>(0000,0700) Priority (0 medium).</summary>
    public ushort Priority { get => GetUInt16(0x0700); set => SetUInt16(0x0700, value); }

    /// <summary>(0000,0800) Command Data Set Type: 0x0101 means no data set follows.</summary>
    public ushort DatasetType { get => GetUInt16(0x0800); set => SetUInt16(0x0800, value); }

    /// <summary>True when a data set follows the command.</summary>
    public bool HasDataset => Contains(0x0800) && DatasetType != NoDataset;

    /// <summary>(0000,0900) Status.</summary>
    public ushort Status { get => GetUInt16(0x0900); set => SetUInt16(0x0900, value); }

    /// <summary>(0000,0902) Error Comment, when present.</summary>
    public string? ErrorComment { get => GetString(0x0902); set => SetString(0x0902, value, uid: false); }

    /// <summary>(0000,1020–1023) sub-operation counts of C-MOVE/C-GET responses: remaining, completed, failed, warning (null when absent).</summary>
    public (int? Remaining, int? Completed, int? Failed, int? Warning) SubOperations =>
        (Opt(0x1020), Opt(0x1021), Opt(0x1022), Opt(0x1023));

    /// <summary>Sets the sub-operation counts.</summary>
    public void SetSubOperations(int remaining, int completed, int failed, int warning)
    {
        SetUInt16(0x1020, (ushort)remaining);
        SetUInt16(0x1021, (ushort)completed);
        SetUInt16(0x1022, (ushort)failed);
        SetUInt16(0x1023, (ushort)warning);
    }

    /// <summary>True when element (0000,<paramref name="element"/>) is present.</summary>
    public bool Contains(ushort element) => _elements.ContainsKey(element);

    /// <summary>An unsigned short element, 0 when absent.</summary>
    public ushort GetUInt16(ushort element) =>
        _elements.TryGetValue(element, out var v) && v.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(v) : (ushort)0;

    /// <summary>Sets an unsigned short element.</summary>
    public void SetUInt16(ushort element, ushort value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        _elements[element] = b;
    }

    /// <summary>A text element without its padding, null when absent.</summary>
    public string? GetString(ushort element) =>
        _elements.TryGetValue(element, out var v) ? Encoding.ASCII.GetString(v).TrimEnd('\0', ' ') : null;

    /// <summary>Sets (or with null removes) a text element, padded to even length (UI with NUL, others with space).</summary>
    public void SetString(ushort element, string? value, bool uid)
    {
        if (value is null) { _elements.Remove(element); return; }
        int n = Encoding.ASCII.GetByteCount(value);
        var b = new byte[n + (n & 1)];
        Encoding.ASCII.GetBytes(value, b);
        if ((n & 1) == 1) b[^1] = uid ? (byte)0 : (byte)' ';
        _elements[element] = b;
    }

    private int? Opt(ushort element) => Contains(element) ? GetUInt16(element) : null;

    /// <summary>Encodes the command set (Implicit VR Little Endian) with its (0000,0000) group length first.</summary>
    public byte[] Encode()
    {
        int length = 0;
        foreach (var (_, v) in _elements) length += 8 + v.Length;
        var buffer = new byte[12 + length];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)length);
        int pos = 12;
        foreach (var (element, v) in _elements)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(pos + 2)..], (ushort)element);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(pos + 4)..], (uint)v.Length);
            v.CopyTo(span[(pos + 8)..]);
            pos += 8 + v.Length;
        }
        return buffer;
    }

    /// <summary>Decodes a command set.</summary>
    /// <exception cref="DicomProtocolException">An element is outside group 0000, truncated, or the command field is missing.</exception>
    public static DimseCommand Decode(ReadOnlySpan<byte> data)
    {
        var c = new DimseCommand();
        int pos = 0;
        while (pos < data.Length)
        {
            if (data.Length - pos < 8) throw new DicomProtocolException($"command set: element header at byte {pos} of the command is cut off");
            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[(pos + 4)..]);
            if (group != 0x0000) throw new DicomProtocolException($"command set: element ({group:X4},{element:X4}) at byte {pos} of the command is outside group 0000");
            if (length > (uint)(data.Length - pos - 8))
                throw new DicomProtocolException($"command set: element (0000,{element:X4}) at byte {pos} declares {length} bytes but only {data.Length - pos - 8} remain");
            if (element != 0x0000) c._elements[element] = data.Slice(pos + 8, (int)length).ToArray();
            pos += 8 + (int)length;
        }
        if (!c.Contains(0x0100)) throw new DicomProtocolException("command set has no Command Field (0000,0100)");
        return c;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{CommandField} id {(Contains(0x0110) ? MessageId : MessageIdBeingRespondedTo)}";
}
