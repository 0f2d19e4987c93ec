using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>Label maps painted from analytic shapes: a voxel gets a label when its centre lies inside the shape.</summary>
internal sealed class ShapePhantom
{
    public ShapePhantom(int nx, int ny, int nz, Vec3 spacing, Vec3 origin)
    {
        Labels = new Volume<byte>(new VolumeGeometry(nx, ny, nz, spacing, origin));
    }

    public Volume<byte> Labels { get; }
    public List<LabelDefinition> Structures { get; } = [];

    public ShapePhantom Add(byte value, string name, LabelRole role, Func<Vec3, bool> inside, double? clearanceMm = null)
    {
        Structures.Add(new LabelDefinition(value, name, role, clearanceMm));
        var g = Labels.Geometry;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    if (inside(g.IndexToPhysical(i, j, k))) Labels[i, j, k] = value;
        return this;
    }

    public PlanningAnatomy Anatomy() => PlanningAnatomy.Create(new LabelMap(Labels, new LabelTable(Structures)));

    public static Func<Vec3, bool> Box(Vec3 lo, Vec3 hi) =>
        p => p.X >= lo.X && p.X <= hi.X && p.Y >= lo.Y && p.Y <= hi.Y && p.Z >= lo.Z && p.Z <= hi.Z;

    public static Func<Vec3, bool> Sphere(Vec3 c, double r) => p => Vec3.Distance(p, c) <= r;

    /// <summary>Infinite cylinder of radius r about the line through <paramref name="a"/> with direction <paramref name="u"/>.</summary>
    public static Func<Vec3, bool> Cylinder(Vec3 a, Vec3 u, double r) => p => LineDistance(p, a, u.Normalized()) <= r;

    public static double LineDistance(Vec3 p, Vec3 a, Vec3 unit)
    {
        var d = p - a;
        return (d - unit * Vec3.Dot(d, unit)).Length;
    }

    /// <summary>Exact distance from segment p→q to point c.</summary>
    public static double SegmentPointDistance(Vec3 p, Vec3 q, Vec3 c)
    {
        var d = q - p;
        double t = Math.Clamp(Vec3.Dot(c - p, d) / Vec3.Dot(d, d), 0, 1);
        return Vec3.Distance(p + d * t, c);
    }

    /// <summary>Exact distance from segment p→q to the infinite line through a with unit direction u.</summary>
    public static double SegmentLineDistance(Vec3 p, Vec3 q, Vec3 a, Vec3 u)
    {
        // squared distance to the line is a convex quadratic in t; minimise on [0, 1]
        Vec3 d = q - p, w = p - a;
        Vec3 dp = d - u * Vec3.Dot(d, u), wp = w - u * Vec3.Dot(w, u);
        double aa = Vec3.Dot(dp, dp);
        double t = aa < 1e-15 ? 0 : Math.Clamp(-Vec3.Dot(wp, dp) / aa, 0, 1);
        return (wp + dp * t).Length;
    }
}
