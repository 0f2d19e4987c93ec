using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

/// <summary>
/// Analytic test anatomy (independent of the library's phantoms): a body ellipsoid holding a "bone", a "cord"
/// and two organs, with 1 mm smooth edges. Rendered as a "CT" and an "MR" with different, non-monotonic
/// intensity tables, noise, and any voxel grid; the MR can be moved by a known transform.
/// </summary>
internal static class SyntheticPhantom
{
    private readonly record struct Ellipsoid(Vec3 Center, Vec3 Axes, byte Label);

    // drawn in order; later structures overwrite earlier ones
    private static readonly Ellipsoid[] Structures =
    [
        new(new Vec3(0, 0, 0), new Vec3(50, 40, 56), 1),      // body
        new(new Vec3(6, 12, -4), new Vec3(13, 11, 40), 2),    // bone
        new(new Vec3(6, 27, 0), new Vec3(5, 5, 46), 3),       // cord
        new(new Vec3(-22, -12, 16), new Vec3(12, 12, 12), 4), // organ A
        new(new Vec3(20, -16, -22), new Vec3(10, 15, 8), 5),  // organ B
    ];

    /// <summary>CT-like values: background, body, bone, cord, organ A, organ B.</summary>
    public static readonly float[] CtTable = [-1000, 0, 800, 40, 150, -120];
    /// <summary>MR-like values, non-monotonic in the CT values.</summary>
    public static readonly float[] MrTable = [0, 300, 80, 450, 600, 900];

    /// <summary>The 64³ × 2 mm fixed grid centred on the anatomy.</summary>
    public static VolumeGeometry FixedGrid(int n = 64, double spacing = 2) =>
        new(n, n, n, new Vec3(spacing, spacing, spacing), new Vec3(-(n - 1) * spacing / 2, -(n - 1) * spacing / 2, -(n - 1) * spacing / 2));

    /// <summary>
    /// A different grid: anisotropic spacing, other size, axes rotated 10° about z, centred near <paramref name="center"/>;
    /// <paramref name="scale"/> multiplies the spacing and divides the voxel counts (same extent, coarser voxels).
    /// </summary>
    public static VolumeGeometry MovingGrid(Vec3 center, double scale = 1)
    {
        var dir = Versor.FromAxisAngle(new Vec3(0, 0, 1), 10 * Math.PI / 180).ToMatrix();
        var spacing = new Vec3(2.3, 2.1, 2.6) * scale;
        int nx = (int)Math.Round(60 / scale), ny = (int)Math.Round(62 / scale), nz = (int)Math.Round(50 / scale);
        var half = new Vec3((nx - 1) * spacing.X / 2, (ny - 1) * spacing.Y / 2, (nz - 1) * spacing.Z / 2);
        return new VolumeGeometry(nx, ny, nz, spacing, center - dir * half, dir);
    }

    /// <summary>
    /// Renders the anatomy on <paramref name="grid"/>: voxel at physical x shows the anatomy at
    /// <paramref name="gridToAnatomy"/>(x) (identity when null), plus seeded Gaussian noise of σ <paramref name="noise"/>.
    /// </summary>
    public static Volume<float> Render(VolumeGeometry grid, float[] table, double noise, int seed, RigidTransform? gridToAnatomy = null)
    {
        var v = new Volume<float>(grid);
        var rng = new Random(seed);
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    var p = grid.IndexToPhysical(i, j, k);
                    if (gridToAnatomy is not null) p = gridToAnatomy.TransformPoint(p);
                    double value = table[0];
                    foreach (var s in Structures) value += Membership(s, p) * (table[s.Label] - value);
                    double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
                    v[i, j, k] = (float)(value + noise * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                }
        return v;
    }

    /// <summary>
    /// A CBCT-like image: CT values with cupping (up to 25 % loss of attenuation at the rim), stronger noise, and a
    /// cylindrical field of view (radius 45 mm about the grid's k axis through its centre, |k-offset| ≤ 50 mm) outside
    /// which every voxel is exactly −1000 — the fill value.
    /// </summary>
    public static Volume<float> RenderCbct(VolumeGeometry grid, int seed, RigidTransform? gridToAnatomy = null)
    {
        var v = Render(grid, CtTable, 40, seed, gridToAnatomy);
        var c = grid.Center;
        var axis = grid.Direction.Column(2);
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    var d = grid.IndexToPhysical(i, j, k) - c;
                    double along = Vec3.Dot(d, axis);
                    double radial = (d - axis * along).Length;
                    if (radial > 45 || Math.Abs(along) > 50) { v[i, j, k] = -1000; continue; }
                    double cup = 1 - 0.25 * (radial / 45) * (radial / 45);
                    v[i, j, k] = (float)(-1000 + (v[i, j, k] + 1000) * cup);
                }
        return v;
    }

    /// <summary>Hard label map (membership ≥ 0.5) on <paramref name="grid"/>.</summary>
    public static Volume<byte> Labels(VolumeGeometry grid, RigidTransform? gridToAnatomy = null)
    {
        var v = new Volume<byte>(grid);
        for (int k = 0; k < grid.Nz; k++)
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    var p = grid.IndexToPhysical(i, j, k);
                    if (gridToAnatomy is not null) p = gridToAnatomy.TransformPoint(p);
                    byte label = 0;
                    foreach (var s in Structures) if (Membership(s, p) >= 0.5) label = s.Label;
                    v[i, j, k] = label;
                }
        return v;
    }

    /// <summary>Soft membership with a ~1 mm edge: the ellipsoid's radial coordinate scaled to mm at the surface.</summary>
    private static double Membership(Ellipsoid e, Vec3 p)
    {
        var d = p - e.Center;
        double rho = Math.Sqrt(d.X * d.X / (e.Axes.X * e.Axes.X) + d.Y * d.Y / (e.Axes.Y * e.Axes.Y) + d.Z * d.Z / (e.Axes.Z * e.Axes.Z));
        double minAxis = Math.Min(e.Axes.X, Math.Min(e.Axes.Y, e.Axes.Z));
        return 0.5 * (1 - Math.Tanh((rho - 1) * minAxis / 1.0));
    }

    /// <summary>A seeded random rigid transform about the origin: each Euler angle in ±<paramref name="maxDeg"/>, each shift in ±<paramref name="maxMm"/>.</summary>
    public static RigidTransform RandomTransform(int seed, double maxDeg, double maxMm)
    {
        var rng = new Random(seed);
        double U(double m) => (2 * rng.NextDouble() - 1) * m;
        double r = Math.PI / 180;
        var q = Versor.FromAxisAngle(new Vec3(0, 0, 1), U(maxDeg) * r) * Versor.FromAxisAngle(new Vec3(0, 1, 0), U(maxDeg) * r)
              * Versor.FromAxisAngle(new Vec3(1, 0, 0), U(maxDeg) * r);
        return new RigidTransform(q, new Vec3(U(maxMm), U(maxMm), U(maxMm)), Vec3.Zero);
    }

    /// <summary>
    /// A CT (fixed) and an MR (moving) where the MR shows the anatomy moved by <paramref name="truth"/>
    /// (fixed → moving): MR voxel at x shows the anatomy at truth⁻¹(x).
    /// </summary>
    public static (Volume<float> Ct, Volume<float> Mr) Pair(RigidTransform truth, int seed)
    {
        var ct = Render(FixedGrid(), CtTable, 20, seed);
        var mr = Render(MovingGrid(truth.TransformPoint(Vec3.Zero)), MrTable, 15, seed + 1000, truth.Inverse());
        return (ct, mr);
    }
}
