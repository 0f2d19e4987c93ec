using System.Buffers.Binary;
using System.Text;
using ImageGuide.Dicom.Network;

namespace ImageGuide.Tests.Network;

/// <summary>The PDU and command-set codecs against byte layouts written out by hand from PS3.8 §9.3 and PS3.7 §E.</summary>
public class PduCodecTests
{
    private static byte[] Item(byte type, byte[] value) => [type, 0, (byte)(value.Length >> 8), (byte)value.Length, .. value];

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>An A-ASSOCIATE-RQ body built field by field as PS3.8 Table 9-11 lays it out.</summary>
    private static byte[] HandBuiltRequestBody()
    {
        var body = new List<byte> { 0x00, 0x01, 0x00, 0x00 };             // protocol version 1, reserved
        body.AddRange(Ascii("STORESCP        "));                        // called AE, 16 bytes space padded
        body.AddRange(Ascii("MODALITY        "));                        // calling AE
        body.AddRange(new byte[32]);                                     // reserved
        body.AddRange(Item(0x10, Ascii("1.2.840.10008.3.1.1.1")));
        body.AddRange(Item(0x20, [3, 0, 0, 0, .. Item(0x30, Ascii("1.2.840.10008.5.1.4.1.1.2")),
            .. Item(0x40, Ascii("1.2.840.10008.1.2.1")), .. Item(0x40, Ascii("1.2.840.10008.1.2"))]));
        body.AddRange(Item(0x50, [.. Item(0x51, [0x00, 0x00, 0x40, 0x00]), .. Item(0x52, Ascii("1.2.3.4")),
            .. Item(0x54, [0, 25, .. Ascii("1.2.840.10008.5.1.4.1.1.2"), 0, 1]), .. Item(0x55, Ascii("HANDMADE"))]));
        return [.. body];
    }

