using System.Numerics;
using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>
/// Masks of the reconstructed field of view. A CBCT volume is usually a cylinder of real data inside a box padded
/// with one constant fill value; sampling the padding would make MI register the cylinder's edge instead of the
/// anatomy, so registration should sample only inside the field of view (pass the mask as fixed or moving mask).
/// </summary>
public static class FieldOfViewMask
{
    /// <summary>
    /// Voxels whose value differs from <paramref name="fillValue"/> (the image minimum when null), shrunk by
    /// <paramref name="marginVoxels"/> voxels along each axis (a box erosion) to drop the reconstruction's edge ring.
    /// </summary>
    /// <exception cref="RegistrationException">No voxel differs from the fill value.</exception>
    public static Volume<byte> FromFillValue<T>(Volume<T> image, double? fillValue = null, int marginVoxels = 2)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegative(marginVoxels);
        double fill = fillValue ?? VolumeStatistics.Compute(image).Min;
        var g = image.Geometry;
        var mask = new Volume<byte>(g, image.Metadata with { Units = null });
        var d = image.Data;
        var m = mask.Data;
        long count = 0;
        for (long n = 0; n < d.LongLength; n++)
            if (double.CreateTruncating(d[n]) != fill) { m[n] = 1; count++; }
        if (count == 0)
            throw new RegistrationException($"Every voxel equals the fill value {fill}; the image has no field of view to mask.");
        if (marginVoxels > 0) Erode(mask, marginVoxels);
        return mask;
    }

    /// <summary>Box erosion: a voxel stays set only if every voxel within <paramref name="r"/> along each axis is set (outside the grid counts as set).</summary>
    private static void Erode(Volume<byte> mask, int r)
    {
        var g = mask.Geometry;
        int[] n = [g.Nx, g.Ny, g.Nz];
        long[] stride = [1, g.Nx, (long)g.Nx * g.Ny];
        var src = mask.Data;
        var tmp = new byte[src.Length];
        for (int axis = 0; axis < 3; axis++)
        {
            int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2, len = n[axis];
            long s = stride[axis];
            Parallel.For(0, n[a2], c2 =>
            {
                for (int c1 = 0; c1 < n[a1]; c1++)
                {
                    long start = c1 * stride[a1] + c2 * stride[a2];
                    int lastZero = int.MinValue / 2; // position of the most recent 0 at or before i + r
                    for (int i = -r; i < len; i++)
                    {
                        int ahead = i + r;
                        if (ahead < len && src[start + ahead * s] == 0) lastZero = ahead;
                        if (i >= 0) tmp[start + i * s] = (byte)(src[start + i * s] != 0 && lastZero < i - r ? 1 : 0);
                    }
                }
            });
            Array.Copy(tmp, src, src.Length);
        }
    }
}
