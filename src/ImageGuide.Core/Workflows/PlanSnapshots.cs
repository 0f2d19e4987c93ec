using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;
using ImageGuide.Visualization;

namespace ImageGuide.Workflows;

/// <summary>
/// PNG snapshots of a plan, drawn by <see cref="FusionSnapshot.Renderer"/> (the CLI's: Skia with an embedded font): the plane along the first needle (the first probe, else
/// the best trajectory), the bull's-eye plane across it at the tip, and the axial slice through the tip, each with the
/// labels, every planned path (best trajectory and probes), the feasible cement-access cannulas (dashed pink, named in the
/// legend) and the modelled isotherms of the probes (0, −20, −40 °C for cryo; the 50 °C zone edge and the 45 °C neural
/// limit for RF and MW), at 0.5 mm per pixel (the bull's-eye, 80 mm across, at 0.25 mm so that its 321 pixels leave
/// room for the title and legend).
/// </summary>
public static class PlanSnapshots
{
    /// <summary>Writes &lt;prefix&gt;-needle.png, -bullseye.png and -axial.png into <paramref name="directory"/>; returns the paths.</summary>
    /// <param name="directory">Folder of the PNGs (created).</param>
    /// <param name="prefix">File-name prefix.</param>
    /// <param name="image">Background image, or null to draw on the labels.</param>
    /// <param name="labels">The planning labels.</param>
    /// <param name="plan">The trajectory search (its best path is drawn).</param>
    /// <param name="cryo">The applicator plan (probes, electrodes or antennas and their isotherms), or null.</param>
    /// <param name="cement">Cement-access plans (<see cref="CementAccessPlanner"/>): their feasible cannulas are drawn dashed, or null.</param>
    public static IReadOnlyList<string> Write(string directory, string prefix, Volume<float>? image, LabelMap labels,
        TrajectoryPlan plan, CryoPlan? cryo, IReadOnlyList<CementAccessPlan>? cement = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(plan);
        var paths = new List<TrajectoryLine>();
        if (cryo is not null)
            foreach (var p in cryo.Probes) paths.Add(new TrajectoryLine(p.Entry, p.Tip));
        if (plan.Best is { } best) paths.Add(new TrajectoryLine(best.Entry, best.Target));
        var access = AccessPaths(cement);
        if (paths.Count == 0 && access.Count == 0) return [];
        var baseImage = image ?? labels.Volume.Convert(v => (float)v);
        Func<Vec3, double>? temperature = null;
        if (cryo is { Probes.Count: > 0 })
            temperature = new ProbeTemperatureField(cryo.Model, cryo.Probes.Select(p => (p.Tip, p.Axis)).ToList()).TemperatureAt;
        bool heat = cryo is { Model.IsHeat: true };
        var isotherms = heat ? HeatIsotherms(cryo!.Model, cryo.Constraints) : FusionSnapshot.DefaultIsotherms;
        IReadOnlyList<string>? isothermNames = heat
            ? [FormattableString.Invariant($"{isotherms[0].TemperatureC:0.#} °C zone edge"), FormattableString.Invariant($"{isotherms[1].TemperatureC:0.#} °C neural limit")]
            : null;
        var first = paths.Count > 0 ? paths[0] : access[0];
        string needle = cryo is { Probes.Count: > 0 } ? cryo.Model.IsHeat ? (cryo.Modality == AblationModality.Mwa ? "antenna 1" : "electrode 1") : "probe 1"
            : paths.Count > 0 ? "needle" : "cement cannula";
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
                AccessPaths = access,
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

    /// <summary>The feasible cement-access cannulas of <paramref name="cement"/> as lines from skin entry to target.</summary>
    public static IReadOnlyList<TrajectoryLine> AccessPaths(IReadOnlyList<CementAccessPlan>? cement)
    {
        var lines = new List<TrajectoryLine>();
        foreach (var c in cement ?? [])
            foreach (var t in c.Trajectories)
                if (t.Path is { Feasible: true } path) lines.Add(new TrajectoryLine(path.Entry, path.Target));
        return lines;
    }

    /// <summary>Isotherms drawn for RF and MW zones: the zone edge (50 °C, red) and the neural heat limit (45 °C, orange).</summary>
    public static IReadOnlyList<(double TemperatureC, Rgb Color)> HeatIsotherms(ProbeModel model, PlanningConstraints constraints)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(constraints);
        return [(model.ZoneTemperatureC, new Rgb(255, 40, 40)), (constraints.HeatLimitC, new Rgb(255, 170, 0))];
    }
}
