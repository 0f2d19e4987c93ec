using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// The simulated freeze in the anatomy frame: probes along feasible posterior paths with their tips inside
/// the tumour, and the resulting ice ball (union of per-probe 0 °C ellipsoids) and lethal zone (union of the
/// inset ellipsoids). Immutable.
/// </summary>
public sealed class CryoProcedure
{
    /// <summary>Length of shaft and handle left outside the skin (mm); it is metal in the images too.</summary>
    public const double ExternalShaftMm = 40;

    private readonly List<Ellipsoid> _iceEllipsoids = [];

    internal CryoProcedure(IReadOnlyList<CryoProbe> probes, CryoIsothermModel model)
    {
        Probes = probes;
        var ice = new List<Shape>();
        var lethal = new List<Shape>();
        var shafts = new List<Capsule>();
        foreach (var p in probes)
        {
            var axis = p.Axis;
            var e = new Ellipsoid(model.Edge.Centre(p.Tip, axis),
                new Vec3(model.Edge.RadialMm, model.Edge.RadialMm, model.Edge.AxialMm), Shape.FrameAlong(axis));
            _iceEllipsoids.Add(e);
            ice.Add(e);
            lethal.Add(e.Inset(model.LethalInsetMm)!);
            shafts.Add(new Capsule(p.Tip, p.Entry - axis * ExternalShaftMm, p.DiameterMm / 2));
        }
        IceBall = new ShapeUnion(ice);
        LethalZone = new ShapeUnion(lethal);
        Shafts = shafts;
    }

    /// <summary>The probes in the anatomy frame (where they are: with <see cref="PlannedProbes"/>, the plan plus placement error).</summary>
    public IReadOnlyList<CryoProbe> Probes { get; }

    /// <summary>
    /// Where a plan put the probes (<see cref="PhantomOptions.PlannedProbes"/>, in the anatomy frame, same order as
    /// <see cref="Probes"/>), or null when the generator chose the paths itself.
    /// </summary>
    public IReadOnlyList<CryoProbe>? PlannedProbes { get; init; }

    /// <summary>The 0 °C isotherm ellipsoid of each probe.</summary>
    public IReadOnlyList<Ellipsoid> IceEllipsoids => _iceEllipsoids;

    /// <summary>The ice ball: union of the probes' 0 °C ellipsoids.</summary>
    public Shape IceBall { get; }

    /// <summary>The lethal zone: union of the probes' lethal ellipsoids.</summary>
    public Shape LethalZone { get; }

    /// <summary>Metal of each probe: shaft from the tip to <see cref="ExternalShaftMm"/> outside the skin.</summary>
    public IReadOnlyList<Capsule> Shafts { get; }
}
