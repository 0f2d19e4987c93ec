using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>
/// The 0 °C isotherm model fitted to the visible ice: around every probe the same <see cref="ProbeZone"/> (the family of
/// the phantom's ice balls and the planner's isotherms); the ice ball is their union. Where ice runs into bone, which
/// hides it, the segmentation takes the ice from this model.
/// </summary>
/// <param name="Zone">The fitted ellipsoid (semi-axes across and along the shaft, centre behind the tip).</param>
/// <param name="Agreement">Weighted fraction of the confidently classified voxels the model agrees with (0–1).</param>
public sealed record FittedIsotherm(ProbeZone Zone, double Agreement)
{
    /// <summary>Approximate signed distance (mm, negative inside) from a point to the union of the probes' zones.</summary>
    public double SignedDistance(Vec3 p, IReadOnlyList<ProbeAxis> probes)
    {
        double best = double.PositiveInfinity;
        foreach (var probe in probes) best = Math.Min(best, Zone.SignedDistance(p, probe.Tip, probe.Axis));
        return best;
    }
}
