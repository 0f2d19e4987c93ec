namespace ImageGuide.Tests.IO;

/// <summary>Shared helpers for the IO tests: temporary folders and small synthetic volumes.</summary>
internal static class IoTestSupport
{
    /// <summary>An oblique, right-handed geometry: rotation 0.7 rad about (1, 2, 3), float-exact origin and spacing.</summary>
    public static VolumeGeometry ObliqueGeometry(int nx = 5, int ny = 4, int nz = 3)
    {
        var r = Versor.FromAxisAngle(new Vec3(1, 2, 3), 0.7).ToMatrix();
        return new VolumeGeometry(nx, ny, nz, new Vec3(0.5, 0.75, 2.5), new Vec3(-120.5, 33.25, 7.125), r);
    }

    /// <summary>A left-handed oblique geometry (k axis reversed), as found in many NIfTI files with qfac = −1.</summary>
    public static VolumeGeometry LeftHandedGeometry()
    {
        var r = Versor.FromAxisAngle(new Vec3(-2, 1, 0.5), 0.4).ToMatrix();
        var d = Mat3.FromColumns(r.Column(0), r.Column(1), -r.Column(2));
        return new VolumeGeometry(3, 4, 5, new Vec3(1.5, 1.25, 3), new Vec3(10.5, -20.25, 64), d);
    }

    /// <summary>A float volume whose voxel n holds a distinct, non-integer value.</summary>
    public static Volume<float> Ramp(VolumeGeometry g)
    {
        var v = new Volume<float>(g);
        for (int n = 0; n < v.Data.Length; n++) v.Data[n] = n * 1.5f - 7.25f;
        return v;
    }

    /// <summary>Asserts two geometries agree within <paramref name="tol"/> in every component.</summary>
    public static void AssertGeometry(VolumeGeometry expected, VolumeGeometry actual, double tol)
    {
        Assert.That(actual.Size, Is.EqualTo(expected.Size), "size");
        Assert.That(Vec3.MaxAbsDifference(expected.Spacing, actual.Spacing), Is.LessThanOrEqualTo(tol), $"spacing {actual.Spacing} vs {expected.Spacing}");
        Assert.That(Vec3.MaxAbsDifference(expected.Origin, actual.Origin), Is.LessThanOrEqualTo(tol), $"origin {actual.Origin} vs {expected.Origin}");
        Assert.That(Mat3.MaxAbsDifference(expected.Direction, actual.Direction), Is.LessThanOrEqualTo(tol), "direction");
    }
}

/// <summary>Base for IO tests that need a scratch folder.</summary>
public abstract class IoTestBase
{
    /// <summary>Scratch folder of the current test.</summary>
    protected string Dir { get; private set; } = "";

    [SetUp]
    public void CreateDir() => Dir = TestPaths.NewTempDir();

    [TearDown]
    public void DeleteDir()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A path in the scratch folder.</summary>
    protected string P(string name) => Path.Combine(Dir, name);
}
