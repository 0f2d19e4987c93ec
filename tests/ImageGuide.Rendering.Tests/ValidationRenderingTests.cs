using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageGuide.Imaging;
using ImageGuide.Registration;
using ImageGuide.Rendering;
using ImageGuide.Workflows.Validation;
using NUnit.Framework;
using SkiaSharp;

namespace ImageGuide.Rendering.Tests;

/// <summary>
/// The ScottPlot charts and the SkiaSharp PDF of a validation report, on a report built directly from case results
/// (two tools, two modality pairs, verdicts, one failed case): no registration runs.
/// </summary>
public class ValidationRenderingTests
{
    private string _dir = "";
    private ValidationReport _report = null!;

    private static readonly RegistrationSignals Signals = new(0.8, 0.3, 0.05, 10, 0.62, null, null, 0.4, 0.9, false, false);

    [OneTimeSetUp]
    public void BuildReportAndRender()
    {
        _dir = Path.Combine(Path.GetTempPath(), "imageguide-rendering-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        var results = new List<CaseResult>();
        var random = new Random(7);
        string[] ids = ["ct-mr-01", "ct-mr-02", "cbct-mr-01", "cbct-mr-02", "cbct-mr-03-long-name", "ct-mr-03"];
        for (int i = 0; i < ids.Length; i++)
        {
            string pair = ids[i].StartsWith("cbct", StringComparison.Ordinal) ? "CBCT-MR" : "CT-MR";
            double scale = 0.4 + i * 0.5;
            double[] errors = [.. Enumerable.Range(0, 200).Select(_ => scale * (0.2 + random.NextDouble() * 1.6))];
            var verdict = new RegistrationVerdict(scale < 1.5 ? VerdictStatus.Good : scale < 2.5 ? VerdictStatus.Doubtful : VerdictStatus.Failed,
                scale < 1.5 ? [] : ["a reason"], Signals);
            bool failed = i == 5;
            results.Add(new CaseResult(ids[i], i, "imageguide", pair, "spine", "auto", failed ? "the images barely overlap" : null,
                failed ? [] : errors, 2 + i, failed ? null : RigidTransform.Identity, "{}", failed ? null : verdict));
            results.Add(new CaseResult(ids[i], i, "elastix", pair, "spine", "rigid", null, [.. errors.Select(e => e * 1.3)], 5 + 0.5 * i,
                RigidTransform.Identity, "{}"));
        }
        _report = new ValidationReport("manifest.json", ["imageguide", "elastix"], results);
        ValidationReportWriter.Write(_report, _dir, new ValidationChartsRenderer());
        ValidationPdfReport.Write(_report, _dir);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        if (Environment.GetEnvironmentVariable("IMAGEGUIDE_KEEP_TEST_OUTPUT") is null) Directory.Delete(_dir, true);
        else TestContext.Progress.WriteLine("kept " + _dir);
    }

    [TestCaseSource(nameof(PlotFiles))]
    public void Chart_IsARealPngWithDrawnContent(string file)
    {
        string path = Path.Combine(_dir, "plots", file);
        Assert.That(File.Exists(path), path);
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        Assert.That(bytes.Length, Is.InRange(10_000, 3_000_000), "plausible size");
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.That(bitmap.Width, Is.EqualTo(900));
        Assert.That(bitmap.Height, Is.InRange(300, 2400));
        var background = bitmap.GetPixel(2, 2);
        int differing = 0, coloured = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var p = bitmap.GetPixel(x, y);
                if (p != background) differing++;
                if (Math.Abs(p.Red - p.Blue) > 60) coloured++; // the series colours, not grey text or grid
            }
        int samples = bitmap.Width * bitmap.Height / 4;
        Assert.That(differing, Is.GreaterThan(samples / 100), "more than 1 % of the pixels are drawn");
        Assert.That(coloured, Is.GreaterThan(samples / 500), "the series are drawn in colour");
    }

    private static IEnumerable<string> PlotFiles() => ValidationCharts.FileNames;

    [Test]
    public void Pdf_HasTitlePagesImagesAndThePooledMedianOfReportJson()
    {
        string pdf = Path.Combine(_dir, ValidationPdfReport.FileName);
        var bytes = File.ReadAllBytes(pdf);
        Assert.That(Encoding.ASCII.GetString(bytes, 0, 5), Is.EqualTo("%PDF-"));
        string raw = Encoding.Latin1.GetString(bytes);
        int pages = Regex.Matches(raw, @"/Type\s*/Page(?![s\w])").Count;
        TestContext.Progress.WriteLine($"report.pdf: {bytes.Length} bytes, {pages} pages");
        // page 1 summary + the box plot, page 2 the case and runtime bars, page 3 the case table
        Assert.That(pages, Is.EqualTo(3));
        Assert.That(Regex.Matches(raw, @"/Subtype\s*/Image").Count, Is.GreaterThanOrEqualTo(ValidationCharts.FileNames.Count), "the charts are embedded images");
        Assert.That(raw, Does.Not.Contain("/DCTDecode"), "the charts embedded losslessly, not as JPEG");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "report.json")));
        var pooled = json.RootElement.GetProperty("tools")[0].GetProperty("pooled");
        string median = pooled.GetProperty("medianMm").GetRawText(), p95 = pooled.GetProperty("p95Mm").GetRawText();
        Assert.That(median, Is.EqualTo(Math.Round(_report.Summaries[0].Pooled!.Value.Median, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        if (Tool("pdfinfo") is null || Tool("pdftotext") is null)
        {
            const string why = "poppler-utils (pdfinfo, pdftotext) not installed: the text layer is not checked";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(why + " (CI installs it through .ci/run)");
            Assert.Ignore(why);
            return;
        }
        Assert.That(Run("pdfinfo", pdf), Does.Match(@"Pages:\s+3\b"));
        string text = Run("pdftotext", "-layout", pdf, "-");
        Assert.That(text, Does.Contain("Fusion validation"));
        Assert.That(text, Does.Contain(median), "pooled median TRE, rounded as report.json");
        Assert.That(text, Does.Contain(p95), "pooled p95 TRE, rounded as report.json");
        Assert.That(text, Does.Contain("cbct-mr-03-long-name"), "the case table");
        Assert.That(text, Does.Contain("the images barely overlap").Or.Contain("failed"), "the failed case is shown");
    }

    [Test]
    public void TheReportLinksEveryChart_AndWithoutChartsCoreWritesNone()
    {
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        foreach (var f in ValidationCharts.FileNames) Assert.That(md, Does.Contain("plots/" + f), "report.md links every ScottPlot chart");
        // Core alone draws no charts (it has no font since BitmapFont went): no plots folder, no links
        string dir = Path.Combine(_dir, "core-only");
        ValidationReportWriter.Write(_report, dir);
        Assert.That(Directory.Exists(Path.Combine(dir, "plots")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(dir, "report.md")), Does.Not.Contain("plots/"));
    }

    private static string? Tool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), tool + ": " + p.StandardError.ReadToEnd());
        return output;
    }
}
