using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.IO;
using ImageGuide.Registration;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Writes the report folder: <c>report.csv</c> (one row per case and tool), <c>report-verdicts.csv</c> (the quality
/// verdicts against the true outcome, per tool that gives verdicts), <c>report-levels.csv</c> (per-vertebra cases: TRE
/// per level, global vs per vertebra), <c>report.json</c> (summaries, verdict tables, the
/// planning uncertainty feed and every case), <c>report.md</c> (tables, plots, snapshots, worst cases first), the same
/// as one self-contained <c>report.html</c> (images embedded), and the plots in <c>plots/</c>. The content depends only on
/// the case results (no timestamps), so equal results give byte-identical files.
/// </summary>
public static class ValidationReportWriter
{
    /// <summary>Schema id written into report.json.</summary>
    public const string Schema = "imageguide-validation-report/1";

    private static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Writes every report file into <paramref name="folder"/>.</summary>
    /// <param name="report">The results.</param>
    /// <param name="folder">Report folder.</param>
    /// <param name="charts">Draws <c>plots/</c>; null: <see cref="ValidationCharts.Default"/>, and when that is null too no plots —
    /// the report has its tables only (Core draws no charts: it has no font).</param>
    public static void Write(ValidationReport report, string folder, IReportCharts? charts = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(folder);
        if ((charts ?? ValidationCharts.Default) is { } drawer) drawer.Write(report, Directory.CreateDirectory(Path.Combine(folder, "plots")).FullName);
        WriteText(Path.Combine(folder, "report.csv"), Csv(report));
        WriteText(Path.Combine(folder, "report-verdicts.csv"), VerdictCsv(report));
        if (report.Results.Any(r => r.Levels is not null)) WriteText(Path.Combine(folder, "report-levels.csv"), LevelCsv(report));
        WriteText(Path.Combine(folder, "report.json"), Json(report));
        string markdown = Markdown(report, folder);
        WriteText(Path.Combine(folder, "report.md"), markdown);
        WriteText(Path.Combine(folder, "report.html"), ReportHtml.Render(markdown, folder, "Fusion validation — " + report.ManifestName));
    }

    /// <summary>
    /// One row per case and tool; <c>verdict</c> is the tool's quality verdict (empty when it gives none),
    /// <c>verdict_reasons</c> its reasons joined by "; ", and <c>outcome</c> accurate (p95 TRE ≤
    /// <see cref="ValidationReport.VerdictSuccessThresholdMm"/>) or missed.
    /// </summary>
    public static string Csv(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder("case,index,pair,site,preset,tool,status,points,tre_median_mm,tre_mean_mm,tre_p95_mm,tre_max_mm,seconds,failure,verdict,verdict_reasons,outcome\n");
        foreach (var r in report.Results)
        {
            var t = r.Tre;
            sb.Append(Csv(r.CaseId)).Append(',').Append(r.CaseIndex).Append(',').Append(Csv(r.Pair)).Append(',').Append(Csv(r.Site)).Append(',')
              .Append(Csv(PresetName(r.Preset))).Append(',').Append(r.Tool).Append(',').Append(r.Succeeded ? "ok" : "failed").Append(',')
              .Append(r.Errors.Count).Append(',')
              .Append(t is { } a ? $"{F(a.Median, "0.0000")},{F(a.Mean, "0.0000")},{F(a.P95, "0.0000")},{F(a.Max, "0.0000")}" : ",,,").Append(',')
              .Append(F(r.Seconds, "0.000")).Append(',').Append(Csv(r.Failure ?? "")).Append(',')
              .Append(r.Verdict?.StatusName ?? "").Append(',').Append(Csv(r.Verdict is { } v ? string.Join("; ", v.Reasons) : "")).Append(',')
              .Append(Outcome(r)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The verdict tables: per tool that gives verdicts, one row per verdict (good, doubtful, failed, none) with the
    /// counts of accurate and missed cases; <c>silent_failures</c> repeats the good-but-missed count on every row of
    /// the tool.
    /// </summary>
    public static string VerdictCsv(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder("tool,verdict,accurate,missed,threshold_p95_mm,silent_failures\n");
        foreach (var tool in report.Tools)
        {
            if (report.Confusion(tool) is not { } c) continue;
            foreach (var row in c.Rows)
                sb.Append(tool).Append(',').Append(row.Verdict).Append(',').Append(row.Accurate).Append(',').Append(row.Missed).Append(',')
                  .Append(F(c.ThresholdMm, "0.##")).Append(',').Append(c.SilentFailures.Count).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Per-vertebra cases: one row per case, tool and level with the TRE of the global rigid result and of the
    /// per-vertebra result over the same points, and the level's verdict and fallback.
    /// </summary>
    public static string LevelCsv(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder("case,tool,level,label,points,global_median_mm,global_p95_mm,global_max_mm,per_vertebra_median_mm,per_vertebra_p95_mm,per_vertebra_max_mm,verdict,fallback\n");
        foreach (var r in report.Results)
            foreach (var l in r.Levels ?? [])
            {
                TreStatistics g = l.Global, p = l.PerVertebra;
                sb.Append(Csv(r.CaseId)).Append(',').Append(r.Tool).Append(',').Append(Csv(l.Level)).Append(',').Append(l.Label).Append(',').Append(g.Count).Append(',')
                  .Append(F(g.Median, "0.0000")).Append(',').Append(F(g.P95, "0.0000")).Append(',').Append(F(g.Max, "0.0000")).Append(',')
                  .Append(F(p.Median, "0.0000")).Append(',').Append(F(p.P95, "0.0000")).Append(',').Append(F(p.Max, "0.0000")).Append(',')
                  .Append(l.Verdict).Append(',').Append(Csv(l.Fallback ?? "")).Append('\n');
            }
        return sb.ToString();
    }

    private static string Outcome(CaseResult r) => r.Accurate ? "accurate" : "missed";

    /// <summary>The JSON report; <c>uncertaintyFeed.p95TreMm</c> is what <c>imageguide plan --uncertainty-from</c> reads.</summary>
    public static string Json(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("manifest", report.ManifestName);
            w.WriteStartArray("thresholdsMm");
            foreach (var t in ValidationReport.ThresholdsMm) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteStartObject("uncertaintyFeed");
            w.WriteString("tool", report.Tools[0]);
            w.WriteString("statistic", "pooled p95 TRE over all evaluation points of the successful cases");
            if (report.PooledP95Mm is { } p95) w.WriteNumber("p95TreMm", Math.Round(p95, 4)); else w.WriteNull("p95TreMm");
            var levels = report.PooledLevels(report.Tools[0]);
            if (levels.Count > 0)
            {
                // per level: what `plan --uncertainty-from` takes for the treated level of a per-vertebra fusion
                w.WriteStartObject("perVertebraP95TreMm");
                foreach (var l in levels)
                    if (l.Level != LevelTre.Outside) w.WriteNumber(l.Level, Math.Round(l.PerVertebra.P95, 4));
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("tools");
            foreach (var s in report.Summaries)
            {
                w.WriteStartObject();
                WriteSummary(w, s);
                WriteConfusion(w, report.Confusion(s.Tool));
                w.WriteStartObject("pairs");
                foreach (var pair in report.Pairs)
                {
                    w.WriteStartObject(pair);
                    WriteSummary(w, report.Summary(s.Tool, pair));
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                WriteLevels(w, report.PooledLevels(s.Tool));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("cases");
            foreach (var r in report.Results)
            {
                w.WriteStartObject();
                w.WriteString("id", r.CaseId);
                w.WriteString("tool", r.Tool);
                w.WriteString("pair", r.Pair);
                w.WriteString("site", r.Site);
                w.WriteString("preset", PresetName(r.Preset));
                w.WriteString("status", r.Succeeded ? "ok" : "failed");
                if (r.Failure is { } f) w.WriteString("failure", f); else w.WriteNull("failure");
                WriteTre(w, "tre", r.Tre);
                w.WriteString("outcome", Outcome(r));
                if (r.Verdict is { } v) RegistrationVerdictJson.Write(w, "verdict", v); else w.WriteNull("verdict");
                w.WriteNumber("seconds", Math.Round(r.Seconds, 3));
                if (r.Levels is { } caseLevels)
                {
                    w.WriteStartArray("levels");
                    foreach (var l in caseLevels)
                    {
                        w.WriteStartObject();
                        l.WriteName(w);
                        WriteTre(w, "global", l.Global);
                        WriteTre(w, "perVertebra", l.PerVertebra);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                if (r.Transform is { } t)
                {
                    var m = t.ToMatrix4x4();
                    w.WriteStartArray("matrix");
                    for (int row = 0; row < 4; row++)
                    {
                        w.WriteStartArray();
                        for (int col = 0; col < 4; col++) w.WriteNumberValue(Math.Round(m[row, col], 9));
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>The Markdown report, linking the plots and the snapshots present in <paramref name="folder"/>.</summary>
    public static string Markdown(ValidationReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(folder);
        var sb = new StringBuilder();
        sb.Append("# Fusion validation — ").Append(report.ManifestName).Append("\n\n");
        sb.Append("TRE (target registration error, mm) per case from its landmark pairs or ground-truth transform; pooled over every ")
          .Append("evaluation point of the successful cases. Success at t mm: the case's p95 TRE ≤ t (failed cases count as misses). ")
          .Append("Runtime: wall time of the registration on this machine.\n\n");
        sb.Append("## Summary\n\n");
        SummaryTable(sb, report.Summaries);
        if (report.PooledP95Mm is { } p95)
            sb.Append("\nPlanning uncertainty feed: pooled p95 TRE of ").Append(report.Tools[0]).Append(" = **").Append(F(p95)).Append(" mm** ")
              .Append("(`imageguide plan --uncertainty-from report.json`).\n");
        foreach (var pair in report.Pairs)
        {
            sb.Append("\n### ").Append(pair).Append("\n\n");
            SummaryTable(sb, report.Tools.Select(t => report.Summary(t, pair)).ToList());
        }
        VerdictSection(sb, report);
        LevelSection(sb, report);
        var plotFiles = ValidationCharts.FileNames.Where(f => File.Exists(Path.Combine(folder, "plots", f))).ToList();
        if (plotFiles.Count > 0)
        {
            sb.Append("\n## Plots\n");
            foreach (var f in plotFiles) sb.Append("\n![").Append(ValidationCharts.Caption(f)).Append("](plots/").Append(f).Append(")\n");
        }
        var verdictTools = report.Tools.Select(t => report.Confusion(t) is not null).ToList();
        sb.Append("\n## Cases, worst first\n\n| case | pair | site | preset |");
        for (int i = 0; i < report.Tools.Count; i++)
        {
            string t = report.Tools[i];
            sb.Append(' ').Append(t).Append(" median / p95 / max (mm) | ").Append(t).Append(" s |");
            if (verdictTools[i]) sb.Append(' ').Append(t).Append(" verdict |");
        }
        sb.Append("\n|---|---|---|---|");
        foreach (var v in verdictTools) sb.Append(v ? "---|---|---|" : "---|---|");
        sb.Append('\n');
        var ids = report.CasesWorstFirst();
        foreach (var id in ids)
        {
            var rs = report.Tools.Select(t => report.Results.First(r => r.CaseId == id && r.Tool == t)).ToList();
            sb.Append("| ").Append(id).Append(" | ").Append(rs[0].Pair).Append(" | ").Append(rs[0].Site).Append(" | ").Append(PresetName(rs[0].Preset)).Append(" |");
            for (int i = 0; i < rs.Count; i++)
            {
                var r = rs[i];
                sb.Append(r.Tre is { } t ? $" {F(t.Median)} / {F(t.P95)} / {F(t.Max)} | {F(r.Seconds, "0.0")} |" : " failed | – |");
                if (verdictTools[i]) sb.Append(' ').Append(r.Verdict?.StatusName ?? "–").Append(" |");
            }
            sb.Append('\n');
        }
        var doubted = report.Results.Where(r => r.Verdict is { Reasons.Count: > 0 }).ToList();
        if (doubted.Count > 0)
        {
            sb.Append("\n## Verdict reasons\n\n");
            foreach (var r in doubted)
                sb.Append("- **").Append(r.CaseId).Append("** (").Append(r.Tool).Append(", ").Append(r.Verdict!.StatusName).Append("): ")
                  .Append(string.Join("; ", r.Verdict.Reasons)).Append('\n');
        }
        var failures = report.Results.Where(r => !r.Succeeded).ToList();
        if (failures.Count > 0)
        {
            sb.Append("\n## Failures\n\n");
            foreach (var r in failures) sb.Append("- **").Append(r.CaseId).Append("** (").Append(r.Tool).Append("): ").Append(r.Failure).Append('\n');
        }
        sb.Append("\n## Snapshots, worst first\n\nAxial slice through the centre of the evaluation points: checkerboard (fixed and registered moving ")
          .Append("image in alternate tiles) and alpha fusion (moving in the hot colour map over the fixed).\n");
        foreach (var id in ids)
        {
            sb.Append("\n### ").Append(id).Append("\n\n");
            bool any = false;
            foreach (var t in report.Tools)
                foreach (var kind in (string[])["checkerboard", "fusion"])
                {
                    string file = CaseSnapshots.FileName(id, t, kind);
                    if (!File.Exists(Path.Combine(folder, "snapshots", file))) continue;
                    sb.Append("![").Append(t).Append(' ').Append(kind).Append("](snapshots/").Append(file).Append(") ");
                    any = true;
                }
            sb.Append(any ? "\n" : "No snapshot (the case failed).\n");
        }
        return sb.ToString();
    }

    private static void SummaryTable(StringBuilder sb, IReadOnlyList<ToolSummary> summaries)
    {
        sb.Append("| tool | cases | failed | pooled median | mean | p95 | max (mm) |");
        foreach (var t in ValidationReport.ThresholdsMm) sb.Append(" ≤ ").Append(F(t, "0")).Append(" mm |");
        sb.Append(" median s | total s |\n|---|---|---|---|---|---|---|");
        foreach (var _ in ValidationReport.ThresholdsMm) sb.Append("---|");
        sb.Append("---|---|\n");
        foreach (var s in summaries)
        {
            sb.Append("| ").Append(s.Tool).Append(" | ").Append(s.Cases).Append(" | ").Append(s.Failed).Append(" |");
            sb.Append(s.Pooled is { } p ? $" {F(p.Median)} | {F(p.Mean)} | {F(p.P95)} | {F(p.Max)} |" : " – | – | – | – |");
            foreach (var (_, rate) in s.SuccessRates) sb.Append(' ').Append(F(100 * rate, "0")).Append(" % |");
            sb.Append(' ').Append(F(s.MedianSeconds, "0.0")).Append(" | ").Append(F(s.TotalSeconds, "0.0")).Append(" |\n");
        }
    }

    /// <summary>The verdict-against-outcome table of each tool that gives verdicts, with the silent failures called out.</summary>
    private static void VerdictSection(StringBuilder sb, ValidationReport report)
    {
        var tables = report.Tools.Select(report.Confusion).OfType<VerdictConfusion>().ToList();
        if (tables.Count == 0) return;
        string threshold = F(ValidationReport.VerdictSuccessThresholdMm, "0.##");
        sb.Append("\n## Verdict against outcome\n\n")
          .Append("Each registration judges its own result (good / doubtful / failed) without the ground truth; here that verdict is set ")
          .Append("against the true outcome: accurate when the case's p95 TRE ≤ ").Append(threshold).Append(" mm, else missed (a case without ")
          .Append("a result is missed, its verdict none). A **silent failure** is a case judged good that missed.\n");
        foreach (var c in tables)
        {
            sb.Append("\n### ").Append(c.Tool).Append(" verdicts\n\n| verdict | accurate (p95 ≤ ").Append(threshold).Append(" mm) | missed | cases |\n|---|---|---|---|\n");
            foreach (var row in c.Rows)
                sb.Append("| ").Append(row.Verdict).Append(" | ").Append(row.Accurate).Append(" | ").Append(row.Missed).Append(" | ").Append(row.Total).Append(" |\n");
            sb.Append("\n**Silent failures (verdict good, p95 TRE > ").Append(threshold).Append(" mm): ").Append(c.SilentFailures.Count).Append("**");
            if (c.SilentFailures.Count > 0) sb.Append(" — ").Append(string.Join(", ", c.SilentFailures));
            sb.Append(". Caught misses (doubtful or failed): ").Append(c.Row("doubtful").Missed + c.Row("failed").Missed)
              .Append("; false alarms (failed but accurate): ").Append(c.FalseAlarms.Count);
            if (c.FalseAlarms.Count > 0) sb.Append(" — ").Append(string.Join(", ", c.FalseAlarms));
            sb.Append(".\n");
        }
    }

    /// <summary>The per-vertebra TRE of each tool that ran per-vertebra cases: pooled per level, then per case and level.</summary>
    private static void LevelSection(StringBuilder sb, ValidationReport report)
    {
        var tools = report.Tools.Where(t => report.PooledLevels(t).Count > 0).ToList();
        if (tools.Count == 0) return;
        sb.Append("\n## Per-vertebra TRE: global rigid vs per vertebra\n\n")
          .Append("Per-vertebra cases are registered rigidly (the global result, whose TRE the tables above show), then every vertebra on its own; ")
          .Append("each evaluation point counts for the vertebra it lies in (or on, within ").Append(F(ValidationCaseData.LevelSearchRadiusMm, "0.#"))
          .Append(" mm), points in no vertebra for '").Append(LevelTre.Outside).Append("'. TRE median / p95 / max, mm, over the same points.\n");
        foreach (var tool in tools)
        {
            sb.Append("\n### ").Append(tool).Append(", pooled per level\n\n| level | cases | points | global rigid | per vertebra |\n|---|---|---|---|---|\n");
            foreach (var l in report.PooledLevels(tool))
                sb.Append("| ").Append(l.Level).Append(" | ").Append(l.Cases).Append(" | ").Append(l.Global.Count).Append(" | ").Append(Tre(l.Global)).Append(" | ")
                  .Append(Tre(l.PerVertebra)).Append(" |\n");
            sb.Append("\n### ").Append(tool).Append(", per case\n\n| case | level | points | global rigid | per vertebra | level verdict |\n|---|---|---|---|---|---|\n");
            foreach (var r in report.Results.Where(r => r.Tool == tool && r.Levels is not null))
                foreach (var l in r.Levels!)
                    sb.Append("| ").Append(r.CaseId).Append(" | ").Append(l.Level).Append(" | ").Append(l.GlobalErrors.Count).Append(" | ").Append(Tre(l.Global))
                      .Append(" | ").Append(Tre(l.PerVertebra)).Append(" | ").Append(l.Verdict.Length == 0 ? "–" : l.Verdict)
                      .Append(l.Fallback is { } fb ? " (" + fb + ")" : "").Append(" |\n");
        }
    }

    private static string Tre(TreStatistics t) => $"{F(t.Median)} / {F(t.P95)} / {F(t.Max)}";

    private static void WriteLevels(Utf8JsonWriter w, IReadOnlyList<PooledLevel> levels)
    {
        w.WriteStartArray("levels");
        foreach (var l in levels)
        {
            w.WriteStartObject();
            w.WriteString("level", l.Level);
            w.WriteNumber("cases", l.Cases);
            WriteTre(w, "global", l.Global);
            WriteTre(w, "perVertebra", l.PerVertebra);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteConfusion(Utf8JsonWriter w, VerdictConfusion? c)
    {
        if (c is null) { w.WriteNull("verdicts"); return; }
        w.WriteStartObject("verdicts");
        w.WriteNumber("thresholdP95Mm", c.ThresholdMm);
        w.WriteStartObject("table");
        foreach (var row in c.Rows)
        {
            w.WriteStartObject(row.Verdict);
            w.WriteNumber("accurate", row.Accurate);
            w.WriteNumber("missed", row.Missed);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteNumber("silentFailures", c.SilentFailures.Count);
        w.WriteStartArray("silentFailureCases");
        foreach (var id in c.SilentFailures) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteStartArray("falseAlarmCases");
        foreach (var id in c.FalseAlarms) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, ToolSummary s)
    {
        w.WriteString("tool", s.Tool);
        w.WriteNumber("cases", s.Cases);
        w.WriteNumber("failed", s.Failed);
        WriteTre(w, "pooled", s.Pooled);
        w.WriteStartObject("successRate");
        foreach (var (t, rate) in s.SuccessRates) w.WriteNumber(F(t, "0"), Math.Round(rate, 4));
        w.WriteEndObject();
        w.WriteNumber("medianSeconds", Math.Round(s.MedianSeconds, 3));
        w.WriteNumber("totalSeconds", Math.Round(s.TotalSeconds, 3));
    }

    private static void WriteTre(Utf8JsonWriter w, string name, TreStatistics? tre)
    {
        if (tre is not { } t) { w.WriteNull(name); return; }
        w.WriteStartObject(name);
        w.WriteNumber("points", t.Count);
        w.WriteRoundedOrNull("medianMm", t.Median);
        w.WriteRoundedOrNull("meanMm", t.Mean);
        w.WriteRoundedOrNull("p95Mm", t.P95);
        w.WriteRoundedOrNull("maxMm", t.Max);
        w.WriteEndObject();
    }

    private static string PresetName(string preset) => Path.IsPathRooted(preset) ? Path.GetFileName(preset) : preset;

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static void WriteText(string path, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
