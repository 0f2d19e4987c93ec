using System.Text.Json;
using ImageGuide.Registration;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

/// <summary>The quality verdicts in the validation report: per case, and the confusion table against the true outcome.</summary>
public class VerdictReportTests
{
    private static readonly RegistrationSignals Signals = new(0.8, 0.3, 0.05, 10, 0.62, null, null, 0.4, 0.9, false, false);

    /// <summary>Per case: the perturbation of the truth (its TRE) and the verdict the stand-in tool claims.</summary>
    private static readonly Dictionary<string, (double ShiftMm, VerdictStatus? Verdict)> Plan = new()
    {
        ["good-ok"] = (0.5, VerdictStatus.Good),        // accurate, good
        ["good-ok-2"] = (1.9, VerdictStatus.Good),      // accurate (p95 1.9 ≤ 2), good
        ["silent"] = (3, VerdictStatus.Good),           // missed, good: a silent failure
        ["doubt-miss"] = (5, VerdictStatus.Doubtful),   // missed, doubtful
        ["caught"] = (30, VerdictStatus.Failed),        // missed, failed
        ["alarm"] = (0.2, VerdictStatus.Failed),        // accurate, failed: a false alarm
        ["error"] = (0, null),                          // the registration throws: no result, verdict none
    };

    private sealed class ClaimingTool : IRegistrationTool
    {
        private int _calls;

        public string Name => "imageguide";

        public int Calls => _calls;

        public RigidTransform Register(ValidationCaseData data, CancellationToken cancellationToken) => RegisterCase(data, cancellationToken).Transform;

        public ToolRegistration RegisterCase(ValidationCaseData data, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var (shift, verdict) = Plan[data.Case.Id];
            if (verdict is not { } status) throw new ImageGuideException("the images barely overlap (test)");
            string[] reasons = status == VerdictStatus.Good ? [] : [$"{status} because the test says so", "a second reason"];
            return new ToolRegistration(RigidTransform.Compose(RigidTransform.FromTranslation(new Vec3(shift, 0, 0)), ValidationFixture.Truth),
                new RegistrationVerdict(status, reasons, Signals), "auto (ct-mr)");
        }
    }

    private static ValidationReport Run(ValidationFixture fx, string outDir, params IRegistrationTool[] tools)
    {
        var manifest = fx.WriteManifest(Plan.Keys.Select(id => ValidationFixture.Case(ValidationFixture.TransformCase, id, "CT-MR")).ToArray());
        return new ValidationRunner(new ValidationOptions { OutputDirectory = outDir, Tools = tools, Snapshots = false, Time = new SteppingClock() }).Run(manifest);
    }

