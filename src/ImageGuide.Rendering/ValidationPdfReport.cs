using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Workflows.Validation;
using SkiaSharp;

namespace ImageGuide.Rendering;

/// <summary>
/// The validation report as one PDF (<c>report.pdf</c>, written with SkiaSharp's PDF backend): a title, the summary
/// numbers of every tool (pooled TRE, success rates, runtime — rounded as in report.json), the verdict counts, the
/// charts, and one table row per case and tool, worst cases first. Text is real text (searchable, copyable); the charts
/// are embedded PNG images.
/// </summary>
public static class ValidationPdfReport
{
    /// <summary>File name written beside report.html.</summary>
    public const string FileName = "report.pdf";


    /// <summary>Writes <see cref="FileName"/> into <paramref name="folder"/>.</summary>
    /// <param name="report">The results.</param>
    /// <param name="folder">Report folder (created when missing).</param>
    /// <param name="charts">Draws the charts; null: a default <see cref="ValidationChartsRenderer"/>.</param>
    /// <returns>The number of pages written.</returns>
    public static int Write(ValidationReport report, string folder, ValidationChartsRenderer? charts = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        using var ms = new MemoryStream();
        int pages = Render(report, ms, charts ?? new ValidationChartsRenderer());
        RenderedFile.Write(Path.Combine(folder, FileName), ms.GetBuffer().AsSpan(0, (int)ms.Length));
        return pages;
    }

    /// <summary>Renders the report into <paramref name="output"/> and returns its page count.</summary>
    public static int Render(ValidationReport report, Stream output, ValidationChartsRenderer charts)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(charts);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = "Fusion validation — " + report.ManifestName,
            Creator = "ImageGuide",
            Producer = "ImageGuide.Rendering (SkiaSharp)",
            RasterDpi = 150,
            // > 100: images embedded losslessly (Flate). The struct's default, 0, makes Skia write JPEG of quality 0,
            // which smears snapshots and charts
            EncodingQuality = PdfPageWriter.LosslessImages,
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        var typeface = EmbeddedFonts.Regular;
        var bold = EmbeddedFonts.Bold;
        var w = new PdfPageWriter(document, typeface, bold, "ImageGuide fusion validation");

        w.Text("Fusion validation", 22, bold: true);
        w.Text(report.ManifestName + " — " + report.Results.Select(r => r.CaseId).Distinct().Count() + " cases, tools: " + string.Join(", ", report.Tools), 11, PdfPageWriter.Muted);
        w.Gap(10);
        if (report.PooledP95Mm is { } p95)
            w.Text("Uncertainty feed (" + report.Tools[0] + ", pooled p95 TRE): " + J(p95) + " mm", 11);
        w.Gap(8);

        w.Text("Summary: TRE pooled over the successful cases, mm (rounded as in report.json)", 12, bold: true);
        string rateHeader = string.Join(" / ", ValidationReport.ThresholdsMm.Select(t => "≤" + t.ToString("0", CultureInfo.InvariantCulture))) + " mm";
        var summary = new List<string[]> { new[] { "tool", "cases", "failed", "median", "mean", "p95", "max", rateHeader, "median s" } };
        foreach (var s in report.Summaries)
            summary.Add([s.Tool, I(s.Cases), I(s.Failed), J(s.Pooled?.Median), J(s.Pooled?.Mean), J(s.Pooled?.P95), J(s.Pooled?.Max),
                string.Join(" / ", s.SuccessRates.Select(r => (100 * r.Rate).ToString("0", CultureInfo.InvariantCulture) + "%")),
                s.MedianSeconds.ToString("0.0", CultureInfo.InvariantCulture)]);
        w.Table(summary);
        w.Gap(8);

        var confusions = report.Tools.Select(report.Confusion).OfType<VerdictConfusion>().ToList();
        if (confusions.Count > 0)
        {
            w.Text("Quality verdicts against the true outcome (accurate: p95 TRE ≤ " + J(ValidationReport.VerdictSuccessThresholdMm) + " mm)", 12, bold: true);
            var rows = new List<string[]> { new[] { "tool", "verdict", "accurate", "missed", "cases" } };
            foreach (var c in confusions)
                foreach (var r in c.Rows)
                    rows.Add([c.Tool, r.Verdict, I(r.Accurate), I(r.Missed), I(r.Total)]);
            w.Table(rows);
            foreach (var c in confusions)
                w.Text($"{c.Tool}: {c.SilentFailures.Count} silent failure(s) (verdict good, missed)"
                    + (c.SilentFailures.Count > 0 ? ": " + string.Join(", ", c.SilentFailures) : "")
                    + $"; {c.FalseAlarms.Count} false alarm(s) (verdict failed, accurate)", 10);
        }

        foreach (var (file, png) in charts.Render(report))
        {
            using var image = SKImage.FromEncodedData(png);
            if (image is null) continue;
            w.Image(image, "plots/" + file);
        }

        w.NewPage();
        w.Text("Cases, worst first (TRE in mm)", 12, bold: true);
        var caseRows = new List<string[]> { new[] { "case", "tool", "pair", "status", "median", "p95", "max", "verdict", "outcome", "s" } };
        var order = report.CasesWorstFirst();
        foreach (var id in order)
            foreach (var r in report.Results.Where(x => x.CaseId == id))
                caseRows.Add([r.CaseId, r.Tool, r.Pair, r.Succeeded ? "ok" : "failed", F(r.Tre?.Median), F(r.Tre?.P95), F(r.Tre?.Max),
                    r.Verdict?.StatusName ?? "–", r.Accurate ? "accurate" : "missed", r.Seconds.ToString("0.0", CultureInfo.InvariantCulture)]);
        w.Table(caseRows);
        int pageCount = w.Close();
        document.Close();
        return pageCount;
    }

    /// <summary>A number as report.json writes it (rounded to <see cref="JsonWriterExtensions.ReportDecimals"/>), or – for none.</summary>
    private static string J(double? v) =>
        v is { } x && double.IsFinite(x) ? Math.Round(x, JsonWriterExtensions.ReportDecimals).ToString(CultureInfo.InvariantCulture) : "–";

    private static string F(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "–";

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
