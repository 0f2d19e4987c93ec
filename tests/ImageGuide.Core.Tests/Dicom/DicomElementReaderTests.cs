using System.Text;
using ImageGuide.Dicom;

namespace ImageGuide.Tests.Dicom;

/// <summary>The span-based element reader on hand-built byte streams.</summary>
[TestFixture]
public sealed class DicomElementReaderTests
{
    /// <summary>Every token as "Type tag VR length [value as hex]" for comparing whole streams.</summary>
    internal static List<string> Tokens(byte[] data, bool explicitVr = true, bool littleEndian = true, long baseOffset = 0)
    {
        var reader = new DicomElementReader(data, explicitVr, littleEndian, baseOffset, "test.dcm");
        var tokens = new List<string>();
        while (reader.Read())
        {
            string text = reader.TokenType switch
            {
                DicomTokenType.Element => $"Element {reader.Tag} {reader.VR} {reader.Length} {Convert.ToHexString(reader.ValueSpan)}",
                DicomTokenType.Fragment => $"Fragment {reader.Length} {Convert.ToHexString(reader.ValueSpan)}",
                DicomTokenType.StartSequence => $"StartSequence {reader.Tag} depth {reader.CurrentDepth}",
                DicomTokenType.StartItem => $"StartItem depth {reader.CurrentDepth}",
                _ => $"{reader.TokenType} {reader.Tag}",
            };
            tokens.Add(text);
        }
        return tokens;
    }

