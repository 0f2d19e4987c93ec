using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Cli.Tests;

/// <summary>
/// <c>validate --shard K/N</c> and <c>validate merge</c> through the CLI: shards merged give byte for byte (the PDF
/// included) the report of one folder holding the same case files, and the single-machine report up to the measured
/// runtimes; bad --shard is a usage error (2); conflicting folders are bad input (3) with the files named.
/// </summary>
public class ValidateShardTests
{
    private string _dir = "";

    /// <summary>Six tiny real registrations: a 20³ scene of three blobs against itself shifted by a known (1, −1, 0.5) mm.</summary>
    [OneTimeSetUp]
    public void WriteCases()
    {
        _dir = TestPaths.NewTempDir();
        var g = new VolumeGeometry(20, 20, 20, new Vec3(2, 2, 2), new Vec3(-19, -19, -19));
        var shift = new Vec3(1, -1, 0.5);
        VolumeIO.Write(Blobs(g, new Vec3(0, 0, 0)), Path.Combine(_dir, "fixed.mha"));
        VolumeIO.Write(Blobs(g, shift), Path.Combine(_dir, "moving.mha"));
        TransformIO.Write(RigidTransform.FromTranslation(shift), Path.Combine(_dir, "truth.tfm"));
        var cases = Enumerable.Range(0, 6).Select(i =>
            $$"""{ "id": "case-{{i}}", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "preset": "fast", "tags": { "pair": "{{(i % 2 == 0 ? "CT-CT" : "CT-MR")}}" } }""");
        File.WriteAllText(Path.Combine(_dir, "manifest.json"), "{ \"trePoints\": 50, \"cases\": [\n" + string.Join(",\n", cases) + "\n] }");
        _single = Path.Combine(_dir, "single");
        _a = Path.Combine(_dir, "a");
        _b = Path.Combine(_dir, "b");
        Ok(CliProcess.Run("validate", Manifest, "--out", _single, "--parallel", "2"));
        Ok(CliProcess.Run("validate", Manifest, "--out", _a, "--shard", "1/2"));
        Ok(CliProcess.Run("validate", Manifest, "--out", _b, "--shard", "2/2"));
    }

    private string _single = "", _a = "", _b = "";

