using System.Text.Json;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Cli.Tests;

public class ValidateTests
{
    private string _dir = "";
    private string _report = "";
    private string _phantom = "";
    private string _stderr = "";

    /// <summary>
    /// One small batch: a phantom CT→MR case (auto preset), and three cases on the phantom's CT as a volume file whose
    /// outcome is known by construction — the CT against itself with the true (identity) transform, the same pair
    /// scored against a transform 20 mm off (a registration that is right but judged against a wrong truth: the
    /// verdict cannot know, so it is a silent failure if it says good), and the CT against pure noise.
    /// </summary>
    [OneTimeSetUp]
    public void RunTinyValidation()
    {
        _dir = Path.Combine(Path.GetTempPath(), "imageguide-cli-validate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _phantom = Path.Combine(_dir, "phantom");
        var ph = CliProcess.Run("phantom", "--out", _phantom, "--seed", "5", "--size", "small");
        Assert.That(ph.ExitCode, Is.EqualTo(0), ph.Stderr);
        var ct = VolumeReader.Read(Path.Combine(_phantom, "ct", "dicom")).Volume;
        VolumeIO.Write(ct, Path.Combine(_dir, "ct.mha"));
        var random = new Random(3);
        var noise = new Volume<float>(ct.Geometry);
        for (int i = 0; i < noise.Data.Length; i++) noise.Data[i] = (float)(1000 * random.NextDouble());
        VolumeIO.Write(noise, Path.Combine(_dir, "noise.mha"));
        TransformIO.Write(RigidTransform.Identity, Path.Combine(_dir, "identity.tfm"));
        TransformIO.Write(RigidTransform.FromTranslation(new Vec3(20, 0, 0)), Path.Combine(_dir, "off-20mm.tfm"));
        File.WriteAllText(Path.Combine(_dir, "manifest.json"), """
            { "trePoints": 300, "cases": [
              { "id": "p1", "phantom": { "seed": 1, "fixed": "DiagnosticCt", "moving": "MrT1" }, "tags": { "pair": "CT-MR", "site": "spine" } },
              { "id": "self", "fixed": "ct.mha", "moving": "ct.mha", "groundTruthTransform": "identity.tfm", "preset": "fast", "tags": { "pair": "CT-CT" } },
              { "id": "wrong-truth", "fixed": "ct.mha", "moving": "ct.mha", "groundTruthTransform": "off-20mm.tfm", "preset": "fast", "tags": { "pair": "CT-CT" } },
              { "id": "noise", "fixed": "ct.mha", "moving": "noise.mha", "groundTruthTransform": "identity.tfm", "preset": "fast", "tags": { "pair": "CT-noise" } } ] }
            """);
        var r = CliProcess.Run("validate", Path.Combine(_dir, "manifest.json"), "--out", Path.Combine(_dir, "out"));
        Assert.That(r.ExitCode, Is.EqualTo(0), "verdicts are findings of the report, not a failure of the command: " + r.Stderr);
        _stderr = r.Stderr;
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
        foreach (var f in new[] { "report.md", "report.csv", "report.pdf", "plots/tre-boxplot.png", "snapshots/p1-imageguide-checkerboard.png", "cases/p1.imageguide.json" })
            Assert.That(File.Exists(Path.Combine(_dir, "out", f)), f);
        var pdf = File.ReadAllBytes(Path.Combine(_dir, "out", "report.pdf"));
        Assert.That(System.Text.Encoding.ASCII.GetString(pdf, 0, 5), Is.EqualTo("%PDF-"), "report.pdf beside report.html (ImageGuide.Rendering)");
    }

    [Test]
    public void Validate_ReportsEachCasesVerdict_AndTheVerdictsAgainstTheTreOutcome()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(_report));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        // the independent truth: each case's p95 TRE against 2 mm, and the verdict it was given
        var expected = new Dictionary<string, (int Accurate, int Missed)> { ["good"] = (0, 0), ["doubtful"] = (0, 0), ["failed"] = (0, 0), ["none"] = (0, 0) };
        var silent = new List<string>();
        var verdictOf = new Dictionary<string, string>();
        foreach (var c in cases)
        {
            string id = c.GetProperty("id").GetString()!;
            var v = c.GetProperty("verdict");
            string status = v.ValueKind == JsonValueKind.Null ? "none" : v.GetProperty("status").GetString()!;
            verdictOf[id] = status;
            bool accurate = c.GetProperty("tre") is { ValueKind: JsonValueKind.Object } tre && tre.GetProperty("p95Mm").GetDouble() <= 2;
            Assert.That(c.GetProperty("outcome").GetString(), Is.EqualTo(accurate ? "accurate" : "missed"), id);
            var (a, m) = expected[status];
            expected[status] = accurate ? (a + 1, m) : (a, m + 1);
            if (status == "good" && !accurate) silent.Add(id);
        }
        // the cases built to have a known outcome
        Assert.That(verdictOf["self"], Is.EqualTo("good"), "an image against itself");
        Assert.That(verdictOf["noise"], Is.EqualTo("failed"), "an image against pure noise");
        Assert.That(silent, Does.Contain("wrong-truth"), "right by the images, wrong by the (wrong) truth: only the TRE can tell");