    [Test]
    public void ConfusionTable_CountsVerdictsAgainstTheTreOutcome_AndNamesTheSilentFailures()
    {
        using var fx = new ValidationFixture();
        string outDir = Path.Combine(fx.Folder, "out");
        var report = Run(fx, outDir, new ClaimingTool());

        var c = report.Confusion("imageguide")!;
        Assert.That(c.Rows.Select(r => (r.Verdict, r.Accurate, r.Missed)), Is.EqualTo(new[]
        {
            ("good", 2, 1), ("doubtful", 0, 1), ("failed", 1, 1), ("none", 0, 1),
        }));
        Assert.That(c.SilentFailures, Is.EqualTo(new[] { "silent" }));
        Assert.That(c.FalseAlarms, Is.EqualTo(new[] { "alarm" }));
        Assert.That(report.Results.Single(r => r.CaseId == "good-ok").Preset, Is.EqualTo("auto (ct-mr)"), "the preset the tool used is recorded");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var v = json.RootElement.GetProperty("tools")[0].GetProperty("verdicts");
        Assert.That(v.GetProperty("thresholdP95Mm").GetDouble(), Is.EqualTo(2));
        Assert.That(v.GetProperty("table").GetProperty("good").GetProperty("missed").GetInt32(), Is.EqualTo(1));
        Assert.That(v.GetProperty("silentFailures").GetInt32(), Is.EqualTo(1));
        Assert.That(v.GetProperty("silentFailureCases")[0].GetString(), Is.EqualTo("silent"));
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.That(cases["caught"].GetProperty("verdict").GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(cases["caught"].GetProperty("verdict").GetProperty("reasons").GetArrayLength(), Is.EqualTo(2));
        Assert.That(cases["caught"].GetProperty("verdict").GetProperty("signals").GetProperty("nullZScore").GetDouble(), Is.EqualTo(10));
        Assert.That(cases["caught"].GetProperty("outcome").GetString(), Is.EqualTo("missed"));
        Assert.That(cases["error"].GetProperty("verdict").ValueKind, Is.EqualTo(JsonValueKind.Null));

        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.That(md, Does.Contain("## Verdict against outcome"));
        Assert.That(md, Does.Contain("| good | 2 | 1 | 3 |").And.Contain("| doubtful | 0 | 1 | 1 |").And.Contain("| failed | 1 | 1 | 2 |").And.Contain("| none | 0 | 1 | 1 |"));
        Assert.That(md, Does.Contain("**Silent failures (verdict good, p95 TRE > 2 mm): 1** — silent"));
        Assert.That(md, Does.Contain("- **caught** (imageguide, failed): Failed because the test says so; a second reason"));
        Assert.That(md.Split('\n').Single(l => l.StartsWith("| silent |", StringComparison.Ordinal)), Does.EndWith("| good |"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.html")), Does.Contain("<td>good</td><td>2</td><td>1</td><td>3</td>"));

        var csv = File.ReadAllLines(Path.Combine(outDir, "report.csv"));
        Assert.That(csv[0], Does.EndWith(",failure,verdict,verdict_reasons,outcome"));
        Assert.That(csv.Single(l => l.StartsWith("silent,", StringComparison.Ordinal)), Does.EndWith(",good,,missed"));
        Assert.That(csv.Single(l => l.StartsWith("doubt-miss,", StringComparison.Ordinal)), Does.EndWith(",doubtful,Doubtful because the test says so; a second reason,missed"));
        Assert.That(File.ReadAllLines(Path.Combine(outDir, "report-verdicts.csv")), Is.EqualTo(new[]
        {
            "tool,verdict,accurate,missed,threshold_p95_mm,silent_failures",
            "imageguide,good,2,1,2,1", "imageguide,doubtful,0,1,2,1", "imageguide,failed,1,1,2,1", "imageguide,none,0,1,2,1",
        }));
    }

    [Test]
    public void AResumedRun_ReadsTheVerdictsBack_AndWritesByteIdenticalReports()
    {
        using var fx = new ValidationFixture();
        string outDir = Path.Combine(fx.Folder, "out");
        Run(fx, outDir, new ClaimingTool());
        string[] files = ["report.json", "report.md", "report.csv", "report-verdicts.csv"];
        var first = files.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(outDir, f)));
        var again = new ClaimingTool();
        var resumed = Run(fx, outDir, again);
        Assert.That(again.Calls, Is.EqualTo(0), "every case was stored, verdict included");
        Assert.That(resumed.Results.Single(r => r.CaseId == "silent").Verdict!.Signals, Is.EqualTo(Signals));
        Assert.That(resumed.Confusion("imageguide")!.SilentFailures, Is.EqualTo(new[] { "silent" }));
        foreach (var f in files)
            Assert.That(File.ReadAllText(Path.Combine(outDir, f)), Is.EqualTo(first[f]), f);
    }

    [Test]
    public void AStoredResultWithoutAVerdict_IsRecomputed()
    {
        using var fx = new ValidationFixture();
        string outDir = Path.Combine(fx.Folder, "out");
        Run(fx, outDir, new ClaimingTool());
        string file = Path.Combine(outDir, "cases", "good-ok.imageguide.json");
        var stored = CaseResult.TryRead(file)!;
        Assert.That(stored.Verdict!.Status, Is.EqualTo(VerdictStatus.Good));
        // a case file from before verdicts existed
        var old = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(file))!;
        old.Remove("verdict");
        File.WriteAllText(file, JsonSerializer.Serialize(old));
        Assert.That(CaseResult.TryRead(file), Is.Null);
    }

    [Test]
    public void APeerToolWithoutVerdicts_HasNoConfusionTable()
    {
        using var fx = new ValidationFixture();
        string outDir = Path.Combine(fx.Folder, "out");
        var peer = new PerturbedTruthTool("elastix", Plan.ToDictionary(p => p.Key, p => RigidTransform.FromTranslation(new Vec3(p.Value.ShiftMm, 0, 0))));
        var report = Run(fx, outDir, new ClaimingTool(), peer);
        Assert.That(report.Confusion("elastix"), Is.Null);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.That(json.RootElement.GetProperty("tools")[1].GetProperty("verdicts").ValueKind, Is.EqualTo(JsonValueKind.Null));
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.That(md, Does.Contain("### imageguide verdicts").And.Not.Contain("### elastix verdicts"));
        Assert.That(md, Does.Contain("| imageguide verdict |").And.Not.Contain("| elastix verdict |"));
        Assert.That(File.ReadAllLines(Path.Combine(outDir, "report-verdicts.csv")), Has.Length.EqualTo(5));
    }

    [Test]
    public void TheManifestDefaultsToAuto_AndAcceptsItByName()
    {
        using var fx = new ValidationFixture();
        var m = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.TransformCase, "a", "CT-MR"),
            """{ "id": "b", "phantom": { "seed": 3, "fixed": "Cbct", "moving": "MrT1" } }""",
            """{ "id": "c", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "preset": "AUTO" }""",
            """{ "id": "d", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "preset": "fast" }""");
        Assert.That(m.Cases.Select(c => c.Preset), Is.EqualTo(new[] { "auto", "auto", "auto", "fast" }));
    }
}
