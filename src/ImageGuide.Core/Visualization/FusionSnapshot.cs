using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Visualization;

/// <summary>A needle path to draw: entry and target in the base image's LPS space.</summary>
public readonly record struct TrajectoryLine(Vec3 Entry, Vec3 Target);

/// <summary>Everything a fused snapshot shows. The base image's physical space is the plane's space.</summary>
public sealed record SnapshotRequest
{
    /// <summary>Base (fixed) image, e.g. CT or CBCT.</summary>
    public required Volume<float> Image { get; init; }
    /// <summary>Plane to render, in the base image's space.</summary>
    public required SlicePlane Plane { get; init; }
    /// <summary>Window of the base image; null = CT soft tissue for HU images, 1–99 % percentiles otherwise.</summary>
    public WindowLevel? Window { get; init; }
    /// <summary>Colours of the base image.</summary>
    public ColorMap ImageColors { get; init; } = ColorMap.Grey;
    /// <summary>Optional second (moving) image, e.g. MR.</summary>
    public Volume<float>? Overlay { get; init; }
    /// <summary>Maps base-image points to overlay points (a registration result fixed → moving); identity when null.</summary>
    public ISpatialTransform? ImageToOverlay { get; init; }
    /// <summary>Window of the overlay; null = 1–99 % percentiles of the overlay's slice.</summary>
    public WindowLevel? OverlayWindow { get; init; }
    /// <summary>Colours of the overlay (alpha mode); checkerboard and difference use grey for both.</summary>
    public ColorMap OverlayColors { get; init; } = ColorMap.Hot;
    /// <summary>How base and overlay are combined.</summary>
    public FusionMode Mode { get; init; } = FusionMode.Alpha;
    /// <summary>Overlay opacity in alpha mode.</summary>
    public double Opacity { get; init; } = 0.5;
    /// <summary>Checkerboard tile size in pixels.</summary>
    public int TilePixels { get; init; } = 32;
    /// <summary>Optional label map drawn as tinted regions with outlines (Body labels are not drawn).</summary>
    public LabelMap? Labels { get; init; }
    /// <summary>Maps base-image points to label-map points; identity when null.</summary>
    public ISpatialTransform? ImageToLabels { get; init; }
    /// <summary>Modelled temperature (°C) at a point of the base image's space, e.g. <c>ProbeTemperatureField.TemperatureAt</c>; isotherms are drawn when set.</summary>
    public Func<Vec3, double>? Temperature { get; init; }
    /// <summary>Isotherms drawn from <see cref="Temperature"/>: 0 °C (visible ice edge, cyan), −20 °C (blue), −40 °C (magenta) by default.</summary>
    public IReadOnlyList<(double TemperatureC, Rgb Color)> Isotherms { get; init; } = FusionSnapshot.DefaultIsotherms;
    /// <summary>Legend names of <see cref="Isotherms"/>, in the same order; null: their temperatures, e.g. "−20 °C".</summary>
    public IReadOnlyList<string>? IsothermLabels { get; init; }
    /// <summary>Needle paths drawn with 1 cm depth ticks.</summary>
    public IReadOnlyList<TrajectoryLine> Trajectories { get; init; } = [];
    /// <summary>
    /// Cement-access cannula paths (entry to target in the vertebral body), drawn dashed in
    /// <see cref="SnapshotScene.AccessPathColor"/> without depth ticks and named in the legend beside the ablation paths.
    /// </summary>
    public IReadOnlyList<TrajectoryLine> AccessPaths { get; init; } = [];
    /// <summary>
    /// Write the depth from the entry at every 5th tick of the first in-plane needle; off when a path's start is not
    /// the skin entry (e.g. a probe shaft drawn from an arbitrary point behind the tip).
    /// </summary>
    public bool DepthLabels { get; init; } = true;
    /// <summary>The view's name drawn top-left, e.g. "Axial through the tip"; none when null.</summary>
    public string? Title { get; init; }
}

/// <summary>
/// Renders <see cref="SnapshotRequest"/>s: <see cref="SnapshotScene.Build"/> computes the picture and its annotations,
/// <see cref="Renderer"/> draws them. Pure CPU, no display.
/// </summary>
public static class FusionSnapshot
{
    private static ISnapshotRenderer _renderer = ManagedSnapshotRenderer.Instance;

    /// <summary>Isotherms shown by default: 0 °C (visible ice edge) cyan, −20 °C blue, −40 °C magenta.</summary>
    public static IReadOnlyList<(double TemperatureC, Rgb Color)> DefaultIsotherms { get; } =
        [(0, new Rgb(0, 255, 255)), (-20, new Rgb(60, 120, 255)), (-40, new Rgb(255, 0, 255))];

    /// <summary>
    /// The renderer of every snapshot in the process (the workflows' PNGs included): <see cref="ManagedSnapshotRenderer"/>
    /// (no text, no native library) unless the application sets another at start-up, as the CLI does with
    /// ImageGuide.Rendering's Skia renderer (anti-aliased lines, an embedded font).
    /// </summary>
    public static ISnapshotRenderer Renderer
    {
        get => Volatile.Read(ref _renderer);
        set => Volatile.Write(ref _renderer, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Renders the snapshot with <see cref="Renderer"/>.</summary>
    public static RgbaImage Render(SnapshotRequest request) => Renderer.Render(SnapshotScene.Build(request));

    /// <summary>
    /// Renders the snapshot with <see cref="Renderer"/> and writes it as PNG, with the scene's
    /// <see cref="SnapshotScene.Description"/> (orientation, pixel size, scale bar, legend) as tEXt chunks.
    /// </summary>
    public static void Write(SnapshotRequest request, string path)
    {
        var scene = SnapshotScene.Build(request);
        PngExport.Write(Renderer.Render(scene), path, scene.Description());
    }

    /// <summary>Colour of each drawable label: its table colour, else by role (Target red, Critical yellow, Bone light blue, Other by value).</summary>
    public static IReadOnlyDictionary<int, Rgb> LabelColors(LabelTable table)
    {
        var colors = new Dictionary<int, Rgb>();
        foreach (var l in table.Labels)
        {
            if (l.Role == LabelRole.Body) continue;
            colors[l.Value] = l.Color is { } c ? new Rgb(c.R, c.G, c.B) : l.Role switch
            {
                LabelRole.Target => new Rgb(255, 40, 40),
                LabelRole.Critical => new Rgb(255, 220, 0),
                LabelRole.Bone => new Rgb(150, 200, 255),
                _ => new Rgb((byte)(80 + l.Value * 53 % 176), (byte)(80 + l.Value * 97 % 176), (byte)(80 + l.Value * 31 % 176)),
            };
        }
        return colors;
    }
}
