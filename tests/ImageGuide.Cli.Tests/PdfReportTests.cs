using System.Diagnostics;
using System.Text.Json;

namespace ImageGuide.Cli.Tests;

/// <summary><c>plan --report</c> and <c>iceball --report</c>: real PDFs whose text carries the JSON's numbers and which embed the snapshots.</summary>
public class PdfReportTests
{
    private string _case = "";

    [OneTimeSetUp]
    public void MakePhantom()
    {
        _case = Path.Combine(Path.GetTempPath(), "imageguide-cli-pdf-" + Guid.NewGuid().ToString("N"));
        var r = CliProcess.Run("phantom", "--out", _case, "--seed", "6");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
    }

    [OneTimeTearDown]
    public void Delete() { if (Directory.Exists(_case)) Directory.Delete(_case, true); }

    private static string Tool(string name, params string[] args)
    {
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name))))
        {
            string why = $"poppler-utils ({name}) not installed: the PDF is not read back";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(why + " (CI installs it through .ci/run)");
            Assert.Ignore(why);
        }
        var psi = new ProcessStartInfo(name) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), name);
        return text;
    }

    private static string CheckPdf(string pdf)
    {
        var bytes = File.ReadAllBytes(pdf);
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 0, 4), Is.EqualTo("%PDF"));
        Assert.That(System.Text.Encoding.Latin1.GetString(bytes), Does.Contain("/Subtype /Image"), "the snapshots are embedded");
        Assert.That(System.Text.Encoding.Latin1.GetString(bytes), Does.Not.Contain("/DCTDecode"), "images embedded losslessly, not as JPEG");
        var pages = Tool("pdfinfo", pdf).Split('\n').First(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        Assert.That(int.Parse(pages["Pages:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
        return Tool("pdftotext", "-layout", pdf, "-");
    }

    [Test]
    public void Plan_Report_PrintsTheBestTrajectoryAndClearancesOfThePlanJson()
    {
        string plan = Path.Combine(_case, "out", "plan.json"), pdf = Path.Combine(_case, "out", "plan.pdf");
        var r = CliProcess.Run("plan", "--labels", Path.Combine(_case, "ct", "labels.nii.gz"), "--label-table", Path.Combine(_case, "labels.json"),
            "--image", Path.Combine(_case, "ct", "dicom"), "--probes", "0", "--uncertainty", "1", "--out", plan, "--report", pdf);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        string text = CheckPdf(pdf);
        using var doc = JsonDocument.Parse(File.ReadAllText(plan));
        var best = doc.RootElement.GetProperty("trajectories")[0];
        Assert.That(text, Does.Contain(best.GetProperty("lengthMm").GetRawText() + " mm"), "the best trajectory's length as in plan.json");
        Assert.That(text, Does.Contain(best.GetProperty("clearancesMm").GetProperty("cord").GetRawText() + " mm"), "the cord clearance");
        Assert.That(text, Does.Contain("PHANTOM-6"), "the planning image's patient ID");

        // an existing report is not replaced without --force
        var again = CliProcess.Run("plan", "--labels", Path.Combine(_case, "ct", "labels.nii.gz"), "--label-table", Path.Combine(_case, "labels.json"),
            "--probes", "0", "--report", pdf);
        Assert.That(again.ExitCode, Is.Not.EqualTo(0));
        Assert.That(again.Stderr, Does.Contain("--report"));
    }

    [Test]
    public void Iceball_Report_PrintsTheVolumeAndDistancesOfReportJson()
    {
        string outDir = Path.Combine(_case, "ice"), pdf = Path.Combine(_case, "ice.pdf");
        string intra = Path.Combine(_case, "intraop");
        var r = CliProcess.Run("iceball", "--ct", Path.Combine(intra, "intraop"), "--pre", Path.Combine(intra, "prefreeze"),
            "--labels", Path.Combine(intra, "labels.nii.gz"), "--label-table", Path.Combine(_case, "labels.json"), "--out", outDir, "--report", pdf);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        string text = CheckPdf(pdf);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.That(text, Does.Contain(doc.RootElement.GetProperty("volumeMl").GetRawText() + " mL"), "the ice-ball volume as in report.json");
        Assert.That(text, Does.Contain(doc.RootElement.GetProperty("criticalDistancesMm").GetProperty("cord").GetRawText() + " mm"), "the distance to the cord");
        Assert.That(text, Does.Contain("PHANTOM-6"), "the intra-procedural CT's patient ID");
    }
}
