namespace ImageGuide.Imaging;

/// <summary>
/// A dense displacement field, ITK's <c>DisplacementFieldTransform</c> convention: on its own grid (usually the fixed
/// image's, or a coarser one covering it) every node holds the displacement d, in LPS mm, that takes that fixed point to
/// the moving image: T(p) = p + d(p), d trilinearly interpolated. Points farther than half a node outside the grid are
/// not displaced (T(p) = p), as in ITK. Trilinear interpolation reproduces an affine displacement exactly, so a region
/// whose nodes all carry one rigid motion moves exactly rigidly. Immutable after construction; thread-safe.
/// </summary>
public sealed class DisplacementField : ISpatialTransform
{
    private readonly float[] _x, _y, _z;

    /// <summary>A field from its three component volumes (LPS mm), which must share one grid.</summary>
    /// <exception cref="GeometryException">The components lie on different grids or hold non-finite values.</exception>
    public DisplacementField(Volume<float> dx, Volume<float> dy, Volume<float> dz)
    {
        ArgumentNullException.ThrowIfNull(dx);
        ArgumentNullException.ThrowIfNull(dy);
        ArgumentNullException.ThrowIfNull(dz);
        if (!dx.Geometry.ApproximatelyEquals(dy.Geometry, 1e-6) || !dx.Geometry.ApproximatelyEquals(dz.Geometry, 1e-6))
            throw new GeometryException("The three displacement components must lie on one grid.");
        foreach (var c in new[] { dx, dy, dz })
            foreach (float v in c.Data)
                if (!float.IsFinite(v)) throw new GeometryException("A displacement field must hold finite displacements only (found NaN or infinity).");
        Geometry = dx.Geometry;
        X = dx; Y = dy; Z = dz;
        _x = dx.Data; _y = dy.Data; _z = dz.Data;
    }

    /// <summary>The grid the displacements are given on (fixed-image space).</summary>
    public VolumeGeometry Geometry { get; }
    /// <summary>Displacement along LPS x, mm.</summary>
    public Volume<float> X { get; }
    /// <summary>Displacement along LPS y, mm.</summary>
    public Volume<float> Y { get; }
    /// <summary>Displacement along LPS z, mm.</summary>
    public Volume<float> Z { get; }

    /// <summary>The field of <paramref name="transform"/> sampled on <paramref name="grid"/> (exact at the nodes).</summary>
    public static DisplacementField Sample(ISpatialTransform transform, VolumeGeometry grid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(grid);
        var dx = new Volume<float>(grid);
        var dy = new Volume<float>(grid);
        var dz = new Volume<float>(grid);
        Parallel.For(0, grid.Nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    var p = grid.IndexToPhysical(i, j, k);
                    var d = transform.TransformPoint(p) - p;
                    long n = grid.LinearIndex(i, j, k);
                    dx.Data[n] = (float)d.X; dy.Data[n] = (float)d.Y; dz.Data[n] = (float)d.Z;
                }
        });
        return new DisplacementField(dx, dy, dz);
    }

    /// <summary>The displacement at a point (zero outside the grid).</summary>
    public Vec3 Displacement(Vec3 point)
    {
        var g = Geometry;
        var c = g.PhysicalToIndex(point);
        double x = c.X, y = c.Y, z = c.Z;
        if (!(x >= -0.5 && y >= -0.5 && z >= -0.5 && x <= g.Nx - 0.5 && y <= g.Ny - 0.5 && z <= g.Nz - 0.5)) return Vec3.Zero;
        x = Math.Clamp(x, 0, g.Nx - 1); y = Math.Clamp(y, 0, g.Ny - 1); z = Math.Clamp(z, 0, g.Nz - 1);
        int i0 = Math.Min((int)x, Math.Max(0, g.Nx - 2)), j0 = Math.Min((int)y, Math.Max(0, g.Ny - 2)), k0 = Math.Min((int)z, Math.Max(0, g.Nz - 2));
        double fx = x - i0, fy = y - j0, fz = z - k0;
        int di = g.Nx > 1 ? 1 : 0;
        long dj = g.Ny > 1 ? g.Nx : 0, dk = g.Nz > 1 ? (long)g.Nx * g.Ny : 0;
        long b = g.LinearIndex(i0, j0, k0);
        return new Vec3(Lerp(_x, b, di, dj, dk, fx, fy, fz), Lerp(_y, b, di, dj, dk, fx, fy, fz), Lerp(_z, b, di, dj, dk, fx, fy, fz));
    }

    /// <inheritdoc/>
    public Vec3 TransformPoint(Vec3 point) => point + Displacement(point);

    private static double Lerp(float[] d, long b, int di, long dj, long dk, double fx, double fy, double fz)
    {
        double c00 = d[b] + fx * (d[b + di] - d[b]);
        double c10 = d[b + dj] + fx * (d[b + dj + di] - d[b + dj]);
        double c01 = d[b + dk] + fx * (d[b + dk + di] - d[b + dk]);
        double c11 = d[b + dk + dj] + fx * (d[b + dk + dj + di] - d[b + dk + dj]);
        double c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
        return c0 + fz * (c1 - c0);
    }
}
