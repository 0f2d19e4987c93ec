using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>
/// The cooling Θ = 37 °C − T (K) of cryoprobes, from one probe's nested isotherm ellipsoids: the one temperature model
/// that the planner plans with (<c>ProbeModel</c>, <c>ProbeTemperatureField</c>) and that the phantom freezes with
/// (<c>CryoIsothermModel</c>), so a plan and the simulated freeze of its probes agree wherever the probes are where the
/// plan put them.
/// <para>One probe: along each ray from the ice-ball centre (<see cref="CentreOffsetMm"/> behind the tip) the temperature
/// is linear in distance between the isotherms the ray meets, continues linearly inside the coldest one, and outside
/// the warmest it returns to body temperature as 37 − Θ₀·exp(−(d − d₀)/λ) with λ chosen so that the slope is
/// continuous. A single probe therefore reproduces its isotherms exactly.</para>
/// <para>Several probes: their cooling adds (<see cref="SummedCooling"/>; superposition of per-probe temperature fields,
/// exact for linear heat conduction and an approximation once tissue freezes), which merges neighbouring ice balls into
/// a larger one rather than a plain union of the single-probe ellipsoids.</para>
/// Immutable and thread-safe.
/// </summary>
public sealed class CryoCooling
{
    /// <summary>Body temperature (°C) the cooling is measured from.</summary>
    public const double BodyTemperatureC = 37.0;

    private readonly Isotherm[] _warmFirst;
    private readonly ProbeZone[] _zones;
    private readonly Lazy<double> _maxGradient;

    /// <summary>
    /// Creates the model of one probe's isotherms (any order; at least two, colder ones strictly inside warmer ones, all
    /// below body temperature) around a centre <paramref name="centreOffsetMm"/> behind the tip.
    /// </summary>
    /// <param name="isotherms">The isotherm ellipsoids of one probe.</param>
    /// <param name="centreOffsetMm">Distance (mm) of the ice-ball centre behind the tip, along the shaft.</param>
    /// <param name="name">Name used in error messages (e.g. the catalogue's model name).</param>
    /// <exception cref="ImageGuideException">Fewer than two isotherms, non-positive sizes, or isotherms that do not nest.</exception>
    public CryoCooling(IReadOnlyList<Isotherm> isotherms, double centreOffsetMm, string name = "cryo isotherm model")
    {
        ArgumentNullException.ThrowIfNull(isotherms);
        if (isotherms.Count < 2) throw new ImageGuideException($"Probe model '{name}' needs at least two isotherms (e.g. 0 °C and −20 °C), it has {isotherms.Count}.");
        if (!double.IsFinite(centreOffsetMm)) throw new ImageGuideException($"Probe model '{name}': centreOffsetMm must be finite.");
        var sorted = new Isotherm[isotherms.Count];
        for (int n = 0; n < sorted.Length; n++)
            sorted[n] = isotherms[n] ?? throw new ImageGuideException($"Probe model '{name}': isotherm {n + 1} is missing.");
        Array.Sort(sorted, (a, b) => b.TemperatureC.CompareTo(a.TemperatureC));
        for (int n = 0; n < sorted.Length; n++)
        {
            var i = sorted[n];
            if (!(i.RadialMm > 0 && i.AxialMm > 0) || !double.IsFinite(i.RadialMm + i.AxialMm + i.TemperatureC) || i.TemperatureC >= BodyTemperatureC)
                throw new ImageGuideException($"Probe model '{name}': isotherm {i.TemperatureC} °C needs positive finite semi-axes and a temperature below {BodyTemperatureC} °C.");
            if (n > 0 && !(i.TemperatureC < sorted[n - 1].TemperatureC && i.RadialMm < sorted[n - 1].RadialMm && i.AxialMm < sorted[n - 1].AxialMm))
                throw new ImageGuideException($"Probe model '{name}': isotherm {i.TemperatureC} °C must lie strictly inside {sorted[n - 1].TemperatureC} °C and be colder.");
        }
        _warmFirst = sorted;
        _zones = Array.ConvertAll(sorted, i => new ProbeZone(i.RadialMm, i.AxialMm, centreOffsetMm));
        CentreOffsetMm = centreOffsetMm;
        _maxGradient = new Lazy<double>(EstimateMaxGradient);
    }

    /// <summary>Isotherms, warmest first.</summary>
    public IReadOnlyList<Isotherm> Isotherms => _warmFirst;

    /// <summary>Each isotherm's ellipsoid around one probe (centred <see cref="CentreOffsetMm"/> behind the tip), warmest first.</summary>
    public IReadOnlyList<ProbeZone> Zones => _zones;

