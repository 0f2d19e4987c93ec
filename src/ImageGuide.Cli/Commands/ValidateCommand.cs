using System.CommandLine;
using System.Globalization;
using ImageGuide.Rendering;
using ImageGuide.Workflows.Validation;
using Spectre.Console;

namespace ImageGuide.Cli.Commands;

/// <summary>
/// <c>imageguide validate MANIFEST --out DIR [--compare elastix] [--parallel N] [--shard K/N]</c>: batch fusion
/// validation → TRE tables, plots, report; <c>imageguide validate merge DIR... --out REPORT_DIR</c> builds the report of a
/// sharded run from its shards' folders. The report carries each case's quality verdict and the verdicts against the true outcome
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
        var shardOption = new Option<string?>("--shard") { Description = "Run only shard K of N (K/N, by case id): writes cases/, snapshots/ and shard.json, no report; 'validate merge' builds the report from all shards" };
        var noSnapshots = new Option<bool>("--no-snapshots") { Description = "Skip the checkerboard and fusion snapshots (large batches)" };
        var cmd = new Command("validate", "Batch fusion validation: register every case, TRE (median/mean/p95/max), success rates, runtime, plots and snapshots")
            { manifest, output, compare, parallel, shardOption, noSnapshots };
        cmd.Subcommands.Add(CreateMerge());
        cmd.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(parallel);
            if (n < 1) throw new UsageException("--parallel must be at least 1.");
            ValidationShard shard = ValidationShard.All;
            if (parse.GetValue(shardOption) is { } shardText)
            {
                try { shard = ValidationShard.Parse(shardText); }
                catch (ValidationException e) { throw new UsageException(e.Message); }
            }
            string outDir = parse.GetValue(output)!;
            var tools = new List<IRegistrationTool> { new ImageGuideRegistrationTool() };
            if (parse.GetValue(compare) is { } peer)
            {
                if (!string.Equals(peer, "elastix", StringComparison.OrdinalIgnoreCase))
                    throw new UsageException($"--compare {peer}: the only peer tool supported is elastix.");
                tools.Add(ElastixRegistrationTool.FromPath(Path.Combine(Path.GetFullPath(outDir), "elastix")));
            }
            var m = ValidationManifestReader.Open(parse.GetValue(manifest)!);
            // the report folder may not hold or lie inside any case's inputs (a DICOM folder would then read as two series)
            OutputGuard.RefuseOverwritingInputs("--out", outDir, true, Inputs(parse.GetValue(manifest)!, m, shard));
            var charts = new ValidationChartsRenderer();
            var runner = new ValidationRunner(new ValidationOptions
                { OutputDirectory = outDir, Tools = tools, MaxParallelism = n, Charts = charts, Snapshots = !parse.GetValue(noSnapshots) });
            if (parse.GetValue(shardOption) is not null)
            {
                int resumed = 0;
                var marker = await CliRunner.WithProgressAsync($"Validating shard {shard} of {m.CaseCount} cases", p => Task.Run(() =>
                    runner.RunShard(m, shard, new SyncProgress(v => { if (v.Resumed) Interlocked.Increment(ref resumed); p.Report(v.Fraction); }), ct), ct));
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"shard {shard}: {marker.CaseIds.Count} of {m.CaseCount} cases ({resumed} resumed) in {Path.Combine(outDir, "cases")}; build the report with 'imageguide validate merge DIR... --out REPORT_DIR' once every shard has finished"));
                return ExitCodes.Success;
            }
            var report = await CliRunner.WithProgressAsync($"Validating {m.CaseCount} cases", p => Task.Run(() =>
                runner.Run(m, new SyncProgress(v => p.Report(v.Fraction)), ct), ct));
            ValidationPdfReport.Write(report, outDir, charts);
            Summarize(report, outDir);
            return ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary><c>imageguide validate merge DIR... --out REPORT_DIR</c>: the report of the case files of shard folders.</summary>
    private static Command CreateMerge()
    {
        var folders = new Argument<string[]>("DIR") { Description = "Output folders of 'validate --shard K/N' (every shard once), or of one unsharded run", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Report folder (report.md/.html/.pdf/.json/.csv, plots/, the shards' snapshots/)", Required = true };
        var cmd = new Command("merge", "Build the validation report from the case files of shard folders (byte-identical to one folder holding the same case files)")
            { folders, output };
        cmd.SetAction(parse =>
        {
            var dirs = parse.GetValue(folders)!;
            string outDir = parse.GetValue(output)!;
            // the report may go into one of the shard folders (regenerating a run's report), never inside a cases/ folder
            OutputGuard.RefuseOverwritingInputs("--out", outDir, false, dirs.Select(d => Path.Combine(d, "cases")));
            var charts = new ValidationChartsRenderer();
            var report = ValidationMerge.Merge(dirs, outDir, charts);
            ValidationPdfReport.Write(report, outDir, charts);
            Summarize(report, outDir);
            return ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary>Every input file of the shard's cases, read lazily from the streamed manifest.</summary>
    private static IEnumerable<string> Inputs(string manifestPath, ValidationManifestFile m, ValidationShard shard)
    {
        yield return manifestPath;
        foreach (var c in m.Cases(shard))
            if (c.Images is FileCaseImages f)
                foreach (var path in new[] { f.Fixed, f.Moving, f.FixedMask, f.MovingMask })
                    if (path is not null) yield return path;
    }

    private static void Summarize(ValidationReport report, string outDir)
    {
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
    }

    /// <summary>Reports on the worker's thread, in order (Progress&lt;T&gt; would post each of thousands of cases to the pool).</summary>
    private sealed class SyncProgress(Action<ValidationProgress> report) : IProgress<ValidationProgress>
    {
        public void Report(ValidationProgress value) => report(value);
    }

    private static string F(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "–";
}
