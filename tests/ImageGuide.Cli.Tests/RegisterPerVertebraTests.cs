using System.Text.Json;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Cli.Tests;

/// <summary>
/// <c>register --per-vertebra DIR --fixed-labels L</c>: the folder's files and the JSON agree with each other and
/// with a known motion (the real CT against itself on a grid shifted by a known offset: every level moves by it).
/// </summary>
public class RegisterPerVertebraTests
{
    private static readonly Vec3 Shift = new(12.5, -7.25, 20);

    private string _dir = "";

    [SetUp] public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "imageguide-cli-pv-" + Guid.NewGuid().ToString("N"));
    [TearDown] public void TearDown() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    [Test]
    public void PerVertebra_WritesEveryLevel_TheFieldAndTheLabels_AndEachLevelMovesByTheKnownShift()
    {
        string root = TestPaths.RequireShared("ct-mr-totalsegmentator");
        Directory.CreateDirectory(_dir);
        var ct = VolumeReader.Read(Path.Combine(root, "example_ct.nii.gz")).Volume;
        // the same voxels on a grid whose origin moved by Shift: fixed point p is moving point p + Shift
        var moved = new Volume<float>(ct.Geometry.WithOrigin(ct.Geometry.Origin + Shift), ct.Data);
        string moving = Path.Combine(_dir, "moved.mha");
        VolumeIO.Write(moved, moving);
        string outDir = Path.Combine(_dir, "levels");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(root, "example_ct.nii.gz"), "--moving", moving, "--out", Path.Combine(_dir, "global.tfm"),
            "--per-vertebra", outDir, "--fixed-labels", Path.Combine(root, "example_seg_fast_force_split.nii.gz"), "--json",
            "--resampled", Path.Combine(_dir, "resampled.nii.gz"));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var levels = doc.RootElement.GetProperty("vertebrae").EnumerateArray().ToList();
        // the moving image brought back through the field is the fixed CT again (interior voxels, HU)
        var back = VolumeReader.Read(Path.Combine(_dir, "resampled.nii.gz")).Volume;
        var g = ct.Geometry;
        double diff = 0; long n = 0;
        for (int k = 10; k < g.Nz - 10; k++) for (int j = 10; j < g.Ny - 10; j++) for (int i = 10; i < g.Nx - 10; i++)
        { long at = g.LinearIndex(i, j, k); diff += Math.Abs(back.Data[at] - ct.Data[at]); n++; }
        Assert.That(diff / n, Is.LessThan(15), "mean |HU difference| inside");
        // TotalSegmentator numbering: sacrum, S1, L5 … L1, T12, T11 are in the map (T11 a sliver of 83 voxels)
        Assert.That(levels.Select(l => l.GetProperty("name").GetString()), Is.EqualTo(new[] { "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1", "sacrum" }));
        var field = DisplacementFieldFile.Read(Path.Combine(outDir, "field.nii.gz"));
        var labels = LabelMap.Read(Path.Combine(outDir, "vertebrae.nii.gz"));
        foreach (var l in levels)
        {
            string name = l.GetProperty("name").GetString()!;
            var c = l.GetProperty("centroid").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var centroid = new Vec3(c[0], c[1], c[2]);
            var tfm = TransformIO.Read(Path.Combine(outDir, name + ".tfm"));
            Assert.That((tfm.TransformPoint(centroid) - (centroid + Shift)).Length, Is.LessThan(0.5), $"{name}.tfm at the centroid");
            Assert.That((field.TransformPoint(centroid) - (centroid + Shift)).Length, Is.LessThan(0.5), $"field at {name}");
            Assert.That(l.GetProperty("verdict").GetProperty("status").GetString(), Is.Not.EqualTo("failed"), name);
            Assert.That(labels.Table.TryGet((byte)l.GetProperty("label").GetInt32(), out var d) && d.Name == name, Is.True, $"{name} in vertebrae.json");
        }
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.That(report.RootElement.GetProperty("scheme").GetString(), Is.EqualTo("TotalSegmentator"));
        Assert.That(report.RootElement.GetProperty("vertebrae").GetArrayLength(), Is.EqualTo(levels.Count));

        // render takes the field where it takes a transform
        string png = Path.Combine(_dir, "fused.png");
        var render = CliProcess.Run("render", "--image", Path.Combine(root, "example_ct.nii.gz"), "--overlay", moving, "--transform", Path.Combine(outDir, "field.nii.gz"),
            "--plane", "sagittal", "--mode", "checkerboard", "--out", png);
        Assert.That(render.ExitCode, Is.EqualTo(0), render.Stderr);
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(1000));
    }

    [Test]
    public void PerVertebra_WithoutLabels_FindsAndNamesTheVertebraeOnTheFixedCt()
    {
        // no --fixed-labels: the vertebrae are found on the real CT and named from the anchor; each moves by the known shift
        string root = TestPaths.RequireShared("ct-mr-totalsegmentator");
        Directory.CreateDirectory(_dir);
        var ct = VolumeReader.Read(Path.Combine(root, "example_ct.nii.gz")).Volume;
        string moving = Path.Combine(_dir, "moved.mha");
        VolumeIO.Write(new Volume<float>(ct.Geometry.WithOrigin(ct.Geometry.Origin + Shift), ct.Data), moving);
        string outDir = Path.Combine(_dir, "levels");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(root, "example_ct.nii.gz"), "--moving", moving, "--out", Path.Combine(_dir, "g.tfm"),
            "--per-vertebra", outDir, "--anchor", "L5", "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("vertebrae found automatically"));
        using var doc = JsonDocument.Parse(r.Stdout);
        var levels = doc.RootElement.GetProperty("vertebrae").EnumerateArray().ToList();
        Assert.That(levels.Select(l => l.GetProperty("name").GetString()), Is.SupersetOf(new[] { "L1", "L2", "L3", "L4", "L5" }));
        foreach (var l in levels)
        {
            var c = l.GetProperty("centroid").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var centroid = new Vec3(c[0], c[1], c[2]);
            var tfm = TransformIO.Read(Path.Combine(outDir, l.GetProperty("name").GetString() + ".tfm"));
            Assert.That((tfm.TransformPoint(centroid) - (centroid + Shift)).Length, Is.LessThan(0.5), l.GetProperty("name").GetString());
        }
        Assert.That(File.Exists(Path.Combine(outDir, "vertebrae.nii.gz")), Is.True);
    }

    [Test]
    public void PerVertebra_WithoutLabels_OnAnMr_SaysVertebraeAreFoundOnCtOnly()
    {
        string root = TestPaths.RequireShared("ct-mr-totalsegmentator");
        Directory.CreateDirectory(_dir);
        string mr = Path.Combine(root, "example_mr_sm.nii.gz");
        var r = CliProcess.Run("register", "--fixed", mr, "--moving", mr, "--out", Path.Combine(_dir, "g.tfm"), "--per-vertebra", Path.Combine(_dir, "levels"));
        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("does not look like a CT").And.Contain("--fixed-labels"));
    }

    [Test]
    public void PhantomPosture_PerVertebra_TrustedLevelsMatchTheirTruth_CutLevelsExit4()
    {
        // phantom --posture: the CT bent by known per-level motions; every level the fusion trusts lands on its truth
        // at that level's landmarks, and the levels the MR's field of view cuts make register exit 4
        Directory.CreateDirectory(_dir);
        string caseDir = Path.Combine(_dir, "case");
        var p = CliProcess.Run("phantom", "--out", caseDir, "--posture");
        Assert.That(p.ExitCode, Is.EqualTo(0), p.Stderr);
        string posture = Path.Combine(caseDir, "posture");
        string outDir = Path.Combine(_dir, "levels");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(posture, "ct-posed.nii.gz"), "--moving", Path.Combine(caseDir, "mr", "t1"), "--start", "patient",
            "--out", Path.Combine(_dir, "g.tfm"), "--per-vertebra", outDir, "--fixed-labels", Path.Combine(posture, "vertebrae.nii.gz"), "--json");
        using var doc = JsonDocument.Parse(r.Stdout);
        var levels = doc.RootElement.GetProperty("vertebrae").EnumerateArray().ToList();
        var landmarks = LandmarkFile.Read(Path.Combine(posture, "landmarks.csv"));
        int good = 0;
        foreach (var l in levels)
        {
            string name = l.GetProperty("name").GetString()!;
            if (l.GetProperty("verdict").GetProperty("status").GetString() != "good") continue;
            good++;
            var estimate = TransformIO.Read(Path.Combine(outDir, name + ".tfm"));
            var truth = TransformIO.Read(Path.Combine(posture, "truth", name + "-to-mr.tfm"));
            var own = landmarks.Where(x => x.Name.StartsWith(name + " ", StringComparison.Ordinal)).ToList();
            Assert.That(own, Is.Not.Empty, name);
            foreach (var m in own)
                Assert.That((estimate.TransformPoint(m.PositionLps) - truth.TransformPoint(m.PositionLps)).Length, Is.LessThan(1.5), $"{name}: {m.Name}");
        }
        Assert.That(good, Is.GreaterThanOrEqualTo(3));
        bool anyFailed = levels.Any(l => l.GetProperty("verdict").GetProperty("status").GetString() == "failed");
        Assert.That(r.ExitCode, Is.EqualTo(anyFailed ? 4 : 0), r.Stderr);
        Assert.That(anyFailed, Is.True, "premise: the phantom MR's 140 mm field of view cuts an end level");

        // tre takes the field: at the levels' landmarks it beats the single rigid result
        double Median(string transform)
        {
            var t = CliProcess.Run("tre", "--transform", transform, "--fixed-landmarks", Path.Combine(posture, "landmarks.csv"),
                "--moving-landmarks", Path.Combine(caseDir, "mr", "landmarks.csv"), "--json");
            Assert.That(t.ExitCode, Is.EqualTo(0), t.Stderr);
            using var d = JsonDocument.Parse(t.Stdout);
            return d.RootElement.GetProperty("median").GetDouble();
        }
        double field = Median(Path.Combine(outDir, "field.nii.gz")), single = Median(Path.Combine(_dir, "g.tfm"));
        Assert.That(field, Is.LessThan(1.0));
        Assert.That(field, Is.LessThan(single / 2), $"field {field:0.00} mm, single rigid {single:0.00} mm");

        // plan takes the MR's structures through the field onto the posed CT: the target lands where the true motion of
        // its level puts the MR tumour; the treated level is named, and its per-level verdict decides the exit code
        string planOut = Path.Combine(_dir, "plan.json");
        var plan = CliProcess.Run("plan", "--labels", Path.Combine(caseDir, "mr", "labels.nii.gz"), "--label-table", Path.Combine(caseDir, "labels.json"),
            "--labels-transform", Path.Combine(outDir, "field.nii.gz"), "--image", Path.Combine(posture, "ct-posed.nii.gz"), "--probes", "0", "--out", planOut,
            "--snapshots", Path.Combine(_dir, "snaps"));
        var fusedLevels = levels.ToDictionary(l => l.GetProperty("name").GetString()!, l => l.GetProperty("verdict").GetProperty("status").GetString()!);
        var treated = System.Text.RegularExpressions.Regex.Match(plan.Stderr, @"treated level (\S+) ");
        Assert.That(treated.Success, Is.True, plan.Stderr);
        string level = treated.Groups[1].Value;
        Assert.That(plan.ExitCode, Is.EqualTo(fusedLevels[level] == "failed" ? 4 : 0), plan.Stderr);
        var tumour = VolumeReader.Read<byte>(Path.Combine(caseDir, "mr", "tumour.nii.gz"));
        var tumourCentroid = Centroid(tumour);
        var levelTruth = TransformIO.Read(Path.Combine(posture, "truth", level + "-to-mr.tfm"));
        using var planDoc = JsonDocument.Parse(File.ReadAllText(planOut));
        var target = planDoc.RootElement.GetProperty("trajectories")[0].GetProperty("target").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.That((levelTruth.Inverse().TransformPoint(tumourCentroid) - new Vec3(target[0], target[1], target[2])).Length, Is.LessThan(1.5),
            $"target at {level}: the MR tumour's centroid through the true motion of its level");

        // a target at a level the fusion could not trust: warned, exit 4 (the plan is still written)
        if (levels.FirstOrDefault(l => l.GetProperty("verdict").GetProperty("status").GetString() == "failed") is { ValueKind: JsonValueKind.Object } bad)
        {
            var c = bad.GetProperty("centroid").EnumerateArray().Select(x => x.GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var atBad = CliProcess.Run("plan", "--labels", Path.Combine(caseDir, "mr", "labels.nii.gz"), "--label-table", Path.Combine(caseDir, "labels.json"),
                "--labels-transform", Path.Combine(outDir, "field.nii.gz"), "--image", Path.Combine(posture, "ct-posed.nii.gz"), "--probes", "0",
                "--target", string.Join(",", c), "--json");
            Assert.That(atBad.ExitCode, Is.EqualTo(4), atBad.Stderr);
            Assert.That(atBad.Stderr, Does.Contain($"treated level {bad.GetProperty("name").GetString()} ").And.Contain("did not pass its quality check"));
        }
    }

    private static Vec3 Centroid(Volume<byte> mask)
    {
        var g = mask.Geometry;
        var sum = Vec3.Zero;
        long n = 0, at = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, at++)
                    if (mask.Data[at] != 0) { sum += g.IndexToPhysical(i, j, k); n++; }
        return sum / n;
    }

    [Test]
    public void PerVertebra_OptionsWithoutIt_OrIntoAFullFolder_AreRefused()
    {
        Directory.CreateDirectory(_dir);
        var r = CliProcess.Run("register", "--fixed", "a.mha", "--moving", "b.mha", "--out", Path.Combine(_dir, "t.tfm"), "--anchor", "L5");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("used with --per-vertebra"));
        File.WriteAllText(Path.Combine(_dir, "keep.txt"), "mine");
        string labels = Path.Combine(_dir, "labels.nii.gz");
        File.WriteAllText(labels, "x");
        r = CliProcess.Run("register", "--fixed", "a.mha", "--moving", "b.mha", "--out", Path.Combine(_dir, "t.tfm"), "--per-vertebra", _dir, "--fixed-labels", labels);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("exists and is not empty"));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "keep.txt")), Is.EqualTo("mine"));
    }
}
