using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

/// <summary>
/// Files written by teem's unu, the NRRD reference implementation (generator: Data/make_unu_fixtures.sh).
/// Voxel n (i fastest) holds 11·n − 40 in every fixture.
/// </summary>
public class NrrdInteropTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "ImageGuide.Core.Tests", "IO", "Data", name);

    private static void AssertRamp(LoadedVolume v)
    {
        Assert.That(v.ElementType, Is.EqualTo(VoxelType.Int16));
        var data = ((LoadedVolume<short>)v).Stored.Data;
        for (int n = 0; n < data.Length; n++) Assert.That(data[n], Is.EqualTo((short)(11 * n - 40)), $"voxel {n}");
    }

    [Test]
    public void UnuRasGzip()
    {
        var v = NrrdFormat.Read(Fixture("unu_ras_gzip.nrrd"));
        // RAS directions (0,2,0) (-3,0,0) (0,0,4), origin (10,20,30) → LPS negates x and y
        var expected = new VolumeGeometry(2, 3, 4, new Vec3(2, 3, 4), new Vec3(-10, -20, 30),
            Mat3.FromColumns(new Vec3(0, -1, 0), new Vec3(1, 0, 0), new Vec3(0, 0, 1)));
        IoTestSupport.AssertGeometry(expected, v.Geometry, 1e-12);
        AssertRamp(v);
    }

    [Test]
    public void UnuLasBigEndianDetached()
    {
        var v = NrrdFormat.Read(Fixture("unu_las_bigendian.nhdr"));
        // LAS directions (1,0,0) (0,0.5,0) (0,0,2), origin (-1.5,2.5,-3.5) → LPS negates y
        var expected = new VolumeGeometry(2, 3, 4, new Vec3(1, 0.5, 2), new Vec3(-1.5, -2.5, -3.5),
            Mat3.FromColumns(new Vec3(1, 0, 0), new Vec3(0, -1, 0), new Vec3(0, 0, 1)));
        IoTestSupport.AssertGeometry(expected, v.Geometry, 1e-12);
        AssertRamp(v);
    }

    [Test]
    public void UnuLpsAsciiOblique()
    {
        var v = NrrdFormat.Read(Fixture("unu_lps_ascii.nrrd"));
        double h = Math.Sqrt(0.5);
        var expected = new VolumeGeometry(2, 3, 4, new Vec3(h, h, 1), Vec3.Zero,
            Mat3.FromColumns(new Vec3(h, h, 0), new Vec3(-h, h, 0), new Vec3(0, 0, 1)));
        IoTestSupport.AssertGeometry(expected, v.Geometry, 1e-12);
        AssertRamp(v);
    }
}
