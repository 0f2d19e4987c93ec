using System.CommandLine;
using ImageGuide.Imaging;
using ImageGuide.IO;
using ImageGuide.Planning;
using ImageGuide.Validation;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide plan</c>: single-needle trajectories and a multi-probe cryoablation plan → plan JSON.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var labels = new Option<string>("--labels") { Description = "Label map (.nii.gz/.mha/.nrrd) in the planning image's space", Required = true };
        var labelTable = new Option<string?>("--label-table") { Description = "Label table JSON (default: LABELS.json beside the label map)" };
        var target = new Option<string?>("--target") { Description = "Target point x,y,z (LPS mm); default the centroid of the Target labels" };
        var targetLabel = new Option<int?>("--target-label") { Description = "Aim at the centroid of this label value" };
        var probes = new Option<string>("--probes") { Description = "Number of cryoprobes, or auto (fewest that reach the coverage goal), or 0 for trajectories only", DefaultValueFactory = _ => "auto" };
        var model = new Option<string?>("--probe-model") { Description = "Probe model from the catalogue (default approx-2.4mm)" };
        var uncertainty = new Option<double?>("--uncertainty") { Description = "Fusion uncertainty in mm added to every clearance (e.g. the p95 TRE of the registration); default 0" };
        var uncertaintyFrom = new Option<string?>("--uncertainty-from") { Description = "Take the fusion uncertainty from a validation report.json (its pooled p95 TRE, see 'imageguide validate')" };
        var output = new Option<string?>("--out") { Description = "Write plan JSON here (and Slicer markups beside it as .mrk.json)" };
        var json = new Option<bool>("--json") { Description = "Print the plan JSON on stdout" };
        var layout = new Option<string>("--layout") { Description = "Cryoprobe arrangement: parallel, converging (through one apex) or auto (the better)", DefaultValueFactory = _ => "auto" };
        layout.AcceptOnlyFromAmong("parallel", "converging", "auto");
        var image = new Option<string?>("--image") { Description = "Planning image (the snapshots' background; default the label map)" };
        var snapshots = new Option<string?>("--snapshots") { Description = "Write along-needle, bull's-eye and axial PNGs here (default beside --out)" };
        var cmd = new Command("plan", "Plan needle trajectories and cryoprobe placement avoiding critical structures")
            { labels, labelTable, target, targetLabel, probes, model, uncertainty, uncertaintyFrom, output, json, layout, image, snapshots };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(target) is not null && parse.GetValue(targetLabel) is not null)
                throw new UsageException("Give either --target or --target-label, not both.");
            string probeText = parse.GetValue(probes)!;
            int? probeCount = probeText == "auto" ? null : int.TryParse(probeText, out int pc) && pc >= 0 ? pc
                : throw new UsageException($"--probes {probeText}: give a number ≥ 0 or auto.");
            if (parse.GetValue(uncertainty) is not null && parse.GetValue(uncertaintyFrom) is not null)
                throw new UsageException("Give either --uncertainty or --uncertainty-from, not both.");
            if (parse.GetValue(uncertainty) < 0) throw new UsageException("--uncertainty must be ≥ 0 mm.");
            double fusionMm = parse.GetValue(uncertaintyFrom) is { } report ? ValidationReportFile.ReadPooledP95(report) : parse.GetValue(uncertainty) ?? 0;
            var constraints = PlanningConstraints.Default with { FusionUncertaintyMm = fusionMm };
            if (parse.GetValue(model) is { } m) constraints = constraints with { ProbeModel = m };
            constraints = constraints with { ProbeLayout = Enum.Parse<ProbeLayout>(parse.GetValue(layout)!, ignoreCase: true) };
            string planJson = await CliRunner.WithProgressAsync("Planning", p => Task.Run(() =>
            {
                var map = LabelMap.Read(parse.GetValue(labels)!, parse.GetValue(labelTable), ct);
                Vec3? given = parse.GetValue(target) is { } t ? RenderCommand.ParsePoint(t) : null;
                // Distance maps only over the region the paths and ice for the target can reach (unless aiming at a non-target label).
                var anatomyProgress = new Progress<double>(v => p.Report(0.5 * v));
                var anatomy = parse.GetValue(targetLabel) is null
                    ? PlanningAnatomy.Create(map, constraints, given is { } g ? [g] : null, anatomyProgress, ct)
                    : PlanningAnatomy.Create(map, anatomyProgress, ct);
                var point = given ?? (parse.GetValue(targetLabel) is { } value ? anatomy.TargetCentroid(TargetName(map.Table, value)) : anatomy.TargetCentroid());
                var paths = new TrajectoryPlanner(anatomy, constraints);
                var plan = paths.Plan(point, (ImageGuide.Imaging.Volume<byte>?)null, null, ct);
                p.Report(0.7);
                var cryo = probeCount == 0 ? null : new CryoPlanner(paths).Plan(probeCount, new Progress<double>(v => p.Report(0.7 + 0.3 * v)), ct);
                if (parse.GetValue(output) is { } outPath)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
                    File.WriteAllText(outPath, PlanJson.Serialize(plan, cryo));
                    File.WriteAllText(Path.ChangeExtension(outPath, null) + ".mrk.json", PlanMarkups.Format(plan.Ranked.Take(3), cryo?.Probes));
                }
                string? dir = parse.GetValue(snapshots) ?? (parse.GetValue(output) is { } o ? Path.GetDirectoryName(Path.GetFullPath(o)) : null);
                if (dir is not null)
                {
                    var background = parse.GetValue(image) is { } imagePath ? VolumeReader.Read(imagePath, cancellationToken: ct).Volume : null;
                    string prefix = parse.GetValue(output) is { } named ? Path.GetFileNameWithoutExtension(named) : "plan";
                    PlanSnapshots.Write(dir, prefix, background, map, plan, cryo);
                }
                return PlanJson.Serialize(plan, cryo);
            }, ct));
            if (parse.GetValue(json)) Console.WriteLine(planJson);
            else if (parse.GetValue(output) is { } o) Console.Error.WriteLine($"wrote {o}");
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static string TargetName(LabelTable table, int value) =>
        value is >= 1 and <= 255 && table.TryGet((byte)value, out var d) ? d.Name
            : throw new UsageException($"--target-label {value} is not in the label table.");
}
