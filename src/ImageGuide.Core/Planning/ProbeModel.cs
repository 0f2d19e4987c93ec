using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// An ablation applicator model — a cryoprobe, an RF electrode or an MW antenna (<see cref="Modality"/>) — and the
/// temperature field the planner derives from it. Every field is a "dose" Θ = |T − 37 °C| along rays from the zone's
/// centre, which lies <see cref="CentreOffsetMm"/> from the tip towards the entry.
/// <para>Cryo: the model of <see cref="CryoCooling"/> (<see cref="Cryo"/>), shared with the phantom's freeze: temperature
/// is linear in distance between the isotherms the ray meets, continues linearly inside the coldest one, and outside the
/// warmest it returns to body temperature exponentially with a continuous slope. A single probe therefore reproduces its
/// isotherms exactly. Several probes combine by adding their cooling (superposition), which merges neighbouring ice
/// balls into a larger one rather than a plain union.</para>
/// <para>Heat (RFA, MWA): one ablation-zone ellipsoid whose surface is at <see cref="ZoneTemperatureC"/> (the lethal
/// boundary). Outside it the excess temperature follows the steady-state bioheat solution around a sphere held at that
/// temperature, Θ(d) = Θ₀·(d₀/d)·exp(−(d − d₀)/L) (Pennes 1948) with L the perfusion length
/// (<see cref="PerfusionLengthMm"/>; +∞, pure conduction, unless the catalogue gives one: the conservative choice);
/// inside it rises linearly to <see cref="PeakTemperatureC"/> at the centre. Several applicators combine as the union of
/// their zones (the hottest applicator counts): published zone sizes are for one applicator, and overlap is not assumed
/// to enlarge them.</para>
/// </summary>
public sealed class ProbeModel
{
    /// <summary>Body temperature (°C) the cooling is measured from.</summary>
    public const double BodyTemperatureC = 37.0;

    private readonly Isotherm[] _warmFirst;
    private readonly ProbeZone[] _zones;
    private readonly CryoCooling? _cryo;

    /// <summary>Creates a model; isotherms must nest (colder ones strictly inside warmer ones).</summary>
    /// <exception cref="ImageGuideException">Fewer than two isotherms, non-positive sizes, or isotherms that do not nest.</exception>
    public ProbeModel(string name, string description, double diameterMm, bool approximate, string source,
        double centreOffsetMm, IReadOnlyList<Isotherm> isotherms)
    {
        Modality = AblationModality.Cryo;
        ArgumentNullException.ThrowIfNull(isotherms);
        if (string.IsNullOrWhiteSpace(name)) throw new ImageGuideException("A probe model has no name.");
        if (!(diameterMm > 0) || !double.IsFinite(centreOffsetMm))
            throw new ImageGuideException($"Probe model '{name}': diameterMm must be > 0 and centreOffsetMm finite.");
        _cryo = new CryoCooling(isotherms, centreOffsetMm, name);
        var sorted = _cryo.Isotherms.ToArray();
        Name = name;
        Description = description ?? "";
        DiameterMm = diameterMm;
        Approximate = approximate;
        Source = source ?? "";
        CentreOffsetMm = centreOffsetMm;
        _warmFirst = sorted;
        _zones = [.. _cryo.Zones];
        ZoneTemperatureC = sorted[0].TemperatureC;
        PeakTemperatureC = sorted[^1].TemperatureC;
        PerfusionLengthMm = double.PositiveInfinity;
    }

