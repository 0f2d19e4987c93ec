using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

[TestFixture]
public class EncapsulatedUncompressedCodecTests
{
    [Test]
    public void CopiesTheFrameAndIgnoresOnePaddingByte()
    {
        var format = NativeFrame.Format(1, 3, 1, 8, 8); // 3 bytes: odd, so one padding byte follows
        var output = new byte[3];
        new EncapsulatedUncompressedCodec().DecodeFrame(new byte[] { 7, 8, 9, 0 }, format, output);
        Assert.That(output, Is.EqualTo(new byte[] { 7, 8, 9 }));
    }

    [TestCase(2)]
    [TestCase(5)]
    public void WrongLength_Throws(int length)
    {
        var format = NativeFrame.Format(1, 3, 1, 8, 8);
        var ex = Assert.Throws<DicomCodecException>(() => new EncapsulatedUncompressedCodec().DecodeFrame(new byte[length], format, new byte[3]));
        Assert.That(ex!.Message, Does.Contain($"holds {length} bytes").And.Contain("needs 3"));
    }
}
