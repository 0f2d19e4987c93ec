using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

[TestFixture]
public class DicomPixelFormatTests
{
    [Test]
    public void SizesOfCommonFormats()
    {
        var ct = new DicomPixelFormat(512, 512, 1, 16, 12, 11, 0, 0, "MONOCHROME2");
        Assert.That(ct.BytesPerSample, Is.EqualTo(2));
        Assert.That(ct.FrameSizeBytes, Is.EqualTo(512L * 512 * 2));
        var rgb = new DicomPixelFormat(100, 100, 3, 8, 8, 7, 0, 1, "RGB");
        Assert.That(rgb.FrameSizeBytes, Is.EqualTo(30000));
        var dose = new DicomPixelFormat(10, 10, 1, 32, 32, 31, 0, 0, "MONOCHROME2");
        Assert.That(dose.FrameSizeBytes, Is.EqualTo(400));
        var bits = new DicomPixelFormat(3, 5, 1, 1, 1, 0, 0, 0, "MONOCHROME2");
        Assert.That(bits.FrameSizeBytes, Is.EqualTo(2)); // 15 bits round up to 2 bytes
        Assert.That(new DicomPixelFormat(65535, 65535, 4, 32, 32, 31, 0, 0, "ARGB").FrameSizeBytes, Is.EqualTo(65535L * 65535 * 16));
    }

    [Test]
    public void ValidFormats_Pass()
    {
        Assert.DoesNotThrow(() => new DicomPixelFormat(512, 512, 1, 16, 12, 11, 1, 0, "MONOCHROME2").Validate());
        Assert.DoesNotThrow(() => new DicomPixelFormat(1, 1, 3, 8, 8, 7, 0, 1, "RGB").Validate());
        Assert.DoesNotThrow(() => new DicomPixelFormat(4, 4, 1, 16, 12, 15, 0, 0, "MONOCHROME1").Validate());
    }

    [TestCase(0, 10, 1, 16, 12, 11, 0, 0, "Rows")]
    [TestCase(10, 0, 1, 16, 12, 11, 0, 0, "Columns")]
    [TestCase(10, 10, 2, 16, 12, 11, 0, 0, "Samples per Pixel")]
    [TestCase(10, 10, 1, 12, 12, 11, 0, 0, "Bits Allocated")]
    [TestCase(10, 10, 1, 16, 17, 16, 0, 0, "Bits Stored")]
    [TestCase(10, 10, 1, 16, 0, 0, 0, 0, "Bits Stored")]
    [TestCase(10, 10, 1, 16, 12, 16, 0, 0, "High Bit")]
    [TestCase(10, 10, 1, 16, 12, 10, 0, 0, "High Bit")]
    [TestCase(10, 10, 1, 16, 12, 11, 2, 0, "Pixel Representation")]
    [TestCase(10, 10, 3, 8, 8, 7, 0, 2, "Planar Configuration")]
    [TestCase(65535, 65535, 4, 32, 32, 31, 0, 0, "more than a single buffer")]
    public void ImpossibleValues_Throw(int rows, int columns, int spp, int allocated, int stored, int high, int representation, int planar, string named)
    {
        var format = new DicomPixelFormat(rows, columns, spp, allocated, stored, high, representation, planar, "MONOCHROME2");
        var ex = Assert.Throws<DicomCodecException>(format.Validate);
        Assert.That(ex, Is.InstanceOf<InvalidImageDataException>());
        Assert.That(ex!.Message, Does.Contain(named));
    }
}
