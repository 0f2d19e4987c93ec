using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

/// <summary>
/// Sharded validation: the partition (hash test vectors, stability under added cases and under a changed shard count,
/// measured balance), shard runs merged into the report an unsharded run gives, the refusals of merge, and resuming a
/// shard whose node was killed.
/// </summary>
public class ShardMergeTests
{
    private static readonly string[] Ids = Enumerable.Range(0, 10_000).Select(i => $"case-{i:D5}").ToArray();

    [Test]
    public void Fnv1a64_MatchesThePublishedTestVectors()
    {
        // FNV-1a 64 of "" is the offset basis; "a" and "foobar" from the FNV reference test suite (isthe.com/chongo/tech/comp/fnv)
        Assert.That(ValidationShard.Fnv1a64(""), Is.EqualTo(0xcbf29ce484222325UL));
        Assert.That(ValidationShard.Fnv1a64("a"), Is.EqualTo(0xaf63dc4c8601ec8cUL));
        Assert.That(ValidationShard.Fnv1a64("foobar"), Is.EqualTo(0x85944171f73967e8UL));
    }

    [Test]
    public void Partition_DependsOnlyOnTheId_SoAddedCasesMoveNothing_AndAFifthShardTakesOnlyAFifth()
    {
        var four = Ids.Select(id => ValidationShard.Of(id, 4)).ToArray();
        // the same ids in another order, among other cases: every assignment is a function of the id alone
        var shuffled = Ids.Reverse().Concat(["new-1", "new-2"]).ToDictionary(id => id, id => ValidationShard.Of(id, 4));
        for (int i = 0; i < Ids.Length; i++) Assert.That(shuffled[Ids[i]], Is.EqualTo(four[i]));

        // rendezvous hashing: going to 5 shards, a case either stays or moves to the new shard 5, and about 1/5 move
        int moved = 0;
        for (int i = 0; i < Ids.Length; i++)
        {
            int five = ValidationShard.Of(Ids[i], 5);
            if (five != four[i]) { moved++; Assert.That(five, Is.EqualTo(5), Ids[i]); }
        }
        Assert.That(moved, Is.InRange(1800, 2200), "≈ 10,000 / 5 (binomial σ = 40)");
    }

    [Test]
    public void Partition_IsBalancedWithinTheBinomialSpread()
    {
        foreach (int n in new[] { 2, 4, 8, 16 })
        {
            var sizes = new int[n];
            foreach (var id in Ids) sizes[ValidationShard.Of(id, n) - 1]++;
            double expected = Ids.Length / (double)n, sigma = Math.Sqrt(Ids.Length * (1.0 / n) * (1 - 1.0 / n));
            TestContext.Out.WriteLine($"{n} shards: {string.Join(" ", sizes)} (expected {expected}, σ {sigma:F1}, max deviation {sizes.Max(s => Math.Abs(s - expected)) / expected:P1})");
            Assert.That(sizes, Is.All.InRange(expected - 4 * sigma, expected + 4 * sigma), $"{n} shards");
            Assert.That(sizes.Sum(), Is.EqualTo(Ids.Length));
        }
    }

    [Test]
    public void ParseShard_AcceptsKOverN_AndRefusesTheRest()
    {
        Assert.That(ValidationShard.Parse("3/8"), Is.EqualTo(new ValidationShard(3, 8)));
        foreach (var bad in new[] { "0/4", "5/4", "4", "1/0", "-1/4", "a/b", "1/4/2", "" })
            Assert.That(() => ValidationShard.Parse(bad), Throws.InstanceOf<ValidationException>().With.Message.Contains("K/N"), bad);
    }

    private static ValidationOptions Options(string outDir, IRegistrationTool tool) =>
        new() { OutputDirectory = outDir, Tools = [tool], MaxParallelism = 1, Snapshots = false, Time = new SteppingClock() };

