using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>
/// The 0 °C isotherm model fitted to the visible ice: around every probe an ellipsoid symmetric about the shaft with
/// <see cref="RadialMm"/> across and <see cref="AxialMm"/> along it, centred <see cref="CentreBehindTipMm"/> behind the tip
/// (the same family as the phantom's <c>CryoIsothermModel</c> and the planner's isotherms); the ice ball is their union.
/// Where ice runs into bone, which hides it, the segmentation takes the ice from this model.
/// </summary>
/// <param name="RadialMm">Semi-axis across the probe, mm.</param>
/// <param name="AxialMm">Semi-axis along the probe, mm.</param>
/// <param name="CentreBehindTipMm">Distance from the tip back along the shaft to the ellipsoid centre, mm.</param>
/// <param name="Agreement">Weighted fraction of the confidently classified voxels the model agrees with (0–1).</param>
public sealed record FittedIsotherm(double RadialMm, double AxialMm, double CentreBehindTipMm, double Agreement)
{
    /// <summary>
    /// Approximate signed distance (mm, negative inside) from a point to the union of the probes' ellipsoids: the
    /// first-order distance (f − 1)/|∇f| of each ellipsoid's implicit function f, the smallest over the probes.
    /// </summary>
    public double SignedDistance(Vec3 p, IReadOnlyList<ProbeAxis> probes)
    {
        double best = double.PositiveInfinity;
        foreach (var probe in probes)
        {
            var d = p - probe.Tip;
            double along = Vec3.Dot(d, probe.Axis);
            double across2 = Math.Max(0, Vec3.Dot(d, d) - along * along);
            best = Math.Min(best, Distance(along, across2));
        }
        return best;
    }

    internal double Distance(double along, double across2)
    {
        double a = RadialMm, b = AxialMm, z = along + CentreBehindTipMm;
        double f2 = across2 / (a * a) + z * z / (b * b);
        double f = Math.Sqrt(f2);
        if (f < 1e-9) return -Math.Min(a, b);
        double grad = Math.Sqrt(across2 / (a * a * a * a) + z * z / (b * b * b * b)) / f;
        return (f - 1) / grad;
    }
}
