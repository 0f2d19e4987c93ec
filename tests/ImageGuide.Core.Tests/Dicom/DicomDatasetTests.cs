using System.Buffers.Binary;
using ImageGuide.Dicom;

namespace ImageGuide.Tests.Dicom;

/// <summary>Typed getters of <see cref="DicomDataset"/>.</summary>
[TestFixture]
public sealed class DicomDatasetTests
{
    private static DicomDataset Read(DicomStreamBuilder b) => DicomFile.Read(b.ToPart10(), "ds.dcm").Dataset;

    [Test]
    public void DecimalStringsToleratePaddingAndExponents()
    {
        DicomDataset ds = Read(new DicomStreamBuilder().Text(0x0028, 0x0030, "DS", " 0.5\\ -2e1 \\+3 "));
        Assert.That(ds.TryGetDoubles(DicomTags.PixelSpacing, out double[]? v), Is.True);
        Assert.That(v, Is.EqualTo(new[] { 0.5, -20.0, 3.0 }));
        Assert.That(ds.GetDouble(DicomTags.PixelSpacing), Is.EqualTo(0.5));
    }

    [Test]
    public void NonNumericTextIsNotANumber()
    {
        DicomDataset ds = Read(new DicomStreamBuilder().Text(0x0028, 0x0008, "IS", "1A").Text(0x0028, 0x1053, "DS", "1,5"));
        Assert.That(ds.TryGetInt(DicomTags.NumberOfFrames, out _), Is.False);
        Assert.That(ds.TryGetDouble(DicomTags.RescaleSlope, out _), Is.False, "a comma is not a decimal separator in DICOM");
        Assert.That(ds.GetString(DicomTags.NumberOfFrames), Is.EqualTo("1A"));
        var ex = Assert.Throws<DicomException>(() => ds.GetInt(DicomTags.NumberOfFrames))!;
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.NumberOfFrames));
        Assert.That(ex.Message, Does.StartWith("ds.dcm: element (0028,0008) does not hold an integer value"));
    }

    [TestCase("12", 12)]
    [TestCase(" +7 ", 7)]
    [TestCase("-3", -3)]
    [TestCase("4.0", 4)]
    [TestCase("4.5", null)]
    [TestCase("3000000000", null)]
    [TestCase("", null)]
    public void IntegerStrings(string text, int? expected)
    {
        DicomDataset ds = Read(new DicomStreamBuilder().Text(0x0020, 0x0013, "IS", text));
        Assert.That(ds.TryGetInt(DicomTags.InstanceNumber, out int value), Is.EqualTo(expected.HasValue));
        if (expected.HasValue) Assert.That(value, Is.EqualTo(expected.Value));
    }

    [Test]
    public void MissingElementsAreReportedByTag()
    {
        DicomDataset ds = Read(new DicomStreamBuilder().UInt16(0x0028, 0x0010, 4));
        Assert.That(ds.Contains(DicomTags.Columns), Is.False);
        Assert.That(ds.TryGetUInt16(DicomTags.Columns, out _), Is.False);
        var ex = Assert.Throws<DicomException>(() => ds.GetUInt16(DicomTags.Columns))!;
        Assert.That(ex.Message, Does.Contain("required element (0028,0011) is missing"));
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.Columns));
    }

    [Test]
    public void BinaryNumbersOfEveryWidth()
    {
        var b = new DicomStreamBuilder();
        b.Element(0x0018, 0x9001, "SS", [0xFE, 0xFF, 0x05, 0x00]);
        b.Element(0x0018, 0x9002, "UL", [0xFF, 0xFF, 0xFF, 0xFF]);
        b.Element(0x0018, 0x9003, "SL", [0xFE, 0xFF, 0xFF, 0xFF]);
        byte[] fl = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(fl, 2.5f);
        b.Element(0x0018, 0x9004, "FL", fl);
        byte[] fd = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(fd, -0.125);
        BinaryPrimitives.WriteDoubleLittleEndian(fd.AsSpan(8), 1e300);
        b.Element(0x0018, 0x9005, "FD", fd);
        DicomDataset ds = Read(b);
        Assert.That(ds.TryGetDoubles(new DicomTag(0x0018, 0x9001), out double[]? ss), Is.True);
        Assert.That(ss, Is.EqualTo(new[] { -2.0, 5.0 }));
        Assert.That(ds.GetInt(new DicomTag(0x0018, 0x9001)), Is.EqualTo(-2));
        Assert.That(ds.GetDouble(new DicomTag(0x0018, 0x9002)), Is.EqualTo(4294967295.0));
        Assert.That(ds.TryGetInt(new DicomTag(0x0018, 0x9002), out _), Is.False, "UL beyond Int32");
        Assert.That(ds.GetInt(new DicomTag(0x0018, 0x9003)), Is.EqualTo(-2));
        Assert.That(ds.GetDouble(new DicomTag(0x0018, 0x9004)), Is.EqualTo(2.5));
        Assert.That(ds.TryGetDoubles(new DicomTag(0x0018, 0x9005), out double[]? d), Is.True);
        Assert.That(d, Is.EqualTo(new[] { -0.125, 1e300 }));
        Assert.That(ds.TryGetInt(new DicomTag(0x0018, 0x9004), out _), Is.False, "floats are not integers");
        Assert.That(ds.TryGetUInt16(new DicomTag(0x0018, 0x9001), out _), Is.False, "-2 is not a UInt16");
    }

    [Test]
    public void BigEndianBinaryValuesAreNormalised()
    {
        var b = new DicomStreamBuilder(explicitVr: true, littleEndian: false);
        b.UInt16(0x0028, 0x0010, 0x0102, 0x0304);
        b.Element(0x0028, 0x0009, "AT", [0x00, 0x18, 0x10, 0x63]);
        DicomDataset ds = Read(b);
        Assert.That(ds.TryGetDoubles(DicomTags.Rows, out double[]? v), Is.True);
        Assert.That(v, Is.EqualTo(new[] { 258.0, 772.0 }));
        Assert.That(ds.TryGetElement(DicomTags.FrameIncrementPointer, out DicomElement? at), Is.True);
        Assert.That(at!.Value.ToArray(), Is.EqualTo(new byte[] { 0x18, 0x00, 0x63, 0x10 }), "AT as two little endian halves");
    }

    [Test]
    public void TextTrimmingFollowsTheVr()
    {
        var b = new DicomStreamBuilder();
        b.Text(0x0008, 0x0018, "UI", "1.2.3");           // NUL padded
        b.Text(0x0008, 0x0008, "CS", " ORIGINAL\\PRIMARY \\AXIAL");
        b.Text(0x0008, 0x2111, "ST", "  two  leading\\kept ");
        b.Element(0x0010, 0x0020, "LO", "   "u8.ToArray());
        DicomDataset ds = Read(b);
        Assert.That(ds.GetString(DicomTags.SopInstanceUid), Is.EqualTo("1.2.3"));
        Assert.That(ds.TryGetStrings(DicomTags.ImageType, out string[]? types), Is.True);
        Assert.That(types, Is.EqualTo(new[] { "ORIGINAL", "PRIMARY", "AXIAL" }));
        Assert.That(ds.GetString(DicomTags.ImageType), Is.EqualTo("ORIGINAL\\PRIMARY \\AXIAL"));
        Assert.That(ds.TryGetStrings(new DicomTag(0x0008, 0x2111), out string[]? st), Is.True);
        Assert.That(st, Is.EqualTo(new[] { "  two  leading\\kept" }), "ST keeps leading spaces and backslashes");
        Assert.That(ds.TryGetString(DicomTags.PatientId, out _), Is.False, "only padding means no value");
        Assert.That(ds.TryGetString(DicomTags.Rows, out _), Is.False, "absent");
    }

    [Test]
    public void SequencesAndElementsEnumerate()
    {
        var b = new DicomStreamBuilder();
        byte[] item = b.Nested().Text(0x0008, 0x1150, "UI", "1.2").ToArray();
        b.Sequence(0x0008, 0x1140, false, false, item, item).Sequence(0x0008, 0x1115, true, true).UInt16(0x0028, 0x0010, 2);
        DicomDataset ds = Read(b);
        Assert.That(ds.Elements.Select(e => e.Tag), Is.EqualTo(new[] { DicomTags.ReferencedImageSequence, DicomTags.ReferencedSeriesSequence, DicomTags.Rows }));
        Assert.That(ds.TryGetSequence(DicomTags.ReferencedImageSequence, out var items), Is.True);
        Assert.That(items!.Select(i => i.GetString(DicomTags.ReferencedSopClassUid)), Is.EqualTo(new[] { "1.2", "1.2" }));
        Assert.That(ds.TryGetSequence(DicomTags.ReferencedSeriesSequence, out var empty), Is.True);
        Assert.That(empty, Is.Empty);
        Assert.That(ds.TryGetSequence(DicomTags.Rows, out _), Is.False);
        Assert.That(ds.TryGetString(DicomTags.ReferencedImageSequence, out _), Is.False);
    }

    [Test]
    public void UnknownVrOfAKnownTagIsReadWithTheDictionaryVr()
    {
        DicomDataset ds = Read(new DicomStreamBuilder().Element(0x0028, 0x0010, "UN", [0x00, 0x02]).Element(0x0008, 0x0060, "UN", "MR"u8.ToArray()));
        Assert.That(ds.GetUInt16(DicomTags.Rows), Is.EqualTo(512));
        Assert.That(ds.GetString(DicomTags.Modality), Is.EqualTo("MR"));
    }

    [Test]
    public void TagAndVrBasics()
    {
        Assert.That(DicomTags.ImagePositionPatient.ToString(), Is.EqualTo("(0020,0032)"));
        Assert.That(new DicomTag(0x0029, 0x0010).IsPrivateCreator, Is.True);
        Assert.That(new DicomTag(0x0029, 0x1010).IsPrivateCreator, Is.False);
        Assert.That(DicomTag.FromValue(0x7FE00010), Is.EqualTo(DicomTags.PixelData));
        Assert.That(DicomTags.Rows < DicomTags.Columns, Is.True);
        Assert.That(DicomVR.TryParse("XX", out _), Is.False);
        Assert.That(DicomVR.FromBytes((byte)'Z', (byte)'Z').IsKnown, Is.False);
    }
}
