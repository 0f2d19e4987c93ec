using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;
using ImageGuide.Visualization;

namespace ImageGuide.Workflows;

/// <summary>
/// PNG snapshots of a plan, drawn by <see cref="FusionSnapshot.Renderer"/> (the CLI's: Skia with an embedded font): the plane along the first needle (the first probe, else
/// the best trajectory), the bull's-eye plane across it at the tip, and the axial slice through the tip, each with the
/// labels, every planned path (best trajectory and probes) and the modelled isotherms of the probes (0, −20, −40 °C for
/// cryo; the 50 °C zone edge and the 45 °C neural limit for RF and MW), at 0.5 mm per pixel (the bull's-eye, 80 mm
/// across, at 0.25 mm so that its 321 pixels leave room for the title and legend).
/// </summary>
public static class PlanSnapshots
{
    /// <summary>Writes &lt;prefix&gt;-needle.png, -bullseye.png and -axial.png into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> Write(string directory, string prefix, Volume<float>? image, LabelMap labels,
        TrajectoryPlan plan, CryoPlan? cryo)
    {
        var paths = new List<TrajectoryLine>();
        if (cryo is not null)
            foreach (var p in cryo.Probes) paths.Add(new TrajectoryLine(p.Entry, p.Tip));
        if (plan.Best is { } best) paths.Add(new TrajectoryLine(best.Entry, best.Target));
        if (paths.Count == 0) return [];
        var baseImage = image ?? labels.Volume.Convert(v => (float)v);
        Func<Vec3, double>? temperature = null;
        if (cryo is { Probes.Count: > 0 })
            temperature = new ProbeTemperatureField(cryo.Model, cryo.Probes.Select(p => (p.Tip, p.Axis)).ToList()).TemperatureAt;
        bool heat = cryo is { Model.IsHeat: true };
        var isotherms = heat ? HeatIsotherms(cryo!.Model, cryo.Constraints) : FusionSnapshot.DefaultIsotherms;
        IReadOnlyList<string>? isothermNames = heat
            ? [FormattableString.Invariant($"{isotherms[0].TemperatureC:0.#} °C zone edge"), FormattableString.Invariant($"{isotherms[1].TemperatureC:0.#} °C neural limit")]
            : null;
        var first = paths[0];
        string needle = cryo is { Probes.Count: > 0 } ? "probe 1" : "needle";
        (string Name, string Title, SlicePlane Plane)[] views =
        [
            ("needle", $"Along {needle}", SlicePlane.AlongNeedle(first.Entry, first.Target)),
            ("bullseye", $"Bull's-eye, {needle}", SlicePlane.BullsEye(first.Entry, first.Target, pixelSpacing: 0.25)),
            ("axial", "Axial through the tip", SlicePlane.Axial(baseImage.Geometry, first.Target, pixelSpacing: 0.5)),
        ];
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, title, plane) in views)
        {
            var request = new SnapshotRequest
            {
                Image = baseImage,
                Plane = plane,
                Labels = labels,
                Trajectories = paths,
                Temperature = temperature,
                Title = title,
                Isotherms = isotherms,
                IsothermLabels = isothermNames,
            };
            string path = Path.Combine(directory, $"{prefix}-{name}.png");
            FusionSnapshot.Write(request, path);
            written.Add(path);
        }
        return written;
    }

    /// <summary>Isotherms drawn for RF and MW zones: the zone edge (50 °C, red) and the neural heat limit (45 °C, orange).</summary>
    public static IReadOnlyList<(double TemperatureC, Rgb Color)> HeatIsotherms(ProbeModel model, PlanningConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(constraints);
        return [(model.ZoneTemperatureC, new Rgb(255, 40, 40)), (constraints.HeatLimitC, new Rgb(255, 170, 0))];
    }
}