    private static (ValidationFixture Fx, Dictionary<string, RigidTransform> Perturbations) SevenCases()
    {
        var fx = new ValidationFixture();
        var perturbations = new Dictionary<string, RigidTransform>();
        var cases = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            string id = $"c{i}";
            perturbations[id] = RigidTransform.FromTranslation(new Vec3(0.3 * i, 0, 0));
            cases.Add(ValidationFixture.Case(i % 2 == 0 ? ValidationFixture.LandmarkCase : ValidationFixture.TransformCase, id, i % 3 == 0 ? "CT-MR" : "CBCT-MR"));
        }
        fx.WriteManifest([.. cases]);
        return (fx, perturbations);
    }

    private static string[] RunShards(ValidationFixture fx, Dictionary<string, RigidTransform> perturbations, int n)
    {
        var manifest = ValidationManifestReader.Open(fx.Manifest);
        var dirs = new string[n];
        for (int k = 1; k <= n; k++)
        {
            dirs[k - 1] = Path.Combine(fx.Folder, $"shard-{k}");
            new ValidationRunner(Options(dirs[k - 1], new PerturbedTruthTool("imageguide", perturbations))).RunShard(manifest, new ValidationShard(k, n));
        }
        return dirs;
    }

    private static IEnumerable<string> ReportFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f))
            .Where(f => !f.StartsWith("cases", StringComparison.Ordinal) && f != ShardMarker.FileName).Order(StringComparer.Ordinal);

    [Test]
    public void ShardsMerged_GiveTheUnshardedReport_ByteForByte()
    {
        var (fx, perturbations) = SevenCases();
        using var _ = fx;
        string single = Path.Combine(fx.Folder, "single");
        var report = new ValidationRunner(Options(single, new PerturbedTruthTool("imageguide", perturbations))).Run(ValidationManifestReader.Open(fx.Manifest));
        var dirs = RunShards(fx, perturbations, 3);

        var markers = dirs.Select(d => ShardMarker.TryRead(d)!).ToList();
        Assert.That(markers.SelectMany(m => m.CaseIds).Order(), Is.EqualTo(Enumerable.Range(0, 7).Select(i => $"c{i}").Order()), "every case in exactly one shard");
        foreach (var m in markers)
        {
            Assert.That(m.Complete);
            Assert.That(m.CaseIds, Is.All.Matches<string>(id => ValidationShard.Of(id, 3) == m.Shard.Index));
            Assert.That(Directory.GetFiles(Path.Combine(dirs[m.Shard.Index - 1], "cases")).Length, Is.EqualTo(m.CaseIds.Count), "a shard writes only its own cases");
            Assert.That(File.Exists(Path.Combine(dirs[m.Shard.Index - 1], "report.json")), Is.False, "a shard writes no report");
        }

        string merged = Path.Combine(fx.Folder, "merged");
        var mergedReport = ValidationMerge.Merge(dirs.Reverse().ToArray(), merged);
        Assert.That(mergedReport.Results.Select(r => r.CaseId), Is.EqualTo(report.Results.Select(r => r.CaseId)), "manifest order");
        // the stepping clock makes every runtime exactly 1 s, so here even the runtimes agree and every file is identical
        Assert.That(ReportFiles(merged), Is.EqualTo(ReportFiles(single)));
        foreach (var f in ReportFiles(single))
            Assert.That(File.ReadAllBytes(Path.Combine(merged, f)), Is.EqualTo(File.ReadAllBytes(Path.Combine(single, f))), f);
    }

    [Test]
    public void Merge_RefusesMissingIncompleteDuplicateAndConflictingShards_NamingThem()
    {
        var (fx, perturbations) = SevenCases();
        using var _ = fx;
        var dirs = RunShards(fx, perturbations, 3);
        string Out() => Path.Combine(fx.Folder, "out-" + Guid.NewGuid().ToString("N"));
        ValidationException Refused(params string[] folders) => Assert.Throws<ValidationException>(() => ValidationMerge.Merge(folders, Out()))!;

        Assert.That(Refused(dirs[0], dirs[2]).Message, Does.Contain("shards 2/3").And.Contain("missing"));
        Assert.That(Refused(dirs[0], dirs[1], dirs[2], dirs[1]).Message, Does.Contain("given twice"));

        // the same shard run twice into two folders
        string again = Path.Combine(fx.Folder, "shard-2-again");
        new ValidationRunner(Options(again, new PerturbedTruthTool("imageguide", perturbations))).RunShard(ValidationManifestReader.Open(fx.Manifest), new ValidationShard(2, 3));
        Assert.That(Refused(dirs[0], dirs[1], dirs[2], again).Message, Does.Contain(dirs[1]).And.Contain(again).And.Contain("both shard 2/3"));

        // a case copied into another shard's folder: a duplicate; with its manifest entry edited: a conflict
        var m1 = ShardMarker.TryRead(dirs[0])!;
        var m2 = ShardMarker.TryRead(dirs[1])!;
        string id = m1.CaseIds[0];
        string source = Path.Combine(dirs[0], "cases", id + ".imageguide.json");
        string copy = Path.Combine(dirs[1], "cases", id + ".imageguide.json");
        File.Copy(source, copy);
        (m2 with { CaseIds = [.. m2.CaseIds, id] }).Write(dirs[1]);
        var duplicate = Refused(dirs);
        Assert.That(duplicate.Message, Does.Contain($"case '{id}' is in two folders").And.Contain(dirs[0]).And.Contain(dirs[1]).And.Contain("the same manifest entry"));
        var stored = CaseResult.TryRead(copy)!;
        (stored with { Definition = stored.Definition.Replace("\"test\"", "\"other-site\"", StringComparison.Ordinal) }).Write(copy);
        Assert.That(Refused(dirs).Message, Does.Contain("conflicting manifest entries"));
        File.Delete(copy);
        m2.Write(dirs[1]);

        // a case file of another tool version
        string third = Path.Combine(dirs[2], "cases", ShardMarker.TryRead(dirs[2])!.CaseIds[0] + ".imageguide.json");
        var original = File.ReadAllBytes(third);
        (CaseResult.TryRead(third)! with { ToolVersion = "0.0.1-old" }).Write(third);
        Assert.That(Refused(dirs).Message, Does.Contain(third).And.Contain("0.0.1-old").And.Contain("conflicting tool versions"));
        File.WriteAllBytes(third, original);

        // a shard run by another tool version (its marker says so)
        var m3 = ShardMarker.TryRead(dirs[2])!;
        (m3 with { Tools = [new ToolIdentity("imageguide", "0.0.1-old")] }).Write(dirs[2]);
        Assert.That(Refused(dirs).Message, Does.Contain("imageguide 0.0.1-old").And.Contain("conflicting tools or tool versions"));
        m3.Write(dirs[2]);

        // a shard whose run did not finish
        (m3 with { Complete = false, CaseIds = [] }).Write(dirs[2]);
        Assert.That(Refused(dirs).Message, Does.Contain(dirs[2]).And.Contain("has not finished").And.Contain("--shard 3/3"));
        m3.Write(dirs[2]);

        // a folder that is no validate output
        Assert.That(Refused(dirs[0], fx.Folder).Message, Does.Contain(fx.Folder).And.Contain(ShardMarker.FileName));

        Assert.DoesNotThrow(() => ValidationMerge.Merge(dirs, Out()), "the restored shards merge");
    }

    [Test]
    public void ResumedShard_RedoesTheCaseAKilledRunLeftHalfWritten_AndReusesTheRest()
    {
        var (fx, perturbations) = SevenCases();
        using var _ = fx;
        var manifest = ValidationManifestReader.Open(fx.Manifest);
        string dir = Path.Combine(fx.Folder, "shard-1");
        var first = new PerturbedTruthTool("imageguide", perturbations);
        var marker = new ValidationRunner(Options(dir, first)).RunShard(manifest, new ValidationShard(1, 2));
        Assert.That(first.Calls, Is.EqualTo(marker.CaseIds.Count));
        Assert.That(marker.CaseIds, Has.Count.GreaterThanOrEqualTo(2), "the test needs two cases in the shard");

        // what a node killed mid-run leaves: the marker not complete, one case file cut short (a copy, not an atomic
        // write), and the temporary of an atomic write that never got renamed
        string cut = Path.Combine(dir, "cases", marker.CaseIds[0] + ".imageguide.json");
        var whole = File.ReadAllText(cut);
        File.WriteAllText(cut, whole[..(whole.Length / 2)]);
        string tmp = Path.Combine(dir, "cases", "." + marker.CaseIds[1] + ".imageguide.json." + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllText(tmp, whole[..10]);
        File.Delete(Path.Combine(dir, "cases", marker.CaseIds[1] + ".imageguide.json"));
        (marker with { Complete = false, CaseIds = [] }).Write(dir);
        Assert.That(Assert.Throws<ValidationException>(() => ValidationMerge.Load([dir]))!.Message, Does.Contain("has not finished"));

        var resumed = new PerturbedTruthTool("imageguide", perturbations);
        var again = new ValidationRunner(Options(dir, resumed)).RunShard(manifest, new ValidationShard(1, 2));
        Assert.That(resumed.Calls, Is.EqualTo(2), "the half-written case and the one whose write never completed are redone, the others reused");
        Assert.That(again.Complete);
        Assert.That(again.CaseIds, Is.EqualTo(marker.CaseIds));
        Assert.That(CaseResult.TryRead(cut), Is.Not.Null);
        Assert.That(File.Exists(tmp), Is.False, "the leftover temporary is cleared by the rewrite");
    }

    [Test]
    public void GrownManifest_ResumesInTheSameShardFolders_ComputingOnlyTheAddedCases()
    {
        var (fx, perturbations) = SevenCases();
        using var _ = fx;
        RunShards(fx, perturbations, 2);
        // three cases appended to the manifest
        var cases = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            perturbations[$"c{i}"] = RigidTransform.FromTranslation(new Vec3(0.3 * i, 0, 0));
            cases.Add(ValidationFixture.Case(i % 2 == 0 ? ValidationFixture.LandmarkCase : ValidationFixture.TransformCase, $"c{i}", i % 3 == 0 ? "CT-MR" : "CBCT-MR"));
        }
        fx.WriteManifest([.. cases]);
        var manifest = ValidationManifestReader.Open(fx.Manifest);
        int calls = 0;
        var dirs = new string[2];
        for (int k = 1; k <= 2; k++)
        {
            dirs[k - 1] = Path.Combine(fx.Folder, $"shard-{k}");
            var tool = new PerturbedTruthTool("imageguide", perturbations);
            var marker = new ValidationRunner(Options(dirs[k - 1], tool)).RunShard(manifest, new ValidationShard(k, 2));
            calls += tool.Calls;
            Assert.That(marker.CaseIds, Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"c{i}").Where(id => ValidationShard.Of(id, 2) == k)));
        }
        Assert.That(calls, Is.EqualTo(3), "only the three added cases are registered; the seven keep their shard and their results");
        Assert.That(ValidationMerge.Load(dirs).Results.Select(r => r.CaseId), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"c{i}")));
    }

    [Test]
    public void ShardFolder_RefusesAnotherShard()
    {
        var (fx, perturbations) = SevenCases();
        using var _ = fx;
        var manifest = ValidationManifestReader.Open(fx.Manifest);
        string dir = Path.Combine(fx.Folder, "shard");
        new ValidationRunner(Options(dir, new PerturbedTruthTool("imageguide", perturbations))).RunShard(manifest, new ValidationShard(1, 2));
        var e = Assert.Throws<ValidationException>(() =>
            new ValidationRunner(Options(dir, new PerturbedTruthTool("imageguide", perturbations))).RunShard(manifest, new ValidationShard(2, 2)));
        Assert.That(e!.Message, Does.Contain("shard 1/2").And.Contain("not shard 2/2"));
        Assert.Throws<ValidationException>(() => new ValidationRunner(Options(dir, new PerturbedTruthTool("imageguide", perturbations))).Run(manifest));
    }
}
