using System.CommandLine;
using ImageGuide.Imaging;
using ImageGuide.IO;
using ImageGuide.Planning;
using ImageGuide.Workflows.Validation;

using ImageGuide.Model;
using ImageGuide.Workflows;
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
        var force = OutputGuard.ForceOption();
        var json = new Option<bool>("--json") { Description = "Print the plan JSON on stdout" };
        var layout = new Option<string>("--layout") { Description = "Cryoprobe arrangement: parallel, converging (through one apex) or auto (the better)", DefaultValueFactory = _ => "auto" };
        layout.AcceptOnlyFromAmong("parallel", "converging", "auto");
        var image = new Option<string?>("--image") { Description = "Planning image (the snapshots' background; default the label map); with --labels-transform also the grid the labels are mapped onto" };
        var labelsTransform = new Option<string?>("--labels-transform") { Description = "Map --labels, drawn on another image (e.g. the diagnostic MR), onto --image (the registration's fixed image) through this fixed → moving transform before planning: a .tfm/.json rigid result, or the field.nii.gz of 'register --per-vertebra' (then the treated level's verdict is checked and --uncertainty-from takes that level's p95)" };
        var snapshots = new Option<string?>("--snapshots") { Description = "Write along-needle, bull's-eye and axial PNGs here (default beside --out)" };
        var cmd = new Command("plan", "Plan needle trajectories and cryoprobe placement avoiding critical structures")
            { labels, labelTable, target, targetLabel, probes, model, uncertainty, uncertaintyFrom, output, json, layout, image, labelsTransform, snapshots, force };
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
            string? transformPath = parse.GetValue(labelsTransform), imagePath = parse.GetValue(image);
            if (transformPath is not null && imagePath is null)
                throw new UsageException("--labels-transform maps --labels onto the planning image: give that image (the registration's fixed image) with --image.");
            if (transformPath is not null && !File.Exists(transformPath)) throw new UsageException($"--labels-transform {transformPath}: no such file.");
            var planInputs = new[] { parse.GetValue(labels), parse.GetValue(labelTable), parse.GetValue(uncertaintyFrom), imagePath, transformPath }.OfType<string>().ToList();
            if (parse.GetValue(labels) is { } lp0 && parse.GetValue(labelTable) is null) planInputs.Add(LabelMap.DefaultTablePath(lp0));
            if (parse.GetValue(output) is { } o0)
            {
                OutputGuard.Check("--out", o0, false, planInputs, parse.GetValue(force));
                OutputGuard.Check("--out (markups)", Path.ChangeExtension(o0, null) + ".mrk.json", false, planInputs, parse.GetValue(force));
            }
            if (parse.GetValue(snapshots) is { } sn0) OutputGuard.RefuseOverwritingInputs("--snapshots", sn0, true, planInputs);
            // a bad report is refused before any work; the treated level's figure is read once the target is known
            if (parse.GetValue(uncertaintyFrom) is { } reportPath) ValidationReportFile.ReadUncertainty(reportPath, null);
            var constraints = PlanningConstraints.Default with { Goals = AblationGoals.Default with { FusionUncertaintyMm = parse.GetValue(uncertainty) ?? 0 } };
            if (parse.GetValue(model) is { } m) constraints = constraints with { ProbeModel = m };
            constraints = constraints with { ProbeLayout = Enum.Parse<ProbeLayout>(parse.GetValue(layout)!, ignoreCase: true) };
            bool levelFailed = false, missing = false;
            var warnings = new List<string>();
            string planJson = await CliRunner.WithProgressAsync("Planning", p => Task.Run(() =>
            {
                var map = LabelMap.Read(parse.GetValue(labels)!, parse.GetValue(labelTable), ct);
                var background = imagePath is null ? null : VolumeReader.Read(imagePath, cancellationToken: ct).Volume;
                FusedLevel? level = null;
                if (transformPath is not null)
                {
                    // the structures drawn on the moving image, mapped onto the planning grid: label(p) = moving label(T(p))
                    var through = TransformIO.ReadAny(transformPath, ct);
                    map = new LabelMap(Resampler.Resample(map.Volume, background!.Geometry, through, InterpolationMode.Nearest, (byte)0, ct), map.Table);
                    level = through is DisplacementField ? FusedLevel.Of(Path.GetDirectoryName(Path.GetFullPath(transformPath))!, ct) : null;
                }
                Vec3? given = parse.GetValue(target) is { } t ? RenderCommand.ParsePoint(t) : null;
                // Distance maps only over the region the paths and ice for the target can reach (unless aiming at a non-target label).
                var anatomyProgress = new Progress<double>(v => p.Report(0.5 * v));
                var anatomy = parse.GetValue(targetLabel) is null
                    ? PlanningAnatomy.Create(map, constraints, given is { } g ? [g] : null, anatomyProgress, ct)
                    : PlanningAnatomy.Create(map, anatomyProgress, ct);
                var point = given ?? (parse.GetValue(targetLabel) is { } value ? anatomy.TargetCentroid(TargetName(map.Table, value)) : anatomy.TargetCentroid());
                var targetWhere = TargetPlace(map.Volume, point);
                if (targetWhere is not null)
                {
                    warnings.Add($"The target {targetWhere}; no path to it means anything — check --target (LPS mm, the planning image's frame).");
                    missing = true;
                }
                var treated = level?.At(point);
                if (treated is { } tl)
                {
                    Console.Error.WriteLine($"treated level {tl.Level.Name} ({tl.Why}): per-vertebra verdict {tl.Verdict}{(tl.Fallback is { } fb ? $", replaced by {fb}" : "")}");
                    if (tl.Verdict == "failed" || tl.Fallback is not null)
                    {
                        warnings.Add($"The fusion at the treated level {tl.Level.Name} did not pass its quality check; the MR structures there may be misplaced — check the fusion before trusting any clearance.");
                        levelFailed = true;
                    }
                }
                if (parse.GetValue(uncertaintyFrom) is { } report)
                {
                    var (mm, source) = ValidationReportFile.ReadUncertainty(report, treated?.Level.Name);
                    constraints = constraints with { Goals = constraints.Goals with { FusionUncertaintyMm = mm, FusionUncertaintySource = source } };
                    Console.Error.WriteLine(FormattableString.Invariant($"fusion uncertainty {mm:0.##} mm added to every clearance: {source}"));
                }
                var paths = new TrajectoryPlanner(anatomy, constraints);
                var plan = paths.Plan(point, (ImageGuide.Imaging.Volume<byte>?)null, null, ct);
                p.Report(0.7);
                if (plan.Ranked.Count == 0 && !missing)
                {
                    warnings.Add("No trajectory to the target was found (no skin entry within the needle's reach and angles).");
                    missing = true;
                }
                var cryo = probeCount == 0 ? null : new CryoPlanner(paths).Plan(probeCount, new Progress<double>(v => p.Report(0.7 + 0.3 * v)), ct);
                if (parse.GetValue(output) is { } outPath)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
                    File.WriteAllText(outPath, PlanJson.Serialize(plan, cryo, warnings: warnings));
                    File.WriteAllText(Path.ChangeExtension(outPath, null) + ".mrk.json", PlanMarkups.Format(plan.Ranked.Take(3), cryo?.Probes));
                }
                string? dir = parse.GetValue(snapshots) ?? (parse.GetValue(output) is { } o ? Path.GetDirectoryName(Path.GetFullPath(o)) : null);
                if (dir is not null)
                {
                    string prefix = parse.GetValue(output) is { } named ? Path.GetFileNameWithoutExtension(named) : "plan";
                    PlanSnapshots.Write(dir, prefix, background, map, plan, cryo);
                }
                return PlanJson.Serialize(plan, cryo, warnings: warnings);
            }, ct));
            foreach (var w in warnings) Console.Error.WriteLine($"warning: {w}");
            if (parse.GetValue(json)) Console.WriteLine(planJson);
            else if (parse.GetValue(output) is { } o) Console.Error.WriteLine($"wrote {o}");
            return levelFailed || missing ? ExitCodes.QualityCheckFailed : ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary>The per-vertebra fusion a plan's labels came through: which level a target lies at, and how that level fared.</summary>
    private sealed class FusedLevel(VertebraLabelSet set, Volume<byte> labels, IReadOnlyList<PerVertebraOutput.WrittenLevel> levels)
    {
        /// <summary>The levels of the per-vertebra folder <paramref name="dir"/> (the field's), or null when the field lies elsewhere.</summary>
        public static FusedLevel? Of(string dir, CancellationToken ct) =>
            PerVertebraOutput.TryRead(dir, ct) is { } read ? new FusedLevel(read.Set, read.Labels, read.Levels) : null;

        /// <summary>The level the target lies in (or on, within <see cref="VertebraLabelSet.SurfaceToleranceMm"/>), else the one whose centroid is nearest, with why.</summary>
        public (VertebraLevel Level, string Verdict, string? Fallback, string Why)? At(Vec3 target)
        {
            if (levels.Count == 0) return null;
            if (set.LevelAt(labels, target, VertebraLabelSet.SurfaceToleranceMm) is { } inside)
            {
                var w = levels.First(l => l.Level.Label == inside.Label);
                return (w.Level, w.Verdict, w.Fallback, "the target lies in it");
            }
            var nearest = levels.MinBy(l => Vec3.Distance(l.Centroid, target))!;
            return (nearest.Level, nearest.Verdict, nearest.Fallback,
                FormattableString.Invariant($"the target lies in no vertebra; its centroid is nearest, {Vec3.Distance(nearest.Centroid, target):0} mm away"));
        }
    }

    /// <summary>Null when <paramref name="target"/> lies in a labelled voxel of the planning grid; else where it lies instead, in words.</summary>
    private static string? TargetPlace(Volume<byte> labels, Vec3 target)
    {
        var g = labels.Geometry;
        var x = g.PhysicalToIndex(target);
        int i = (int)Math.Round(x.X), j = (int)Math.Round(x.Y), k = (int)Math.Round(x.Z);
        if (!g.Contains(i, j, k)) return FormattableString.Invariant($"({target.X:0.#}, {target.Y:0.#}, {target.Z:0.#}) lies outside the planning image");
        return labels.Data[g.LinearIndex(i, j, k)] == 0
            ? FormattableString.Invariant($"({target.X:0.#}, {target.Y:0.#}, {target.Z:0.#}) lies in no labelled structure (air or background, outside the body)")
            : null;
    }

    private static string TargetName(LabelTable table, int value) =>
        value is >= 1 and <= 255 && table.TryGet((byte)value, out var d) ? d.Name
            : throw new UsageException($"--target-label {value} is not in the label table.");
}
