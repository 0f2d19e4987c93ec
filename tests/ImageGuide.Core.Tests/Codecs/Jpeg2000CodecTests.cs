using ImageGuide.IO;

namespace ImageGuide.Tests.Codecs;

/// <summary>JPEG 2000 on real data: each lossless file equals its uncompressed twin, bit for bit.</summary>
public class Jpeg2000CodecTests
{
    [Test]
    public void LosslessSlice_EqualsItsUncompressedTwin()
    {
        string dir = Path.Combine(TestPaths.RequireShared("mr-one-slice-9-syntaxes"), "In");
        var plain = VolumeReader.Read(Path.Combine(dir, "1.dcm")).Volume.Data;
        var j2k = VolumeReader.Read(Path.Combine(dir, "9.dcm")).Volume.Data;
        Assert.That(j2k, Is.EqualTo(plain));
    }
}
