using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// The simulated freeze in the anatomy frame: probes along feasible posterior paths with their tips inside
/// the tumour, and the resulting ice ball and lethal zone: where the probes' summed cooling
/// (<see cref="CryoIsothermModel"/>, the planner's model) reaches 0 °C and the lethal isotherm. Immutable.
/// </summary>
public sealed class CryoProcedure
{
    /// <summary>Length of shaft and handle left outside the skin (mm); it is metal in the images too.</summary>
    public const double ExternalShaftMm = 40;

    internal CryoProcedure(IReadOnlyList<CryoProbe> probes, CryoIsothermModel model)
    {
        Probes = probes;
        Model = model;
        var axes = new List<(Vec3 Tip, Vec3 Axis)>(probes.Count);
        var shafts = new List<Capsule>();
        foreach (var p in probes)
        {
            axes.Add((p.Tip, p.Axis));
            shafts.Add(new Capsule(p.Tip, p.Entry - p.Axis * ExternalShaftMm, p.DiameterMm / 2));
        }
        IceBall = new CoolingIsosurface(model.Cooling, axes, 0);
        LethalZone = new CoolingIsosurface(model.Cooling, axes, model.LethalIsothermC);
        Shafts = shafts;
    }

    /// <summary>The freeze model the ice ball and lethal zone were made with.</summary>
    public CryoIsothermModel Model { get; }

    /// <summary>The probes in the anatomy frame (where they are: with <see cref="PlannedProbes"/>, the plan plus placement error).</summary>
    public IReadOnlyList<CryoProbe> Probes { get; }

    /// <summary>
    /// Where a plan put the probes (<see cref="PhantomOptions.PlannedProbes"/>, in the anatomy frame, same order as
    /// <see cref="Probes"/>), or null when the generator chose the paths itself.
    /// </summary>
    public IReadOnlyList<CryoProbe>? PlannedProbes { get; init; }

    /// <summary>The ice ball: where the probes' summed cooling reaches 0 °C.</summary>
    public Shape IceBall { get; }

    /// <summary>The lethal zone: where the probes' summed cooling reaches the model's lethal isotherm.</summary>
    public Shape LethalZone { get; }

    /// <summary>Metal of each probe: shaft from the tip to <see cref="ExternalShaftMm"/> outside the skin.</summary>
    public IReadOnlyList<Capsule> Shafts { get; }
}
