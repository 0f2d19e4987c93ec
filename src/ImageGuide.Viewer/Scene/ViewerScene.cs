using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Scene;

/// <summary>A needle path in LPS mm.</summary>
/// <param name="Entry">Skin entry point.</param>
/// <param name="Target">Tip position.</param>
public readonly record struct Trajectory(Vec3 Entry, Vec3 Target);

/// <summary>
/// What the viewer shows, all in the base (fixed) image's LPS frame: the base volume, an optional overlay with the
/// fixed → moving transform that maps base points into it, an optional label map (in the base frame) with colours,
/// and planned trajectories. Immutable; the interactive state lives in <see cref="ViewState"/>.
/// </summary>
public sealed record ViewerScene
{
    /// <summary>Creates a scene around a base volume.</summary>
    public ViewerScene(Volume<float> baseVolume)
    {
        ArgumentNullException.ThrowIfNull(baseVolume);
        Base = baseVolume;
    }

    /// <summary>The base (fixed) volume, real values (HU for CT).</summary>
    public Volume<float> Base { get; }

    /// <summary>The overlay (moving) volume, or null.</summary>
    public Volume<float>? Overlay { get; init; }

    /// <summary>Maps base (fixed) points to overlay (moving) points; identity when the two share a frame.</summary>
    public RigidTransform OverlayTransform { get; init; } = RigidTransform.Identity;

    /// <summary>Label map in the base frame (0 = background), or null.</summary>
    public Volume<byte>? Labels { get; init; }

    /// <summary>Colour of each label value; values without a colour are not drawn.</summary>
    public IReadOnlyDictionary<int, Rgb> LabelColors { get; init; } = new Dictionary<int, Rgb>();

    /// <summary>Planned needle paths.</summary>
    public IReadOnlyList<Trajectory> Trajectories { get; init; } = [];

    /// <summary>Modelled temperature (°C) at a base-space point from the plan's probes; its isotherms are drawn on the MPR panes.</summary>
    public Func<Vec3, double>? Temperature { get; init; }

    /// <summary>
    /// Isotherms drawn from <see cref="Temperature"/> with their colours, as core's snapshots: 0 °C cyan, −20 blue, −40 magenta
    /// for cryoprobes (the default); the 50 °C zone edge red and the 45 °C neural limit orange for RF and MW
    /// (<see cref="App.SceneLoader.IsothermsOf"/> picks them from the plan).
    /// </summary>
    public IReadOnlyList<(double TemperatureC, Rgb Color)> Isotherms { get; init; } = FusionSnapshot.DefaultIsotherms;
}
