using System.Text;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

/// <summary>
/// The streamed manifest (<see cref="ValidationManifestReader.Open"/>) reads the same cases as the in-memory reader —
/// across the reader's buffer refills, with comments, trailing commas and settings after the array — refuses what the
/// in-memory reader refuses, and notices a manifest changed under a running job.
/// </summary>
public class ManifestStreamTests
{
    private string _dir = "";

    [SetUp]
    public void Create() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void Remove() => Directory.Delete(_dir, true);

    private static string PhantomCase(int i) =>
        $$"""{ "id": "p-{{i}}", "phantom": { "seed": {{i % 7}}, "fixed": "{{(i % 2 == 0 ? "DiagnosticCt" : "Cbct")}}", "moving": "MrT1" }, "tags": { "pair": "X-{{i % 3}}", "site": "s" } }""";

    private string Write(string text)
    {
        string path = Path.Combine(_dir, "m.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void StreamedCases_EqualTheInMemoryReader_AcrossBufferRefills()
    {
        // ≈ 400 kB: the 64 kB read buffer is refilled a few times, splitting cases, strings and numbers at its edge
        var sb = new StringBuilder("{ // comment\n \"version\": 1, \"cases\": [\n");
        for (int i = 0; i < 3000; i++) sb.Append("  ").Append(PhantomCase(i)).Append(i % 500 == 0 ? ", /* note */\n" : ",\n");
        sb.Append("], \"trePoints\": 321, \"seed\": 9 }\n");
        // with a UTF-8 byte order mark, as Windows editors save it
        string path = Path.Combine(_dir, "m.json");
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var inMemory = ValidationManifestReader.Read(path);
        var streamed = ValidationManifestReader.Open(path);
        Assert.That((streamed.CaseCount, streamed.TrePointCount, streamed.Seed), Is.EqualTo((3000, 321, 9)));
        Assert.That(inMemory.TrePointCount, Is.EqualTo(321));
        var cases = streamed.Cases(ValidationShard.All).ToList();
        Assert.That(cases, Is.EqualTo(inMemory.Cases), "every field, the definition text included");
        Assert.That(streamed.Sha256, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))));

        // a shard yields exactly the cases whose id hashes to it, in manifest order
        var shard2 = streamed.Cases(new ValidationShard(2, 3)).ToList();
        Assert.That(shard2, Is.EqualTo(inMemory.Cases.Where(c => ValidationShard.Of(c.Id, 3) == 2).ToList()));
    }

    [Test]
    public void Open_RefusesWhatTheInMemoryReaderRefuses()
    {
        var bad = new Dictionary<string, string>
        {
            ["{ \"cases\": [" + PhantomCase(1) + ", " + PhantomCase(1) + "] }"] = "repeats an earlier case's id",
            ["{ \"cases\": [] }"] = "'cases' is empty",
            ["{ \"version\": 1 }"] = "no 'cases' array",
            ["{ \"cases\": [" + PhantomCase(1) + "], \"extra\": 1 }"] = "unknown field 'extra'",
            ["{ \"version\": 2, \"cases\": [" + PhantomCase(1) + "] }"] = "'version' must be 1",
            ["{ \"cases\": [" + PhantomCase(1)] = "not valid JSON",
            ["[1, 2]"] = "must be a JSON object",
            [""] = "empty or not a regular file",
            ["{ \"cases\": [" + PhantomCase(1) + "] } trailing"] = "not valid JSON",
            ["{ \"cases\": [{ \"id\": \"x\", \"phantom\": { \"seed\": 1, \"fixed\": \"Nope\", \"moving\": \"MrT1\" } }] }"] = "'Nope' is not a phantom frame",
        };
        foreach (var (text, message) in bad)
        {
            string path = Write(text);
            Assert.That(() => ValidationManifestReader.Open(path), Throws.InstanceOf<ValidationException>().With.Message.Contains(message), text);
        }
    }

    [Test]
    public void ChangedManifest_IsNoticedByTheRunReadingIt()
    {
        string path = Write("{ \"cases\": [" + PhantomCase(1) + ", " + PhantomCase(2) + "] }");
        var m = ValidationManifestReader.Open(path);
        File.WriteAllText(path, "{ \"cases\": [" + PhantomCase(1) + ", " + PhantomCase(3) + "] }");
        Assert.That(() => m.Cases(ValidationShard.All).ToList(), Throws.InstanceOf<ValidationException>().With.Message.Contains("changed"));
    }
}
