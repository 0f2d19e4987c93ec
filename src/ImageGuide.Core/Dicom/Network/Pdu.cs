using System.Buffers.Binary;
using System.Text;

namespace ImageGuide.Dicom.Network;

/// <summary>Upper-layer PDU types (PS3.8 §9.3).</summary>
public enum PduType : byte
{
    /// <summary>A-ASSOCIATE-RQ.</summary>
    AssociateRequest = 0x01,
    /// <summary>A-ASSOCIATE-AC.</summary>
    AssociateAccept = 0x02,
    /// <summary>A-ASSOCIATE-RJ.</summary>
    AssociateReject = 0x03,
    /// <summary>P-DATA-TF.</summary>
    Data = 0x04,
    /// <summary>A-RELEASE-RQ.</summary>
    ReleaseRequest = 0x05,
    /// <summary>A-RELEASE-RP.</summary>
    ReleaseResponse = 0x06,
    /// <summary>A-ABORT.</summary>
    Abort = 0x07,
}

/// <summary>Result of one proposed presentation context in an A-ASSOCIATE-AC (PS3.8 §9.3.3.2).</summary>
public enum PresentationContextResult : byte
{
    /// <summary>Accepted, with the transfer syntax named.</summary>
    Acceptance = 0,
    /// <summary>User rejection.</summary>
    UserRejection = 1,
    /// <summary>Provider rejection, no reason given.</summary>
    NoReason = 2,
    /// <summary>The abstract syntax (SOP class) is not supported.</summary>
    AbstractSyntaxNotSupported = 3,
    /// <summary>None of the proposed transfer syntaxes is supported.</summary>
    TransferSyntaxesNotSupported = 4,
}

/// <summary>A proposed presentation context: one abstract syntax with the transfer syntaxes offered for it.</summary>
/// <param name="Id">Odd number 1–255, unique within the association.</param>
/// <param name="AbstractSyntax">The SOP class UID.</param>
/// <param name="TransferSyntaxes">Transfer syntax UIDs, in the proposer's order of preference.</param>
public sealed record PresentationContextProposal(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>The acceptor's answer to one proposed presentation context.</summary>
/// <param name="Id">The proposal's id.</param>
/// <param name="Result">Accepted, or why not.</param>
/// <param name="TransferSyntax">The chosen transfer syntax (meaningful only when accepted).</param>
public sealed record PresentationContextAnswer(byte Id, PresentationContextResult Result, string TransferSyntax);

/// <summary>SCP/SCU role selection for one SOP class (PS3.7 §D.3.3.4), e.g. to receive C-STORE within a C-GET.</summary>
/// <param name="SopClassUid">The SOP class.</param>
/// <param name="ScuRole">The association requester may act as SCU.</param>
/// <param name="ScpRole">The association requester may act as SCP.</param>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>The fields of an A-ASSOCIATE-RQ or A-ASSOCIATE-AC PDU (PS3.8 §9.3.2–9.3.3).</summary>
public sealed record AssociateParameters
{
    /// <summary>The DICOM application context name (PS3.7 Annex A).</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>AE title of the acceptor (1–16 characters).</summary>
    public required string CalledAeTitle { get; init; }
    /// <summary>AE title of the requester (1–16 characters).</summary>
    public required string CallingAeTitle { get; init; }
    /// <summary>Application context name.</summary>
    public string ApplicationContext { get; init; } = DicomApplicationContext;
    /// <summary>Proposed contexts (A-ASSOCIATE-RQ).</summary>
    public IReadOnlyList<PresentationContextProposal> Proposals { get; init; } = [];
    /// <summary>Answers (A-ASSOCIATE-AC).</summary>
    public IReadOnlyList<PresentationContextAnswer> Answers { get; init; } = [];
    /// <summary>Largest P-DATA-TF PDU (its length field) the sender of this PDU can receive; 0 = unlimited.</summary>
    public uint MaxPduLength { get; init; }
    /// <summary>Implementation Class UID of the sender.</summary>
    public string ImplementationClassUid { get; init; } = DicomNetworkSettings.ImageGuideImplementationClassUid;
    /// <summary>Implementation Version Name of the sender (up to 16 characters), when given.</summary>
    public string? ImplementationVersionName { get; init; }
    /// <summary>SCP/SCU role selection items.</summary>
    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];
}