    private static Volume<float> Blobs(VolumeGeometry g, Vec3 shift)
    {
        var v = new Volume<float>(g);
        (Vec3 C, double S, double A)[] blobs = [(new Vec3(-6, -4, 2), 5, 1000), (new Vec3(7, 5, -3), 4, 700), (new Vec3(0, 8, 8), 3, 400)];
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var p = g.IndexToPhysical(i, j, k) - shift;
                    double s = 0;
                    foreach (var (c, sigma, a) in blobs) s += a * Math.Exp(-Vec3.Dot(p - c, p - c) / (2 * sigma * sigma));
                    v[i, j, k] = (float)s;
                }
        return v;
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_dir, true);

    private string Manifest => Path.Combine(_dir, "manifest.json");

    [Test]
    public void BadShard_IsAUsageError()
    {
        var r = CliProcess.Run("validate", Manifest, "--out", Path.Combine(_dir, "never"), "--shard", "5/4");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("K/N"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "never")), Is.False);
    }

    [Test]
    public void ShardsMerged_EqualOneFolderOfTheSameCases_AndTheSingleRunUpToRuntimes()
    {
        string single = _single, a = _a, b = _b;
        Assert.That(File.Exists(Path.Combine(a, "report.json")), Is.False, "a shard writes no report");
        string merged = Path.Combine(_dir, "merged");
        Ok(CliProcess.Run("validate", "merge", a, b, "--out", merged));

        // one folder holding the same case files (and the same snapshots): the same bytes, report.pdf included
        string union = Path.Combine(_dir, "union");
        Directory.CreateDirectory(Path.Combine(union, "cases"));
        Directory.CreateDirectory(Path.Combine(union, "snapshots"));
        foreach (var dir in new[] { a, b })
        {
            foreach (var f in Directory.GetFiles(Path.Combine(dir, "cases"))) File.Copy(f, Path.Combine(union, "cases", Path.GetFileName(f)));
            foreach (var f in Directory.GetFiles(Path.Combine(dir, "snapshots"))) File.Copy(f, Path.Combine(union, "snapshots", Path.GetFileName(f)));
        }
        var ma = JsonNode.Parse(File.ReadAllText(Path.Combine(a, "shard.json")))!;
        var mb = JsonNode.Parse(File.ReadAllText(Path.Combine(b, "shard.json")))!;
        ma["shard"] = "1/1";
        ma["cases"] = new JsonArray([.. ma["cases"]!.AsArray().Concat(mb["cases"]!.AsArray()).Select(n => JsonValue.Create(n!.GetValue<string>()))]);
        File.WriteAllText(Path.Combine(union, "shard.json"), ma.ToJsonString());
        string unionReport = Path.Combine(_dir, "union-report");
        Ok(CliProcess.Run("validate", "merge", union, "--out", unionReport));
        var files = ReportFiles(merged);
        Assert.That(files, Does.Contain("report.pdf").And.Contain("report.html").And.Contain("plots/runtime.png").And.Contain("snapshots/case-0-imageguide-fusion.png"));
        Assert.That(ReportFiles(unionReport), Is.EqualTo(files));
        foreach (var f in files)
            Assert.That(File.ReadAllBytes(Path.Combine(unionReport, f)), Is.EqualTo(File.ReadAllBytes(Path.Combine(merged, f))), f);

        ReportComparison.AssertEqualButRuntimes(single, merged);
        // and the truth: every case recovers the known 1.5 mm shift to well under a millimetre
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(merged, "report.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            Assert.That(c.GetProperty("tre").GetProperty("maxMm").GetDouble(), Is.LessThan(0.5), c.GetProperty("id").GetString());
    }

    [Test]
    public void MergeOfAnUnshardedRun_RebuildsItsReportByteForByte_InPlace_ButNeverIntoCases()
    {
        string copy = Copy(_single, Path.Combine(_dir, "single-copy"));
        var before = ReportFiles(copy).ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(copy, f)));
        foreach (var f in before.Keys.Where(f => f.StartsWith("report", StringComparison.Ordinal) || f.StartsWith("plots/", StringComparison.Ordinal)))
            File.Delete(Path.Combine(copy, f));
        Ok(CliProcess.Run("validate", "merge", copy, "--out", copy));
        Assert.That(ReportFiles(copy), Is.EqualTo(before.Keys));
        foreach (var (f, bytes) in before) Assert.That(File.ReadAllBytes(Path.Combine(copy, f)), Is.EqualTo(bytes), f);
        var intoCases = CliProcess.Run("validate", "merge", copy, "--out", Path.Combine(copy, "cases"));
        Assert.That(intoCases.ExitCode, Is.EqualTo(2), intoCases.Stderr);
    }

    [Test]
    public void ConflictingShards_AreBadInput_NamingTheFiles()
    {
        // copies of the shard folders, so the other tests keep theirs
        string a = Copy(_a, Path.Combine(_dir, "ca")), b = Copy(_b, Path.Combine(_dir, "cb"));
        // a case file whose tool version is not its shard's
        string id = JsonNode.Parse(File.ReadAllText(Path.Combine(b, "shard.json")))!["cases"]![0]!.GetValue<string>();
        string file = Path.Combine(b, "cases", id + ".imageguide.json");
        var node = JsonNode.Parse(File.ReadAllText(file))!;
        node["toolVersion"] = "0.0.0-other";
        File.WriteAllText(file, node.ToJsonString());
        var r = CliProcess.Run("validate", "merge", a, b, "--out", Path.Combine(_dir, "conflict"));
        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stderr);
        Assert.That(r.Stderr, Does.Contain(file).And.Contain("0.0.0-other"));
        Assert.That(File.Exists(Path.Combine(_dir, "conflict", "report.json")), Is.False);
        // resuming the shard redoes that case (another version's result is not reused), and then the merge works
        Ok(CliProcess.Run("validate", Manifest, "--out", b, "--shard", "2/2"));
        Ok(CliProcess.Run("validate", "merge", a, b, "--out", Path.Combine(_dir, "conflict")));
        var again = CliProcess.Run("validate", "merge", a, b, a, "--out", Path.Combine(_dir, "conflict2"));
        Assert.That(again.ExitCode, Is.EqualTo(3));
        Assert.That(again.Stderr, Does.Contain("given twice"));
    }

    [Test]
    public void KilledShard_ResumesToTheSameCases_AndOnlyThenMerges()
    {
        // 30 cases, so the shard is still running when it is killed after its second case
        string manifest = Path.Combine(_dir, "many.json");
        File.WriteAllText(manifest, "{ \"trePoints\": 50, \"cases\": [\n" + string.Join(",\n", Enumerable.Range(0, 30).Select(i =>
            $$"""{ "id": "m-{{i}}", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "preset": "fast" }""")) + "\n] }");
        string dir = Path.Combine(_dir, "killed");
        using (var p = System.Diagnostics.Process.Start(CliProcess.StartInfo("validate", manifest, "--out", dir, "--shard", "1/1", "--no-snapshots"))!)
        {
            p.StandardOutput.ReadToEndAsync();
            p.StandardError.ReadToEndAsync();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!p.HasExited && (!Directory.Exists(Path.Combine(dir, "cases")) || Directory.GetFiles(Path.Combine(dir, "cases"), "*.json").Length < 2))
            {
                Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "the shard wrote no case files");
                Thread.Sleep(20);
            }
            Assert.That(p.HasExited, Is.False, "the shard finished before it could be killed; give it more cases");
            p.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs, as when a node dies
            p.WaitForExit();
        }
        var marker = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "shard.json")))!;
        Assert.That(marker["complete"]!.GetValue<bool>(), Is.False, "a killed shard is not complete");
        int done = Directory.GetFiles(Path.Combine(dir, "cases"), "*.json").Length;
        Assert.That(done, Is.InRange(2, 29));
        var refused = CliProcess.Run("validate", "merge", dir, "--out", Path.Combine(_dir, "killed-report"));
        Assert.That(refused.ExitCode, Is.EqualTo(3));
        Assert.That(refused.Stderr, Does.Contain("has not finished").And.Contain("--shard 1/1"));

        var resumed = CliProcess.Run("validate", manifest, "--out", dir, "--shard", "1/1", "--no-snapshots");
        Ok(resumed);
        Assert.That(resumed.Stderr, Does.Contain($"30 of 30 cases ({done} resumed)"), "every case file the killed run completed is reused, nothing else");
        Ok(CliProcess.Run("validate", "merge", dir, "--out", Path.Combine(_dir, "killed-report")));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "killed-report", "report.json")));
        Assert.That(doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()),
            Is.EqualTo(Enumerable.Range(0, 30).Select(i => $"m-{i}")));
    }

    private static string Copy(string from, string to)
    {
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
        return to;
    }

    private static void Ok(CliProcess.Result r) => Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);

    private static List<string> ReportFiles(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("cases/", StringComparison.Ordinal) && f != "shard.json" && !f.StartsWith('.')).Order(StringComparer.Ordinal)];
}

