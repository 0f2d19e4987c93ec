using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// Pixel (x, y) of a plane, and depth t mm along its normal, mapped to a volume's continuous voxel index:
/// <c>index = O + x·Du + y·Dv + t·Dn</c>. Computed in double precision the same way core's
/// <see cref="Reslicer"/> does (plane point → transform → <see cref="VolumeGeometry.PhysicalToIndex"/>), so the GPU
/// samples exactly where the CPU reslice does.
/// </summary>
internal readonly record struct IndexMapping(Vec3 O, Vec3 Du, Vec3 Dv, Vec3 Dn)
{
    /// <summary>The mapping of <paramref name="plane"/> into <paramref name="geometry"/> through <paramref name="planeToVolume"/>.</summary>
    public static IndexMapping Of(SlicePlane plane, VolumeGeometry geometry, RigidTransform planeToVolume)
    {
        var o = geometry.PhysicalToIndex(planeToVolume.TransformPoint(plane.PixelToPhysical(0, 0)));
        var du = geometry.PhysicalVectorToIndex(planeToVolume.TransformVector(plane.U * plane.PixelSpacing));
        var dv = geometry.PhysicalVectorToIndex(planeToVolume.TransformVector(plane.V * plane.PixelSpacing));
        var dn = geometry.PhysicalVectorToIndex(planeToVolume.TransformVector(plane.Normal));
        return new IndexMapping(o, du, dv, dn);
    }
}