/// <summary>An A-ASSOCIATE-RJ's fields (PS3.8 §9.3.4, Table 9-21).</summary>
/// <param name="Result">1 rejected permanently, 2 rejected transiently.</param>
/// <param name="Source">1 service user, 2 service provider (ACSE), 3 service provider (presentation).</param>
/// <param name="Reason">Meaning depends on the source.</param>
public readonly record struct AssociateReject(byte Result, byte Source, byte Reason)
{
    /// <summary>Rejection by the service user because the called AE title is not recognised.</summary>
    public static AssociateReject CalledAeNotRecognized => new(1, 1, 7);
    /// <summary>Rejection by the service user because the calling AE title is not recognised.</summary>
    public static AssociateReject CallingAeNotRecognized => new(1, 1, 3);
    /// <summary>Rejection by the service user because the application context is not supported.</summary>
    public static AssociateReject ApplicationContextNotSupported => new(1, 1, 2);
    /// <summary>Rejection by the ACSE provider because the protocol version is not supported.</summary>
    public static AssociateReject ProtocolVersionNotSupported => new(1, 2, 2);
    /// <summary>Transient rejection by the presentation provider: local limit (associations) exceeded.</summary>
    public static AssociateReject LocalLimitExceeded => new(2, 3, 2);

    /// <inheritdoc/>
    public override string ToString()
    {
        string result = Result switch { 1 => "permanent", 2 => "transient", _ => $"result {Result}" };
        string text = (Source, Reason) switch
        {
            (1, 1) => "service user, no reason given",
            (1, 2) => "service user, application context name not supported",
            (1, 3) => "service user, calling AE title not recognized",
            (1, 7) => "service user, called AE title not recognized",
            (2, 1) => "service provider (ACSE), no reason given",
            (2, 2) => "service provider (ACSE), protocol version not supported",
            (3, 1) => "service provider (presentation), temporary congestion",
            (3, 2) => "service provider (presentation), local limit exceeded",
            _ => $"source {Source}, reason {Reason}",
        };
        return $"{result}, {text}";
    }
}

/// <summary>Encodes and decodes the association PDUs (PS3.8 §9.3). Decoding checks every length against the bytes left.</summary>
public static class PduCodec
{
    /// <summary>Length of the PDU header: type, reserved, 32-bit big-endian length.</summary>
    public const int HeaderLength = 6;

    /// <summary>A-ASSOCIATE-RQ PDU, header included.</summary>
    public static byte[] EncodeAssociateRequest(AssociateParameters p) => EncodeAssociate(PduType.AssociateRequest, p);

    /// <summary>A-ASSOCIATE-AC PDU, header included.</summary>
    public static byte[] EncodeAssociateAccept(AssociateParameters p) => EncodeAssociate(PduType.AssociateAccept, p);

    /// <summary>A-ASSOCIATE-RJ PDU.</summary>
    public static byte[] EncodeAssociateReject(AssociateReject r) => [3, 0, 0, 0, 0, 4, 0, r.Result, r.Source, r.Reason];

    /// <summary>A-RELEASE-RQ PDU.</summary>
    public static byte[] EncodeReleaseRequest() => [5, 0, 0, 0, 0, 4, 0, 0, 0, 0];

    /// <summary>A-RELEASE-RP PDU.</summary>
    public static byte[] EncodeReleaseResponse() => [6, 0, 0, 0, 0, 4, 0, 0, 0, 0];

    /// <summary>A-ABORT PDU: source 0 service user, 2 service provider; reason (provider only) 0–6 (PS3.8 Table 9-26).</summary>
    public static byte[] EncodeAbort(byte source, byte reason) => [7, 0, 0, 0, 0, 4, 0, 0, source, reason];

