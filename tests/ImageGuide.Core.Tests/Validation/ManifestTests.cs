using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

public class ManifestTests
{
    private static string Error(ValidationFixture fx, string json)
    {
        File.WriteAllText(fx.Manifest, json);
        return Assert.Throws<ValidationException>(() => ValidationManifestReader.Read(fx.Manifest))!.Message;
    }

    /// <summary>Every byte of a valid manifest overwritten with hostile values: each mutant reads or is refused with a ValidationException.</summary>
    [Test]
    public void MutatedManifests_ReadOrAreRefusedTyped()
    {
        using var fx = new ValidationFixture();
        string text = "{ \"version\": 1, \"trePoints\": 20, \"cases\": [ " + ValidationFixture.Case(ValidationFixture.LandmarkCase, "a", "CT-MR")[..^1]
            + ", \"perVertebra\": { \"anchor\": \"L5\" } }, { \"id\": \"p\", \"phantom\": { \"seed\": 3, \"fixed\": \"Cbct\", \"moving\": \"MrT1\" } } ] }";
        Assert.That(ValidationManifestReader.Parse(text, fx.Folder).Cases, Has.Count.EqualTo(2), "the unmutated manifest reads");
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        int read = 0, refused = 0;
        foreach (byte hostile in new byte[] { 0x00, (byte)'"', (byte)'{', (byte)'9', 0xFF })
            for (int n = 0; n < bytes.Length; n++)
            {
                var mutant = (byte[])bytes.Clone();
                mutant[n] = hostile;
                string json = System.Text.Encoding.UTF8.GetString(mutant);
                try { ValidationManifestReader.Parse(json, fx.Folder); read++; }
                catch (ValidationException) { refused++; }
            }
        TestContext.Out.WriteLine($"{read} mutants read, {refused} refused");
        Assert.That(refused, Is.GreaterThan(0));
        Assert.That(read, Is.GreaterThan(0), "some mutants stay valid (an id or a seed changed)");
    }

    [Test]
    public void ValidManifest_ResolvesPathsAgainstItsFolder_AndKeepsTags()
    {
        using var fx = new ValidationFixture();
        var m = fx.WriteManifest(ValidationFixture.Case(ValidationFixture.LandmarkCase, "a", "CT-MR"),
            """{ "id": "b", "phantom": { "seed": 3, "fixed": "cbct", "moving": "MrT1" } }""");
        Assert.That(m.TrePointCount, Is.EqualTo(200));
        var a = (FileCaseImages)m.Cases[0].Images;
        Assert.That(a.Fixed, Is.EqualTo(Path.Combine(fx.Folder, "fixed.mha")));
        Assert.That(((LandmarkReference)m.Cases[0].Reference).MovingLandmarks, Is.EqualTo(Path.Combine(fx.Folder, "moving.csv")));
        Assert.That((m.Cases[0].Pair, m.Cases[0].Site), Is.EqualTo(("CT-MR", "test")));
        var b = (PhantomCaseImages)m.Cases[1].Images;
        Assert.That((b.FixedFrame, b.Options.Seed, b.FixedFieldOfViewMask), Is.EqualTo(("Cbct", 3UL, true)));
        Assert.That((m.Cases[1].Preset, m.Cases[1].Pair, m.Cases[1].Index), Is.EqualTo(("auto", "CBCT-MR", 1)), "no preset given: auto");
    }

    [Test]
    public void MissingFile_NamesTheCaseAndTheField()
    {
        using var fx = new ValidationFixture();
        string msg = Error(fx, """{ "cases": [ { "id": "ok", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm" }, { "id": "case-7", "fixed": "fixed.mha", "moving": "nowhere.mha", "groundTruthTransform": "truth.tfm" } ] }""");
        Assert.That(msg, Does.Contain("case 'case-7' (index 1)").And.Contain("'moving'").And.Contain("nowhere.mha"));
    }

