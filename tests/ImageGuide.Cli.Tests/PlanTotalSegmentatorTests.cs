using System.Text.Json;

namespace ImageGuide.Cli.Tests;

/// <summary>
/// <c>plan --label-table totalsegmentator --body-threshold --target-radius</c> on the real TotalSegmentator example CT: a
/// user with a TotalSegmentator label map and a lesion point gets an RF plan, thermal protection and cement access, with
/// notes saying what was assumed; the options that need each other are refused alone (exit 2).
/// </summary>
public class PlanTotalSegmentatorTests
{
    /// <summary>Runs <c>plan</c> on a label map and CT of the TotalSegmentator example with the built-in table, the body from the CT and a target sphere.</summary>
    private static (CliProcess.Result Run, string Dir, string Plan) PlanOnExample(string labels, string image, string target, params string[] more)
    {
        string data = TestPaths.RequireShared("ct-mr-totalsegmentator");
        string dir = TestPaths.NewTempDir();
        string plan = Path.Combine(dir, "plan.json");
        string[] args = ["plan", "--labels", Path.Combine(data, labels), "--label-table", "totalsegmentator", "--image", Path.Combine(data, image),
            "--body-threshold", "-500", $"--target={target}", "--target-radius", "8", "--modality", "rfa", "--out", plan, .. more];
        return (CliProcess.Run(args), dir, plan);
    }

    private static IEnumerable<string?> Names(JsonElement root, string property) =>
        root.GetProperty(property).EnumerateArray().Select(e => e.GetProperty("structure").GetString());

    [Test]
    public void ARealCtWithItsTotalSegmentatorLabelsIsPlannedForAnRfZoneAndCementAccess()
    {
        // (12, −135, 343) LPS mm lies in the body of L2 on this CT (TotalSegmentator label 30 spans z 319–367 mm)
        var (r, dir, plan) = PlanOnExample("example_seg_fast_force_split.nii.gz", "example_ct.nii.gz", "12,-135,343", "--cement");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("body told from the air by the planning image at -500 HU").And.Contain("a sphere of 8 mm"));
        using var doc = JsonDocument.Parse(File.ReadAllText(plan));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("modality").GetString(), Is.EqualTo("rfa"));
        Assert.That(root.GetProperty("applicators").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(root.GetProperty("coverage").GetDouble(), Is.GreaterThanOrEqualTo(0.98));
        var cord = root.GetProperty("thermalProtection").EnumerateArray().Single(t => t.GetProperty("structure").GetString() == "spinal_cord");
        Assert.That(cord.GetProperty("limitC").GetDouble(), Is.EqualTo(45));
        Assert.That(root.GetProperty("cementAccess").EnumerateArray().Select(c => c.GetProperty("feasible").GetBoolean()), Is.All.True);
        Assert.That(Names(root, "heatSinks"), Does.Contain("aorta"));
        foreach (var png in new[] { "plan-axial.png", "plan-needle.png", "plan-bullseye.png" })
            Assert.That(new FileInfo(Path.Combine(dir, png)).Length, Is.GreaterThan(10_000), png);
        Directory.Delete(dir, true);
    }

    [Test]
    public void TheDicomSeriesWithALabelMapWrittenInTheOtherRowOrderIsPlannedToo()
    {
        // the JPEG 2000 DICOM series (0.98 × 0.98 × 2 mm) and TotalSegmentator's labels of it, whose rows run the other way
        // (j towards −y): the body is sampled at the label voxels; the lesion sits in T12's body (label 32, centroid
        // (−10, −108, −791) LPS mm with its posterior elements)
        var (r, dir, plan) = PlanOnExample("example_seg_dicom.nii.gz", "example_ct_dicom", "-10,-122,-791");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(plan));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("coverage").GetDouble(), Is.GreaterThanOrEqualTo(0.98));
        foreach (var a in root.GetProperty("applicators").EnumerateArray())
            Assert.That(a.GetProperty("entry")[1].GetDouble(), Is.GreaterThan(a.GetProperty("tip")[1].GetDouble() + 50), "entered from the back");
        Assert.That(Names(root, "heatSinks"), Does.Contain("aorta"));
        Assert.That(Names(root, "thermalProtection"), Does.Contain("spinal_cord"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void TheOptionsThatNeedEachOtherAreRefusedAlone()
    {
        var r = CliProcess.Run("plan", "--labels", "seg.nii.gz", "--label-table", "totalsegmentator", "--target-radius", "8");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("--target-radius").And.Contain("--target x,y,z"));
        r = CliProcess.Run("plan", "--labels", "seg.nii.gz", "--label-table", "totalsegmentator", "--body-threshold", "-500");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("--body-threshold").And.Contain("--image"));
    }
}
