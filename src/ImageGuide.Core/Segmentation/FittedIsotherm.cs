using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>
/// The 0 °C isotherm model fitted to the visible ice: every probe has the same single-probe 0 °C ellipsoid
/// (<see cref="Zone"/>) and, <see cref="LethalInsetMm"/> inside it, the lethal isotherm; the probes' cooling adds
/// (<see cref="Cooling"/>, the <see cref="CryoCooling"/> model the planner plans with and the phantom freezes with), and
/// the ice ball is where the sum reaches 0 °C — one probe's ice is its ellipsoid, several probes' ice merges into more
/// than their union. Where ice runs into bone, which hides it, the segmentation takes the ice from this model.
/// </summary>
public sealed record FittedIsotherm
{
    /// <summary>Creates the model of a fitted single-probe 0 °C ellipsoid.</summary>
    /// <param name="zone">The fitted single-probe 0 °C ellipsoid (semi-axes across and along the shaft, centre behind the tip).</param>
    /// <param name="agreement">Weighted fraction of the confidently classified voxels the model agrees with (0–1).</param>
    /// <param name="lethalInsetMm">How far inside the 0 °C edge of one probe the lethal isotherm lies (mm), which sets how fast the cooling falls outside.</param>
    /// <param name="lethalIsothermC">Temperature of that lethal isotherm (°C).</param>
    public FittedIsotherm(ProbeZone zone, double agreement, double lethalInsetMm, double lethalIsothermC)
    {
        ArgumentNullException.ThrowIfNull(zone);
        Zone = zone;
        Agreement = agreement;
        LethalInsetMm = lethalInsetMm;
        Cooling = CoolingFor(zone, lethalInsetMm, lethalIsothermC);
        // across the shaft the cooling falls by the lethal isotherm's Θ − 37 K over the inset inside the edge, and outside it
        // decays as 37·exp(−s/λ) with the same slope at the edge (CryoCooling)
        double inner = Cooling.Zones[1].RadialMm;
        _slope = (CryoCooling.CoolingAt(Cooling.Isotherms[1].TemperatureC) - EdgeCooling) / (zone.RadialMm - inner);
        _lambda = EdgeCooling / _slope;
    }

    private const double EdgeCooling = CryoCooling.BodyTemperatureC; // Θ at 0 °C
    private readonly double _slope;
    private readonly double _lambda;

    /// <summary>The fitted single-probe 0 °C ellipsoid.</summary>
    public ProbeZone Zone { get; }

    /// <summary>Weighted fraction of the confidently classified voxels the model agrees with (0–1).</summary>
    public double Agreement { get; }

    /// <summary>How far inside one probe's 0 °C edge its lethal isotherm lies (mm).</summary>
    public double LethalInsetMm { get; }

    /// <summary>The cooling model: <see cref="Zone"/> at 0 °C and the lethal isotherm inside it.</summary>
    public CryoCooling Cooling { get; }

    /// <summary>
    /// The cooling model of a single-probe 0 °C ellipsoid <paramref name="zone"/> with the lethal isotherm
    /// <paramref name="lethalInsetMm"/> inside it (at least a quarter of each semi-axis kept, so small zones stay valid).
    /// </summary>
    internal static CryoCooling CoolingFor(ProbeZone zone, double lethalInsetMm, double lethalIsothermC) =>
        new([new Isotherm(0, zone.RadialMm, zone.AxialMm),
             new Isotherm(lethalIsothermC, Math.Max(zone.RadialMm - lethalInsetMm, zone.RadialMm / 4), Math.Max(zone.AxialMm - lethalInsetMm, zone.AxialMm / 4))],
            zone.CentreBehindTipMm, "fitted isotherm");

    /// <summary>
    /// Approximate signed distance (mm, negative inside) from a point to the 0 °C surface of the probes' summed cooling Θ:
    /// outside λ·ln(37 / Θ), inside −(Θ − 37) / slope, with the slope and decay length λ of one probe across its shaft —
    /// exact across the shaft of a single probe, and monotone in Θ everywhere.
    /// </summary>
    public double SignedDistance(Vec3 p, IReadOnlyList<ProbeAxis> probes)
    {
        double theta = 0;
        for (int q = 0; q < probes.Count; q++)
        {
            var d = p - probes[q].Tip;
            double along = Vec3.Dot(d, probes[q].Axis);
            theta += Cooling.Cooling(Math.Sqrt(Math.Max(0, Vec3.Dot(d, d) - along * along)), along + Zone.CentreBehindTipMm);
        }
        return DistanceFromCooling(theta);
    }

    /// <summary>The signed distance of <see cref="SignedDistance"/> for a summed cooling <paramref name="theta"/> (K).</summary>
    internal double DistanceFromCooling(double theta) =>
        theta >= EdgeCooling ? -(theta - EdgeCooling) / _slope : _lambda * Math.Log(EdgeCooling / Math.Max(theta, 1e-12));
}