    [TestCase("AE", false)] [TestCase("AS", false)] [TestCase("AT", false)] [TestCase("CS", false)]
    [TestCase("DA", false)] [TestCase("DS", false)] [TestCase("DT", false)] [TestCase("FD", false)]
    [TestCase("FL", false)] [TestCase("IS", false)] [TestCase("LO", false)] [TestCase("LT", false)]
    [TestCase("PN", false)] [TestCase("SH", false)] [TestCase("SL", false)] [TestCase("SS", false)]
    [TestCase("ST", false)] [TestCase("TM", false)] [TestCase("UI", false)] [TestCase("UL", false)]
    [TestCase("US", false)] [TestCase("OB", true)] [TestCase("OD", true)] [TestCase("OF", true)]
    [TestCase("OL", true)] [TestCase("OV", true)] [TestCase("OW", true)] [TestCase("SV", true)]
    [TestCase("UC", true)] [TestCase("UN", true)] [TestCase("UR", true)] [TestCase("UT", true)] [TestCase("UV", true)]
    public void ExplicitVrHeaderLengthMatchesVrClass(string vrCode, bool longLength)
    {
        Assert.That(DicomVR.TryParse(vrCode, out DicomVR vr), Is.True);
        Assert.That(vr.HasLongLength, Is.EqualTo(longLength));
        byte[] value = [1, 2, 3, 4, 5, 6, 7, 8];
        byte[] data = new DicomStreamBuilder().Element(0x0009, 0x1001, vrCode, value).Text(0x0010, 0x0010, "PN", "A^B").ToArray();
        var reader = new DicomElementReader(data, explicitVr: true, littleEndian: true);
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.VR, Is.EqualTo(vr));
        Assert.That(reader.Length, Is.EqualTo(8u));
        Assert.That(reader.ValueOffset, Is.EqualTo(longLength ? 12 : 8));
        Assert.That(reader.ValueSpan.ToArray(), Is.EqualTo(value));
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.Tag, Is.EqualTo(DicomTags.PatientName));
        Assert.That(reader.Read(), Is.False);
    }

    [Test]
    public void ImplicitVrTakesVrFromDictionary()
    {
        byte[] data = new DicomStreamBuilder(explicitVr: false)
            .Element(0x0028, 0x0000, "UL", [4, 0, 0, 0])
            .Element(0x0028, 0x0010, "US", [0, 2])
            .Element(0x0029, 0x0010, "LO", Encoding.ASCII.GetBytes("ACME"))
            .Element(0x0029, 0x1010, "UN", [9, 9])
            .Element(0x6002, 0x3000, "OW", [1, 2])
            .Element(0x0019, 0x0002, "UN", [7])
            .ToArray();
        Assert.That(Tokens(data, explicitVr: false), Is.EqualTo(new[]
        {
            "Element (0028,0000) UL 4 04000000",
            "Element (0028,0010) US 2 0002",
            "Element (0029,0010) LO 4 41434D45",
            "Element (0029,1010) UN 2 0909",
            "Element (6002,3000) OW 2 0102",
            "Element (0019,0002) UN 1 07",
        }));
    }

    [Test]
    public void BigEndianTagsAndLengths()
    {
        byte[] data = new DicomStreamBuilder(explicitVr: true, littleEndian: false)
            .UInt16(0x0028, 0x0010, 0x0102)
            .Element(0x7FE0, 0x0010, "OW", [0xAA, 0xBB, 0xCC, 0xDD])
            .ToArray();
        Assert.That(data[0..2], Is.EqualTo(new byte[] { 0x00, 0x28 }), "builder writes the group big endian");
        Assert.That(Tokens(data, littleEndian: false), Is.EqualTo(new[]
        {
            "Element (0028,0010) US 2 0102",
            "Element (7FE0,0010) OW 4 AABBCCDD",
        }));
    }

    [TestCase(true, true)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(false, false)]
    public void NestedSequencesOfEveryLengthKind(bool explicitVr, bool undefined)
    {
        var b = new DicomStreamBuilder(explicitVr);
        byte[] innerItem = b.Nested().Text(0x0020, 0x0032, "DS", "1\\2\\3").ToArray();
        byte[] outerItem = b.Nested()
            .Sequence(0x0020, 0x9113, undefined, !undefined, innerItem)
            .Text(0x0008, 0x1155, "UI", "1.2")
            .ToArray();
        byte[] data = b.Sequence(0x5200, 0x9230, !undefined, undefined, outerItem, b.Nested().ToArray())
            .UInt16(0x0028, 0x0010, 5)
            .ToArray();
        Assert.That(Tokens(data, explicitVr), Is.EqualTo(new[]
        {
            "StartSequence (5200,9230) depth 1",
            "StartItem depth 2",
            "StartSequence (0020,9113) depth 3",
            "StartItem depth 4",
            "Element (0020,0032) DS 6 315C325C3320",
            "EndItem (0020,9113)",
            "EndSequence (0020,9113)",
            "Element (0008,1155) UI 4 312E3200",
            "EndItem (5200,9230)",
            "StartItem depth 2",
            "EndItem (5200,9230)",
            "EndSequence (5200,9230)",
            "Element (0028,0010) US 2 0500",
        }));
    }

    [Test]
    public void SkipJumpsOverAWholeSequence()
    {
        var b = new DicomStreamBuilder();
        byte[] item = b.Nested().Sequence(0x0008, 0x1140, true, true, b.Nested().Text(0x0008, 0x1150, "UI", "1").ToArray()).ToArray();
        byte[] data = b.Sequence(0x0008, 0x1115, true, false, item).UInt16(0x0028, 0x0011, 7).ToArray();
        var reader = new DicomElementReader(data, true, true);
        Assert.That(reader.Read() && reader.TokenType == DicomTokenType.StartSequence, Is.True);
        reader.Skip();
        Assert.That(reader.TokenType, Is.EqualTo(DicomTokenType.EndSequence));
        Assert.That(reader.CurrentDepth, Is.EqualTo(0));
        Assert.That(reader.Read(), Is.True);
        Assert.That(reader.Tag, Is.EqualTo(DicomTags.Columns));
    }

    [Test]
    public void UnknownVrOfUndefinedLengthIsReadAsImplicitLittleEndianSequence()
    {
        // Explicit VR big endian outside, UN inside: the UN value is always implicit VR little endian (PS3.5 6.2.2).
        var outer = new DicomStreamBuilder(explicitVr: true, littleEndian: false);
        byte[] implicitItem = new DicomStreamBuilder(explicitVr: false).UInt16(0x0028, 0x0010, 3).ToArray();
        byte[] unBody = new DicomStreamBuilder(explicitVr: false)
            .ItemTag(0xFFFE, 0xE000, (uint)implicitItem.Length).Bytes(implicitItem)
            .ItemTag(0xFFFE, 0xE0DD, 0).ToArray();
        byte[] data = outer.Header(0x0011, 0x1010, "UN", DicomStreamBuilder.Undefined).Bytes(unBody).UInt16(0x0028, 0x0011, 4).ToArray();
        Assert.That(Tokens(data, littleEndian: false), Is.EqualTo(new[]
        {
            "StartSequence (0011,1010) depth 1",
            "StartItem depth 2",
            "Element (0028,0010) US 2 0300",
            "EndItem (0011,1010)",
            "EndSequence (0011,1010)",
            "Element (0028,0011) US 2 0004",
        }));
    }

    [Test]
    public void PrivateSequenceInImplicitVrIsRecognisedByItsItemTag()
    {
        var b = new DicomStreamBuilder(explicitVr: false);
        byte[] item = b.Nested().Element(0x0029, 0x0010, "LO", Encoding.ASCII.GetBytes("ACME")).ToArray();
        byte[] body = b.Nested().ItemTag(0xFFFE, 0xE000, (uint)item.Length).Bytes(item).ToArray();
        byte[] data = b.Element(0x0029, 0x0010, "LO", Encoding.ASCII.GetBytes("ACME"))
            .Element(0x0029, 0x1001, "UN", body)
            .Element(0x0029, 0x1002, "UN", [1, 2, 3, 4])
            .ToArray();
        Assert.That(Tokens(data, explicitVr: false), Is.EqualTo(new[]
        {
            "Element (0029,0010) LO 4 41434D45",
            "StartSequence (0029,1001) depth 1",
            "StartItem depth 2",
            "Element (0029,0010) LO 4 41434D45",
            "EndItem (0029,1001)",
            "EndSequence (0029,1001)",
            "Element (0029,1002) UN 4 01020304",
        }));
    }

    [Test]
    public void OddLengthsAreAccepted()
    {
        byte[] data = new DicomStreamBuilder().Element(0x0010, 0x0010, "PN", Encoding.ASCII.GetBytes("ABC"))
            .UInt16(0x0028, 0x0010, 1).ToArray();
        Assert.That(Tokens(data), Is.EqualTo(new[] { "Element (0010,0010) PN 3 414243", "Element (0028,0010) US 2 0100" }));
    }

    [Test]
    public void UnknownLetterVrHasShortLengthAndNonLetterVrFallsBackToImplicit()
    {
        var b = new DicomStreamBuilder();
        b.Bytes(0x09, 0x00, 0x01, 0x10, (byte)'Z', (byte)'Z', 2, 0, 0xAB, 0xCD);                 // "ZZ": 2-byte length
        b.Bytes(0x28, 0x00, 0x10, 0x00, 2, 0, 0, 0, 0x00, 0x01);                                  // no VR: implicit element
        Assert.That(Tokens(b.ToArray()), Is.EqualTo(new[] { "Element (0009,1001) ZZ 2 ABCD", "Element (0028,0010) US 2 0001" }));
    }

    [Test]
    public void EncapsulatedPixelDataYieldsOffsetTableThenFragments()
    {
        byte[] data = new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1)
            .Encapsulated([0, 0, 0, 0], [1, 2, 3, 4], [5, 6])
            .ToArray();
        Assert.That(Tokens(data), Is.EqualTo(new[]
        {
            "Element (0028,0010) US 2 0100",
            "StartFragments (7FE0,0010)",
            "Fragment 4 00000000",
            "Fragment 4 01020304",
            "Fragment 2 0506",
            "EndFragments (7FE0,0010)",
        }));
    }

    [Test]
    public void OffsetsAreAbsolute()
    {
        byte[] data = new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1).UInt16(0x0028, 0x0011, 2).ToArray();
        var reader = new DicomElementReader(data, true, true, baseOffset: 1000);
        reader.Read();
        reader.Read();
        Assert.That(reader.TokenOffset, Is.EqualTo(1010));
        Assert.That(reader.ValueOffset, Is.EqualTo(1018));
    }
}
