using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// The solid where several cryoprobes' summed cooling (<see cref="CryoCooling.SummedCooling"/>) reaches an isotherm: the
/// phantom's multi-probe ice ball (0 °C) or lethal zone. Its distance bound is the cooling still missing (or in excess)
/// divided by the most the summed cooling can change per mm — n probes times <see cref="CryoCooling.MaxGradientPerMm"/> —
/// so it never exceeds the true distance to the surface, as <see cref="Shape"/> requires.
/// </summary>
internal sealed class CoolingIsosurface : Shape
{
    private readonly CryoCooling _cooling;
    private readonly Vec3[] _centres;
    private readonly Vec3[] _axes;
    private readonly double _level;
    private readonly double _inverseLipschitz;

    /// <summary>Creates the solid {Θ ≥ 37 − <paramref name="temperatureC"/>} of the probes given by tip and unit axis (entry → tip).</summary>
    public CoolingIsosurface(CryoCooling cooling, IReadOnlyList<(Vec3 Tip, Vec3 Axis)> probes, double temperatureC)
    {
        ArgumentNullException.ThrowIfNull(cooling);
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.Count == 0) throw new GeometryException("An isotherm of cryoprobes needs at least one probe.");
        _cooling = cooling;
        _level = CryoCooling.CoolingAt(temperatureC);
        if (!(_level > 0)) throw new GeometryException($"An isotherm of cryoprobes must be colder than body temperature; {temperatureC} °C is not.");
        _centres = new Vec3[probes.Count];
        _axes = new Vec3[probes.Count];
        for (int p = 0; p < probes.Count; p++)
        {
            _axes[p] = probes[p].Axis.Normalized();
            _centres[p] = probes[p].Tip - _axes[p] * cooling.CentreOffsetMm;
        }
        _inverseLipschitz = 1 / (probes.Count * cooling.MaxGradientPerMm);
        // n probes reach Θ only where one of them alone gives Θ / n
        double reach = cooling.ReachMm(_level / probes.Count);
        var r = new Vec3(reach, reach, reach);
        Vec3 min = _centres[0] - r, max = _centres[0] + r;
        foreach (var c in _centres)
        {
            min = new Vec3(Math.Min(min.X, c.X - reach), Math.Min(min.Y, c.Y - reach), Math.Min(min.Z, c.Z - reach));
            max = new Vec3(Math.Max(max.X, c.X + reach), Math.Max(max.Y, c.Y + reach), Math.Max(max.Z, c.Z + reach));
        }
        Bounds = (min, max);
    }

    /// <inheritdoc />
    public override (Vec3 Min, Vec3 Max) Bounds { get; }

    /// <inheritdoc />
    public override double SignedDistance(Vec3 p) =>
        (_level - _cooling.SummedCooling(_centres, _axes, _centres.Length, p.X, p.Y, p.Z)) * _inverseLipschitz;
}