    [Test]
    public void DecodesAHandBuiltAssociateRequest()
    {
        var rq = PduCodec.DecodeAssociate(PduType.AssociateRequest, HandBuiltRequestBody());
        Assert.That(rq.CalledAeTitle, Is.EqualTo("STORESCP"));
        Assert.That(rq.CallingAeTitle, Is.EqualTo("MODALITY"));
        Assert.That(rq.ApplicationContext, Is.EqualTo("1.2.840.10008.3.1.1.1"));
        Assert.That(rq.Proposals, Has.Count.EqualTo(1));
        Assert.That(rq.Proposals[0].Id, Is.EqualTo(3));
        Assert.That(rq.Proposals[0].AbstractSyntax, Is.EqualTo("1.2.840.10008.5.1.4.1.1.2"));
        Assert.That(rq.Proposals[0].TransferSyntaxes, Is.EqualTo(new[] { "1.2.840.10008.1.2.1", "1.2.840.10008.1.2" }));
        Assert.That(rq.MaxPduLength, Is.EqualTo(16384u));
        Assert.That(rq.ImplementationClassUid, Is.EqualTo("1.2.3.4"));
        Assert.That(rq.ImplementationVersionName, Is.EqualTo("HANDMADE"));
        Assert.That(rq.RoleSelections, Is.EqualTo(new[] { new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true) }));
    }

    [Test]
    public void EncodesTheSameBytesItDecodes()
    {
        byte[] body = HandBuiltRequestBody();
        var rq = PduCodec.DecodeAssociate(PduType.AssociateRequest, body);
        byte[] pdu = PduCodec.EncodeAssociateRequest(rq);
        Assert.That(pdu[0], Is.EqualTo(1));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(pdu.AsSpan(2)), Is.EqualTo((uint)body.Length));
        // the hand-built body puts the role selection before the version name, as the encoder does
        Assert.That(pdu[6..], Is.EqualTo(body));
    }

    [Test]
    public void AcceptRoundTripsAnswersAndMaxLength()
    {
        var ac = new AssociateParameters
        {
            CalledAeTitle = "A", CallingAeTitle = "B", MaxPduLength = 0,
            Answers = [new(1, PresentationContextResult.Acceptance, "1.2.840.10008.1.2"), new(3, PresentationContextResult.AbstractSyntaxNotSupported, "")],
        };
        byte[] pdu = PduCodec.EncodeAssociateAccept(ac);
        var back = PduCodec.DecodeAssociate(PduType.AssociateAccept, pdu.AsSpan(6));
        Assert.That(back.Answers, Is.EqualTo(ac.Answers));
        Assert.That(back.MaxPduLength, Is.EqualTo(0u));
        Assert.That(back.CalledAeTitle, Is.EqualTo("A"));
    }

    [Test]
    public void FixedLayoutPdusMatchPs38()
    {
        Assert.That(PduCodec.EncodeAssociateReject(AssociateReject.CalledAeNotRecognized), Is.EqualTo(new byte[] { 3, 0, 0, 0, 0, 4, 0, 1, 1, 7 }));
        Assert.That(PduCodec.EncodeReleaseRequest(), Is.EqualTo(new byte[] { 5, 0, 0, 0, 0, 4, 0, 0, 0, 0 }));
        Assert.That(PduCodec.EncodeReleaseResponse(), Is.EqualTo(new byte[] { 6, 0, 0, 0, 0, 4, 0, 0, 0, 0 }));
        Assert.That(PduCodec.EncodeAbort(2, 6), Is.EqualTo(new byte[] { 7, 0, 0, 0, 0, 4, 0, 0, 2, 6 }));
        Assert.That(PduCodec.DecodeReject([0, 2, 3, 2]).ToString(), Is.EqualTo("transient, service provider (presentation), local limit exceeded"));
    }

    [Test]
    public void MalformedAssociateRequestsAreTypedErrors()
    {
        byte[] good = HandBuiltRequestBody();
        // cut inside the user information item
        Assert.Throws<DicomProtocolException>(() => PduCodec.DecodeAssociate(PduType.AssociateRequest, good.AsSpan(0, good.Length - 3)));
        // shorter than the fixed part
        Assert.Throws<DicomProtocolException>(() => PduCodec.DecodeAssociate(PduType.AssociateRequest, good.AsSpan(0, 40)));
        // an item length pointing past the end
        byte[] bad = (byte[])good.Clone();
        bad[68 + 2] = 0xFF;
        var e = Assert.Throws<DicomProtocolException>(() => PduCodec.DecodeAssociate(PduType.AssociateRequest, bad))!;
        Assert.That(e.Message, Does.Contain("declares"));
        // even presentation context id
        byte[] even = (byte[])good.Clone();
        int pc = Array.IndexOf(even, (byte)0x20, 68);
        even[pc + 4] = 2;
        Assert.Throws<DicomProtocolException>(() => PduCodec.DecodeAssociate(PduType.AssociateRequest, even));
        // no application context
        byte[] noContext = [.. good.AsSpan(0, 68), .. good.AsSpan(68 + 4 + 21)];
        Assert.Throws<DicomProtocolException>(() => PduCodec.DecodeAssociate(PduType.AssociateRequest, noContext));
    }

    [Test]
    public void EchoCommandMatchesHandComputedBytes()
    {
        var c = new DimseCommand { CommandField = DimseCommandField.CEchoRequest, MessageId = 7, AffectedSopClassUid = "1.2.840.10008.1.1", DatasetType = DimseCommand.NoDataset };
        byte[] expected =
        [
            0, 0, 0, 0, 4, 0, 0, 0, 56, 0, 0, 0,                                         // (0000,0000) UL 4 = 56
            0, 0, 2, 0, 18, 0, 0, 0, .. Ascii("1.2.840.10008.1.1"), 0,                 // (0000,0002) UI, NUL padded
            0, 0, 0, 1, 2, 0, 0, 0, 0x30, 0,                                           // (0000,0100) C-ECHO-RQ
            0, 0, 0x10, 1, 2, 0, 0, 0, 7, 0,                                           // (0000,0110) message id 7
            0, 0, 0, 8, 2, 0, 0, 0, 1, 1,                                              // (0000,0800) 0x0101 no data set
        ];
        Assert.That(c.Encode(), Is.EqualTo(expected));
        var back = DimseCommand.Decode(expected);
        Assert.That(back.CommandField, Is.EqualTo(DimseCommandField.CEchoRequest));
        Assert.That(back.MessageId, Is.EqualTo(7));
        Assert.That(back.AffectedSopClassUid, Is.EqualTo("1.2.840.10008.1.1"));
        Assert.That(back.HasDataset, Is.False);
        Assert.Throws<DicomProtocolException>(() => DimseCommand.Decode(expected.AsSpan(0, expected.Length - 1)));
        Assert.Throws<DicomProtocolException>(() => DimseCommand.Decode([8, 0, 0x18, 0, 0, 0, 0, 0]));
    }

    [Test]
    public void PeerAddressesParseAndBadOnesAreRefused()
    {
        Assert.That(DicomPeer.Parse("PACS@127.0.0.1:4242"), Is.EqualTo(new DicomPeer("PACS", "127.0.0.1", 4242)));
        Assert.That(DicomPeer.Parse("NAV@[::1]:104"), Is.EqualTo(new DicomPeer("NAV", "::1", 104)));
        foreach (string bad in new[] { "PACS", "@h:1", "PACS@h", "PACS@h:0", "PACS@h:x", "TOOLONGAETITLE_XYZ@h:1", "A\\B@h:1" })
            Assert.Throws<ArgumentException>(() => DicomPeer.Parse(bad), bad);
    }
}