    private static byte[] EncodeAssociate(PduType type, AssociateParameters p)
    {
        var body = new MemoryStream();
        Span<byte> fixedPart = stackalloc byte[68];
        fixedPart.Clear();
        fixedPart[1] = 1; // protocol version 1
        AeBytes(p.CalledAeTitle, nameof(p.CalledAeTitle)).CopyTo(fixedPart[4..]);
        AeBytes(p.CallingAeTitle, nameof(p.CallingAeTitle)).CopyTo(fixedPart[20..]);
        body.Write(fixedPart);
        Item(body, 0x10, Ascii(p.ApplicationContext));
        if (type == PduType.AssociateRequest)
        {
            foreach (var pc in p.Proposals)
            {
                var sub = new MemoryStream();
                sub.Write([pc.Id, 0, 0, 0]);
                Item(sub, 0x30, Ascii(pc.AbstractSyntax));
                foreach (string ts in pc.TransferSyntaxes) Item(sub, 0x40, Ascii(ts));
                Item(body, 0x20, sub.ToArray());
            }
        }
        else
        {
            foreach (var a in p.Answers)
            {
                var sub = new MemoryStream();
                sub.Write([a.Id, 0, (byte)a.Result, 0]);
                Item(sub, 0x40, Ascii(a.Result == PresentationContextResult.Acceptance ? a.TransferSyntax : ""));
                Item(body, 0x21, sub.ToArray());
            }
        }
        var user = new MemoryStream();
        Span<byte> max = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(max, p.MaxPduLength);
        Item(user, 0x51, max.ToArray());
        Item(user, 0x52, Ascii(p.ImplementationClassUid));
        foreach (var r in p.RoleSelections)
        {
            byte[] uid = Ascii(r.SopClassUid);
            var item = new byte[2 + uid.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(item, (ushort)uid.Length);
            uid.CopyTo(item, 2);
            item[^2] = r.ScuRole ? (byte)1 : (byte)0;
            item[^1] = r.ScpRole ? (byte)1 : (byte)0;
            Item(user, 0x54, item);
        }
        if (!string.IsNullOrEmpty(p.ImplementationVersionName)) Item(user, 0x55, Ascii(p.ImplementationVersionName));
        Item(body, 0x50, user.ToArray());
        byte[] b = body.ToArray();
        var pdu = new byte[HeaderLength + b.Length];
        pdu[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)b.Length);
        b.CopyTo(pdu, HeaderLength);
        return pdu;
    }

    /// <summary>Decodes the body (after the 6-byte header) of an A-ASSOCIATE-RQ or -AC.</summary>
    /// <param name="type">Which of the two.</param>
    /// <param name="body">The PDU body.</param>
    /// <exception cref="DicomProtocolException">An item is truncated, inconsistent or missing.</exception>
    public static AssociateParameters DecodeAssociate(PduType type, ReadOnlySpan<byte> body)
    {
        string what = type == PduType.AssociateRequest ? "A-ASSOCIATE-RQ" : "A-ASSOCIATE-AC";
        if (body.Length < 68) throw new DicomProtocolException($"{what} is {body.Length} bytes long, shorter than its 68-byte fixed part", HeaderLength);
        ushort version = BinaryPrimitives.ReadUInt16BigEndian(body);
        if ((version & 1) == 0) throw new DicomProtocolException($"{what} declares protocol version 0x{version:X4}, without bit 0 (version 1) set", HeaderLength);
        string called = AeText(body.Slice(4, 16)), calling = AeText(body.Slice(20, 16));
        string? context = null, implUid = null, implVersion = null;
        uint maxPdu = 0;
        var proposals = new List<PresentationContextProposal>();
        var answers = new List<PresentationContextAnswer>();
        var roles = new List<RoleSelection>();
        int pos = 68;
        while (pos < body.Length)
        {
            byte itemType = NextItem(body, ref pos, what, out ReadOnlySpan<byte> value);
            int valueOffset = pos - value.Length + HeaderLength;
            switch (itemType)
            {
                case 0x10:
                    context = Text(value);
                    break;
                case 0x20 when type == PduType.AssociateRequest:
                {
                    if (value.Length < 4) throw new DicomProtocolException($"{what} presentation context item is {value.Length} bytes, shorter than 4", valueOffset);
                    byte id = value[0];
                    string? abstractSyntax = null;
                    var syntaxes = new List<string>();
                    int sp = 4;
                    while (sp < value.Length)
                    {
                        byte subType = NextItem(value, ref sp, what + $" presentation context {id}", out ReadOnlySpan<byte> subValue);
                        if (subType == 0x30) abstractSyntax = Text(subValue);
                        else if (subType == 0x40) syntaxes.Add(Text(subValue));
                    }
                    if (abstractSyntax is null || syntaxes.Count == 0)
                        throw new DicomProtocolException($"{what} presentation context {id} lacks its abstract syntax or transfer syntax sub-item", valueOffset);
                    if ((id & 1) == 0) throw new DicomProtocolException($"{what} presentation context id {id} is even; ids are odd (PS3.8 §9.3.2.2)", valueOffset);
                    if (proposals.Exists(x => x.Id == id)) throw new DicomProtocolException($"{what} proposes presentation context id {id} twice", valueOffset);
                    proposals.Add(new PresentationContextProposal(id, abstractSyntax, syntaxes));
                    break;
                }
                case 0x21 when type == PduType.AssociateAccept:
                {
                    if (value.Length < 4) throw new DicomProtocolException($"{what} presentation context item is {value.Length} bytes, shorter than 4", valueOffset);
                    byte id = value[0];
                    var result = (PresentationContextResult)value[2];
                    string ts = "";
                    int sp = 4;
                    while (sp < value.Length)
                    {
                        byte subType = NextItem(value, ref sp, what + $" presentation context {id}", out ReadOnlySpan<byte> subValue);
                        if (subType == 0x40) ts = Text(subValue);
                    }
                    if (result == PresentationContextResult.Acceptance && ts.Length == 0)
                        throw new DicomProtocolException($"{what} accepts presentation context {id} without naming a transfer syntax", valueOffset);
                    answers.Add(new PresentationContextAnswer(id, result, ts));
                    break;
                }
                case 0x50:
                {
                    int up = 0;
                    while (up < value.Length)
                    {
                        byte subType = NextItem(value, ref up, what + " user information", out ReadOnlySpan<byte> subValue);
                        switch (subType)
                        {
                            case 0x51:
                                if (subValue.Length != 4) throw new DicomProtocolException($"{what} maximum length sub-item is {subValue.Length} bytes, not 4", valueOffset);
                                maxPdu = BinaryPrimitives.ReadUInt32BigEndian(subValue);
                                break;
                            case 0x52: implUid = Text(subValue); break;
                            case 0x55: implVersion = Text(subValue); break;
                            case 0x54:
                            {
                                if (subValue.Length < 2) throw new DicomProtocolException($"{what} role selection sub-item is truncated", valueOffset);
                                int n = BinaryPrimitives.ReadUInt16BigEndian(subValue);
                                if (subValue.Length != 2 + n + 2) throw new DicomProtocolException($"{what} role selection sub-item declares a {n}-byte UID in {subValue.Length} bytes", valueOffset);
                                roles.Add(new RoleSelection(Text(subValue.Slice(2, n)), subValue[2 + n] == 1, subValue[3 + n] == 1));
                                break;
                            }
                        }
                    }
                    break;
                }
                // other items (and RQ/AC items in the wrong PDU) are ignored, as PS3.8 §9.3.1 asks of unknown items
            }
        }
        if (context is null) throw new DicomProtocolException($"{what} has no application context item", HeaderLength);
        return new AssociateParameters
        {
            CalledAeTitle = called, CallingAeTitle = calling, ApplicationContext = context,
            Proposals = proposals, Answers = answers, MaxPduLength = maxPdu,
            ImplementationClassUid = implUid ?? "", ImplementationVersionName = implVersion, RoleSelections = roles,
        };
    }

