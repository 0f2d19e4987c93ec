using System.Text;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Dicom;

/// <summary>Part 10 files, transfer syntaxes, files without meta, deflate, and header-only reading.</summary>
[TestFixture]
public sealed class DicomFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>A small image data set: 2×3 pixels, 16-bit signed, two frames, with a nested sequence.</summary>
    internal static byte[] ImageDataset(DicomStreamBuilder b, ushort[] pixels, int frames = 1)
    {
        byte[] pixelBytes = new byte[pixels.Length * 2];
        for (int i = 0; i < pixels.Length; i++)
        {
            ushort v = pixels[i];
            if (b.LittleEndian) { pixelBytes[2 * i] = (byte)v; pixelBytes[2 * i + 1] = (byte)(v >> 8); }
            else { pixelBytes[2 * i] = (byte)(v >> 8); pixelBytes[2 * i + 1] = (byte)v; }
        }
        byte[] item = b.Nested().Text(0x0020, 0x0032, "DS", "-1.5\\2\\3.25").ToArray();
        return b.Text(0x0008, 0x0005, "CS", "ISO_IR 100")
            .Text(0x0008, 0x0060, "CS", "CT")
            .Text(0x0010, 0x0010, "PN", "M\u00fcller^J\u00f6rg")
            .Text(0x0020, 0x0013, "IS", "7")
            .Text(0x0020, 0x0032, "DS", "1\\2\\-3.5")
            .UInt16(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
            .Text(0x0028, 0x0008, "IS", frames.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UInt16(0x0028, 0x0010, 2)
            .UInt16(0x0028, 0x0011, 3)
            .UInt16(0x0028, 0x0100, 16)
            .UInt16(0x0028, 0x0101, 16)
            .UInt16(0x0028, 0x0102, 15)
            .UInt16(0x0028, 0x0103, 1)
            .Sequence(0x5200, 0x9229, true, false, item)
            .Element(0x7FE0, 0x0010, "OW", pixelBytes)
            .ToArray();
    }

    private static readonly ushort[] Pixels = [0, 1, 0xFFFF, 0x8000, 0x7FFF, 1234, 5, 6, 7, 8, 9, 0xFFFE];

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void CheckImage(DicomFile file)
    {
        DicomDataset ds = file.Dataset;
        Assert.That(ds.GetString(DicomTags.Modality), Is.EqualTo("CT"));
        Assert.That(ds.GetString(DicomTags.PatientName), Is.EqualTo("M\u00fcller^J\u00f6rg"));
        Assert.That(ds.GetInt(DicomTags.InstanceNumber), Is.EqualTo(7));
        Assert.That(ds.TryGetDoubles(DicomTags.ImagePositionPatient, out double[]? ipp), Is.True);
        Assert.That(ipp, Is.EqualTo(new[] { 1.0, 2.0, -3.5 }));
        Assert.That(ds.GetUInt16(DicomTags.Columns), Is.EqualTo(3));
        Assert.That(ds.TryGetSequence(DicomTags.SharedFunctionalGroupsSequence, out var items), Is.True);
        Assert.That(items![0].TryGetDoubles(DicomTags.ImagePositionPatient, out double[]? inner), Is.True);
        Assert.That(inner, Is.EqualTo(new[] { -1.5, 2.0, 3.25 }));

        DicomPixelData pd = file.GetPixelData();
        Assert.That(pd.NumberOfFrames, Is.EqualTo(2));
        var values = new int[6];
        pd.DecodeFrameStoredValues(1, values);
        Assert.That(values, Is.EqualTo(new[] { 5, 6, 7, 8, 9, -2 }));
        pd.DecodeFrameStoredValues(0, values);
        Assert.That(values, Is.EqualTo(new[] { 0, 1, -1, -32768, 32767, 1234 }));
        var bytes = new byte[12];
        pd.DecodeFrame(0, bytes);
        Assert.That(bytes, Is.EqualTo(new byte[] { 0, 0, 1, 0, 0xFF, 0xFF, 0, 0x80, 0xFF, 0x7F, 0xD2, 0x04 }), "native little endian");
    }

    [TestCase(TransferSyntaxNames.ExplicitVRLittleEndian, true, true)]
    [TestCase(TransferSyntaxNames.ImplicitVRLittleEndian, false, true)]
    [TestCase(TransferSyntaxNames.ExplicitVRBigEndian, true, false)]
    public void Part10InEachNativeSyntax(string ts, bool explicitVr, bool little)
    {
        byte[] dataset = ImageDataset(new DicomStreamBuilder(explicitVr, little), Pixels, frames: 2);
        string path = Write("a.dcm", DicomStreamBuilder.Part10(dataset, ts));
        foreach (DicomFile file in new[] { DicomFile.Read(path), DicomFile.ReadHeader(path) })
        {
            Assert.That(file.HasPreamble, Is.True);
            Assert.That(file.TransferSyntaxUid, Is.EqualTo(ts));
            Assert.That(file.IsTransferSyntaxInferred, Is.False);
            Assert.That(file.FileMetaInformation.GetString(DicomTags.MediaStorageSopInstanceUid), Is.EqualTo("1.2.3.4"));
            CheckImage(file);
        }
    }

    [Test]
    public void DeflatedExplicitLittleEndian()
    {
        byte[] dataset = ImageDataset(new DicomStreamBuilder(), Pixels, frames: 2);
        byte[] bytes = DicomStreamBuilder.Part10(DicomStreamBuilder.Deflate(dataset), TransferSyntaxNames.DeflatedExplicitVRLittleEndian);
        string path = Write("d.dcm", bytes);
        foreach (DicomFile file in new[] { DicomFile.Read(path), DicomFile.ReadHeader(path) })
        {
            Assert.That(file.TransferSyntaxUid, Is.EqualTo(TransferSyntaxNames.DeflatedExplicitVRLittleEndian));
            CheckImage(file);
        }
    }

    [Test]
    public void DecompressionBombIsRefused()
    {
        byte[] dataset = new DicomStreamBuilder().Element(0x0009, 0x1001, "OB", new byte[4 << 20]).ToArray();
        byte[] bytes = DicomStreamBuilder.Part10(DicomStreamBuilder.Deflate(dataset), TransferSyntaxNames.DeflatedExplicitVRLittleEndian);
        Assert.That(bytes.Length, Is.LessThan(64 << 10), "4 MiB of zeros deflates to a few KiB");
        var ex = Assert.Throws<DicomException>(() => DicomFile.Read(bytes, "bomb.dcm", new DicomReadOptions { MaxInflatedBytes = 1 << 20 }))!;
        Assert.That(ex.Message, Does.Contain("inflates to more than 1048576 bytes").And.Contain("decompression bomb"));
        Assert.That(DicomFile.Read(bytes, "bomb.dcm").Dataset.Contains(new DicomTag(0x0009, 0x1001)), Is.True,
            "the default limit (64 × file size + 16 MiB) admits it");
    }

    [Test]
    public void CorruptDeflateStream()
    {
        byte[] bytes = DicomStreamBuilder.Part10([0xFF, 0xFF, 0xFF, 0xFF, 0x12, 0x34], TransferSyntaxNames.DeflatedExplicitVRLittleEndian);
        Assert.That(() => DicomFile.Read(bytes, "bad.dcm"), Throws.TypeOf<DicomException>().With.Message.Contains("not valid deflate data"));
    }

    [TestCase(true, true, TransferSyntaxNames.ExplicitVRLittleEndian)]
    [TestCase(false, true, TransferSyntaxNames.ImplicitVRLittleEndian)]
    [TestCase(true, false, TransferSyntaxNames.ExplicitVRBigEndian)]
    public void BareDatasetWithoutPreambleOrMetaIsGuessed(bool explicitVr, bool little, string expected)
    {
        byte[] dataset = ImageDataset(new DicomStreamBuilder(explicitVr, little), Pixels, frames: 2);
        DicomFile file = DicomFile.Read(dataset, "bare.dcm");
        Assert.That(file.HasPreamble, Is.False);
        Assert.That(file.FileMetaInformation.Count, Is.EqualTo(0));
        Assert.That(file.IsTransferSyntaxInferred, Is.True);
        Assert.That(file.TransferSyntaxUid, Is.EqualTo(expected));
        CheckImage(file);
    }

    [Test]
    public void MetaWithoutTransferSyntaxIsGuessed()
    {
        byte[] dataset = ImageDataset(new DicomStreamBuilder(explicitVr: false), Pixels, frames: 2);
        DicomFile file = DicomFile.Read(DicomStreamBuilder.Part10(dataset, transferSyntax: null), "nots.dcm");
        Assert.That(file.IsTransferSyntaxInferred, Is.True);
        Assert.That(file.TransferSyntaxUid, Is.EqualTo(TransferSyntaxNames.ImplicitVRLittleEndian));
        CheckImage(file);
    }

    [Test]
    public void HeaderScanDoesNotNeedThePixelBytes()
    {
        // The pixel data is cut short: the header scan succeeds, the full read and the pixel access fail.
        byte[] dataset = ImageDataset(new DicomStreamBuilder(), Pixels, frames: 2);
        byte[] bytes = DicomStreamBuilder.Part10(dataset, TransferSyntaxNames.ExplicitVRLittleEndian);
        string path = Write("cut.dcm", bytes[..^10]);
        Assert.That(() => DicomFile.Read(path), Throws.TypeOf<DicomException>().With.Property("Tag").EqualTo(DicomTags.PixelData));
        Assert.That(DicomFile.TryReadHeader(path, out DicomFile? header, out string? reason), Is.True, reason);
        Assert.That(header!.IsHeaderOnly, Is.True);
        Assert.That(header.Dataset.TryGetElement(DicomTags.PixelData, out DicomElement? pixel), Is.True);
        Assert.That(pixel!.Length, Is.EqualTo(24u));
        Assert.That(pixel.ValueOffset, Is.EqualTo(bytes.Length - 24));
        var ex = Assert.Throws<DicomException>(() => header.GetPixelData())!;
        Assert.That(ex.Message, Does.Contain("needs 24 bytes but the file ends after 14"));
    }

    [Test]
    public void HeaderScanOfALongHeaderGrowsItsBuffer()
    {
        var b = new DicomStreamBuilder();
        b.Element(0x0009, 0x1001, "OB", new byte[100_000]);
        byte[] dataset = ImageDataset(b, Pixels, frames: 2);
        string path = Write("long.dcm", DicomStreamBuilder.Part10(dataset, TransferSyntaxNames.ExplicitVRLittleEndian));
        CheckImage(DicomFile.ReadHeader(path));
    }

    [Test]
    public void TryReadHeaderReportsWhyInsteadOfThrowing()
    {
        Assert.That(DicomFile.TryReadHeader(Path.Combine(_dir, "missing.dcm"), out _, out string? reason), Is.False);
        Assert.That(reason, Is.Not.Empty);
        string path = Write("junk.dcm", DicomStreamBuilder.Part10(new DicomStreamBuilder().Header(0x0010, 0x0010, "PN", 300).ToArray(), TransferSyntaxNames.ExplicitVRLittleEndian));
        Assert.That(DicomFile.TryReadHeader(path, out DicomFile? file, out reason), Is.False);
        Assert.That(file, Is.Null);
        Assert.That(reason, Does.StartWith("junk.dcm: element (0010,0010)"));
    }
}
