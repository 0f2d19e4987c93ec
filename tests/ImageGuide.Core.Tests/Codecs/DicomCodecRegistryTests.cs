using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

[TestFixture]
public class DicomCodecRegistryTests
{
    [TestCase("1.2.840.10008.1.2.5", typeof(RleLosslessCodec))]
    [TestCase("1.2.840.10008.1.2.4.57", typeof(JpegLosslessCodec))]
    [TestCase("1.2.840.10008.1.2.4.70", typeof(JpegLosslessCodec))]
    [TestCase("1.2.840.10008.1.2.4.80", typeof(JpegLsCodec))]
    [TestCase("1.2.840.10008.1.2.4.81", typeof(JpegLsCodec))]
    [TestCase("1.2.840.10008.1.2.1.98", typeof(EncapsulatedUncompressedCodec))]
    [TestCase("1.2.840.10008.1.2.4.90", typeof(Jpeg2000Codec))]
    [TestCase("1.2.840.10008.1.2.4.91", typeof(Jpeg2000Codec))]
    public void Default_HasBuiltInCodecs(string uid, Type codecType)
    {
        var registry = DicomCodecRegistry.CreateDefault();
        Assert.That(registry.TryGetCodec(uid, out IDicomCodec? codec), Is.True);
        Assert.That(codec, Is.InstanceOf(codecType));
        Assert.That(registry.GetCodec(uid), Is.SameAs(codec));
        Assert.That(codec!.TransferSyntaxUids, Does.Contain(uid));
    }

    [Test]
    public void Default_DecodesThroughTheRegistry()
    {
        // 1×3 8-bit RLE: replicate run of 3 × 42.
        byte[] rle = new byte[66];
        rle[0] = 1;
        rle[4] = 64;
        rle[64] = 0xFE;
        rle[65] = 42;
        var format = NativeFrame.Format(1, 3, 1, 8, 8);
        var output = new byte[3];
        DicomCodecRegistry.CreateDefault().GetCodec(TransferSyntaxNames.RleLossless).DecodeFrame(rle, format, output);
        Assert.That(output, Is.EqualTo(new byte[] { 42, 42, 42 }));
    }

    [Test]
    public void UidPaddedWithNulOrSpace_IsFound()
    {
        var registry = DicomCodecRegistry.CreateDefault();
        Assert.That(registry.TryGetCodec("1.2.840.10008.1.2.5\0", out _), Is.True);
        Assert.That(registry.TryGetCodec("1.2.840.10008.1.2.4.70 ", out _), Is.True);
    }

