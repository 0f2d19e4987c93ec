using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

public class NrrdTests : IoTestBase
{
    private string WriteNrrd(string name, string header, byte[] data)
    {
        using var fs = File.Create(P(name));
        fs.Write(Encoding.ASCII.GetBytes(header));
        fs.Write(data);
        return P(name);
    }

    private static byte[] Int16Le(int count)
    {
        var b = new byte[2 * count];
        for (int n = 0; n < count; n++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * n), (short)(n * 11 - 40));
        return b;
    }

    [Test]
    public void RasSpace_IsConvertedToLps()
    {
        string header = "NRRD0004\n# comment\ntype: short\ndimension: 3\nspace: right-anterior-superior\nsizes: 2 3 4\n" +
                        "space directions: (0,2,0) (-3,0,0) (0,0,4)\nkinds: domain domain domain\nendian: little\n" +
                        "encoding: raw\nspace origin: (10,20,30)\nsomekey:=some value\n\n";
        var v = NrrdFormat.Read(WriteNrrd("ras.nrrd", header, Int16Le(24)));
        var g = v.Geometry;
        // RAS steps negate x and y: i = (0,−2,0), j = (3,0,0), k = (0,0,4); origin (−10,−20,30).
        Assert.That(g.Spacing, Is.EqualTo(new Vec3(2, 3, 4)));
        Assert.That(g.Direction.Column(0), Is.EqualTo(new Vec3(0, -1, 0)));
        Assert.That(g.Direction.Column(1), Is.EqualTo(new Vec3(1, 0, 0)));
        Assert.That(g.Direction.Column(2), Is.EqualTo(new Vec3(0, 0, 1)));
        Assert.That(g.Origin, Is.EqualTo(new Vec3(-10, -20, 30)));
        Assert.That(g.IndexToPhysical(1, 1, 1), Is.EqualTo(new Vec3(-7, -22, 34)));
        Assert.That(((LoadedVolume<short>)v).Stored[1, 2, 3], Is.EqualTo((short)((1 + 2 * 2 + 3 * 6) * 11 - 40)));
        Assert.That(v.Metadata.Warnings, Is.Empty);
    }

    [Test]
    public void LasSpace_NegatesOnlyY()
    {
        string header = "NRRD0005\ntype: int16\ndimension: 3\nspace: LAS\nsizes: 1 1 2\n" +
                        "space directions: (1,0,0) (0,1,0) (0,0,2)\nendian: little\nencoding: raw\nspace origin: (10,20,30)\n\n";
        var g = NrrdFormat.Read(WriteNrrd("las.nrrd", header, Int16Le(2))).Geometry;
        Assert.That(g.Origin, Is.EqualTo(new Vec3(10, -20, 30)));
        Assert.That(g.Direction, Is.EqualTo(new Mat3(1, 0, 0, 0, -1, 0, 0, 0, 1)));
    }

    [Test]
    public void BigEndianGzipAndAscii_Encodings()
    {
        var be = new byte[8];
        short[] values = [5, -6, 700, -8000];
        for (int n = 0; n < 4; n++) BinaryPrimitives.WriteInt16BigEndian(be.AsSpan(2 * n), values[n]);
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(be);
        string header = "NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: 2 2 1\n" +
                        "space directions: (1,0,0) (0,1,0) (0,0,1)\nendian: big\nencoding: gzip\n\n";
        Assert.That(((LoadedVolume<short>)NrrdFormat.Read(WriteNrrd("be.nrrd", header, ms.ToArray()))).Stored.Data, Is.EqualTo(values));

        string ascii = "NRRD0004\ntype: float\ndimension: 3\nspace: LPS\nsizes: 2 2 1\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nencoding: ascii\n\n";
        var a = NrrdFormat.Read(WriteNrrd("a.nrrd", ascii, Encoding.ASCII.GetBytes("1.5 -2\n3e2 4\n")));
        Assert.That(a.ToFloat().Data, Is.EqualTo(new[] { 1.5f, -2f, 300f, 4f }));
    }

    [TestCase("rt.nrrd", false)]
    [TestCase("rt.nrrd", true)]
    [TestCase("rt.nhdr", false)]
    [TestCase("rt.nhdr", true)]
    public void RoundTrip_IsExact(string name, bool gzip)
    {
        foreach (var g in new[] { IoTestSupport.ObliqueGeometry(), IoTestSupport.LeftHandedGeometry() })
        {
            var vol = IoTestSupport.Ramp(g);
            NrrdFormat.Write(vol, P(name), gzip);
            var back = NrrdFormat.Read(P(name));
            IoTestSupport.AssertGeometry(g, back.Geometry, 1e-12);
            Assert.That(back.ToFloat().Data, Is.EqualTo(vol.Data));
        }
        string text = File.ReadAllText(P(name));
        Assert.That(text, Does.StartWith("NRRD0004\n").And.Contain("space: left-posterior-superior\n"));
        if (name.EndsWith(".nhdr")) Assert.That(File.Exists(P(gzip ? "rt.raw.gz" : "rt.raw")), Is.True);
    }

    [Test]
    public void BadInputs_RaiseTypedExceptionsNamingTheFile()
    {
        string vector = "NRRD0004\ntype: float\ndimension: 3\nspace: LPS\nsizes: 3 2 2\nspace directions: none (1,0,0) (0,1,0)\nencoding: raw\n\n";
        var e1 = Assert.Throws<UnsupportedFormatException>(() => NrrdFormat.Read(WriteNrrd("vec.nrrd", vector, new byte[48])));
        Assert.That(e1!.Message, Does.Contain("vec.nrrd").And.Contain("none"));

        File.WriteAllText(P("det.nhdr"), "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 2 2\nencoding: raw\ndata file: absent.raw\n");
        var e2 = Assert.Throws<InvalidImageDataException>(() => NrrdFormat.Read(P("det.nhdr")));
        Assert.That(e2!.Message, Does.Contain("det.nhdr").And.Contain("absent.raw"));

        string big = "NRRD0004\ntype: short\ndimension: 3\nspace: LPS\nsizes: 10 10 10\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nencoding: raw\n\n";
        var e3 = Assert.Throws<InvalidImageDataException>(() => NrrdFormat.Read(WriteNrrd("trunc.nrrd", big, new byte[50])));
        Assert.That(e3!.Message, Does.Contain("trunc.nrrd"));

        var e4 = Assert.Throws<InvalidImageDataException>(() => NrrdFormat.Read(WriteNrrd("nomagic.nrrd", "hello\n\n", [])));
        Assert.That(e4!.Message, Does.Contain("nomagic.nrrd"));

        string sheared = "NRRD0004\ntype: uchar\ndimension: 3\nspace: LPS\nsizes: 1 1 1\nspace directions: (1,0,0) (1,1,0) (0,0,1)\nencoding: raw\n\n";
        var e5 = Assert.Throws<GeometryException>(() => NrrdFormat.Read(WriteNrrd("shear.nrrd", sheared, [0])));
        Assert.That(e5!.Message, Does.Contain("shear.nrrd"));
    }
}
