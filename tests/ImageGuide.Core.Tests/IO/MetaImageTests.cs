using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

public class MetaImageTests : IoTestBase
{
    [Test]
    public void RealRireT1_HasTheGeometryItsProvenanceStates_AndVoxelsAtTheRawOffsets()
    {
        string path = TestPaths.RequireShared("mr-rire-t1/training_001_mr_T1.mha");
        var v = MetaImageFormat.Read(path);
        var g = v.Geometry;
        // PROVENANCE.md: 256 × 256 × 26, spacing 1.25 × 1.25 × 4 mm, MET_SHORT, identity direction, offset 0 0 0.
        Assert.That(g.Size, Is.EqualTo(new[] { 256, 256, 26 }));
        Assert.That(g.Spacing, Is.EqualTo(new Vec3(1.25, 1.25, 4)));
        Assert.That(g.Origin, Is.EqualTo(Vec3.Zero));
        Assert.That(g.Direction, Is.EqualTo(Mat3.Identity));
        Assert.That(v.ElementType, Is.EqualTo(VoxelType.Int16));

        // Independent check of the voxels: the data follow the "ElementDataFile = LOCAL" line, little-endian int16.
        var bytes = File.ReadAllBytes(path);
        var marker = "ElementDataFile = LOCAL\n"u8.ToArray();
        int start = bytes.AsSpan().IndexOf(marker) + marker.Length;
        Assert.That(bytes.Length - start, Is.EqualTo(256 * 256 * 26 * 2), "header + data account for the whole file");
        var stored = ((LoadedVolume<short>)v).Stored;
        foreach (var (i, j, k) in new[] { (0, 0, 0), (128, 128, 13), (255, 255, 25), (17, 200, 3), (100, 60, 20) })
        {
            long n = ((long)k * 256 + j) * 256 + i;
            Assert.That(stored[i, j, k], Is.EqualTo(BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(start + (int)(2 * n)))), $"voxel {i},{j},{k}");
        }
        var stats = VolumeStatistics.Compute(stored);
        Assert.That(stats.Max, Is.GreaterThan(stats.Mean), "a head MR is not constant");
    }

    private string WriteMha(string name, string header, byte[] data)
    {
        using var fs = File.Create(P(name));
        fs.Write(Encoding.ASCII.GetBytes(header));
        fs.Write(data);
        return P(name);
    }

    [Test]
    public void TransformMatrix_TriplesAreAxisVectors_ItkColumnOrder()
    {
        // Axis i points along +y, j along −x, k along +z (a 90° rotation about z).
        string header = "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n" +
                        "TransformMatrix = 0 1 0 -1 0 0 0 0 1\nOffset = 10 -20 30.5\nElementSpacing = 0.5 2 3\n" +
                        "DimSize = 2 3 4\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n";
        var data = new byte[24];
        for (int n = 0; n < 24; n++) data[n] = (byte)(n * 7);
        var v = MetaImageFormat.Read(WriteMha("rot.mha", header, data));
        var g = v.Geometry;
        Assert.That(g.Direction.Column(0), Is.EqualTo(new Vec3(0, 1, 0)));
        Assert.That(g.Direction.Column(1), Is.EqualTo(new Vec3(-1, 0, 0)));
        Assert.That(g.Spacing, Is.EqualTo(new Vec3(0.5, 2, 3)));
        // voxel (1,2,3) = origin + 0.5·(0,1,0) + 4·(−1,0,0) + 9·(0,0,1)
        Assert.That(g.IndexToPhysical(1, 2, 3), Is.EqualTo(new Vec3(6, -19.5, 39.5)));
        Assert.That(((LoadedVolume<byte>)v).Stored[1, 2, 3], Is.EqualTo((byte)((1 + 2 * 2 + 3 * 6) * 7)));
    }

    [Test]
    public void BigEndianShorts_AreSwapped()
    {
        string header = "NDims = 3\nDimSize = 2 2 1\nElementType = MET_SHORT\nElementByteOrderMSB = True\nElementDataFile = LOCAL\n";
        var data = new byte[8];
        short[] expected = [1, -2, 300, -4000];
        for (int n = 0; n < 4; n++) BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(2 * n), expected[n]);
        var v = MetaImageFormat.Read(WriteMha("be.mha", header, data));
        Assert.That(((LoadedVolume<short>)v).Stored.Data, Is.EqualTo(expected));
        Assert.That(v.Geometry.Spacing, Is.EqualTo(new Vec3(1, 1, 1)));
    }

    [Test]
    public void ZlibCompressedLocalData_AreRead()
    {
        var values = new float[60];
        for (int n = 0; n < 60; n++) values[n] = n * 0.25f - 3;
        var raw = new byte[240];
        Buffer.BlockCopy(values, 0, raw, 0, 240);
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        string header = $"NDims = 3\nDimSize = 3 4 5\nElementType = MET_FLOAT\nCompressedData = True\nCompressedDataSize = {ms.Length}\nElementDataFile = LOCAL\n";
        var v = MetaImageFormat.Read(WriteMha("z.mha", header, ms.ToArray()));
        Assert.That(v.ToFloat().Data, Is.EqualTo(values));
    }

    [TestCase("rt.mha", false)]
    [TestCase("rt.mha", true)]
    [TestCase("rt.mhd", false)]
    [TestCase("rt.mhd", true)]
    public void RoundTrip_IsExact(string name, bool compress)
    {
        foreach (var g in new[] { IoTestSupport.ObliqueGeometry(), IoTestSupport.LeftHandedGeometry() })
        {
            var vol = IoTestSupport.Ramp(g);
            MetaImageFormat.Write(vol, P(name), compress);
            var back = MetaImageFormat.Read(P(name));
            IoTestSupport.AssertGeometry(g, back.Geometry, 1e-12);
            Assert.That(back.ToFloat().Data, Is.EqualTo(vol.Data));
        }
        if (name.EndsWith(".mhd"))
        {
            string dataName = compress ? "rt.zraw" : "rt.raw";
            Assert.That(File.Exists(P(dataName)), Is.True);
            Assert.That(File.ReadAllText(P(name)), Does.Contain("ElementDataFile = " + dataName));
        }
        Assert.That(Directory.GetFiles(Dir, "*.tmp"), Is.Empty, "no temporary files left behind");
    }

    [Test]
    public void WrittenHeader_UsesItkConventions()
    {
        var vol = new Volume<short>(new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero, new Mat3(0, -1, 0, 1, 0, 0, 0, 0, 1)));
        MetaImageFormat.Write(vol, P("h.mha"));
        string text = Encoding.ASCII.GetString(File.ReadAllBytes(P("h.mha")));
        // direction columns: i = (0,1,0), j = (−1,0,0), k = (0,0,1) → written triple by triple
        Assert.That(text, Does.Contain("TransformMatrix = 0 1 0 -1 0 0 0 0 1\n"));
        // MetaIO letters name where an axis comes from: i runs toward +y (posterior) so from 'A'; j toward −x (right) so from 'L'; k from 'I'.
        Assert.That(text, Does.Contain("AnatomicalOrientation = ALI\n"));
        Assert.That(text, Does.Contain("ElementType = MET_SHORT\n"));
        MetaImageFormat.Write(new Volume<short>(new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero)), P("id.mha"));
        Assert.That(File.ReadAllText(P("id.mha")), Does.Contain("AnatomicalOrientation = RAI\n"), "ITK writes RAI for the identity");
    }

    [Test]
    public void BadInputs_RaiseTypedExceptionsNamingTheFile()
    {
        File.WriteAllText(P("missing.mhd"), "NDims = 3\nDimSize = 2 2 2\nElementType = MET_UCHAR\nElementDataFile = gone.raw\n");
        var e1 = Assert.Throws<InvalidImageDataException>(() => MetaImageFormat.Read(P("missing.mhd")));
        Assert.That(e1!.Message, Does.Contain("missing.mhd").And.Contain("gone.raw"));

        var e2 = Assert.Throws<UnsupportedFormatException>(() => MetaImageFormat.Read(WriteMha("rgb.mha",
            "NDims = 3\nDimSize = 2 2 2\nElementNumberOfChannels = 3\nElementType = MET_UCHAR\nElementDataFile = LOCAL\n", new byte[24])));
        Assert.That(e2!.Message, Does.Contain("rgb.mha").And.Contain("ElementNumberOfChannels"));

        var e3 = Assert.Throws<InvalidImageDataException>(() => MetaImageFormat.Read(WriteMha("short.mha",
            "NDims = 3\nDimSize = 10 10 10\nElementType = MET_SHORT\nElementDataFile = LOCAL\n", new byte[100])));
        Assert.That(e3!.Message, Does.Contain("short.mha").And.Contain("DimSize"));

        var e4 = Assert.Throws<InvalidImageDataException>(() => MetaImageFormat.Read(WriteMha("negdim.mha",
            "NDims = 3\nDimSize = 2 -2 2\nElementType = MET_SHORT\nElementDataFile = LOCAL\n", new byte[16])));
        Assert.That(e4!.Message, Does.Contain("negdim.mha").And.Contain("DimSize"));

        var e5 = Assert.Throws<UnsupportedFormatException>(() => MetaImageFormat.Read(WriteMha("long.mha",
            "NDims = 3\nDimSize = 2 2 2\nElementType = MET_LONG_LONG\nElementDataFile = LOCAL\n", new byte[64])));
        Assert.That(e5!.Message, Does.Contain("MET_LONG_LONG"));

        var e6 = Assert.Throws<InvalidImageDataException>(() => MetaImageFormat.Read(WriteMha("noend.mha", "NDims = 3\nDimSize = 2 2 2\n", [0, 1, 2])));
        Assert.That(e6!.Message, Does.Contain("noend.mha"));

        var e7 = Assert.Throws<InvalidImageDataException>(() => MetaImageFormat.Read(WriteMha("badz.mha",
            "NDims = 3\nDimSize = 4 4 4\nElementType = MET_UCHAR\nCompressedData = True\nElementDataFile = LOCAL\n", [1, 2, 3, 4, 5, 6, 7, 8])));
        Assert.That(e7!.Message, Does.Contain("badz.mha"));
    }
}
