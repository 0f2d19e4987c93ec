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

    private const float PageWidth = 595, PageHeight = 842, Margin = 48; // A4 in points
    private static readonly SKColor Ink = new(30, 30, 30), Muted = new(110, 110, 110), Rule = new(200, 200, 200), Stripe = new(242, 245, 248);

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
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var bold = SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold) ?? typeface;
        var w = new PageWriter(document, typeface, bold);

        w.Text("Fusion validation", 22, bold: true);
        w.Text(report.ManifestName + " — " + report.Results.Select(r => r.CaseId).Distinct().Count() + " cases, tools: " + string.Join(", ", report.Tools), 11, Muted);
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
            w.Image(image, file);
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

    /// <summary>Lays text, tables and images down the pages, starting a new page when the next item does not fit.</summary>
    private sealed class PageWriter(SKDocument document, SKTypeface regular, SKTypeface boldFace)
    {
        private SKCanvas? _canvas;
        private float _y;
        private int _pages;

        private SKCanvas Canvas
        {
            get
            {
                if (_canvas is null)
                {
                    _canvas = document.BeginPage(PageWidth, PageHeight);
                    _pages++;
                    _y = Margin;
                    using var font = new SKFont(regular, 8);
                    using var paint = new SKPaint { Color = Muted, IsAntialias = true };
                    _canvas.DrawText("ImageGuide fusion validation — page " + _pages.ToString(CultureInfo.InvariantCulture), PageWidth - Margin,
                        PageHeight - Margin / 2, SKTextAlign.Right, font, paint);
                }
                return _canvas;
            }
        }

        public void NewPage()
        {
            if (_canvas is null) return;
            document.EndPage();
            _canvas = null;
        }

        private void Need(float height)
        {
            if (_canvas is not null && _y + height > PageHeight - Margin) NewPage();
        }

        public void Gap(float points) => _y += points;

        public void Text(string text, float size, SKColor? color = null, bool bold = false)
        {
            using var font = new SKFont(bold ? boldFace : regular, size);
            using var paint = new SKPaint { Color = color ?? Ink, IsAntialias = true };
            foreach (var line in Wrap(text, font, PageWidth - 2 * Margin))
            {
                Need(size * 1.4f);
                var canvas = Canvas;
                _y += size * 1.1f;
                canvas.DrawText(line, Margin, _y, SKTextAlign.Left, font, paint);
                _y += size * 0.4f;
            }
        }

        /// <summary>A table, its first row the header (repeated on each page); columns as wide as their widest cell, the spare width shared out.</summary>
        public void Table(IReadOnlyList<string[]> rows)
        {
            const float size = 8.5f, rowHeight = 13, padding = 6;
            int columns = rows[0].Length;
            float width = PageWidth - 2 * Margin;
            using var font = new SKFont(regular, size);
            using var boldFont = new SKFont(boldFace, size);
            var natural = new float[columns];
            for (int r = 0; r < rows.Count; r++)
                for (int c = 0; c < columns && c < rows[r].Length; c++)
                    natural[c] = Math.Max(natural[c], (r == 0 ? boldFont : font).MeasureText(rows[r][c]) + padding);
            float sum = natural.Sum(), spare = (width - sum) / columns;
            var x = new float[columns + 1];
            for (int c = 0; c < columns; c++) x[c + 1] = x[c] + (spare >= 0 ? natural[c] + spare : natural[c] * width / sum);
            using var paint = new SKPaint { Color = Ink, IsAntialias = true };
            using var fill = new SKPaint { Color = Stripe };
            using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.6f, IsStroke = true };
            for (int r = 0; r < rows.Count; r++)
            {
                bool header = r == 0;
                if (_canvas is not null && _y + rowHeight > PageHeight - Margin)
                {
                    NewPage();
                    Row(rows[0], true); // repeat the header on each page
                }
                Row(rows[r], header);
            }
            _y += 6;

            void Row(string[] cells, bool header)
            {
                var canvas = Canvas;
                if (header) canvas.DrawRect(Margin, _y, width, rowHeight, fill);
                for (int c = 0; c < cells.Length && c < columns; c++)
                {
                    var f = header ? boldFont : font;
                    string text = Fit(cells[c], f, x[c + 1] - x[c] - padding / 2);
                    canvas.DrawText(text, Margin + x[c] + 2, _y + rowHeight - 3.5f, SKTextAlign.Left, f, paint);
                }
                _y += rowHeight;
                canvas.DrawLine(Margin, _y, Margin + width, _y, rule);
            }
        }

        public void Image(SKImage image, string caption)
        {
            float width = PageWidth - 2 * Margin, height = width * image.Height / image.Width, maxHeight = PageHeight - 2 * Margin - 20;
            if (height > maxHeight) { width *= maxHeight / height; height = maxHeight; }
            Need(height + 16);
            var canvas = Canvas;
            using var paint = new SKPaint();
            canvas.DrawImage(image, SKRect.Create(Margin, _y, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None), paint);
            _y += height + 2;
            Text("plots/" + caption, 7, Muted);
            _y += 6;
        }

        public int Close()
        {
            _ = Canvas; // at least one page
            NewPage();
            return _pages;
        }

        private static string Fit(string text, SKFont font, float width)
        {
            if (font.MeasureText(text) <= width) return text;
            while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
            return text + "…";
        }

        private static IEnumerable<string> Wrap(string text, SKFont font, float width)
        {
            var line = "";
            foreach (var word in text.Split(' '))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && font.MeasureText(candidate) > width)
                {
                    yield return line;
                    line = word;
                }
                else line = candidate;
            }
            if (line.Length > 0) yield return line;
        }
    }
}
