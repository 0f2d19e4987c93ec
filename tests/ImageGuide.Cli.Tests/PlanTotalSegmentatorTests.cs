using System.Text.Json;

namespace ImageGuide.Cli.Tests;

/// <summary>
/// <c>plan --label-table totalsegmentator --body-threshold --target-radius</c> on the real TotalSegmentator example CT: a
/// user with a TotalSegmentator label map and a lesion point gets an RF plan, thermal protection and cement access, with
/// notes saying what was assumed; the options that need each other are refused alone (exit 2).
/// </summary>
public class PlanTotalSegmentatorTests
{
    [Test]
    public void ARealCtWithItsTotalSegmentatorLabelsIsPlannedForAnRfZoneAndCementAccess()
    {
        string data = TestPaths.RequireShared("ct-mr-totalsegmentator");
        string dir = TestPaths.NewTempDir();
        string plan = Path.Combine(dir, "plan.json");
        // (12, −135, 343) LPS mm lies in the body of L2 on this CT (TotalSegmentator label 30 spans z 319–367 mm)
        var r = CliProcess.Run("plan", "--labels", Path.Combine(data, "example_seg_fast_force_split.nii.gz"), "--label-table", "totalsegmentator",
            "--image", Path.Combine(data, "example_ct.nii.gz"), "--body-threshold", "-500", "--target", "12,-135,343", "--target-radius", "8",
            "--modality", "rfa", "--cement", "--out", plan);
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
        Assert.That(root.GetProperty("heatSinks").EnumerateArray().Select(h => h.GetProperty("structure").GetString()), Does.Contain("aorta"));
        foreach (var png in new[] { "plan-axial.png", "plan-needle.png", "plan-bullseye.png" })
            Assert.That(new FileInfo(Path.Combine(dir, png)).Length, Is.GreaterThan(10_000), png);
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