    [TestCase("""{ "cases": [ { "fixed": "fixed.mha" } ] }""", "case 0", "'id' is missing")]
    [TestCase("""{ "cases": [ { "id": "x", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransfrom": "truth.tfm" } ] }""", "case 'x' (index 0)", "unknown field 'groundTruthTransfrom'")]
    [TestCase("""{ "cases": [ { "id": "x", "fixed": "fixed.mha", "moving": "moving.mha" } ] }""", "case 'x' (index 0)", "no reference for TRE")]
    [TestCase("""{ "cases": [ { "id": "x", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "fixedLandmarks": "fixed.csv", "movingLandmarks": "moving.csv" } ] }""", "case 'x' (index 0)", "not both")]
    [TestCase("""{ "cases": [ { "id": "x", "fixed": "fixed.mha", "moving": "moving.mha", "fixedLandmarks": "fixed.csv" } ] }""", "case 'x' (index 0)", "'movingLandmarks' is missing")]
    [TestCase("""{ "cases": [ { "id": "x", "fixed": 3, "moving": "moving.mha", "groundTruthTransform": "truth.tfm" } ] }""", "case 'x' (index 0)", "'fixed' must be a non-empty string")]
    [TestCase("""{ "cases": [ { "id": "x", "fixed": "fixed.mha", "moving": "moving.mha", "groundTruthTransform": "truth.tfm", "preset": "fastest" } ] }""", "case 'x' (index 0)", "'preset' 'fastest'")]
    [TestCase("""{ "cases": [ { "id": "x", "phantom": { "seed": 1, "fixed": "PET", "moving": "MrT1" } } ] }""", "case 'x' (index 0), 'phantom'", "'fixed' 'PET' is not a phantom frame")]
    [TestCase("""{ "cases": [ { "id": "x", "phantom": { "fixed": "Cbct", "moving": "MrT1" } } ] }""", "case 'x' (index 0), 'phantom'", "'seed' is missing")]
    [TestCase("""{ "cases": [ { "id": "x", "phantom": { "seed": 1, "fixed": "Cbct", "moving": "MrT1" }, "fixed": "fixed.mha" } ] }""", "case 'x' (index 0)", "'fixed' cannot be combined with 'phantom'")]
    [TestCase("""{ "cases": [ { "id": "x", "phantom": { "seed": 1, "fixed": "Cbct", "moving": "MrT1" }, "tags": { "pair": "CBCT-MR", "organ": "spine" } } ] }""", "case 'x' (index 0), 'tags'", "unknown field 'organ'")]
    [TestCase("""{ "cases": [ { "id": "x", "phantom": { "seed": 1, "fixed": "Cbct", "moving": "MrT1" } }, { "id": "X", "phantom": { "seed": 2, "fixed": "Cbct", "moving": "MrT1" } } ] }""", "case 'X' (index 1)", "repeats")]
    [TestCase("""{ "cases": [ { "id": "../evil", "phantom": { "seed": 1, "fixed": "Cbct", "moving": "MrT1" } } ] }""", "case 0", "'id' '../evil'")]
    [TestCase("""{ "cases": [] }""", "manifest.json", "'cases' is empty")]
    [TestCase("""{ "version": 2, "cases": [] }""", "manifest.json", "'version' must be 1")]
    [TestCase("""{ "cases": [ { "id": "x", """, "manifest.json", "not valid JSON")]
    public void MalformedManifest_NamesCaseAndField(string json, string where, string what)
    {
        using var fx = new ValidationFixture();
        string msg = Error(fx, json);
        Assert.That(msg, Does.Contain(where).And.Contain(what));
    }

    [Test]
    public void MissingManifest_SaysSo()
    {
        var e = Assert.Throws<ValidationException>(() => ValidationManifestReader.Read("/nonexistent/manifest.json"));
        Assert.That(e!.Message, Does.Contain("does not exist"));
    }

    [Test]
    public void BundledValidationSet_Reads_WithBothModalityPairs()
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "..", "testdata", "validation.json");
        var m = ValidationManifestReader.Read(path);
        Assert.That(m.Cases.Select(c => c.Pair).Distinct().Order(), Is.EqualTo(new[] { "CBCT-MR", "CT-MR" }));
        Assert.That(m.Cases.Select(c => ((PhantomCaseImages)c.Images).Options.Seed).Distinct().Count(), Is.GreaterThanOrEqualTo(3));
    }
}
