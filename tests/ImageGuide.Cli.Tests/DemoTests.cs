using System.Globalization;
using System.Text.Json;

namespace ImageGuide.Cli.Tests;

public class DemoTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "imageguide-demo-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    // The rigid map of an ITK VersorRigid3D .tfm file, parsed here independently of the library.
    private static Func<double[], double[]> ReadTfm(string path)
    {
        var lines = File.ReadAllLines(path);
        double[] Values(string key) => lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[(key.Length + 1)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var p = Values("Parameters:");
        var c = Values("FixedParameters:");
        double x = p[0], y = p[1], z = p[2], w = Math.Sqrt(1 - x * x - y * y - z * z);
        double[,] r =
        {
            { 1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y) },
            { 2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x) },
            { 2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y) },
        };
        return q => Enumerable.Range(0, 3).Select(i => r[i, 0] * (q[0] - c[0]) + r[i, 1] * (q[1] - c[1]) + r[i, 2] * (q[2] - c[2]) + c[i] + p[3 + i]).ToArray();
    }

    [Test]
    public void Demo_RunsEndToEnd_RegistersWithinAMillimetreOfTheTruth_AndSaysWhatIsNotAvailable()
    {
        var r = CliProcess.Run("demo", "--out", _dir);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(File.Exists(Path.Combine(_dir, "report.md")));

        // registration results against the phantom's own ground-truth transforms, at landmarks of the fixed frames
        foreach (var frame in new[] { "ct", "cbct" })
        {
            var estimate = ReadTfm(Path.Combine(_dir, "registration", $"{frame}-to-mr.tfm"));
            var truth = ReadTfm(Path.Combine(_dir, "phantom", "transforms", $"{frame}-to-mr.tfm"));
            var landmarks = File.ReadAllLines(Path.Combine(_dir, "phantom", frame, "landmarks.csv")).Skip(1)
                .Select(l => l.Split(',')[^3..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
            Assert.That(landmarks, Has.Count.GreaterThanOrEqualTo(20));
            foreach (var p in landmarks)
            {
                var a = estimate(p);
                var b = truth(p);
                double err = Math.Sqrt(Enumerable.Range(0, 3).Sum(i => (a[i] - b[i]) * (a[i] - b[i])));
                Assert.That(err, Is.LessThan(1.5), $"{frame}→MR error at landmark {string.Join(",", p)}");
            }
        }

        using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "planning", "plan.json")));
        var best = plan.RootElement.GetProperty("trajectories")[0];
        Assert.That(best.GetProperty("feasible").GetBoolean(), Is.True);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "summary.json")));
        var steps = summary.RootElement.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString());
        Assert.That(steps["Ice-ball segmentation and margins"], Is.EqualTo("done"));
        var ice = summary.RootElement.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("name").GetString() == "Ice-ball segmentation and margins");
        foreach (var key in new[] { "with pre-freeze CT (subtraction)", "without pre-freeze CT (hypodensity)" })
        {
            var m = System.Text.RegularExpressions.Regex.Match(ice.GetProperty("facts").GetProperty(key).GetString()!, @"Dice (\d\.\d+)");
            Assert.That(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0.9), key);
        }
        using var iceReport = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "iceball", "report.json")));
        Assert.That(iceReport.RootElement.GetProperty("volumeMl").GetDouble(), Is.GreaterThan(1));
        Assert.That(steps["Registration (Mattes MI, rigid)"], Is.EqualTo("done"));
        // the posture case: every level the per-vertebra fusion trusts is within a millimetre of its known motion
        var posture = summary.RootElement.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("name").GetString() == "Per-vertebra fusion (posture change)");
        int good = 0;
        foreach (var level in new[] { "T11", "T12", "L1", "L2", "L3" })
        {
            string fact = posture.GetProperty("facts").GetProperty(level).GetString()!;
            var m = System.Text.RegularExpressions.Regex.Match(fact, @"per vertebra (\d+\.\d+) mm, single rigid (\d+\.\d+) mm; verdict (\w+)");
            Assert.That(m.Success, Is.True, fact);
            if (m.Groups[3].Value != "good") continue;
            good++;
            Assert.That(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Is.LessThan(1.0), fact);
        }
        Assert.That(good, Is.GreaterThanOrEqualTo(3), "the levels inside the MR's field of view are trusted");
        Assert.That(File.Exists(Path.Combine(_dir, "per-vertebra", "field.nii.gz")), Is.True);
        foreach (var png in Directory.GetFiles(Path.Combine(_dir, "snapshots")))
            Assert.That(File.ReadAllBytes(png)[1..4], Is.EqualTo("PNG"u8.ToArray()), png);
    }

    [Test]
    public void Demo_RefusesANonEmptyFolder()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "keep.txt"), "mine");
        var r = CliProcess.Run("demo", "--out", _dir);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "keep.txt")), Is.EqualTo("mine"));
    }
}
