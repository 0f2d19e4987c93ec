namespace ImageGuide.Phantoms;

/// <summary>
/// Single-probe ice-ball geometry used by the phantom: the 0 °C isotherm (visible ice edge) is an ellipsoid
/// around the probe axis, and the lethal zone the same ellipsoid shrunk by <see cref="LethalInsetMm"/>.
/// Defaults from docs/CLINICAL.md: CryoMC's alternative single-probe ellipsoid 10.5 × 10.5 × 14 mm
/// (semi-axes), cell death reliable 3–5 mm inside the edge (Insights Imaging 2015) → 5 mm inset.
/// Multi-probe ice balls are the union of the per-probe ellipsoids.
/// </summary>
/// <param name="RadialRadiusMm">Semi-axis of the 0 °C ellipsoid perpendicular to the probe (mm).</param>
/// <param name="AxialRadiusMm">Semi-axis of the 0 °C ellipsoid along the probe (mm).</param>
/// <param name="CenterBehindTipMm">Distance from the probe tip back along the shaft to the ellipsoid centre (mm).</param>
/// <param name="LethalInsetMm">How far inside the 0 °C edge the lethal isotherm lies (mm).</param>
public sealed record CryoIsothermModel(
    double RadialRadiusMm = 10.5,
    double AxialRadiusMm = 14,
    double CenterBehindTipMm = 5,
    double LethalInsetMm = 5)
{
    /// <summary>The documented defaults.</summary>
    public static CryoIsothermModel Default { get; } = new();
}
