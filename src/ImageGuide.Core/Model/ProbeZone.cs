using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>
/// The zone one probe makes, as an ellipsoid symmetric about its shaft: <see cref="RadialMm"/> across the shaft,
/// <see cref="AxialMm"/> along it, centred <see cref="CentreBehindTipMm"/> behind the tip. The phantom paints its ice
/// balls with one (the 0 °C edge), the ice-ball segmentation fits one to the visible ice, and each isotherm of a
/// planner's probe model is one; several probes' zones combine as their union. Values and sources in docs/CLINICAL.md.
/// </summary>
/// <param name="RadialMm">Semi-axis across the shaft, mm.</param>
/// <param name="AxialMm">Semi-axis along the shaft, mm.</param>
/// <param name="CentreBehindTipMm">Distance from the tip back along the shaft to the ellipsoid's centre, mm.</param>
public sealed record ProbeZone(double RadialMm, double AxialMm, double CentreBehindTipMm)
{
    /// <summary>The ellipsoid's centre for a probe with this <paramref name="tip"/> and unit <paramref name="axis"/> (entry → tip).</summary>
    public Vec3 Centre(Vec3 tip, Vec3 axis) => tip - axis * CentreBehindTipMm;

    /// <summary>Distance (mm) from the centre to the surface along a direction at cosines <paramref name="across"/> and <paramref name="along"/> to the shaft.</summary>
    public double RadiusTowards(double across, double along) =>
        1.0 / Math.Sqrt(across * across / (RadialMm * RadialMm) + along * along / (AxialMm * AxialMm));

    /// <summary>
    /// Approximate signed distance (mm, negative inside) of a point <paramref name="along"/> mm beyond the tip along the
    /// shaft and at squared distance <paramref name="across2"/> from its axis: the first-order distance (f − 1)/|∇f| of the
    /// ellipsoid's implicit function f.
    /// </summary>
    public double SignedDistance(double along, double across2)
    {
        double a = RadialMm, b = AxialMm, z = along + CentreBehindTipMm;
        double f = Math.Sqrt(across2 / (a * a) + z * z / (b * b));
        if (f < 1e-9) return -Math.Min(a, b);
        double grad = Math.Sqrt(across2 / (a * a * a * a) + z * z / (b * b * b * b)) / f;
        return (f - 1) / grad;
    }

    /// <summary>Approximate signed distance (mm, negative inside) from <paramref name="p"/> to the zone of the probe at <paramref name="tip"/> along unit <paramref name="axis"/> (entry → tip).</summary>
    public double SignedDistance(Vec3 p, Vec3 tip, Vec3 axis)
    {
        var d = p - tip;
        double along = Vec3.Dot(d, axis);
        return SignedDistance(along, Math.Max(0, Vec3.Dot(d, d) - along * along));
    }
}
