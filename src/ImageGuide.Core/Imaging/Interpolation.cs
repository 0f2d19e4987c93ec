using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImageGuide.Imaging;

/// <summary>How voxel values are read at continuous positions.</summary>
public enum InterpolationMode
{
    /// <summary>Value of the nearest voxel centre (use for label maps).</summary>
    Nearest,
    /// <summary>Trilinear blend of the 8 surrounding voxels.</summary>
    Linear,
}

/// <summary>Reads volumes at continuous voxel indices.</summary>
public static class Interpolator
{
    /// <summary>
    /// Value at continuous index (x, y, z). Positions farther than half a voxel outside the grid return
    /// <paramref name="outside"/>; within that half-voxel border the edge value is extended.
    /// </summary>
    public static double Sample<T>(Volume<T> volume, double x, double y, double z, InterpolationMode mode, double outside)
        where T : unmanaged, INumberBase<T>
        => mode == InterpolationMode.Nearest ? SampleNearest(volume, x, y, z, outside) : SampleLinear(volume, x, y, z, outside);

    /// <summary>Nearest-neighbour value at continuous index, or <paramref name="outside"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SampleNearest<T>(Volume<T> volume, double x, double y, double z, double outside)
        where T : unmanaged, INumberBase<T>
    {
        var g = volume.Geometry;
        if (!(x >= -0.5 && y >= -0.5 && z >= -0.5 && x <= g.Nx - 0.5 && y <= g.Ny - 0.5 && z <= g.Nz - 0.5))
            return outside;
        int i = Math.Min((int)Math.Floor(x + 0.5), g.Nx - 1);
        int j = Math.Min((int)Math.Floor(y + 0.5), g.Ny - 1);
        int k = Math.Min((int)Math.Floor(z + 0.5), g.Nz - 1);
        return double.CreateTruncating(volume.Data[g.LinearIndex(i, j, k)]);
    }

    /// <summary>Trilinear value at continuous index, or <paramref name="outside"/>.</summary>
    public static double SampleLinear<T>(Volume<T> volume, double x, double y, double z, double outside)
        where T : unmanaged, INumberBase<T>
    {
        var g = volume.Geometry;
        if (!(x >= -0.5 && y >= -0.5 && z >= -0.5 && x <= g.Nx - 0.5 && y <= g.Ny - 0.5 && z <= g.Nz - 0.5))
            return outside;
        // clamp into [0, n-1] so the half-voxel border repeats the edge value
        x = Math.Clamp(x, 0, g.Nx - 1); y = Math.Clamp(y, 0, g.Ny - 1); z = Math.Clamp(z, 0, g.Nz - 1);
        int i0 = Math.Min((int)x, g.Nx - 2 < 0 ? 0 : g.Nx - 2);
        int j0 = Math.Min((int)y, g.Ny - 2 < 0 ? 0 : g.Ny - 2);
        int k0 = Math.Min((int)z, g.Nz - 2 < 0 ? 0 : g.Nz - 2);
        double fx = x - i0, fy = y - j0, fz = z - k0;
        int di = g.Nx > 1 ? 1 : 0;
        long dj = g.Ny > 1 ? g.Nx : 0;
        long dk = g.Nz > 1 ? (long)g.Nx * g.Ny : 0;
        var d = volume.Data;
        long b = g.LinearIndex(i0, j0, k0);
        double c000 = double.CreateTruncating(d[b]), c100 = double.CreateTruncating(d[b + di]);
        double c010 = double.CreateTruncating(d[b + dj]), c110 = double.CreateTruncating(d[b + dj + di]);
        double c001 = double.CreateTruncating(d[b + dk]), c101 = double.CreateTruncating(d[b + dk + di]);
        double c011 = double.CreateTruncating(d[b + dk + dj]), c111 = double.CreateTruncating(d[b + dk + dj + di]);
        double c00 = c000 + (c100 - c000) * fx, c10 = c010 + (c110 - c010) * fx;
        double c01 = c001 + (c101 - c001) * fx, c11 = c011 + (c111 - c011) * fx;
        double c0 = c00 + (c10 - c00) * fy, c1 = c01 + (c11 - c01) * fy;
        return c0 + (c1 - c0) * fz;
    }

    /// <summary>Value at a physical point (LPS mm).</summary>
    public static double SampleAtPoint<T>(Volume<T> volume, Vec3 point, InterpolationMode mode, double outside)
        where T : unmanaged, INumberBase<T>
    {
        var idx = volume.Geometry.PhysicalToIndex(point);
        return Sample(volume, idx.X, idx.Y, idx.Z, mode, outside);
    }
}
