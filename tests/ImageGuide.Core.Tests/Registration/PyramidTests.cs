using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class PyramidTests
{
    private static Volume<float> Impulse(Vec3 spacing, int n = 41)
    {
        var v = new Volume<float>(new VolumeGeometry(n, n, n, spacing, Vec3.Zero));
        v[n / 2, n / 2, n / 2] = 1;
        return v;
    }

    [Test]
    public void Smoothing_KeepsAConstantImageConstant()
    {
        var v = new Volume<float>(new VolumeGeometry(10, 12, 8, new Vec3(1, 1.5, 3), Vec3.Zero));
        Array.Fill(v.Data, 7.5f);
        var s = Pyramid.Smooth(v, 2);
        Assert.That(s.Data, Is.All.EqualTo(7.5f).Within(1e-4f));
    }

    [Test]
    public void Smoothing_AnImpulse_GivesVarianceSigmaSquaredInMillimetres()
    {
        // anisotropic spacing: σ is physical, so the spread in mm must be the same along every axis
        var v = Impulse(new Vec3(0.5, 1.0, 2.0), 61);
        var s = Pyramid.Smooth(v, 3.0);
        var g = s.Geometry;
        var c = g.IndexToPhysical(30, 30, 30);
        double sum = 0, vx = 0, vy = 0, vz = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    double w = s[i, j, k];
                    var d = g.IndexToPhysical(i, j, k) - c;
                    sum += w; vx += w * d.X * d.X; vy += w * d.Y * d.Y; vz += w * d.Z * d.Z;
                }
        Assert.That(sum, Is.EqualTo(1).Within(1e-5));
        Assert.That(vx, Is.EqualTo(9).Within(0.2));
        Assert.That(vy, Is.EqualTo(9).Within(0.2));
        Assert.That(vz, Is.EqualTo(9).Within(0.3)); // 1.5 voxels σ at 2 mm: coarser sampling of the kernel
    }

    [Test]
    public void Level_ShrinksTheGrid_KeepingItsPhysicalExtent()
    {
        var v = new Volume<float>(new VolumeGeometry(64, 64, 40, new Vec3(2, 2, 2.5), new Vec3(-63, -63, -48.75)));
        var l = Pyramid.Level(v, 4, 2);
        Assert.That(l.Geometry.Size, Is.EqualTo(new[] { 16, 16, 10 }));
        Assert.That(l.Geometry.Spacing.X, Is.EqualTo(8).Within(1e-12));
        Assert.That(l.Geometry.Spacing.Z, Is.EqualTo(10).Within(1e-12));
        // the outer voxel edge stays put: origin moves by half the new spacing minus half the old
        Assert.That(l.Geometry.Origin.X, Is.EqualTo(-63 - 1 + 4).Within(1e-9));
        // a short axis keeps at least 4 voxels
        var thin = Pyramid.Level(new Volume<float>(new VolumeGeometry(32, 32, 8, new Vec3(1, 1, 1), Vec3.Zero)), 4, 0);
        Assert.That(thin.Geometry.Size, Is.EqualTo(new[] { 8, 8, 4 }));
    }

    [Test]
    public void Level_WithFactorOneAndNoSmoothing_IsAnExactCopy()
    {
        var v = SyntheticPhantom.Render(new VolumeGeometry(8, 8, 8, new Vec3(3, 3, 3), new Vec3(-12, -12, -12)), SyntheticPhantom.CtTable, 5, 3);
        var l = Pyramid.Level(v, 1, 0);
        Assert.That(l.Data, Is.EqualTo(v.Data).AsCollection);
        Assert.That(l.Data, Is.Not.SameAs(v.Data));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pyramid.Smooth(v, -1));
    }

    [Test]
    public void Level_PreservesALinearRamp_AtTheShrunkVoxelPositions()
    {
        // block averaging and Gaussian smoothing both reproduce a linear function away from the edges, so every
        // interior voxel of the level must equal the ramp at its own physical position: this pins the geometry
        var dir = Versor.FromAxisAngle(new Vec3(1, 1, 0), 0.3).ToMatrix();
        var g = new VolumeGeometry(66, 60, 50, new Vec3(0.5, 0.6, 0.8), new Vec3(10, -20, 5), dir);
        static double Ramp(Vec3 p) => 3 * p.X + 2 * p.Y - p.Z;
        var v = new Volume<float>(g);
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++) v[i, j, k] = (float)Ramp(g.IndexToPhysical(i, j, k));
        var l = Pyramid.Level(v, 4, 2);
        var lg = l.Geometry;
        Assert.That(lg.Size, Is.EqualTo(new[] { 16, 15, 12 }));
        for (int k = 3; k < lg.Nz - 3; k++)
            for (int j = 3; j < lg.Ny - 3; j++)
                for (int i = 3; i < lg.Nx - 3; i++)
                    Assert.That(l[i, j, k], Is.EqualTo(Ramp(lg.IndexToPhysical(i, j, k))).Within(0.02), $"voxel {i},{j},{k}");
    }
}