/// <summary>Compares two validation report folders in everything but the measured runtimes.</summary>
internal static partial class ReportComparison
{
    /// <summary>
    /// report.json without its seconds members, report.csv without its seconds column, report-verdicts.csv, report.md
    /// with its runtimes (the one-decimal numbers; TRE has two) masked, the TRE plots and every snapshot: equal.
    /// </summary>
    public static void AssertEqualButRuntimes(string expected, string actual)
    {
        Assert.That(JsonWithoutRuntimes(Path.Combine(actual, "report.json")), Is.EqualTo(JsonWithoutRuntimes(Path.Combine(expected, "report.json"))), "report.json but runtimes");
        Assert.That(CsvWithoutRuntimes(Path.Combine(actual, "report.csv")), Is.EqualTo(CsvWithoutRuntimes(Path.Combine(expected, "report.csv"))), "report.csv but runtimes");
        Assert.That(File.ReadAllText(Path.Combine(actual, "report-verdicts.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(expected, "report-verdicts.csv"))));
        Assert.That(OneDecimal().Replace(File.ReadAllText(Path.Combine(actual, "report.md")), "#"),
            Is.EqualTo(OneDecimal().Replace(File.ReadAllText(Path.Combine(expected, "report.md")), "#")), "report.md but runtimes");
        foreach (var plot in new[] { "plots/tre-boxplot.png", "plots/tre-cases.png" })
            Assert.That(File.ReadAllBytes(Path.Combine(actual, plot)), Is.EqualTo(File.ReadAllBytes(Path.Combine(expected, plot))), plot);
        var snapshots = Directory.GetFiles(Path.Combine(expected, "snapshots")).Select(Path.GetFileName).Order().ToList();
        Assert.That(Directory.GetFiles(Path.Combine(actual, "snapshots")).Select(Path.GetFileName).Order(), Is.EqualTo(snapshots));
        foreach (var s in snapshots)
            Assert.That(File.ReadAllBytes(Path.Combine(actual, "snapshots", s!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(expected, "snapshots", s!))), s);
    }

    private static string JsonWithoutRuntimes(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                foreach (var key in o.Select(p => p.Key).Where(k => k.Contains("econds", StringComparison.Ordinal)).ToList()) o.Remove(key);
                foreach (var p in o) Strip(p.Value);
            }
            else if (n is JsonArray a)
                foreach (var e in a) Strip(e);
        }
    }

    private static List<string> CsvWithoutRuntimes(string path)
    {
        var lines = File.ReadAllLines(path);
        int column = Array.IndexOf(lines[0].Split(','), "seconds");
        Assert.That(column, Is.GreaterThan(0));
        // the columns before 'seconds' hold no quoted commas in these reports (ids, tags, presets, numbers)
        return [.. lines.Select(l => { var f = l.Split(','); return string.Join(",", f.Take(column).Concat(f.Skip(column + 1))); })];
    }

    [GeneratedRegex(@"(?<![\d.])\d+\.\d(?![\d])")]
    private static partial Regex OneDecimal();
}
