using System.Text.Json;

namespace ImageGuide.Cli.Tests;

public class ValidateTests
{
    private string _dir = "";
    private string _report = "";

    [OneTimeSetUp]
    public void RunTinyValidation()
    {
        _dir = Path.Combine(Path.GetTempPath(), "imageguide-cli-validate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "manifest.json"),
            """{ "trePoints": 300, "cases": [ { "id": "p1", "phantom": { "seed": 1, "fixed": "DiagnosticCt", "moving": "MrT1" }, "tags": { "pair": "CT-MR", "site": "spine" } } ] }""");
        var r = CliProcess.Run("validate", Path.Combine(_dir, "manifest.json"), "--out", Path.Combine(_dir, "out"));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        _report = Path.Combine(_dir, "out", "report.json");
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, true);

    [Test]
    public void Validate_WritesTheReportFolder_WithSubMillimetreTreOnThePhantom()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(_report));
        var c = doc.RootElement.GetProperty("cases")[0];
        Assert.That(c.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(c.GetProperty("tre").GetProperty("points").GetInt32(), Is.EqualTo(300));
        Assert.That(c.GetProperty("tre").GetProperty("maxMm").GetDouble(), Is.LessThan(1.0));
        foreach (var f in new[] { "report.md", "report.csv", "plots/tre-boxplot.png", "snapshots/p1-imageguide-checkerboard.png", "cases/p1.imageguide.json" })
            Assert.That(File.Exists(Path.Combine(_dir, "out", f)), f);
    }

    [Test]
    public void Plan_TakesItsUncertaintyFromTheReport()
    {
        string phantom = Path.Combine(_dir, "phantom");
        Assert.That(CliProcess.Run("phantom", "--out", phantom, "--seed", "5").ExitCode, Is.EqualTo(0));
        string plan = Path.Combine(_dir, "plan.json");
        var r = CliProcess.Run("plan", "--labels", Path.Combine(phantom, "ct", "labels.nii.gz"), "--label-table", Path.Combine(phantom, "labels.json"),
            "--probes", "0", "--uncertainty-from", _report, "--out", plan);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var report = JsonDocument.Parse(File.ReadAllText(_report));
        using var doc = JsonDocument.Parse(File.ReadAllText(plan));
        Assert.That(doc.RootElement.GetProperty("fusionUncertaintyMm").GetDouble(),
            Is.EqualTo(report.RootElement.GetProperty("uncertaintyFeed").GetProperty("p95TreMm").GetDouble()).Within(1e-9));
    }

    [Test]
    public void Plan_RefusesBothUncertaintyOptions_AndAMissingReport()
    {
        var both = CliProcess.Run("plan", "--labels", "x.nii.gz", "--uncertainty", "1", "--uncertainty-from", _report);
        Assert.That(both.ExitCode, Is.EqualTo(2));
        Assert.That(both.Stderr, Does.Contain("either --uncertainty or --uncertainty-from"));
        var missing = CliProcess.Run("plan", "--labels", "x.nii.gz", "--uncertainty-from", Path.Combine(_dir, "none.json"));
        Assert.That(missing.ExitCode, Is.EqualTo(3));
        Assert.That(missing.Stderr, Does.Contain("validation report does not exist"));
    }

    [Test]
    public void Validate_BadInputs_GiveTheContractsExitCodes()
    {
        var peer = CliProcess.Run("validate", Path.Combine(_dir, "manifest.json"), "--out", Path.Combine(_dir, "o2"), "--compare", "ants");
        Assert.That(peer.ExitCode, Is.EqualTo(2));
        Assert.That(peer.Stderr, Does.Contain("only peer tool supported is elastix"));
        File.WriteAllText(Path.Combine(_dir, "broken.json"), """{ "cases": [ { "id": "b", "fixed": "a.mha", "moving": "b.mha", "groundTruthTransform": "t.tfm" } ] }""");
        var broken = CliProcess.Run("validate", Path.Combine(_dir, "broken.json"), "--out", Path.Combine(_dir, "o3"));
        Assert.That(broken.ExitCode, Is.EqualTo(3));
        Assert.That(broken.Stderr, Does.Contain("case 'b' (index 0): field 'fixed'"));
    }
}
