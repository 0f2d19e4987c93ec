using System.Globalization;
using System.Text.Json;

namespace ImageGuide.Cli.Tests;

public class RegisterPlanTests
{
    private string _case = "";

    [OneTimeSetUp]
    public void MakePhantom()
    {
        _case = Path.Combine(Path.GetTempPath(), "imageguide-cli-phantom-" + Guid.NewGuid().ToString("N"));
        var r = CliProcess.Run("phantom", "--out", _case, "--seed", "5");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
    }

    [OneTimeTearDown]
    public void Delete() { if (Directory.Exists(_case)) Directory.Delete(_case, true); }

    private Dictionary<string, double[]> Landmarks(string frame) =>
        File.ReadAllLines(Path.Combine(_case, frame, "landmarks.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[0], p => p[^3..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());

    [Test]
    public void Register_CtToMr_MatrixMapsCtLandmarksOntoMrLandmarks()
    {
        string tfm = Path.Combine(_case, "ct-mr-estimate.tfm");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(_case, "ct", "dicom"), "--moving", Path.Combine(_case, "mr", "t1"),
            "--preset", "ct-mr", "--out", tfm, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        foreach (var key in new[] { "matrix", "translation", "versor", "center", "metric", "iterations", "seconds" })
            Assert.That(doc.RootElement.TryGetProperty(key, out _), key);
        var m = doc.RootElement.GetProperty("matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var ct = Landmarks("ct");
        var mr = Landmarks("mr");
        int n = 0;
        foreach (var (name, p) in ct)
        {
            if (!mr.TryGetValue(name, out var q)) continue;
            double err = Math.Sqrt(Enumerable.Range(0, 3).Sum(i => Math.Pow(m[i][0] * p[0] + m[i][1] * p[1] + m[i][2] * p[2] + m[i][3] - q[i], 2)));
            Assert.That(err, Is.LessThan(1.5), name);
            n++;
        }
        Assert.That(n, Is.GreaterThanOrEqualTo(20));
        Assert.That(File.ReadAllText(tfm), Does.Contain("VersorRigid3DTransform_double_3_3"));
    }

    [Test]
    public void Plan_WritesContractKeys_AndTheBestPathKeepsEveryRequiredClearance()
    {
        string plan = Path.Combine(_case, "plan.json");
        var r = CliProcess.Run("plan", "--labels", Path.Combine(_case, "ct", "labels.nii.gz"), "--label-table", Path.Combine(_case, "labels.json"),
            "--probes", "0", "--uncertainty", "1", "--out", plan);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(plan));
        foreach (var key in new[] { "trajectories", "probes", "coverage", "minMarginMm" })
            Assert.That(doc.RootElement.TryGetProperty(key, out _), key);
        var best = doc.RootElement.GetProperty("trajectories")[0];
        Assert.That(best.GetProperty("feasible").GetBoolean());
        foreach (var key in new[] { "entry", "target", "lengthMm", "reasons", "clearancesMm", "inPlaneAngleDeg", "craniocaudalAngleDeg" })
            Assert.That(best.TryGetProperty(key, out _), key);
        // the label table asks 5 mm from the cord; 1 mm fusion uncertainty is added on top
        Assert.That(best.GetProperty("clearancesMm").GetProperty("cord").GetDouble(), Is.GreaterThanOrEqualTo(6.0));
        Assert.That(File.Exists(Path.Combine(_case, "plan.mrk.json")));
        // the structures planned against, as DICOM SEG with the label table's names
        var (seg, _) = ImageGuide.Model.DicomSegmentation.Read(Path.Combine(_case, "plan.seg.dcm"));
        var table = ImageGuide.Model.LabelTableJson.Read(Path.Combine(_case, "labels.json"));
        Assert.That(seg.Table.Labels.Select(l => l.Name), Is.SubsetOf(table.Labels.Select(l => l.Name)));
        Assert.That(seg.Table.TryGet("cord", out var cord) && cord.Role == ImageGuide.Model.LabelRole.Critical, "the cord stays a critical structure");
    }

    [Test]
    public void Plan_Snapshots_WritesNeedleBullsEyeAndAxialPngs()
    {
        string dir = Path.Combine(_case, "snapshots");
        var r = CliProcess.Run("plan", "--labels", Path.Combine(_case, "ct", "labels.nii.gz"), "--label-table", Path.Combine(_case, "labels.json"),
            "--image", Path.Combine(_case, "ct", "dicom"), "--probes", "0", "--layout", "converging", "--snapshots", dir);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        foreach (var view in new[] { "needle", "bullseye", "axial" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, $"plan-{view}.png"));
            Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), view);
            Assert.That(bytes.Length, Is.GreaterThan(2000), view);
        }
    }

    [Test]
    public void Plan_UnknownLayout_IsBadUsage()
    {
        var r = CliProcess.Run("plan", "--labels", Path.Combine(_case, "ct", "labels.nii.gz"), "--layout", "sideways");
        Assert.That(r.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Plan_BothTargetForms_IsBadUsage()
    {
        var r = CliProcess.Run("plan", "--labels", Path.Combine(_case, "ct", "labels.nii.gz"), "--target", "0,0,0", "--target-label", "1");
        Assert.That(r.ExitCode, Is.EqualTo(2));
    }
}
