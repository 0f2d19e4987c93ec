using System.Numerics;
using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>Starting transforms for rigid registration (ITK's <c>CenteredTransformInitializer</c> equivalents).</summary>
public static class RegistrationInitializer
{
    /// <summary>
    /// Aligns the geometric centres: rotation-free, centre of rotation at the fixed image's centre, translation
    /// from the fixed centre to the moving centre.
    /// </summary>
    public static RigidTransform GeometryCenter(VolumeGeometry fixedGeometry, VolumeGeometry movingGeometry)
    {
        ArgumentNullException.ThrowIfNull(fixedGeometry);
        ArgumentNullException.ThrowIfNull(movingGeometry);
        var fc = fixedGeometry.Center;
        return new RigidTransform(Versor.Identity, movingGeometry.Center - fc, fc);
    }

    /// <summary>
    /// Aligns the intensity centres of mass (first moments): rotation-free, centre of rotation at the fixed centre
    /// of mass. Weights are the voxel values minus the image minimum (inside the mask when one is given), so images
    /// with negative values (CT in HU) weigh their bright anatomy, not the air.
    /// </summary>
    /// <exception cref="RegistrationException">An image (or its mask) has no voxel above its minimum.</exception>
    public static RigidTransform Moments<TF, TM>(Volume<TF> fixedImage, Volume<TM> movingImage, Volume<byte>? fixedMask = null, Volume<byte>? movingMask = null)
        where TF : unmanaged, INumberBase<TF> where TM : unmanaged, INumberBase<TM>
    {
        var fc = CenterOfMass(fixedImage, fixedMask, "fixed");
        var mc = CenterOfMass(movingImage, movingMask, "moving");
        return new RigidTransform(Versor.Identity, mc - fc, fc);
    }

    /// <summary>
    /// Intensity-weighted centre of mass in LPS mm, weights = value − minimum (inside the mask when given; the mask
    /// must share the image's grid). Deterministic: per-slice sums added in slice order.
    /// </summary>
    public static Vec3 CenterOfMass<T>(Volume<T> image, Volume<byte>? mask = null, string role = "image")
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        if (mask is not null && !mask.Geometry.ApproximatelyEquals(image.Geometry, 1e-3))
            throw new RegistrationException($"The {role} mask must lie on the {role} image's grid ({image.Geometry}) to compute moments; resample it first.");
        var g = image.Geometry;
        double min = VolumeStatistics.Compute(image, mask).Min;
        if (double.IsNaN(min)) throw new RegistrationException($"The {role} mask is empty; it must cover the anatomy to register.");
        var sums = new double[g.Nz * 4];
        Parallel.For(0, g.Nz, k =>
        {
            double sw = 0, si = 0, sj = 0;
            var d = image.Data;
            var m = mask?.Data;
            for (int j = 0; j < g.Ny; j++)
            {
                long n = g.LinearIndex(0, j, k);
                double rowW = 0, rowI = 0;
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    if (m is not null && m[n] == 0) continue;
                    double w = double.CreateTruncating(d[n]) - min;
                    rowW += w; rowI += w * i;
                }
                sw += rowW; si += rowI; sj += rowW * j;
            }
            sums[4 * k] = sw; sums[4 * k + 1] = si; sums[4 * k + 2] = sj; sums[4 * k + 3] = sw * k;
        });
        double tw = 0, ti = 0, tj = 0, tk = 0;
        for (int k = 0; k < g.Nz; k++) { tw += sums[4 * k]; ti += sums[4 * k + 1]; tj += sums[4 * k + 2]; tk += sums[4 * k + 3]; }
        if (!(tw > 0)) throw new RegistrationException($"The {role} image is constant (inside its mask); there is nothing to register.");
        return g.IndexToPhysical(new Vec3(ti / tw, tj / tw, tk / tw));
    }
}
