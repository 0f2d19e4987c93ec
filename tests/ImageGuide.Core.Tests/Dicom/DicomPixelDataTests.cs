using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Dicom;

/// <summary>Native and encapsulated pixel data: value conversion, bit packing, fragment-to-frame mapping.</summary>
[TestFixture]
public sealed class DicomPixelDataTests
{
    private const string TestSyntax = "1.2.826.0.1.3680043.9999.1"; // a private "compressed" syntax for the copying codec

    /// <summary>A codec that copies the encoded frame (zero-padded) so tests can see which fragments a frame got.</summary>
    private sealed class CopyCodec : IDicomCodec
    {
        public IReadOnlyList<string> TransferSyntaxUids => [TestSyntax];

        public string Name => "copy";

        public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
        {
            if (encodedFrame.Length > destination.Length) throw new DicomCodecException("frame too long", destination.Length);
            destination.Clear();
            encodedFrame.CopyTo(destination);
        }
    }

    private static DicomReadOptions CopyOptions()
    {
        var registry = new DicomCodecRegistry();
        registry.Register(new CopyCodec());
        return new DicomReadOptions { Codecs = registry };
    }

    private static DicomStreamBuilder Image(int rows, int columns, int bitsAllocated, int bitsStored, int highBit, int representation, int frames)
    {
        var b = new DicomStreamBuilder();
        b.UInt16(0x0028, 0x0002, 1).Text(0x0028, 0x0004, "CS", "MONOCHROME2")
            .Text(0x0028, 0x0008, "IS", frames.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UInt16(0x0028, 0x0010, (ushort)rows).UInt16(0x0028, 0x0011, (ushort)columns)
            .UInt16(0x0028, 0x0100, (ushort)bitsAllocated).UInt16(0x0028, 0x0101, (ushort)bitsStored)
            .UInt16(0x0028, 0x0102, (ushort)highBit).UInt16(0x0028, 0x0103, (ushort)representation);
        return b;
    }

    private static byte[] Words(params ushort[] values) => values.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) }).ToArray();

    [Test]
    public void StoredValuesAreMaskedAndSignExtendedRawValuesAreNot()
    {
        byte[] data = Image(2, 2, 16, 12, 11, 1, 1).Element(0x7FE0, 0x0010, "OW", Words(0x0FFF, 0xF800, 0x1001, 0x0800)).ToArray();
        DicomPixelData pd = DicomFile.Read(data, "s.dcm").GetPixelData();
        var stored = new int[4];
        pd.DecodeFrameStoredValues(0, stored);
        Assert.That(stored, Is.EqualTo(new[] { -1, -2048, 1, -2048 }));
        var raw = new long[4];
        pd.DecodeFrameRawValues(0, raw);
        Assert.That(raw, Is.EqualTo(new long[] { 4095, -2048, 4097, 2048 }));
    }

    [Test]
    public void StoredValuesAreShiftedToTheHighBit()
    {
        byte[] data = Image(1, 2, 16, 12, 15, 0, 1).Element(0x7FE0, 0x0010, "OW", Words(0x0010, 0xFFF0)).ToArray();
        DicomPixelData pd = DicomFile.Read(data, "h.dcm").GetPixelData();
        var stored = new int[2];
        pd.DecodeFrameStoredValues(0, stored);
        Assert.That(stored, Is.EqualTo(new[] { 1, 4095 }));
        var raw = new long[2];
        pd.DecodeFrameRawValues(0, raw);
        Assert.That(raw, Is.EqualTo(new long[] { 16, 65520 }));
    }

    [Test]
    public void OneBitFramesThatDoNotStartOnAByteBoundary()
    {
        int[] frame0 = [1, 0, 1, 0, 0, 0, 0, 0, 1];
        int[] frame1 = [0, 1, 1, 1, 1, 1, 1, 1, 0];
        int[] bits = [.. frame0, .. frame1];
        byte[] packed = new byte[4]; // 18 bits → 3 bytes, padded to even length
        for (int i = 0; i < bits.Length; i++) packed[i / 8] |= (byte)(bits[i] << (i % 8));
        byte[] data = Image(3, 3, 1, 1, 0, 0, 2).Element(0x7FE0, 0x0010, "OB", packed).ToArray();
        DicomPixelData pd = DicomFile.Read(data, "b.dcm").GetPixelData();
        Assert.That(pd.FrameSizeBytes, Is.EqualTo(2));
        var raw = new long[9];
        pd.DecodeFrameRawValues(1, raw);
        Assert.That(raw, Is.EqualTo(frame1.Select(v => (long)v).ToArray()));
        var stored = new int[9];
        pd.DecodeFrameStoredValues(0, stored);
        Assert.That(stored, Is.EqualTo(frame0));
        var native = new byte[2];
        pd.DecodeFrame(1, native);
        Assert.That(native, Is.EqualTo(new byte[] { 0xFE, 0x00 }), "frame 1 re-packed from bit 0");
    }

    [Test]
    public void TooShortNativePixelDataIsRefused()
    {
        byte[] data = Image(4, 4, 16, 16, 15, 0, 2).Element(0x7FE0, 0x0010, "OW", new byte[40]).ToArray();
        var ex = Assert.Throws<DicomException>(() => DicomFile.Read(data, "short.dcm").GetPixelData())!;
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.PixelData));
        Assert.That(ex.Message, Does.Contain("holds 40 bytes but 2 frame(s) of 4×4×1 samples at 16 bits need 64"));
    }

    [TestCase("1A")]
    [TestCase("-3")]
    public void BadNumberOfFramesIsRefused(string frames)
    {
        byte[] data = new DicomStreamBuilder().Text(0x0028, 0x0008, "IS", frames).UInt16(0x0028, 0x0010, 1)
            .UInt16(0x0028, 0x0011, 1).UInt16(0x0028, 0x0100, 8).Element(0x7FE0, 0x0010, "OB", [0, 0]).ToArray();
        var ex = Assert.Throws<DicomException>(() => DicomFile.Read(data, "f.dcm").GetPixelData())!;
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.NumberOfFrames));
    }

    [Test]
    public void MissingImagePixelModuleIsRefused()
    {
        byte[] data = new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1).Element(0x7FE0, 0x0010, "OB", [0, 0]).ToArray();
        var ex = Assert.Throws<DicomException>(() => DicomFile.Read(data, "m.dcm").GetPixelData())!;
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.Columns));
        Assert.That(() => DicomFile.Read(new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1).ToArray(), "n.dcm").GetPixelData(),
            Throws.TypeOf<DicomException>().With.Message.Contains("no Pixel Data"));
    }

    private static DicomFile Encapsulated(int frames, byte[] bot, byte[][] fragments, Action<DicomStreamBuilder>? extra = null)
    {
        DicomStreamBuilder b = Image(2, 3, 8, 8, 7, 0, frames);
        extra?.Invoke(b);
        byte[] dataset = b.Encapsulated(bot, fragments).ToArray();
        return DicomFile.Read(DicomStreamBuilder.Part10(dataset, TestSyntax), "e.dcm", CopyOptions());
    }

    private static byte[] Frame(DicomPixelData pd, int frame)
    {
        var bytes = new byte[6];
        pd.DecodeFrame(frame, bytes);
        return bytes;
    }

    [Test]
    public void BasicOffsetTableGroupsFragmentsIntoFrames()
    {
        // Items: A at offset 0 (8 + 2 bytes), B at 10 (8 + 2), C at 20. BOT says frame 1 starts at C.
        DicomFile file = Encapsulated(2, Words(0, 0, 20, 0), [[1, 2], [3, 4], [5, 6, 7, 8]]);
        DicomPixelData pd = file.GetPixelData();
        Assert.That(pd.IsEncapsulated, Is.True);
        Assert.That(Frame(pd, 0), Is.EqualTo(new byte[] { 1, 2, 3, 4, 0, 0 }));
        Assert.That(Frame(pd, 1), Is.EqualTo(new byte[] { 5, 6, 7, 8, 0, 0 }));
    }

    [Test]
    public void OneFragmentPerFrameWithoutOffsetTable()
    {
        DicomPixelData pd = Encapsulated(2, [], [[1, 2], [3, 4]]).GetPixelData();
        Assert.That(Frame(pd, 1), Is.EqualTo(new byte[] { 3, 4, 0, 0, 0, 0 }));
    }

    [Test]
    public void SingleFrameTakesEveryFragment()
    {
        DicomPixelData pd = Encapsulated(1, [], [[1, 2], [3, 4], [5, 6]]).GetPixelData();
        Assert.That(Frame(pd, 0), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public void ExtendedOffsetTableWins()
    {
        // Fragment 0 item at 0 (8 + 4 bytes), fragment 1 item at 12; the EOT puts frame 0 in fragment 1.
        byte[] eot = new byte[16];
        BitConverter.TryWriteBytes(eot.AsSpan(0), 12UL);
        BitConverter.TryWriteBytes(eot.AsSpan(8), 0UL);
        DicomPixelData pd = Encapsulated(2, [], [[1, 1, 1, 1], [2, 2, 2, 2]],
            b => b.Element(0x7FE0, 0x0001, "OV", eot).Element(0x7FE0, 0x0002, "OV", new byte[16])).GetPixelData();
        Assert.That(Frame(pd, 0), Is.EqualTo(new byte[] { 2, 2, 2, 2, 0, 0 }));
        Assert.That(Frame(pd, 1), Is.EqualTo(new byte[] { 1, 1, 1, 1, 0, 0 }));
    }

    [Test]
    public void CodestreamStartsSplitFragmentsWhenNothingElseCan()
    {
        DicomPixelData pd = Encapsulated(2, [], [[0xFF, 0xD8, 1, 2], [3, 4], [0xFF, 0xD8, 5, 6]]).GetPixelData();
        Assert.That(Frame(pd, 0), Is.EqualTo(new byte[] { 0xFF, 0xD8, 1, 2, 3, 4 }));
        Assert.That(Frame(pd, 1), Is.EqualTo(new byte[] { 0xFF, 0xD8, 5, 6, 0, 0 }));
    }

    [Test]
    public void UnassignableFragmentsAreRefused()
    {
        DicomPixelData pd = Encapsulated(2, [], [[1], [2], [3]]).GetPixelData();
        var ex = Assert.Throws<DicomException>(() => Frame(pd, 0))!;
        Assert.That(ex.Message, Does.Contain("holds 3 fragments for 2 frames with no offset table"));
    }

    [Test]
    public void CodecErrorsNameTheFileAndTag()
    {
        DicomPixelData pd = Encapsulated(1, [], [new byte[7]]).GetPixelData();
        var ex = Assert.Throws<DicomException>(() => Frame(pd, 0))!;
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.PixelData));
        Assert.That(ex.Message, Does.StartWith("e.dcm: frame 0 of the copy pixel data cannot be decoded: frame too long"));
        Assert.That(ex.InnerException, Is.TypeOf<DicomCodecException>());
    }

    [Test]
    public void UnknownSyntaxIsUnsupported()
    {
        byte[] dataset = Image(2, 3, 8, 8, 7, 0, 1).Encapsulated([], [1, 2]).ToArray();
        DicomFile file = DicomFile.Read(DicomStreamBuilder.Part10(dataset, TestSyntax), "u.dcm");
        Assert.That(() => Frame(file.GetPixelData(), 0),
            Throws.TypeOf<UnsupportedTransferSyntaxException>().With.Property("TransferSyntaxUid").EqualTo(TestSyntax));
    }

    [Test]
    public void HeaderOnlyFileLoadsFragmentsFromDiskOnDemand()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            byte[] dataset = Image(2, 3, 8, 8, 7, 0, 2).Encapsulated(Words(0, 0, 20, 0), [1, 2], [3, 4], [5, 6, 7, 8]).ToArray();
            string path = Path.Combine(dir, "lazy.dcm");
            File.WriteAllBytes(path, DicomStreamBuilder.Part10(dataset, TestSyntax));
            DicomFile header = DicomFile.ReadHeader(path, CopyOptions());
            Assert.That(header.Dataset.TryGetElement(DicomTags.PixelData, out DicomElement? pixel), Is.True);
            Assert.That(pixel!.Fragments, Is.Empty, "the header scan stops before the fragments");
            DicomPixelData pd = header.GetPixelData();
            Assert.That(Frame(pd, 1), Is.EqualTo(new byte[] { 5, 6, 7, 8, 0, 0 }));
            Assert.That(Frame(pd, 0), Is.EqualTo(new byte[] { 1, 2, 3, 4, 0, 0 }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void FrameIndexAndDestinationAreChecked()
    {
        DicomPixelData pd = Encapsulated(1, [], [[1, 2]]).GetPixelData();
        Assert.That(() => pd.DecodeFrame(1, new byte[6]), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => pd.DecodeFrame(0, new byte[5]), Throws.ArgumentException);
        Assert.That(() => pd.DecodeFrameStoredValues(0, new int[5]), Throws.ArgumentException);
    }
}
