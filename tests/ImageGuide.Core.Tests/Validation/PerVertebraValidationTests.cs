using System.Text.Json;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Registration.Spine;
using ImageGuide.Tests.Registration;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

/// <summary>
/// <c>validate</c> with per-vertebra cases: the real CT's lumbar spine posed by known per-level motions
/// (<see cref="SpinePosture"/>), landmarks inside every vertebra moved by their level's true motion; the report gives
/// TRE per level, global rigid against per vertebra, and feeds each level's p95 to planning.
/// </summary>
[TestFixture]
public class PerVertebraValidationTests
{
    private static readonly VertebraLevel[] Lumbar =
        [.. Enumerable.Range(26, 7).Select(l => new VertebraLevel((byte)l, VertebraLevel.TotalSegmentatorName(l)!)).Reverse()];

    private const int PointsPerLevel = 8;

    [Test]
    public void RealCtPosturePair_ReportsEveryLevel_PerVertebraBeatsTheGlobalRigidResult_AndFeedsPlanning()
    {
        string root = TestPaths.RequireShared("ct-mr-totalsegmentator");
        string ctPath = Path.Combine(root, "example_ct.nii.gz"), labelsPath = Path.Combine(root, "example_seg_fast_force_split.nii.gz");
        var ct = VolumeReader.Read(ctPath).Volume;
        var labels = VolumeReader.Read<byte>(labelsPath);
        var posture = SpinePosture.Make(ct, labels, Lumbar, 4, KnownMotion.CtToMr, 2, 5);
        using var fx = new ValidationFixture();
        VolumeIO.Write(posture.Moving, Path.Combine(fx.Folder, "posed.mha"));
        // landmarks: voxel centres spread through each vertebra, named by level; the moving ones by that level's truth
        var fixedMarks = new List<Landmark>();
        var movingMarks = new List<Landmark>();
        foreach (var level in Lumbar)
        {
            var voxels = SpinePosture.Points(labels, level.Label);
            for (int n = 0; n < PointsPerLevel; n++)
            {
                var p = voxels[(int)((n + 0.5) * voxels.Length / PointsPerLevel)];
                fixedMarks.Add(new Landmark($"{level.Name} {n}", p));
                movingMarks.Add(new Landmark($"{level.Name} {n}", posture.Truth[level.Label].TransformPoint(p)));
            }
        }
        LandmarkFile.WriteCsv(fixedMarks, Path.Combine(fx.Folder, "posed-fixed.csv"));
        LandmarkFile.WriteCsv(movingMarks, Path.Combine(fx.Folder, "posed-moving.csv"));
        string json = JsonSerializer.Serialize(new { fixedLabels = labelsPath });
        var manifest = fx.WriteManifest($$"""{ "id": "posture-4", "fixed": {{JsonSerializer.Serialize(ctPath)}}, "moving": "posed.mha", "fixedLandmarks": "posed-fixed.csv", "movingLandmarks": "posed-moving.csv", "perVertebra": {{json}}, "tags": { "pair": "CT-MR", "site": "spine" } }""");
        Assert.That(manifest.Cases[0].PerVertebra?.FixedLabels, Is.EqualTo(labelsPath));

        string outDir = Path.Combine(fx.Folder, "report");
        var report = new ValidationRunner(new ValidationOptions { OutputDirectory = outDir, Snapshots = false }).Run(manifest);
        var r = report.Results.Single();
        Assert.That(r.Succeeded, Is.True, r.Failure);
        var levels = r.Levels ?? throw new AssertionException("no per-level rows");
        // every landmark counted for the level its name says (each lies inside its vertebra), cranial first
        Assert.That(levels.Select(l => l.Level), Is.EqualTo(Lumbar.Select(l => l.Name)));
        Assert.That(levels.Select(l => l.GlobalErrors.Count), Is.All.EqualTo(PointsPerLevel));
        double worstGlobal = levels.Max(l => l.Global.Median), worstPer = levels.Max(l => l.PerVertebra.Median);
        foreach (var l in levels)
            TestContext.Out.WriteLine(FormattableString.Invariant($"{l.Level}: global {l.Global.Median:0.00} mm, per vertebra {l.PerVertebra.Median:0.00} mm, {l.Verdict}"));
        Assert.That(levels.Where(l => l.Verdict != "failed").Select(l => l.PerVertebra.Median), Is.All.LessThanOrEqualTo(1.0), "trusted levels within a millimetre");
        Assert.That(worstPer, Is.LessThan(worstGlobal / 2), "per vertebra at least 2× better than the global rigid result at the worst level");
        // the global columns are the case's own TRE: the same landmarks through the same rigid transform
        Assert.That(levels.SelectMany(l => l.GlobalErrors).Order(), Is.EqualTo(r.Errors.Order()).Within(1e-9));

        // the stored case reads back whole (a rerun resumes from it), and the report says the same in every form
        var stored = CaseResult.TryRead(Path.Combine(outDir, "cases", "posture-4.imageguide.json"))!;
        Assert.That(stored.Levels!.Select(l => l.PerVertebraErrors), Is.EqualTo(levels.Select(l => l.PerVertebraErrors)));
        string reportJson = Path.Combine(outDir, "report.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(reportJson));
        var feed = doc.RootElement.GetProperty("uncertaintyFeed").GetProperty("perVertebraP95TreMm");
        foreach (var l in levels)
            Assert.That(feed.GetProperty(l.Level).GetDouble(), Is.EqualTo(l.PerVertebra.P95).Within(1e-4), l.Level);
        var (l3, source) = ValidationReportFile.ReadUncertainty(reportJson, "L3");
        Assert.That(l3, Is.EqualTo(levels.Single(l => l.Level == "L3").PerVertebra.P95).Within(1e-4));
        Assert.That(source, Does.Contain("L3"));
        var (other, otherSource) = ValidationReportFile.ReadUncertainty(reportJson, "T5");
        Assert.That(other, Is.EqualTo(report.PooledP95Mm!.Value).Within(1e-4), "a level the report did not measure: the pooled p95");
        Assert.That(otherSource, Does.Contain("no per-vertebra TRE at T5"));
        Assert.That(File.ReadAllLines(Path.Combine(outDir, "report-levels.csv")), Has.Length.EqualTo(1 + levels.Count));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.md")), Does.Contain("Per-vertebra TRE: global rigid vs per vertebra").And.Contain("| posture-4 | L3 |"));
    }

    [Test]
    public void Manifest_PerVertebra_IsCheckedLikeEveryOtherField()
    {
        using var fx = new ValidationFixture();
        File.WriteAllText(Path.Combine(fx.Folder, "vertebrae.nii.gz"), "placeholder: only its existence is checked here");
        string Case(string perVertebra) =>
            $$"""{ "id": "a", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "perVertebra": {{perVertebra}} }""";
        Assert.That(fx.WriteManifest(Case("""{ "fixedLabels": "vertebrae.nii.gz", "labelScheme": "verse" }""")).Cases[0].PerVertebra,
            Is.EqualTo(new PerVertebraCase(Path.Combine(fx.Folder, "vertebrae.nii.gz"), null, VertebraLabelScheme.VerSe, null)));
        Assert.That(fx.WriteManifest(Case("""{ "anchor": "L5" }""")).Cases[0].PerVertebra, Is.EqualTo(new PerVertebraCase(null, null, VertebraLabelScheme.Auto, "L5")));
        foreach (var (bad, message) in new[]
        {
            ("true", "must be an object"),
            ("""{ "fixedLabels": "missing.nii.gz" }""", "does not exist"),
            ("""{ "fixedLabels": "vertebrae.nii.gz", "labelScheme": "dewey" }""", "must be auto, totalsegmentator, verse or table"),
            ("""{ "fixedLabels": "vertebrae.nii.gz", "anchor": "L5" }""", "'anchor' names automatically found vertebrae"),
            ("""{ "anchor": "Q9" }""", "is not a vertebra level"),
            ("""{ "labelScheme": "verse" }""", "give the label map too"),
            ("""{ "labels": "vertebrae.nii.gz" }""", "unknown field 'labels'"),
        })
            Assert.That(() => fx.WriteManifest(Case(bad)), Throws.TypeOf<ValidationException>().With.Message.Contain(message).And.Message.Contain("'perVertebra'"), bad);
        Assert.That(() => fx.WriteManifest("""{ "id": "p", "phantom": { "seed": 1, "fixed": "DiagnosticCt", "moving": "MrT1" }, "perVertebra": {} }"""),
            Throws.TypeOf<ValidationException>().With.Message.Contain("'perVertebra' cannot be combined with 'phantom'"));
    }
}
