using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

/// <summary>
/// Files written by nibabel 5.0.0 (an independent NIfTI implementation; generator: Data/make_nibabel_fixtures.py).
/// Expected LPS geometry is the generator's RAS affine with rows x and y negated.
/// </summary>
public class NiftiInteropTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "ImageGuide.Core.Tests", "IO", "Data", name);

    private static readonly double C30 = Math.Cos(Math.PI / 6), S30 = Math.Sin(Math.PI / 6);

    [Test]
    public void NibabelOblique_SformAndQform()
    {
        var v = NiftiFormat.Read(Fixture("nibabel_oblique_int16.nii.gz"));
        var g = v.Geometry;
        // RAS affine [[0.5,0,0,-12.5],[0,0.75cos30,-2.5sin30,40.25],[0,0.75sin30,2.5cos30,7]]
        var expected = new VolumeGeometry(5, 4, 3, new Vec3(0.5, 0.75, 2.5), new Vec3(12.5, -40.25, 7),
            Mat3.FromColumns(new Vec3(-1, 0, 0), new Vec3(0, -C30, S30), new Vec3(0, S30, C30)));
        IoTestSupport.AssertGeometry(expected, g, 1e-6);
        var s = ((LoadedVolume<short>)v).Stored;
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 4; j++)
                for (int i = 0; i < 5; i++)
                    Assert.That(s[i, j, k], Is.EqualTo((short)(7 * (i + 5 * j + 20 * k) - 30)));
    }

    [Test]
    public void NibabelLeftHandedQformOnly_WithScaling()
    {
        var v = NiftiFormat.Read(Fixture("nibabel_qform_lefthanded_scaled.nii"));
        // RAS diag(-2, 3, 4) (det < 0, qfac = -1), offset (30, -20, 10)
        var expected = new VolumeGeometry(3, 2, 2, new Vec3(2, 3, 4), new Vec3(-30, 20, 10), new Mat3(1, 0, 0, 0, -1, 0, 0, 0, 1));
        IoTestSupport.AssertGeometry(expected, v.Geometry, 1e-6);
        Assert.That(v.ElementType, Is.EqualTo(VoxelType.UInt16));
        var f = v.ToFloat();
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 2; j++)
                for (int i = 0; i < 3; i++)
                    Assert.That(f[i, j, k], Is.EqualTo(2f * (100 + i + 3 * j + 6 * k) - 10));
    }

    [Test]
    public void NibabelBigEndianFloat_SformOnly()
    {
        var v = NiftiFormat.Read(Fixture("nibabel_bigendian_float.nii"));
        // RAS [[0,-1.5,0,5],[1.5,0,0,6],[0,0,2,-7]]: LPS i = (0,-1,0), j = (1,0,0), k = (0,0,1)
        var expected = new VolumeGeometry(2, 3, 2, new Vec3(1.5, 1.5, 2), new Vec3(-5, -6, -7), Mat3.FromColumns(new Vec3(0, -1, 0), new Vec3(1, 0, 0), new Vec3(0, 0, 1)));
        IoTestSupport.AssertGeometry(expected, v.Geometry, 1e-6);
        var f = v.ToFloat();
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 2; i++)
                    Assert.That(f[i, j, k], Is.EqualTo(0.25f * (i + 2 * j + 6 * k) - 1));
    }

    [Test]
    public void NibabelQform180Degrees_QuaternionWithZeroScalarPart()
    {
        // Intended RAS affine [[0,2,0,4],[1,0,0,5],[0,0,-3,6]]: R = 180° about (1,1,0)/√2, quaternion (b,c,d) = (√½,√½,0).
        // In float32 b²+c² = 0.99999994, so a must be taken as 0 (nifti1_io renormalises below 1e-7; nibabel 5.0.0
        // does not and is off by 8e-4). LPS: i = (0,-1,0), j = (-1,0,0), k = (0,0,-1), spacing (1,2,3), origin (-4,-5,6).
        var v = NiftiFormat.Read(Fixture("nibabel_qform_180.nii"));
        var expected = new VolumeGeometry(2, 2, 2, new Vec3(1, 2, 3), new Vec3(-4, -5, 6),
            Mat3.FromColumns(new Vec3(0, -1, 0), new Vec3(-1, 0, 0), new Vec3(0, 0, -1)));
        IoTestSupport.AssertGeometry(expected, v.Geometry, 1e-6);
        var s = ((LoadedVolume<byte>)v).Stored;
        Assert.That(s[1, 1, 1], Is.EqualTo((byte)7));
        Assert.That(s[0, 1, 0], Is.EqualTo((byte)2));
    }
}
