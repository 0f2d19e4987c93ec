using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// How the phantom freezes: the probes' cooling (<see cref="Cooling"/>, the same <see cref="CryoCooling"/> model the
/// planner plans with) is summed over all probes; the ice ball is where the summed field reaches 0 °C (the visible ice
/// edge) and the lethal zone where it reaches <see cref="LethalIsothermC"/>. One probe's ice ball is therefore exactly its
/// 0 °C ellipsoid and its lethal zone its lethal-isotherm ellipsoid; several probes' ice balls merge into more than the
/// union of their single-probe shapes, as the planner expects them to.
/// Defaults from docs/CLINICAL.md: CryoMC's alternative single-probe ellipsoid 10.5 × 10.5 × 14 mm (semi-axes) centred
/// 5 mm behind the tip for 0 °C; the lethal −20 °C (001, 004) 5 mm inside it (cell death reliable 3–5 mm inside the edge,
/// Insights Imaging 2015): 5.5 × 5.5 × 9 mm.
/// </summary>
public sealed record CryoIsothermModel
{
    /// <summary>The documented defaults.</summary>
    public static CryoIsothermModel Default { get; } = new();

    /// <summary>One probe's isotherms and the summed cooling of several; must hold the 0 °C and the <see cref="LethalIsothermC"/> isotherms.</summary>
    public CryoCooling Cooling { get; init; } = new([new Isotherm(0, 10.5, 14), new Isotherm(-20, 5.5, 9)], 5, "phantom freeze");

    /// <summary>Temperature (°C) of the lethal zone's edge; one of <see cref="Cooling"/>'s isotherms.</summary>
    public double LethalIsothermC { get; init; } = -20;

    /// <summary>The 0 °C ellipsoid of one probe (the visible ice edge of a single probe).</summary>
    public ProbeZone Edge => ZoneAt(0) ?? throw new InvalidPhantomOptionsException("Isotherm.Cooling has no 0 °C isotherm.");

    /// <summary>The lethal-isotherm ellipsoid of one probe.</summary>
    public ProbeZone Lethal => ZoneAt(LethalIsothermC) ?? throw new InvalidPhantomOptionsException($"Isotherm.Cooling has no {LethalIsothermC} °C isotherm (LethalIsothermC).");

    /// <summary>The ellipsoid of the isotherm at <paramref name="temperatureC"/>, or null when the model has none there.</summary>
    public ProbeZone? ZoneAt(double temperatureC)
    {
        if (Cooling is null) return null;
        for (int n = 0; n < Cooling.Isotherms.Count; n++)
            if (Cooling.Isotherms[n].TemperatureC == temperatureC) return Cooling.Zones[n];
        return null;
    }
}
