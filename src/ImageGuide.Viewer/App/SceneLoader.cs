using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;
using ImageGuide.Viewer.Scene;
using ImageGuide.Visualization;
using ImageGuide.Workflows;

namespace ImageGuide.Viewer.App;

/// <summary>Builds a <see cref="ViewerScene"/> from the command line with core's readers.</summary>
public static class SceneLoader
{
    /// <summary>Loads the files named in <paramref name="options"/> (or builds the synthetic scene).</summary>
    /// <exception cref="ImageGuideException">A file is missing, unreadable or of an unsupported kind.</exception>
    public static ViewerScene Load(ViewerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scene = options.Synthetic is var (nx, ny, nz)
            ? SyntheticScene.Create(nx, ny, nz, options.SyntheticSpacing, cancellationToken)
            : new ViewerScene(VolumeReader.Read(options.Path!, cancellationToken: cancellationToken).Volume);
        if (options.Overlay is not null)
        {
            var overlay = VolumeReader.Read(options.Overlay, cancellationToken: cancellationToken).Volume;
            var transform = options.Transform is null ? RigidTransform.Identity : TransformIO.ReadAny(options.Transform, cancellationToken);
            // the GPU samples the overlay through one rigid matrix; a displacement field (a per-vertebra fusion) is
            // applied once here instead, the overlay resampled onto the base grid (as Slicer hardens a transform)
            scene = transform is RigidTransform rigid
                ? scene with { Overlay = overlay, OverlayTransform = rigid }
                : scene with
                {
                    Overlay = Resampler.Resample(overlay, scene.Base.Geometry, transform, InterpolationMode.Linear, 0f, cancellationToken),
                    OverlayTransform = RigidTransform.Identity,
                };
        }
        if (options.Labels is not null)
        {
            var labels = VolumeReader.Read<byte>(options.Labels, cancellationToken: cancellationToken);
            string? tablePath = options.LabelTable ?? BesideTable(options.Labels);
            var colors = tablePath is null ? DefaultLabelColors(labels) : LabelColors(LabelTableJson.Read(tablePath));
            scene = scene with { Labels = labels, LabelColors = colors };
        }
        if (options.Plan is not null)
        {
            var plan = PlanFile.Read(options.Plan);
            scene = scene with
            {
                Trajectories = plan.Trajectories.Select(t => new Trajectory(t.Entry, t.Target)).ToList(),
                Temperature = plan.ProbeField is { } field ? field.TemperatureAt : null,
                Isotherms = IsothermsOf(plan),
            };
        }
        return scene;
    }

    /// <summary>
    /// The isotherms to draw for a plan, as its snapshots draw them: for RF and MW applicators the 50 °C zone edge and the
    /// neural heat limit (the plan's own <c>thermalProtection</c> limit, else <see cref="PlanningConstraints.HeatLimitC"/>'s
    /// default, 45 °C; <see cref="PlanSnapshots.HeatIsotherms"/>); for cryoprobes (or no probes) 0/−20/−40 °C.
    /// </summary>
    public static IReadOnlyList<(double TemperatureC, Rgb Color)> IsothermsOf(PlanFile plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.ProbeField is not { Model.IsHeat: true } field) return FusionSnapshot.DefaultIsotherms;
        var constraints = plan.NeuralLimitC is { } limit ? PlanningConstraints.Default with { HeatLimitC = limit } : PlanningConstraints.Default;
        return PlanSnapshots.HeatIsotherms(field.Model, constraints);
    }

    /// <summary>LABELS.json beside LABELS.nii.gz / .nii / .mha / .mhd / .nrrd, when it exists.</summary>
    public static string? BesideTable(string labelsPath)
    {
        string name = labelsPath;
        foreach (var ext in (string[])[".nii.gz", ".nii", ".mha", ".mhd", ".nrrd", ".nhdr"])
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) { name = name[..^ext.Length]; break; }
        string json = name + ".json";
        return File.Exists(json) ? json : null;
    }

    /// <summary>
    /// Display colours of a label table: each entry's own colour, else by role (target red, critical yellow,
    /// bone blue, other green). Body outlines get none: drawn in 3-D they would hide everything inside.
    /// </summary>
    public static IReadOnlyDictionary<int, Rgb> LabelColors(LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var colors = new Dictionary<int, Rgb>();
        foreach (var l in table.Labels)
        {
            if (l.Role == LabelRole.Body || l.Value == 0) continue;
            colors[l.Value] = l.Color is { } c ? new Rgb(c.R, c.G, c.B) : l.Role switch
            {
                LabelRole.Target => new Rgb(255, 64, 64),
                LabelRole.Critical => new Rgb(255, 220, 0),
                LabelRole.Bone => new Rgb(90, 160, 255),
                _ => new Rgb(80, 220, 120),
            };
        }
        return colors;
    }

    /// <summary>A distinct colour for each label value present (a fixed 8-colour cycle by value), when there is no table.</summary>
    public static IReadOnlyDictionary<int, Rgb> DefaultLabelColors(Volume<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Rgb[] palette =
        [
            new(255, 64, 64), new(255, 220, 0), new(90, 160, 255), new(80, 220, 120),
            new(230, 120, 255), new(255, 150, 40), new(0, 220, 220), new(240, 240, 240),
        ];
        var present = new bool[256];
        foreach (byte v in labels.Data) present[v] = true;
        var colors = new Dictionary<int, Rgb>();
        for (int v = 1; v < 256; v++)
            if (present[v]) colors[v] = palette[(v - 1) % palette.Length];
        return colors;
    }
}
