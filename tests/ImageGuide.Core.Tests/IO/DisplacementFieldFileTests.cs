using System.Buffers.Binary;
using System.Text;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

/// <summary>Displacement fields on disk as ITK reads them: layout checked byte by byte against the formats, and read back.</summary>
[TestFixture]
public class DisplacementFieldFileTests
{
    private string _dir = "";

    [SetUp] public void SetUp() => _dir = TestPaths.NewTempDir();
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    /// <summary>A 3×2×2 field on tilted axes whose displacement at voxel (i, j, k) is (i + 10j + 100k, −i, 0.5k) mm.</summary>
    private static DisplacementField Known()
    {
        var g = new VolumeGeometry(3, 2, 2, new Vec3(1.5, 2, 3), new Vec3(-10, 20, 5), Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.3).ToMatrix());
        var x = new Volume<float>(g); var y = new Volume<float>(g); var z = new Volume<float>(g);
        for (int k = 0; k < 2; k++) for (int j = 0; j < 2; j++) for (int i = 0; i < 3; i++)
        {
            long n = g.LinearIndex(i, j, k);
            x.Data[n] = i + 10 * j + 100 * k; y.Data[n] = -i; z.Data[n] = 0.5f * k;
        }
        return new DisplacementField(x, y, z);
    }

    [TestCase("field.mha")]
    [TestCase("field.nii.gz")]
    [TestCase("field.nii")]
    public void WrittenField_ReadsBackOnTheSameGrid_WithTheSameVectors(string name)
    {
        var f = Known();
        string path = Path.Combine(_dir, name);
        DisplacementFieldFile.Write(f, path);
        var back = DisplacementFieldFile.Read(path);
        Assert.That(back.Geometry.ApproximatelyEquals(f.Geometry, 1e-4), Is.True, back.Geometry.ToString());
        Assert.That(back.X.Data, Is.EqualTo(f.X.Data));
        Assert.That(back.Y.Data, Is.EqualTo(f.Y.Data));
        Assert.That(back.Z.Data, Is.EqualTo(f.Z.Data));
        // a point maps by p + d(p): at voxel (2, 1, 1) the displacement is (112, −2, 0.5)
        var p = f.Geometry.IndexToPhysical(2, 1, 1);
        Assert.That((back.TransformPoint(p) - (p + new Vec3(112, -2, 0.5))).Length, Is.LessThan(1e-4));
    }

    [Test]
    public void Nifti_IsAFiveDimensionalVectorImage_WithLpsComponentsOneAfterTheOther()
    {
        string path = Path.Combine(_dir, "field.nii");
        DisplacementFieldFile.Write(Known(), path);
        var b = File.ReadAllBytes(path);
        short Dim(int n) => BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(40 + 2 * n));
        Assert.That(new[] { Dim(0), Dim(1), Dim(2), Dim(3), Dim(4), Dim(5) }, Is.EqualTo(new short[] { 5, 3, 2, 2, 1, 3 }));
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(68)), Is.EqualTo(1007), "intent_code NIFTI_INTENT_VECTOR");
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(70)), Is.EqualTo(16), "datatype float32");
        int offset = (int)BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(108));
        float At(int c, int n) => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(offset + 4 * (12 * c + n)));
        // voxel (2, 1, 1) is n = 2 + 3·(1 + 2·1) = 11; x component first, then y, then z — LPS values, not flipped
        Assert.That((At(0, 11), At(1, 11), At(2, 11)), Is.EqualTo((112f, -2f, 0.5f)));
        // the grid is the usual RAS sform: the origin's x and y negated
        Assert.That(BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(280 + 12)), Is.EqualTo(10f), "srow_x[3] = −origin.x");
    }

    [Test]
    public void MetaImage_InterleavesTheThreeComponentsPerVoxel()
    {
        string path = Path.Combine(_dir, "field.mha");
        DisplacementFieldFile.Write(Known(), path);
        var b = File.ReadAllBytes(path);
        string text = Encoding.ASCII.GetString(b);
        Assert.That(text, Does.Contain("ElementNumberOfChannels = 3").And.Contain("ElementType = MET_FLOAT").And.Contain("DimSize = 3 2 2"));
        int data = text.IndexOf("ElementDataFile = LOCAL\n", StringComparison.Ordinal) + "ElementDataFile = LOCAL\n".Length;
        Assert.That(b.Length - data, Is.EqualTo(12 * 4 * 3));
        float At(int n, int c) => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(data + 12 * n + 4 * c));
        Assert.That((At(11, 0), At(11, 1), At(11, 2)), Is.EqualTo((112f, -2f, 0.5f)));
    }

    [Test]
    public void AScalarImage_IsNotTakenForAField()
    {
        string path = Path.Combine(_dir, "scalar.nii.gz");
        VolumeIO.Write(new Volume<float>(new VolumeGeometry(3, 3, 3, new Vec3(1, 1, 1), Vec3.Zero, Mat3.Identity)), path);
        var e = Assert.Throws<InvalidImageDataException>(() => DisplacementFieldFile.Read(path));
        Assert.That(e!.Message, Does.Contain("dim = [5, nx, ny, nz, 1, 3]"));
    }
}