    /// <summary>Distance (mm) of the ice-ball centre behind the probe tip, along the shaft.</summary>
    public double CentreOffsetMm { get; }

    /// <summary>Cooling Θ (K) that reaches <paramref name="temperatureC"/>: 37 − T.</summary>
    public static double CoolingAt(double temperatureC) => BodyTemperatureC - temperatureC;

    /// <summary>
    /// Cooling Θ = 37 °C − T (K) of one probe alone at radial distance <paramref name="radialMm"/> from the shaft axis and
    /// <paramref name="axialMm"/> along it from the ice-ball centre.
    /// </summary>
    public double Cooling(double radialMm, double axialMm)
    {
        double d = Math.Sqrt(radialMm * radialMm + axialMm * axialMm);
        if (d < 1e-9) return AlongRay(0, 1, 0);
        return AlongRay(Math.Abs(radialMm) / d, Math.Abs(axialMm) / d, d);
    }

    /// <summary>
    /// Summed cooling Θ (K) of the first <paramref name="count"/> probes, each given by its ice-ball centre
    /// (<see cref="ProbeZone.Centre"/> with <see cref="CentreOffsetMm"/>) and unit axis (entry → tip), at the physical
    /// point (<paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/>). The temperature there is 37 − Θ.
    /// </summary>
    public double SummedCooling(Vec3[] centres, Vec3[] axes, int count, double x, double y, double z)
    {
        double sum = 0;
        for (int p = 0; p < count; p++)
        {
            var (across, along) = AxisCoordinates.Of(centres[p], axes[p], x, y, z);
            sum += Cooling(across, along);
        }
        return sum;
    }

    /// <summary>
    /// Distance (mm) from the ice-ball centre beyond which this probe alone cools by less than <paramref name="cooling"/> K
    /// in every direction (rays sampled every 0.5°, with a 1 % + 0.5 mm margin). n probes together can only reach
    /// Θ where one of them is within <c>ReachMm(Θ / n)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cooling"/> is not positive.</exception>
    public double ReachMm(double cooling)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cooling);
        var iso = _warmFirst;
        double theta0 = BodyTemperatureC - iso[0].TemperatureC, theta1 = BodyTemperatureC - iso[1].TemperatureC;
        return RayReach.Max((cr, ca) =>
        {
            double d0 = _zones[0].RadiusTowards(cr, ca);
            if (!(cooling < theta0)) return d0;
            double lambda = theta0 * (d0 - _zones[1].RadiusTowards(cr, ca)) / (theta1 - theta0);
            return d0 + lambda * Math.Log(theta0 / cooling);
        });
    }

    /// <summary>
    /// An upper bound (K/mm) on the magnitude of one probe's cooling gradient anywhere: the largest central difference over
    /// a 0.1 mm grid of the (radial, axial) half-plane out to the reach of 0.5 K, times 1.25. n probes' summed cooling
    /// changes by at most n times this per mm, which turns a cooling difference into a distance bound.
    /// </summary>
    public double MaxGradientPerMm => _maxGradient.Value;

    private double EstimateMaxGradient()
    {
        const double h = 0.1;
        double extent = ReachMm(0.5), best = 0;
        for (double r = h / 2; r <= extent; r += h)
            for (double a = -extent; a <= extent; a += h)
            {
                double gr = (Cooling(r + h / 2, a) - Cooling(r - h / 2, a)) / h;
                double ga = (Cooling(r, a + h / 2) - Cooling(r, a - h / 2)) / h;
                best = Math.Max(best, Math.Sqrt(gr * gr + ga * ga));
            }
        return 1.25 * best;
    }

    private double AlongRay(double cr, double ca, double d)
    {
        var iso = _warmFirst;
        double prevD = _zones[0].RadiusTowards(cr, ca), prevTheta = BodyTemperatureC - iso[0].TemperatureC;
        double nextD = _zones[1].RadiusTowards(cr, ca), nextTheta = BodyTemperatureC - iso[1].TemperatureC;
        if (d >= prevD)
        {
            double lambda = prevTheta * (prevD - nextD) / (nextTheta - prevTheta);
            return prevTheta * Math.Exp(-(d - prevD) / lambda);
        }
        for (int n = 1; ; n++)
        {
            if (d >= nextD || n == iso.Length - 1)
                return prevTheta + (nextTheta - prevTheta) * (prevD - d) / (prevD - nextD);
            prevD = nextD; prevTheta = nextTheta;
            nextD = _zones[n + 1].RadiusTowards(cr, ca);
            nextTheta = BodyTemperatureC - iso[n + 1].TemperatureC;
        }
    }
}
