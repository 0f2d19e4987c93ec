using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>One isotherm of a probe model: an ellipsoid about the ice-ball centre, symmetric about the shaft.</summary>
/// <param name="TemperatureC">Temperature of the isotherm (°C).</param>
/// <param name="RadialMm">Semi-axis across the shaft (mm).</param>
/// <param name="AxialMm">Semi-axis along the shaft (mm).</param>
public sealed record Isotherm(double TemperatureC, double RadialMm, double AxialMm);

/// <summary>
/// A cryoprobe model for one standard freeze, with its isotherm ellipsoids, and the temperature field the planner
/// derives from them. The field is built along each ray from the ice-ball centre: temperature is linear in distance
/// between the isotherms the ray meets, continues linearly inside the coldest one, and outside the warmest it returns
/// to body temperature as 37 − Θ₀·exp(−(d − d₀)/λ) with λ chosen so that the slope is continuous. A single probe
/// therefore reproduces its isotherms exactly. Several probes combine by adding their cooling Θ = 37 °C − T
/// (superposition of per-probe temperature fields, exact for linear heat conduction and an approximation once tissue
/// freezes), which merges neighbouring ice balls into a larger one rather than a plain union.
/// </summary>
public sealed class ProbeModel
{
    /// <summary>Body temperature (°C) the cooling is measured from.</summary>
    public const double BodyTemperatureC = 37.0;

    private readonly Isotherm[] _warmFirst;
    private readonly ProbeZone[] _zones;

    /// <summary>Creates a model; isotherms must nest (colder ones strictly inside warmer ones).</summary>
    /// <exception cref="ImageGuideException">Fewer than two isotherms, non-positive sizes, or isotherms that do not nest.</exception>
    public ProbeModel(string name, string description, double diameterMm, bool approximate, string source,
        double centreOffsetMm, IReadOnlyList<Isotherm> isotherms)
    {
        ArgumentNullException.ThrowIfNull(isotherms);
        if (string.IsNullOrWhiteSpace(name)) throw new ImageGuideException("A probe model has no name.");
        if (isotherms.Count < 2) throw new ImageGuideException($"Probe model '{name}' needs at least two isotherms (e.g. 0 °C and −20 °C), it has {isotherms.Count}.");
        if (!(diameterMm > 0) || !double.IsFinite(centreOffsetMm))
            throw new ImageGuideException($"Probe model '{name}': diameterMm must be > 0 and centreOffsetMm finite.");
        var sorted = isotherms.OrderByDescending(i => i.TemperatureC).ToArray();
        for (int n = 0; n < sorted.Length; n++)
        {
            var i = sorted[n];
            if (!(i.RadialMm > 0 && i.AxialMm > 0) || !double.IsFinite(i.RadialMm + i.AxialMm + i.TemperatureC) || i.TemperatureC >= BodyTemperatureC)
                throw new ImageGuideException($"Probe model '{name}': isotherm {i.TemperatureC} °C needs positive finite semi-axes and a temperature below {BodyTemperatureC} °C.");
            if (n > 0 && !(i.TemperatureC < sorted[n - 1].TemperatureC && i.RadialMm < sorted[n - 1].RadialMm && i.AxialMm < sorted[n - 1].AxialMm))
                throw new ImageGuideException($"Probe model '{name}': isotherm {i.TemperatureC} °C must lie strictly inside {sorted[n - 1].TemperatureC} °C and be colder.");
        }
        Name = name;
        Description = description ?? "";
        DiameterMm = diameterMm;
        Approximate = approximate;
        Source = source ?? "";
        CentreOffsetMm = centreOffsetMm;
        _warmFirst = sorted;
        _zones = Array.ConvertAll(sorted, i => new ProbeZone(i.RadialMm, i.AxialMm, centreOffsetMm));
    }

    /// <summary>Model name (the key in the catalogue).</summary>
    public string Name { get; }
    /// <summary>What the model represents.</summary>
    public string Description { get; }
    /// <summary>Probe shaft diameter (mm).</summary>
    public double DiameterMm { get; }
    /// <summary>True for approximate shapes (not vendor data).</summary>
    public bool Approximate { get; }
    /// <summary>Where the shapes come from.</summary>
    public string Source { get; }
    /// <summary>Distance (mm) of the ice-ball centre proximal to the probe tip, along the shaft.</summary>
    public double CentreOffsetMm { get; }
    /// <summary>Isotherms, warmest first.</summary>
    public IReadOnlyList<Isotherm> Isotherms => _warmFirst;

    /// <summary>Each isotherm's ellipsoid around one probe (centred <see cref="CentreOffsetMm"/> behind the tip), warmest first.</summary>
    public IReadOnlyList<ProbeZone> Zones => _zones;

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
        double best = 0;
        for (int a = 0; a <= 180; a++)
        {
            double angle = a * Math.PI / 360;
            double cr = Math.Sin(angle), ca = Math.Cos(angle);
            double d0 = _zones[0].RadiusTowards(cr, ca);
            double reach = d0;
            if (cooling < theta0)
            {
                double lambda = theta0 * (d0 - _zones[1].RadiusTowards(cr, ca)) / (theta1 - theta0);
                reach = d0 + lambda * Math.Log(theta0 / cooling);
            }
            best = Math.Max(best, reach);
        }
        return best * 1.01 + 0.5;
    }

    /// <summary>
    /// Cooling Θ = 37 °C − T (K) of this probe alone at radial distance <paramref name="radialMm"/> from the shaft axis and
    /// <paramref name="axialMm"/> along it from the ice-ball centre.
    /// </summary>
    public double Cooling(double radialMm, double axialMm)
    {
        double d = Math.Sqrt(radialMm * radialMm + axialMm * axialMm);
        if (d < 1e-9) return CoolingAlongRay(0, 1, 0);
        return CoolingAlongRay(Math.Abs(radialMm) / d, Math.Abs(axialMm) / d, d);
    }

    private double CoolingAlongRay(double cr, double ca, double d)
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
