using System.CommandLine;
using System.Globalization;
using ImageGuide.Rendering;
using ImageGuide.Workflows.Validation;
using Spectre.Console;

namespace ImageGuide.Cli.Commands;

/// <summary>
/// <c>imageguide validate MANIFEST --out DIR [--compare elastix] [--parallel N]</c>: batch fusion validation → TRE
/// tables, plots, report. The report carries each case's quality verdict and the verdicts against the true outcome
/// (silent failures: verdict good, p95 TRE above 2 mm); the exit code stays 0 whatever the verdicts — a batch's
/// verdicts are findings to read, not a failure of the command.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string>("MANIFEST") { Description = "Validation manifest JSON (cases: fixed/moving files or phantoms, landmarks or a ground-truth transform; preset per case, default auto)" };
        var output = new Option<string>("--out") { Description = "Report folder (report.md/.html/.pdf/.json/.csv, plots/, snapshots/, cases/ — rerun with the same folder to resume)", Required = true };
        var compare = new Option<string?>("--compare") { Description = "Also run a peer tool on the same cases: elastix" };
        var parallel = new Option<int>("--parallel") { Description = "Cases registered at once", DefaultValueFactory = _ => 1 };
        var cmd = new Command("validate", "Batch fusion validation: register every case, TRE (median/mean/p95/max), success rates, runtime, plots and snapshots")
            { manifest, output, compare, parallel };
        cmd.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(parallel);
            if (n < 1) throw new UsageException("--parallel must be at least 1.");
            string outDir = parse.GetValue(output)!;
            var tools = new List<IRegistrationTool> { new ImageGuideRegistrationTool() };
            if (parse.GetValue(compare) is { } peer)
            {
                if (!string.Equals(peer, "elastix", StringComparison.OrdinalIgnoreCase))
                    throw new UsageException($"--compare {peer}: the only peer tool supported is elastix.");
                tools.Add(ElastixRegistrationTool.FromPath(Path.Combine(Path.GetFullPath(outDir), "elastix")));
            }
            var m = ValidationManifestReader.Read(parse.GetValue(manifest)!);
            // the report folder may not hold or lie inside any case's inputs (a DICOM folder would then read as two series)
            var inputs = new List<string> { parse.GetValue(manifest)! };
            foreach (var c in m.Cases)
                if (c.Images is FileCaseImages f) inputs.AddRange(new[] { f.Fixed, f.Moving, f.FixedMask, f.MovingMask }.OfType<string>());
            OutputGuard.RefuseOverwritingInputs("--out", outDir, true, inputs);
            var charts = new ValidationChartsRenderer();
            var runner = new ValidationRunner(new ValidationOptions { OutputDirectory = outDir, Tools = tools, MaxParallelism = n, Charts = charts });
            var report = await CliRunner.WithProgressAsync($"Validating {m.Cases.Count} cases", p => Task.Run(() =>
                runner.Run(m, new Progress<ValidationProgress>(v => p.Report(v.Fraction)), ct), ct));
            ValidationPdfReport.Write(report, outDir, charts);
            var table = new Table().AddColumns("tool", "cases", "failed", "median mm", "p95 mm", "max mm", "≤1 / 2 / 4 mm", "median s");
            foreach (var s in report.Summaries)
                table.AddRow(s.Tool, s.Cases.ToString(CultureInfo.InvariantCulture), s.Failed.ToString(CultureInfo.InvariantCulture),
                    F(s.Pooled?.Median), F(s.Pooled?.P95), F(s.Pooled?.Max),
                    string.Join(" / ", s.SuccessRates.Select(r => (100 * r.Rate).ToString("0", CultureInfo.InvariantCulture) + "%")),
                    s.MedianSeconds.ToString("0.0", CultureInfo.InvariantCulture));
            CliRunner.Out.Write(table);
            foreach (var tool in report.Tools)
                if (report.Confusion(tool) is { } c)
                    Console.Error.WriteLine(FormattableString.Invariant(
                        $"verdicts ({tool}): {c.Row("good").Total} good, {c.Row("doubtful").Total} doubtful, {c.Row("failed").Total} failed, {c.Row("none").Total} without a result; silent failures (good but p95 TRE > {c.ThresholdMm:0.##} mm): {c.SilentFailures.Count}{(c.SilentFailures.Count > 0 ? " — " + string.Join(", ", c.SilentFailures) : "")}"));
            Console.Error.WriteLine($"wrote {Path.Combine(outDir, "report.md")} (+ report.html with the pictures embedded, report.pdf, report.json, report.csv, report-verdicts.csv, plots/, snapshots/)");
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static string F(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "–";
}
