using System.Numerics;
using ImageGuide.Imaging;

namespace ImageGuide.Visualization;

/// <summary>Samples a volume on a <see cref="SlicePlane"/> in physical space (CPU).</summary>
public static class Reslicer
{
    /// <summary>
    /// Reslices <paramref name="volume"/> on <paramref name="plane"/>. When <paramref name="planeToVolume"/> is given
    /// (e.g. a registration result fixed → moving, with the plane in the fixed frame), each plane point is mapped
    /// through it before sampling — a rigid transform, or any <see cref="ISpatialTransform"/> such as a piecewise-rigid
    /// <see cref="DisplacementField"/>. Pixels outside the volume are NaN. Parallel over rows.
    /// </summary>
    public static Image2D Reslice<T>(Volume<T> volume, SlicePlane plane, ISpatialTransform? planeToVolume = null,
        InterpolationMode mode = InterpolationMode.Linear) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(plane);
        if (planeToVolume is not null and not RigidTransform) return ResliceThrough(volume, plane, planeToVolume, mode);
        var t = (RigidTransform?)planeToVolume ?? RigidTransform.Identity;
        var g = volume.Geometry;
        // pixel (x, y) → continuous voxel index is affine: idx = o + x·du + y·dv
        var o = g.PhysicalToIndex(t.TransformPoint(plane.PixelToPhysical(0, 0)));
        var du = g.PhysicalVectorToIndex(t.TransformVector(plane.U * plane.PixelSpacing));
        var dv = g.PhysicalVectorToIndex(t.TransformVector(plane.V * plane.PixelSpacing));
        var image = new Image2D(plane.Width, plane.Height);
        var px = image.Pixels;
        Parallel.For(0, plane.Height, y =>
        {
            var row = o + dv * y;
            long n = (long)y * plane.Width;
            for (int x = 0; x < plane.Width; x++, n++)
            {
                double ix = row.X + du.X * x, iy = row.Y + du.Y * x, iz = row.Z + du.Z * x;
                px[n] = (float)(mode == InterpolationMode.Nearest
                    ? Interpolator.SampleNearest(volume, ix, iy, iz, double.NaN)
                    : Interpolator.SampleLinear(volume, ix, iy, iz, double.NaN));
            }
        });
        return image;
    }

    /// <summary>Each pixel's point mapped through a general transform, then sampled.</summary>
    private static Image2D ResliceThrough<T>(Volume<T> volume, SlicePlane plane, ISpatialTransform t, InterpolationMode mode)
        where T : unmanaged, INumberBase<T>
    {
        var g = volume.Geometry;
        var image = new Image2D(plane.Width, plane.Height);
        var px = image.Pixels;
        Parallel.For(0, plane.Height, y =>
        {
            long n = (long)y * plane.Width;
            for (int x = 0; x < plane.Width; x++, n++)
            {
                var c = g.PhysicalToIndex(t.TransformPoint(plane.PixelToPhysical(x, y)));
                px[n] = (float)(mode == InterpolationMode.Nearest
                    ? Interpolator.SampleNearest(volume, c.X, c.Y, c.Z, double.NaN)
                    : Interpolator.SampleLinear(volume, c.X, c.Y, c.Z, double.NaN));
            }
        });
        return image;
    }
}