    [TestCase("1.2.840.10008.1.2.4.55", "JPEG Full Progression")]
    [TestCase("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2")]
    [TestCase("1.2.840.10008.1.2.4.110", "JPEG XL")]
    [TestCase("1.2.840.10008.1.2.4.100", "MPEG2")]
    [TestCase("1.2.840.10008.1.2.4.102", "H.264")]
    [TestCase("1.2.840.10008.1.2.4.107", "HEVC/H.265")]
    public void KnownButUnsupportedSyntax_ThrowsWithUidNameAndWayOut(string uid, string namePart)
    {
        var registry = DicomCodecRegistry.CreateDefault();
        Assert.That(registry.TryGetCodec(uid, out _), Is.False);
        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => registry.GetCodec(uid));
        Assert.That(ex, Is.InstanceOf<UnsupportedFormatException>());
        Assert.That(ex!.TransferSyntaxUid, Is.EqualTo(uid));
        Assert.That(ex.TransferSyntaxName, Does.Contain(namePart));
        Assert.That(ex.Message, Does.Contain(uid).And.Contain(namePart).And.Contain("gdcmconv --raw").And.Contain("DicomCodecRegistry.Register"));
    }

    [Test]
    public void UnsupportedSyntaxMessage_ReadsAsDocumented()
    {
        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => DicomCodecRegistry.CreateDefault().GetCodec("1.2.840.10008.1.2.4.110"));
        Assert.That(ex!.Message, Does.StartWith(
            "Transfer syntax 1.2.840.10008.1.2.4.110 (JPEG XL Lossless) is not decoded by ImageGuide's built-in codecs. Convert the files to uncompressed first (gdcmconv --raw IN OUT"));
    }

    [TestCase("1.2.840.10008.1.2.4.201")]
    [TestCase("1.2.840.10008.1.2.4.202")]
    [TestCase("1.2.840.10008.1.2.4.203")]
    public void HighThroughputJpeg2000_IsBuiltIn(string uid) =>
        Assert.That(DicomCodecRegistry.CreateDefault().GetCodec(uid), Is.InstanceOf<HtJpeg2000Codec>());

    [TestCase("1.2.840.10008.1.2.4.50")]
    [TestCase("1.2.840.10008.1.2.4.51")]
    public void JpegBaselineAndExtended_AreBuiltIn(string uid) =>
        Assert.That(DicomCodecRegistry.CreateDefault().GetCodec(uid), Is.InstanceOf<JpegBaselineCodec>());

    [Test]
    public void UnknownUid_ThrowsGenericMessage()
    {
        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => DicomCodecRegistry.CreateDefault().GetCodec("1.2.3.4.5"));
        Assert.That(ex!.TransferSyntaxUid, Is.EqualTo("1.2.3.4.5"));
        Assert.That(ex.TransferSyntaxName, Is.EqualTo("unknown transfer syntax"));
        Assert.That(ex.Message, Does.Contain("1.2.3.4.5").And.Contain("(0002,0010)").And.Contain("gdcmconv"));
    }

    [Test]
    public void NativeSyntax_ThrowsSayingNoCodecIsNeeded()
    {
        var ex = Assert.Throws<UnsupportedTransferSyntaxException>(() => DicomCodecRegistry.CreateDefault().GetCodec("1.2.840.10008.1.2.1"));
        Assert.That(ex!.Message, Does.Contain("Explicit VR Little Endian").And.Contain("needs no codec"));
    }

    [Test]
    public void RegisteredCodec_OverridesBuiltInAndAddsSyntaxes()
    {
        var registry = DicomCodecRegistry.CreateDefault();
        var custom = new FakeCodec(TransferSyntaxNames.RleLossless, TransferSyntaxNames.JpegLsLossless);
        registry.Register(custom);
        Assert.That(registry.GetCodec(TransferSyntaxNames.RleLossless), Is.SameAs(custom));
        Assert.That(registry.GetCodec(TransferSyntaxNames.JpegLsLossless), Is.SameAs(custom));
        Assert.That(registry.GetCodec(TransferSyntaxNames.JpegLossless), Is.InstanceOf<JpegLosslessCodec>());
        Assert.That(registry.SupportedTransferSyntaxes, Does.Contain(TransferSyntaxNames.JpegLsLossless));
    }

    [Test]
    public void Registries_AreIndependent()
    {
        var a = DicomCodecRegistry.CreateDefault();
        var b = DicomCodecRegistry.CreateDefault();
        a.Register(new FakeCodec("1.2.840.10008.1.2.4.110"));
        Assert.That(b.TryGetCodec("1.2.840.10008.1.2.4.110", out _), Is.False);
        Assert.That(new DicomCodecRegistry().SupportedTransferSyntaxes, Is.Empty);
    }

    [Test]
    public void NamesLookup()
    {
        Assert.That(TransferSyntaxNames.GetName("1.2.840.10008.1.2.5"), Is.EqualTo("RLE Lossless"));
        Assert.That(TransferSyntaxNames.GetName("9.9.9"), Is.Null);
        Assert.That(TransferSyntaxNames.IsNative("1.2.840.10008.1.2"), Is.True);
        Assert.That(TransferSyntaxNames.IsNative("1.2.840.10008.1.2.5"), Is.False);
        Assert.That(TransferSyntaxNames.IsKnown("1.2.840.10008.1.2.4.202"), Is.True);
    }

    private sealed class FakeCodec(params string[] uids) : IDicomCodec
    {
        public IReadOnlyList<string> TransferSyntaxUids => uids;
        public string Name => "fake";
        public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination) => destination.Clear();
    }
}