    /// <summary>Decodes an A-ASSOCIATE-RJ body.</summary>
    public static AssociateReject DecodeReject(ReadOnlySpan<byte> body) =>
        body.Length >= 4 ? new AssociateReject(body[1], body[2], body[3])
        : throw new DicomProtocolException($"A-ASSOCIATE-RJ is {body.Length} bytes long, not 4", HeaderLength);

    private static byte NextItem(ReadOnlySpan<byte> data, ref int pos, string what, out ReadOnlySpan<byte> value)
    {
        if (data.Length - pos < 4) throw new DicomProtocolException($"{what}: an item header at offset {pos} is cut off ({data.Length - pos} bytes left)");
        byte type = data[pos];
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
        if (data.Length - pos - 4 < length)
            throw new DicomProtocolException($"{what}: item 0x{type:X2} at offset {pos} declares {length} bytes but only {data.Length - pos - 4} remain");
        value = data.Slice(pos + 4, length);
        pos += 4 + length;
        return type;
    }

    private static void Item(Stream s, byte type, byte[] value)
    {
        if (value.Length > ushort.MaxValue) throw new ArgumentException($"item 0x{type:X2} is {value.Length} bytes, more than an item holds");
        s.Write([type, 0, (byte)(value.Length >> 8), (byte)value.Length]);
        s.Write(value);
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static string Text(ReadOnlySpan<byte> v) => Encoding.ASCII.GetString(v).TrimEnd('\0', ' ');

    private static string AeText(ReadOnlySpan<byte> v) => Encoding.ASCII.GetString(v).Trim(' ', '\0');

    private static byte[] AeBytes(string ae, string name)
    {
        DicomNetworkSettings.ValidateAeTitle(ae, name);
        var b = new byte[16];
        b.AsSpan().Fill((byte)' ');
        Encoding.ASCII.GetBytes(ae).CopyTo(b, 0);
        return b;
    }
}
