using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// Single-probe ice-ball geometry used by the phantom: the 0 °C isotherm (visible ice edge) is a <see cref="ProbeZone"/>
/// around the probe axis, and the lethal zone the same ellipsoid shrunk by <see cref="LethalInsetMm"/>.
/// Defaults from docs/CLINICAL.md: CryoMC's alternative single-probe ellipsoid 10.5 × 10.5 × 14 mm (semi-axes) centred
/// 5 mm behind the tip; cell death reliable 3–5 mm inside the edge (Insights Imaging 2015) → 5 mm inset.
/// Multi-probe ice balls are the union of the per-probe ellipsoids.
/// </summary>
public sealed record CryoIsothermModel
{
    /// <summary>The documented defaults.</summary>
    public static CryoIsothermModel Default { get; } = new();

    /// <summary>The 0 °C ellipsoid of one probe.</summary>
    public ProbeZone Edge { get; init; } = new(RadialMm: 10.5, AxialMm: 14, CentreBehindTipMm: 5);

    /// <summary>How far inside the 0 °C edge the lethal isotherm lies (mm).</summary>
    public double LethalInsetMm { get; init; } = 5;
}
