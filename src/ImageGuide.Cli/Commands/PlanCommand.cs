using System.CommandLine;
using ImageGuide.Model;
using ImageGuide.Planning;
using ImageGuide.Rendering;
using ImageGuide.Workflows;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide plan</c>: single-needle trajectories and a multi-probe cryoablation plan → plan JSON.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var labels = new Option<string>("--labels") { Description = "Label map (.nii.gz/.mha/.nrrd) in the planning image's space", Required = true };
        var labelTable = new Option<string?>("--label-table") { Description = "Label table JSON (default: LABELS.json beside the label map), or 'totalsegmentator' for the built-in table of TotalSegmentator's 'total' classes (use with --body-threshold)" };
        var bodyThreshold = new Option<double?>("--body-threshold") { Description = "Tell the body from the air by the --image CT at this HU (e.g. -500), for label maps whose 0 means 'no class' rather than 'outside the body' (TotalSegmentator's); unlabelled voxels inside the body become passable tissue" };
        var targetRadius = new Option<double?>("--target-radius") { Description = "Plan for a spherical target of this radius (mm) about --target, for a lesion not outlined in the labels (critical structures inside the sphere are kept)" };
        var target = new Option<string?>("--target") { Description = "Target point x,y,z (LPS mm); default the centroid of the Target labels" };
        var targetLabel = new Option<int?>("--target-label") { Description = "Aim at the centroid of this label value" };
        var probes = new Option<string>("--probes") { Description = "Number of cryoprobes, or auto (fewest that reach the coverage goal), or 0 for trajectories only", DefaultValueFactory = _ => "auto" };
        var model = new Option<string?>("--probe-model", "--applicator") { Description = "Applicator model from the catalogue: a cryoprobe (default approx-2.4mm), RF electrode (default cooltip-single-3cm; cooltip-cluster-2.5cm, bipolar-bone-10mm, bipolar-bone-20mm) or MW antenna (default emprint-100W-10min; emprint-100W-5min, neuwave-65W-5min, neuwave-65W-10min); it must be of --modality" };
        var cementOption = new Option<bool>("--cement") { Description = "Also plan uni- and bipedicular transpedicular cement access to the anterior third of the vertebral body at the target (cementAccess in the plan JSON)" };
        var modality = new Option<string?>("--modality") { Description = "Ablation modality: cryo (cryoprobes, default), rfa (RF electrodes) or mwa (MW antennas); the applicator defaults to the modality's default model" };
        modality.AcceptOnlyFromAmong("cryo", "rfa", "mwa");
        var uncertainty = new Option<double?>("--uncertainty") { Description = "Fusion uncertainty in mm added to every clearance (e.g. the p95 TRE of the registration); default 0" };
        var fromPosterior = new Option<double?>("--max-angle-from-posterior") { Description = "Largest angle in degrees between the direction from the target to the skin entry and the patient's posterior (+y LPS); default 90, the posterior half-space (prone patient entered from the back, docs/CLINICAL.md); 180 allows any side, e.g. an anterolateral cervical approach" };
        var uncertaintyFrom = new Option<string?>("--uncertainty-from") { Description = "Take the fusion uncertainty from a validation report.json (its pooled p95 TRE, see 'imageguide validate')" };
        var output = new Option<string?>("--out") { Description = "Write plan JSON here (and Slicer markups beside it as .mrk.json)" };
        var force = OutputGuard.ForceOption();
        var json = new Option<bool>("--json") { Description = "Print the plan JSON on stdout" };
        var layout = new Option<string>("--layout") { Description = "Cryoprobe arrangement: parallel, converging (through one apex) or auto (the better)", DefaultValueFactory = _ => "auto" };
        layout.AcceptOnlyFromAmong("parallel", "converging", "auto");
        var image = new Option<string?>("--image") { Description = "Planning image (the snapshots' background; default the label map); with --labels-transform also the grid the labels are mapped onto" };
        var labelsTransform = new Option<string?>("--labels-transform") { Description = "Map --labels, drawn on another image (e.g. the diagnostic MR), onto --image (the registration's fixed image) through this fixed → moving transform before planning: a .tfm/.json rigid result, or the field.nii.gz of 'register --per-vertebra' (then the treated level's verdict is checked and --uncertainty-from takes that level's p95)" };
        var snapshots = new Option<string?>("--snapshots") { Description = "Write along-needle, bull's-eye and axial PNGs here (default beside --out)" };
        var report = new Option<string?>("--report") { Description = "Write a PDF planning report here (best trajectory, clearances, cryo plan, warnings, constraints, snapshots)" };
        var cmd = new Command("plan", "Plan needle trajectories and cryoprobe, RF electrode or MW antenna placement avoiding critical structures, with thermal protection")
            { labels, labelTable, bodyThreshold, target, targetRadius, targetLabel, probes, model, modality, cementOption, uncertainty, fromPosterior, uncertaintyFrom, output, json, layout, image, labelsTransform, snapshots, report, force };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(target) is not null && parse.GetValue(targetLabel) is not null)
                throw new UsageException("Give either --target or --target-label, not both.");
            if (parse.GetValue(targetRadius) is { } tr && (parse.GetValue(target) is null || !(tr > 0 && double.IsFinite(tr))))
                throw new UsageException("--target-radius draws a sphere of that many mm about --target: give --target x,y,z and a radius > 0.");
            if (parse.GetValue(bodyThreshold) is { } bt && (parse.GetValue(image) is null || !double.IsFinite(bt)))
                throw new UsageException("--body-threshold tells the body from the air by the planning CT: give the CT with --image and a threshold in HU (e.g. -500).");
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
            var constraints = PlanningConstraints.Default with
            {
                Goals = AblationGoals.Default with { FusionUncertaintyMm = parse.GetValue(uncertainty) ?? 0 },
                ProbeLayout = Enum.Parse<ProbeLayout>(parse.GetValue(layout)!, ignoreCase: true),
            };
            if (parse.GetValue(fromPosterior) is { } maxFromPosterior)
            {
                if (!(maxFromPosterior is >= 0 and <= 180)) throw new UsageException("--max-angle-from-posterior must lie in [0, 180] degrees.");
                constraints = constraints with { MaxAngleFromPosteriorDeg = maxFromPosterior };
            }
            var kind = parse.GetValue(modality) is { } mod ? AblationModalityNames.Parse(mod) : (AblationModality?)null;
            if (parse.GetValue(model) is { } m)
            {
                if (!ProbeCatalogue.BuiltIn.TryGet(m, out var chosen))
                    throw new UsageException($"--applicator {m} is not in the applicator catalogue; known: {string.Join(", ", ProbeCatalogue.BuiltIn.Models.Select(x => x.Name))}.");
                if (kind is { } k && chosen.Modality != k)
                    throw new UsageException($"--applicator {m} is a {chosen.Modality.Name()} applicator, not {k.Name()}; pick one of: {string.Join(", ", ProbeCatalogue.BuiltIn.Models.Where(x => x.Modality == k).Select(x => x.Name))}.");
                constraints = constraints with { ProbeModel = chosen.Name };
            }
            else if (kind is { } k) constraints = constraints with { ProbeModel = ProbeCatalogue.DefaultModelFor(k) };
            var job = new PlanJob
            {
                Labels = parse.GetValue(labels)!,
                LabelTable = parse.GetValue(labelTable),
                BodyThresholdHu = parse.GetValue(bodyThreshold),
                TargetRadiusMm = parse.GetValue(targetRadius),
                Target = parse.GetValue(target) is { } t ? RenderCommand.ParsePoint(t) : null,
                TargetLabel = parse.GetValue(targetLabel),
                ProbeCount = probeCount,
                CementAccess = parse.GetValue(cementOption),
                Constraints = constraints,
                UncertaintyFrom = parse.GetValue(uncertaintyFrom),
                Image = imagePath,
                LabelsTransform = transformPath,
                Output = parse.GetValue(output),
                Snapshots = parse.GetValue(snapshots),
            };
            if (job.Output is { } o0)
            {
                OutputGuard.Check("--out", o0, false, job.InputPaths, parse.GetValue(force));
                OutputGuard.Check("--out (markups)", Path.ChangeExtension(o0, null) + ".mrk.json", false, job.InputPaths, parse.GetValue(force));
                OutputGuard.Check("--out (DICOM SEG)", PlanWorkflow.SegmentationPath(o0), false, job.InputPaths, parse.GetValue(force));
            }
            if (parse.GetValue(report) is { } r0) OutputGuard.Check("--report", r0, false, job.InputPaths, parse.GetValue(force));
            if (job.Snapshots is { } sn0) OutputGuard.RefuseOverwritingInputs("--snapshots", sn0, true, job.InputPaths);
            // a bad report is refused before any work; the treated level's figure is read once the target is known
            if (job.UncertaintyFrom is { } reportPath) ValidationReportFile.ReadUncertainty(reportPath, null);
            var outcome = await CliRunner.WithProgressAsync("Planning", p => Task.Run(() => PlanWorkflow.Run(job, p, ct), ct));
            foreach (var n in outcome.Notes) Console.Error.WriteLine(n);
            foreach (var w in outcome.Warnings) Console.Error.WriteLine($"warning: {w}");
            if (parse.GetValue(report) is { } pdf)
            {
                PlanPdfReport.Write(outcome.Json, pdf, outcome.Snapshots, outcome.Identity, constraints, outcome.Notes);
                Console.Error.WriteLine($"wrote {pdf}");
            }
            if (parse.GetValue(json)) Console.WriteLine(outcome.Json);
            else if (job.Output is { } o) Console.Error.WriteLine($"wrote {o}");
            return outcome.Untrustworthy ? ExitCodes.QualityCheckFailed : ExitCodes.Success;
        });
        return cmd;
    }
}
