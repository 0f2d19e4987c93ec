using System.CommandLine;
using System.Globalization;
using ImageGuide.Rendering;
using ImageGuide.Segmentation;
using ImageGuide.Workflows;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide iceball</c>: ice-ball segmentation on intra-procedural CT with margin and safety report.</summary>
internal static class IceballCommand
{
    public static Command Create()
    {
        var ct = new Option<string>("--ct") { Description = "Intra-procedural CT (DICOM folder/file or volume file) in HU", Required = true };
        var pre = new Option<string?>("--pre") { Description = "Pre-freeze CT with the probes in place (enables subtraction)" };
        var preTransform = new Option<string?>("--pre-transform") { Description = "Transform mapping CT points to pre-freeze CT points (fixed → moving); identity by default" };
        var labels = new Option<string?>("--labels") { Description = "Label map with tumour (Target) and critical structures (Critical)" };
        var labelTable = new Option<string?>("--label-table") { Description = "Label table JSON (default: LABELS.json beside the label map)" };
        var labelsTransform = new Option<string?>("--labels-transform") { Description = "Transform mapping CT points to label-map (and plan) points: .tfm/.json, or a displacement field such as a per-vertebra field.nii.gz; identity by default" };
        var plan = new Option<string?>("--plan") { Description = "Plan JSON (imageguide plan) to compare the ice ball with" };
        var probes = new Option<string?>("--probes") { Description = "Probe tips and axes JSON ({\"probes\":[{\"tip\",\"axis\" or \"entry\"}]}); detected when absent" };
        var previous = new Option<string?>("--previous") { Description = "Ice-ball mask of an earlier scan (same patient space) for the growth" };
        var inset = new Option<double?>("--lethal-inset") { Description = "Depth of the lethal edge inside the 0 °C edge, mm (default 5, docs/CLINICAL.md 3–5 mm)" };
        var output = new Option<string>("--out") { Description = "Output folder (mask, report.json, DICOM label series, PNG snapshots)", Required = true };
        var force = OutputGuard.ForceOption();
        var json = new Option<bool>("--json") { Description = "Print report.json on stdout" };
        var report = new Option<string?>("--report") { Description = "Write a PDF ice-ball report here (volume, diameters, coverage, margins, safety distances, plan vs actual, warnings, snapshots)" };
        var cmd = new Command("iceball", "Segment the ice ball on intra-procedural CT and report volume, diameters, coverage, margins and safety distances")
            { ct, pre, preTransform, labels, labelTable, labelsTransform, plan, probes, previous, inset, output, json, report, force };
        cmd.SetAction(async (parse, token) =>
        {
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            if (parse.GetValue(labelTable) is not null && parse.GetValue(labels) is null) throw new UsageException("--label-table needs --labels.");
            if (parse.GetValue(labelsTransform) is not null && parse.GetValue(labels) is null && parse.GetValue(plan) is null)
                throw new UsageException("--labels-transform needs --labels or --plan.");
            var settings = IceBallSettings.Default;
            if (parse.GetValue(inset) is { } i) settings = settings with { LethalInsetMm = i };
            var job = new IceballJob
            {
                Ct = parse.GetValue(ct)!,
                PreFreezeCt = parse.GetValue(pre),
                PreFreezeTransform = parse.GetValue(preTransform),
                Labels = parse.GetValue(labels),
                LabelTable = parse.GetValue(labelTable),
                LabelsTransform = parse.GetValue(labelsTransform),
                Plan = parse.GetValue(plan),
                Probes = parse.GetValue(probes),
                PreviousIceBall = parse.GetValue(previous),
                OutputFolder = outDir,
                Overwrite = parse.GetValue(force),
                Settings = settings,
            };
            RefuseOverwritingInputs(outDir, job.InputPaths);
            OutputGuard.Check("--out", outDir, true, job.InputPaths, job.Overwrite);
            string? pdf = parse.GetValue(report) is { } r0 ? Path.GetFullPath(r0) : null;
            // inside --out is fine: the PDF is written after the folder
            if (pdf is not null && !pdf.StartsWith(outDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                OutputGuard.Check("--report", pdf, false, job.InputPaths, job.Overwrite);
            var outcome = await CliRunner.WithProgressAsync("Ice ball", p => Task.Run(() => IceballWorkflow.Run(job, p, token), token));
            var analysis = outcome.Analysis;
            if (pdf is not null)
            {
                string snapshotDir = Path.Combine(outDir, IceballWorkflow.SnapshotFolder);
                var pngs = Directory.Exists(snapshotDir) ? Directory.GetFiles(snapshotDir, "*.png").Order(StringComparer.Ordinal).ToList() : [];
                IceballPdfReport.Write(File.ReadAllText(Path.Combine(outDir, IceballWorkflow.ReportFile)), pdf, pngs, outcome.Identity);
                Console.Error.WriteLine($"wrote {pdf}");
            }
            if (parse.GetValue(json)) Console.WriteLine(IceBallJson.Serialize(analysis));
            else PrintSummary(analysis, outDir);
            if (analysis.MissingFromCt is null) return ExitCodes.Success;
            // a safety result the user asked for (labels given) could not be measured: never exit 0 on that
            Console.Error.WriteLine($"error: the {analysis.MissingFromCt} could not be measured on the intra-operative CT (see the warnings); the outputs are written, but the safety check is missing.");
            return ExitCodes.QualityCheckFailed;
        });
        return cmd;
    }

    /// <summary>Refuses an output folder that is an input, or where one of the outputs would replace an input.</summary>
    internal static void RefuseOverwritingInputs(string outDir, IReadOnlyList<string> inputs)
    {
        OutputGuard.RefuseOverwritingInputs("--out", outDir, folder: false, inputs);
        foreach (var name in IceballWorkflow.OutputNames)
            OutputGuard.RefuseOverwritingInputs("--out", Path.Combine(outDir, name), folder: true, inputs);
    }

    private static void PrintSummary(IceBallAnalysis a, string outDir)
    {
        static string F(double? v, string f = "0.0") => v is { } x && double.IsFinite(x) ? x.ToString(f, CultureInfo.InvariantCulture) : "—";
        var d = a.Diameters;
        Console.WriteLine($"ice ball {F(a.VolumeMl)} mL, diameters {F(d?.LongMm)} × {F(d?.MidMm)} × {F(d?.ShortMm)} mm, {a.Probes.Count} probe(s) {(a.ProbesDetected ? "detected" : "given")}, " +
            $"{(a.UsedPreFreezeCt ? "subtraction" : "no pre-freeze CT")}; {F(100 * a.ExtrapolatedFraction)} % filled in bone from the isotherm model");
        if (a.LethalCoverage is not null) Console.WriteLine($"lethal coverage {F(100 * a.LethalCoverage)} %, min margin {F(a.MinMarginMm)} mm");
        foreach (var (name, dist) in a.CriticalDistancesMm) Console.WriteLine($"  {name}: {F(dist)} mm (clearance {F(a.RequiredClearancesMm.GetValueOrDefault(name))} mm)");
        foreach (var w in a.Warnings) Console.WriteLine($"warning: {w}");
        Console.Error.WriteLine($"wrote {outDir}");
    }
}