    /// <summary>
    /// Creates a heat applicator model (RF electrode or MW antenna): one ablation-zone ellipsoid of semi-axes
    /// <paramref name="radialMm"/> across and <paramref name="axialMm"/> along the shaft, centred
    /// <paramref name="centreFromTipMm"/> from the tip towards the entry, whose surface is at <paramref name="zoneTemperatureC"/>.
    /// </summary>
    /// <exception cref="ImageGuideException">Not a heat modality, non-positive sizes, or temperatures not above body temperature and rising inwards.</exception>
    public ProbeModel(string name, string description, double diameterMm, bool approximate, string source, AblationModality modality,
        double radialMm, double axialMm, double centreFromTipMm, double zoneTemperatureC, double peakTemperatureC,
        double perfusionLengthMm = double.PositiveInfinity)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ImageGuideException("An applicator model has no name.");
        if (modality == AblationModality.Cryo)
            throw new ImageGuideException($"Applicator model '{name}': a cryoprobe is described by its isotherms, not by one heat zone.");
        if (!Enum.IsDefined(modality)) throw new ImageGuideException($"Applicator model '{name}': unknown modality {modality}.");
        if (!(diameterMm > 0) || !(radialMm > 0) || !(axialMm > 0) || !double.IsFinite(radialMm + axialMm + centreFromTipMm))
            throw new ImageGuideException($"Applicator model '{name}': diameterMm and the zone's semi-axes must be > 0 and centreFromTipMm finite.");
        if (!(zoneTemperatureC > BodyTemperatureC) || !(peakTemperatureC > zoneTemperatureC) || !double.IsFinite(peakTemperatureC))
            throw new ImageGuideException($"Applicator model '{name}': the zone temperature ({zoneTemperatureC} °C) must be above {BodyTemperatureC} °C and the peak ({peakTemperatureC} °C) above the zone temperature.");
        if (!(perfusionLengthMm > 0)) throw new ImageGuideException($"Applicator model '{name}': perfusionLengthMm must be > 0 (or absent for pure conduction).");
        Name = name;
        Description = description ?? "";
        DiameterMm = diameterMm;
        Approximate = approximate;
        Source = source ?? "";
        Modality = modality;
        CentreOffsetMm = centreFromTipMm;
        ZoneTemperatureC = zoneTemperatureC;
        PeakTemperatureC = peakTemperatureC;
        PerfusionLengthMm = perfusionLengthMm;
        _warmFirst = [new Isotherm(zoneTemperatureC, radialMm, axialMm)];
        _zones = [new ProbeZone(radialMm, axialMm, centreFromTipMm)];
    }

    /// <summary>Cryoablation, radiofrequency or microwave ablation.</summary>
    public AblationModality Modality { get; }

    /// <summary>True for RF and MW applicators (a heat zone), false for cryoprobes.</summary>
    public bool IsHeat => Modality != AblationModality.Cryo;

    /// <summary>A cryoprobe's cooling model (isotherms, single-probe and summed cooling); null for heat applicators.</summary>
    public CryoCooling? Cryo => _cryo;

    /// <summary>
    /// Temperature (°C) of the edge the planner keeps clear of critical structures and the skin: the warmest isotherm of a
    /// cryoprobe (0 °C, the visible ice edge) or the ablation-zone surface of a heat applicator.
    /// </summary>
    public double ZoneTemperatureC { get; }

    /// <summary>Temperature (°C) at the zone's centre: the coldest isotherm of a cryoprobe; the modelled peak of a heat applicator.</summary>
    public double PeakTemperatureC { get; }

    /// <summary>Perfusion length L (mm) of the heat tail Θ₀·(d₀/d)·exp(−(d − d₀)/L); +∞ (pure conduction) for cryoprobes and by default.</summary>
    public double PerfusionLengthMm { get; }

    /// <summary>The zone reported in plan.json and drawn: the ablation zone of a heat applicator, the 0 °C ice ball of a cryoprobe.</summary>
    public ProbeZone Zone => _zones[0];

    /// <summary>Dose Θ = |T − 37| (K) at the zone edge (<see cref="ZoneTemperatureC"/>): what must not reach protected tissue.</summary>
    public double EdgeDose => Math.Abs(ZoneTemperatureC - BodyTemperatureC);

    /// <summary>
    /// Dose a goal voxel needs to count as ablated: cryo, the cooling to <paramref name="lethalIsothermC"/>; heat, the zone
    /// edge (the published zone is the lethal one).
    /// </summary>
    public double LethalDose(double lethalIsothermC) => IsHeat ? EdgeDose : BodyTemperatureC - lethalIsothermC;

    /// <summary>Temperature (°C) for a dose Θ of this modality: 37 − Θ for cryo, 37 + Θ for heat.</summary>
    public double TemperatureFromDose(double dose) => IsHeat ? BodyTemperatureC + dose : BodyTemperatureC - dose;

    /// <summary>Dose Θ = |T − 37| (K) of a temperature for this modality (negative on the wrong side of body temperature).</summary>
    public double DoseFromTemperature(double temperatureC) => IsHeat ? temperatureC - BodyTemperatureC : BodyTemperatureC - temperatureC;

    /// <summary>
    /// Distance (mm) from the zone centre beyond which <paramref name="n"/> applicators together cannot reach the edge dose
    /// around any one of them: for cryo the reach of 37/n K of one probe (superposed), for heat that of the edge dose (union).
    /// </summary>
    public double CombinedEdgeReachMm(int n) => IsHeat ? ReachMm(EdgeDose) : ReachMm(BodyTemperatureC / n);

    /// <summary>Dose Θ of this applicator alone at <paramref name="radialMm"/> from the shaft and <paramref name="axialMm"/> along it from the zone centre.</summary>
    public double Dose(double radialMm, double axialMm)
    {
        if (!IsHeat) return Cooling(radialMm, axialMm);
        double d = Math.Sqrt(radialMm * radialMm + axialMm * axialMm);
        if (d < 1e-9) return PeakTemperatureC - BodyTemperatureC;
        return HeatAlongRay(Math.Abs(radialMm) / d, Math.Abs(axialMm) / d, d);
    }

    private double HeatAlongRay(double cr, double ca, double d)
    {
        double d0 = _zones[0].RadiusTowards(cr, ca), theta0 = ZoneTemperatureC - BodyTemperatureC;
        if (d <= d0) return theta0 + (PeakTemperatureC - ZoneTemperatureC) * (1 - d / d0);
        double tail = theta0 * d0 / d;
        return double.IsPositiveInfinity(PerfusionLengthMm) ? tail : tail * Math.Exp(-(d - d0) / PerfusionLengthMm);
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
        if (_cryo is not null) return _cryo.ReachMm(cooling);
        double theta0 = ZoneTemperatureC - BodyTemperatureC;
        return RayReach.Max((cr, ca) =>
        {
            double d0 = _zones[0].RadiusTowards(cr, ca);
            if (!(cooling < theta0)) return d0;
            // the tail falls monotonically: bisect for the distance where it drops to the dose asked for
            double lo = d0, hi = d0 * theta0 / cooling;
            for (int it = 0; it < 60; it++)
            {
                double mid = 0.5 * (lo + hi);
                if (HeatAlongRay(cr, ca, mid) >= cooling) lo = mid; else hi = mid;
            }
            return hi;
        });
    }

    /// <summary>
    /// Cooling Θ = 37 °C − T (K) of this probe alone at radial distance <paramref name="radialMm"/> from the shaft axis and
    /// <paramref name="axialMm"/> along it from the ice-ball centre (negative, the heating, for a heat applicator).
    /// </summary>
    public double Cooling(double radialMm, double axialMm)
    {
        if (_cryo is null) return -Dose(radialMm, axialMm);
        return _cryo.Cooling(radialMm, axialMm);
    }
}
