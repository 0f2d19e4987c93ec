using System.Globalization;
using System.Text.Json;
using ImageGuide.Registration;
using ImageGuide.Visualization;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

public class ValidationRunnerTests
{
    private const double Angle = 3 * Math.PI / 180;
    private static readonly Vec3 RotationCenter = new(2, 1, -3), Shift = new(0.4, -0.3, 0.2);

    /// <summary>Landmark case: P = 3° about z through (2, 1, −3), then shift (0.4, −0.3, 0.2). Transform case: P = shift (1, 2, 2), |P(p) − p| = 3 everywhere.</summary>
    private static Dictionary<string, RigidTransform> Perturbations() => new()
    {
        ["lm"] = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), Angle), Shift, RotationCenter),
        ["tf"] = RigidTransform.FromTranslation(new Vec3(1, 2, 2)),
        ["bad"] = RigidTransform.Identity,
    };

    /// <summary>‖P(f) − f‖ written out by hand for the rotation about z.</summary>
    private static double[] ExpectedLandmarkErrors() => ValidationFixture.FixedLandmarks.Select(f =>
    {
        double x = f.X - RotationCenter.X, y = f.Y - RotationCenter.Y;
        double dx = (Math.Cos(Angle) - 1) * x - Math.Sin(Angle) * y + Shift.X;
        double dy = Math.Sin(Angle) * x + (Math.Cos(Angle) - 1) * y + Shift.Y;
        double dz = Shift.Z;
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }).ToArray();

    private static double Percentile(double[] values, double q)
    {
        var s = values.Order().ToArray();
        double pos = q * (s.Length - 1);
        int lo = (int)pos;
        return lo + 1 < s.Length ? s[lo] + (s[lo + 1] - s[lo]) * (pos - lo) : s[lo];
    }

    private static ValidationOptions Options(string outDir, IRegistrationTool tool, int parallel = 1) =>
        new() { OutputDirectory = outDir, Tools = [tool], MaxParallelism = parallel, Snapshots = false, Time = new SteppingClock() };

    [Test]
    public void ReportNumbers_EqualTheTreComputedFromThePerturbation()
    {
        using var fx = new ValidationFixture();
        var manifest = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.LandmarkCase, "lm", "CT-MR"), ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CBCT-MR"));
        string outDir = Path.Combine(fx.Folder, "out");
        var report = new ValidationRunner(Options(outDir, new PerturbedTruthTool("imageguide", Perturbations()), parallel: 2)).Run(manifest);

        var expected = ExpectedLandmarkErrors();
        var lm = report.Results.Single(r => r.CaseId == "lm").Tre!.Value;
        Assert.That(lm.Count, Is.EqualTo(expected.Length));
        Assert.That(lm.Median, Is.EqualTo(Percentile(expected, 0.5)).Within(1e-9));
        Assert.That(lm.Mean, Is.EqualTo(expected.Average()).Within(1e-9));
        Assert.That(lm.P95, Is.EqualTo(Percentile(expected, 0.95)).Within(1e-9));
        Assert.That(lm.Max, Is.EqualTo(expected.Max()).Within(1e-9));
        var tf = report.Results.Single(r => r.CaseId == "tf").Tre!.Value;
        Assert.That(tf.Count, Is.EqualTo(200));
        Assert.That(new[] { tf.Median, tf.Mean, tf.P95, tf.Max }, Is.All.EqualTo(3.0).Within(1e-9));

        // pooled over every point of both cases; success when a case's p95 ≤ threshold
        var pooled = expected.Concat(Enumerable.Repeat(3.0, 200)).ToArray();
        var s = report.Summaries.Single();
        Assert.That(s.Pooled!.Value.P95, Is.EqualTo(Percentile(pooled, 0.95)).Within(1e-9));
        Assert.That(s.Pooled!.Value.Median, Is.EqualTo(3.0).Within(1e-9));
        Assert.That(expected.Max(), Is.LessThan(2), "the landmark perturbation is built to stay under 2 mm");
        Assert.That(s.SuccessRates.Select(r => r.Rate), Is.EqualTo(new[] { Percentile(expected, 0.95) <= 1 ? 0.5 : 0.0, 0.5, 1.0 }));

        // the files say the same
        var csv = File.ReadAllLines(Path.Combine(outDir, "report.csv"));
        Assert.That(csv[1], Does.StartWith("lm,0,CT-MR,test,auto,imageguide,ok,7,"));
        Assert.That(csv[1], Does.Contain($",{ValidationFixture.Number(Percentile(expected, 0.95))},{ValidationFixture.Number(expected.Max())},1.000,"));
        Assert.That(csv[2], Does.Contain(",3.0000,3.0000,3.0000,3.0000,1.000,"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.That(json.RootElement.GetProperty("uncertaintyFeed").GetProperty("p95TreMm").GetDouble(), Is.EqualTo(Math.Round(Percentile(pooled, 0.95), 4)));
        Assert.That(ValidationReportFile.ReadPooledP95(Path.Combine(outDir, "report.json")), Is.EqualTo(Math.Round(Percentile(pooled, 0.95), 4)));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.md")), Does.Contain("| tf | CBCT-MR |"));
        // Core draws no charts (no font): without an IReportCharts there are no plots, and the report links none
        Assert.That(Directory.Exists(Path.Combine(outDir, "plots")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.md")), Does.Not.Contain("## Plots"));
    }

    [Test]
    public void ASecondRunIntoAFolderInUse_IsRefused_AndRunsOnceItIsFree()
    {
        using var fx = new ValidationFixture();
        var manifest = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.LandmarkCase, "lm", "CT-MR"));
        string outDir = Directory.CreateDirectory(Path.Combine(fx.Folder, "out")).FullName;
        var runner = new ValidationRunner(Options(outDir, new PerturbedTruthTool("imageguide", Perturbations())));
        // another run holds the folder (as a concurrent validate process does)
        using (new FileStream(Path.Combine(outDir, ValidationRunner.LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            Assert.That(() => runner.Run(manifest), Throws.TypeOf<ValidationException>().With.Message.Contain("in use by another validate run"));
        Assert.That(Directory.GetFiles(Path.Combine(outDir, "cases")), Is.Empty, "the refused run wrote nothing");
        Assert.That(runner.Run(manifest).Results, Has.Count.EqualTo(1));
        Assert.That(File.Exists(Path.Combine(outDir, ValidationRunner.LockFileName)), Is.False, "the lock goes with the run");
    }

    [Test]
    public void AFailingCase_IsReportedWithItsReason_AndTheOthersStillRun()
    {
        using var fx = new ValidationFixture();
        var manifest = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.LandmarkCase, "bad", "CT-MR"), ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CT-MR"));
        string outDir = Path.Combine(fx.Folder, "out");
        var report = new ValidationRunner(Options(outDir, new PerturbedTruthTool("imageguide", Perturbations(), failFor: "bad"))).Run(manifest);
        var bad = report.Results.Single(r => r.CaseId == "bad");
        Assert.That(bad.Succeeded, Is.False);
        Assert.That(bad.Failure, Does.Contain("did not converge"));
        Assert.That(report.Results.Single(r => r.CaseId == "tf").Succeeded, Is.True);
        Assert.That(report.Summaries[0].Failed, Is.EqualTo(1));
        Assert.That(report.CasesWorstFirst()[0], Is.EqualTo("bad"), "failed cases come first");
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.md")), Does.Contain("**bad** (imageguide): registration of bad did not converge"));
    }

    [Test]
    public void TheLog_HasOneLinePerCase_TheFailureAsAWarningWithItsReason()
    {
        using var fx = new ValidationFixture();
        var manifest = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.LandmarkCase, "bad", "CT-MR"), ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CT-MR"));
        var log = new RecordingLogger();
        var options = Options(Path.Combine(fx.Folder, "out"), new PerturbedTruthTool("imageguide", Perturbations(), failFor: "bad")) with { Logger = log };
        new ValidationRunner(options).Run(manifest);
        Assert.That(log.Entries, Has.Count.EqualTo(2));
        Assert.That(log.Entries.Single(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Message,
            Is.EqualTo("Validation case bad (imageguide) failed: registration of bad did not converge (test)"));
        // the transform case is a pure (1, 2, 2) shift: every error is exactly 3 mm
        Assert.That(log.Entries.Single(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Information).Message,
            Does.StartWith("Validation case tf (imageguide): TRE median 3.00, p95 3.00, max 3.00 mm"));
    }

    [Test]
    public void AResumedRun_RedoesOnlyUnfinishedCases_AndGivesByteIdenticalReports()
    {
        using var fx = new ValidationFixture();
        var manifest = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.LandmarkCase, "lm", "CT-MR"), ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CT-MR"));
        string outDir = Path.Combine(fx.Folder, "out");
        string[] reports = ["report.csv", "report.json", "report.md", "report.html"];
        var first = new PerturbedTruthTool("imageguide", Perturbations());
        new ValidationRunner(Options(outDir, first)).Run(manifest);
        var before = reports.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(outDir, f)));
        Assert.That(first.Calls, Is.EqualTo(2));

        // an interrupted run: one case never finished, no report written yet
        File.Delete(Path.Combine(outDir, "cases", "tf.imageguide.json"));
        foreach (var f in reports) File.Delete(Path.Combine(outDir, f));
        var resumed = new PerturbedTruthTool("imageguide", Perturbations());
        new ValidationRunner(Options(outDir, resumed)).Run(manifest);
        Assert.That(resumed.Calls, Is.EqualTo(1), "only the unfinished case is registered again");
        foreach (var f in reports) Assert.That(File.ReadAllBytes(Path.Combine(outDir, f)), Is.EqualTo(before[f]), f);

        // a finished run resumed again does nothing and changes nothing
        var again = new PerturbedTruthTool("imageguide", Perturbations());
        new ValidationRunner(Options(outDir, again)).Run(manifest);
        Assert.That(again.Calls, Is.Zero);
        foreach (var f in reports) Assert.That(File.ReadAllBytes(Path.Combine(outDir, f)), Is.EqualTo(before[f]), f);
    }

    [Test]
    public void AChangedCaseDefinition_IsRecomputed()
    {
        using var fx = new ValidationFixture();
        string outDir = Path.Combine(fx.Folder, "out");
        var tool = new PerturbedTruthTool("imageguide", Perturbations());
        new ValidationRunner(Options(outDir, tool)).Run(fx.WriteManifest(ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CT-MR")));
        new ValidationRunner(Options(outDir, tool)).Run(fx.WriteManifest(ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CT-CBCT")));
        Assert.That(tool.Calls, Is.EqualTo(2));
    }

    [Test]
    public void TwoTools_AppearInEveryTable_AndSnapshotsAreWritten()
    {
        using var fx = new ValidationFixture();
        var manifest = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CT-MR"));
        string outDir = Path.Combine(fx.Folder, "out");
        var peer = new Dictionary<string, RigidTransform> { ["tf"] = RigidTransform.FromTranslation(new Vec3(0, 0, 5)) };
        var report = new ValidationRunner(new ValidationOptions
        {
            OutputDirectory = outDir, Tools = [new PerturbedTruthTool("imageguide", Perturbations()), new PerturbedTruthTool("peer", peer)], Time = new SteppingClock(),
        }).Run(manifest);
        Assert.That(report.Summaries.Select(s => s.Pooled!.Value.Median), Is.EqualTo(new[] { 3.0, 5.0 }).Within(1e-9));
        Assert.That(File.ReadAllLines(Path.Combine(outDir, "report.csv")), Has.Length.EqualTo(3));
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.That(md, Does.Contain("| peer | 1 | 0 | 5.00 |"));
        Assert.That(md, Does.Contain("3.00 / 3.00 / 3.00 | 1.0 | 5.00 / 5.00 / 5.00 | 1.0 |"));
        foreach (var tool in new[] { "imageguide", "peer" })
            foreach (var kind in new[] { "checkerboard", "fusion" })
                Assert.That(File.Exists(Path.Combine(outDir, "snapshots", CaseSnapshots.FileName("tf", tool, kind))), $"{tool} {kind}");
        Assert.That(md, Does.Contain("](snapshots/tf-peer-fusion.png)"));
    }

    [Test]
    public void TheHtmlReport_IsSelfContained_WithTheSameTablesAndEveryPictureEmbedded()
    {
        using var fx = new ValidationFixture();
        var manifest = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.TransformCase, "tf", "CT-MR"));
        string outDir = Path.Combine(fx.Folder, "out");
        new ValidationRunner(new ValidationOptions
        {
            OutputDirectory = outDir, Tools = [new PerturbedTruthTool("imageguide", Perturbations())], Time = new SteppingClock(), Charts = new BlankCharts(),
        }).Run(manifest);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        // the (1, 2, 2) shift gives 3 mm at every point: the summary row as table cells
        Assert.That(html, Does.Contain("<tr><td>imageguide</td><td>1</td><td>0</td><td>3.00</td><td>3.00</td><td>3.00</td><td>3.00</td>"));
        var sources = System.Text.RegularExpressions.Regex.Matches(html, "src=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(sources, Has.Count.EqualTo(5), "3 plots + checkerboard + fusion");
        foreach (var src in sources)
        {
            Assert.That(src, Does.StartWith("data:image/png;base64,"), "nothing is linked from outside the page");
            byte[] png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            Assert.That(png.Take(8), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }));
        }
        Assert.That(html, Does.Contain("<strong>3.00 mm</strong>"), "the planning feed in bold");
    }

    [Test]
    public void PhantomCase_RegisteredByImageGuide_IsAccurate()
    {
        using var fx = new ValidationFixture();
        File.WriteAllText(fx.Manifest, """{ "trePoints": 300, "cases": [ { "id": "p", "phantom": { "seed": 1, "fixed": "DiagnosticCt", "moving": "MrT1" } } ] }""");
        var manifest = ValidationManifestReader.Read(fx.Manifest);
        Assert.That(manifest.Cases[0].Preset, Is.EqualTo("auto"));
        Assert.That(manifest.Cases[0].Pair, Is.EqualTo("CT-MR"));
        var report = new ValidationRunner(new ValidationOptions { OutputDirectory = Path.Combine(fx.Folder, "out"), Snapshots = false }).Run(manifest);
        var tre = report.Results[0].Tre!.Value;
        // the phantom's own pose bookkeeping is the truth; ct-mr reaches sub-millimetre TRE on it (Registration README)
        Assert.That(tre.Count, Is.EqualTo(300));
        Assert.That(tre.Max, Is.LessThan(1.0), report.Results[0].Failure);
        Assert.That(report.Results[0].Preset, Is.EqualTo("auto (ct-mr)"));
        Assert.That(report.Results[0].Verdict!.Status, Is.EqualTo(VerdictStatus.Good), report.Results[0].Verdict!.ToString());
    }
}

/// <summary>Writes each plot file as a small blank PNG: the report must link and embed whatever an <see cref="IReportCharts"/> wrote.</summary>
internal sealed class BlankCharts : IReportCharts
{
    public void Write(ValidationReport report, string plotsFolder)
    {
        foreach (var f in ValidationCharts.FileNames) PngExport.Write(new RgbaImage(8, 4), Path.Combine(plotsFolder, f));
    }
}