        var table = doc.RootElement.GetProperty("tools")[0].GetProperty("verdicts");
        foreach (var (status, (a, m)) in expected)
        {
            var row = table.GetProperty("table").GetProperty(status);
            Assert.That((row.GetProperty("accurate").GetInt32(), row.GetProperty("missed").GetInt32()), Is.EqualTo((a, m)), status);
        }
        Assert.That(table.GetProperty("silentFailures").GetInt32(), Is.EqualTo(silent.Count));
        Assert.That(table.GetProperty("silentFailureCases").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(silent));

        string md = File.ReadAllText(Path.Combine(_dir, "out", "report.md"));
        Assert.That(md, Does.Contain("## Verdict against outcome"));
        foreach (var (status, (a, m)) in expected)
            Assert.That(md, Does.Contain($"| {status} | {a} | {m} | {a + m} |"), status);
        Assert.That(md, Does.Contain($"**Silent failures (verdict good, p95 TRE > 2 mm): {silent.Count}** — {string.Join(", ", silent)}."));
        foreach (var (id, status) in verdictOf)
            Assert.That(md.Split('\n').Single(l => l.StartsWith($"| {id} |", StringComparison.Ordinal)), Does.EndWith($"| {(status == "none" ? "–" : status)} |"), id);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "out", "report.html")), Does.Contain("Verdict against outcome").And.Contain("Silent failures"));

        var csv = File.ReadAllLines(Path.Combine(_dir, "out", "report.csv"));
        Assert.That(csv[0], Does.EndWith(",verdict,verdict_reasons,outcome"));
        foreach (var (id, status) in verdictOf)
            Assert.That(csv.Single(l => l.StartsWith(id + ",", StringComparison.Ordinal)), Does.Contain($",{(status == "none" ? "" : status)},"), id);
        var verdictCsv = File.ReadAllLines(Path.Combine(_dir, "out", "report-verdicts.csv"));
        foreach (var (status, (a, m)) in expected)
            Assert.That(verdictCsv, Does.Contain($"imageguide,{status},{a},{m},2,{silent.Count}"), status);

        Assert.That(_stderr, Does.Contain($"silent failures (good but p95 TRE > 2 mm): {silent.Count}"));
    }

    [Test]
    public void Plan_TakesItsUncertaintyFromTheReport()
    {
        string phantom = _phantom;
        string plan = Path.Combine(_dir, "plan.json");
        var r = CliProcess.Run("plan", "--labels", Path.Combine(phantom, "ct", "labels.nii.gz"), "--label-table", Path.Combine(phantom, "labels.json"),
            "--probes", "0", "--uncertainty-from", _report, "--out", plan);
        using var report = JsonDocument.Parse(File.ReadAllText(_report));
        using var doc = JsonDocument.Parse(File.ReadAllText(plan));
        // the larger clearances may leave no path: then the plan says so and exits 4, never an empty exit 0
        bool none = doc.RootElement.GetProperty("trajectories").GetArrayLength() == 0;
        Assert.That(r.ExitCode, Is.EqualTo(none ? 4 : 0), r.Stderr);
        if (none) Assert.That(doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), Has.Some.Contain("No trajectory"));
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
