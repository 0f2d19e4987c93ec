using System.Text.Json;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Cli.Tests;

/// <summary>
/// <c>register</c>'s preset choice (auto by default), start and quality verdict: in --json, in the transform file
/// (.json member, .tfm sidecar), and as exit code 4 when the verdict is failed.
/// </summary>
public class RegisterVerdictTests
{
    private static readonly string[] SignalNames =
    [
        "mutualInformation", "nullMutualInformationMean", "nullMutualInformationStd", "nullZScore", "peakContrast", "runnerUpDistanceMm",
        "runnerUpMetricGap", "inverseConsistencyMm", "overlapFraction", "startAtSearchBoundary", "iterationLimitReached",
    ];

    private string _case = "";
    private string _ctMha = "";
    private string _noiseMha = "";

    [OneTimeSetUp]
    public void MakePhantomAndNoise()
    {
        _case = Path.Combine(Path.GetTempPath(), "imageguide-cli-verdict-" + Guid.NewGuid().ToString("N"));
        var r = CliProcess.Run("phantom", "--out", _case, "--seed", "1", "--size", "small");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        // the CT as a volume file, and pure noise on the same grid: nothing in common, full overlap
        var ct = VolumeReader.Read(Path.Combine(_case, "ct", "dicom")).Volume;
        _ctMha = Path.Combine(_case, "ct.mha");
        VolumeIO.Write(ct, _ctMha);
        var random = new Random(7);
        var noise = new Volume<float>(ct.Geometry);
        for (int i = 0; i < noise.Data.Length; i++) noise.Data[i] = (float)(1000 * random.NextDouble());
        _noiseMha = Path.Combine(_case, "noise.mha");
        VolumeIO.Write(noise, _noiseMha);
    }

    [OneTimeTearDown]
    public void Delete() { if (Directory.Exists(_case)) Directory.Delete(_case, true); }

    private static void AssertVerdictShape(JsonElement verdict, string status)
    {
        Assert.That(verdict.GetProperty("status").GetString(), Is.EqualTo(status), verdict.ToString());
        var reasons = verdict.GetProperty("reasons");
        Assert.That(reasons.ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(reasons.GetArrayLength() == 0, Is.EqualTo(status == "good"), "reasons exactly when not good");
        var signals = verdict.GetProperty("signals");
        Assert.That(signals.EnumerateObject().Select(p => p.Name), Is.EqualTo(SignalNames));
        foreach (var p in signals.EnumerateObject())
            Assert.That(p.Value.ValueKind, Is.AnyOf(JsonValueKind.Number, JsonValueKind.Null, JsonValueKind.True, JsonValueKind.False), p.Name);
    }

    [Test]
    public void Register_RealPairFromTwoFrames_Auto_GlobalSearchAndAGoodVerdict()
    {
        // one head in two patient positions, two Frames of Reference: auto must not trust patient coordinates
        string root = TestPaths.RequireShared("mr-decubitus-4-positions/In");
        string tfm = Path.Combine(_case, "hfs-hfp.tfm");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(root, "HFS"), "--moving", Path.Combine(root, "HFP"), "--out", tfm, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var json = doc.RootElement;
        var preset = json.GetProperty("preset");
        Assert.That((preset.GetProperty("name").GetString(), preset.GetProperty("auto").GetBoolean()), Is.EqualTo(("ct-mr", true)));
        Assert.That(preset.GetProperty("reason").GetString(), Does.Contain("MR"));
        Assert.That(json.GetProperty("initializer").GetProperty("kind").GetString(), Is.EqualTo("global-search"));
        Assert.That(json.GetProperty("initializer").GetProperty("reason").GetString(), Does.Contain("Frames of Reference differ"));
        AssertVerdictShape(json.GetProperty("verdict"), "good");
        Assert.That(r.Stderr, Does.Not.Contain("warning: registration doubtful").And.Not.Contain("quality check"));
        using var sidecar = JsonDocument.Parse(File.ReadAllText(tfm + ".verdict.json"));
        Assert.That(sidecar.RootElement.GetProperty("status").GetString(), Is.EqualTo("good"));
        Assert.That(sidecar.RootElement.GetProperty("transform").GetString(), Is.EqualTo("hfs-hfp.tfm"));
    }

    [Test]
    public void Register_FramesRelatedByADicomReg_StartFromIt_GivenOrFoundInTheFolder()
    {
        // a first registration writes a REG relating HFS's and HFP's frames; a second one given that REG (or finding it
        // in the moving folder) starts from it instead of a global search and lands on the same transform
        string root = TestPaths.RequireShared("mr-decubitus-4-positions/In");
        string dir = Path.Combine(_case, "reg-start");
        Directory.CreateDirectory(dir);
        string reg = Path.Combine(dir, "hfs-hfp.dcm");
        var first = CliProcess.Run("register", "--fixed", Path.Combine(root, "HFS"), "--moving", Path.Combine(root, "HFP"), "--out", Path.Combine(dir, "first.json"), "--reg-out", reg, "--json");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Stderr);

        var given = CliProcess.Run("register", "--fixed", Path.Combine(root, "HFS"), "--moving", Path.Combine(root, "HFP"), "--out", Path.Combine(dir, "given.json"), "--frame-relation", reg, "--json");
        Assert.That(given.ExitCode, Is.EqualTo(0), given.Stderr);
        // the moving series copied with the REG beside it: found without the option
        string moving = Path.Combine(dir, "HFP");
        foreach (string f in Directory.GetFiles(Path.Combine(root, "HFP"), "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(moving, Path.GetRelativePath(Path.Combine(root, "HFP"), f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        File.Copy(reg, Path.Combine(moving, "reg.dcm"));
        var found = CliProcess.Run("register", "--fixed", Path.Combine(root, "HFS"), "--moving", moving, "--out", Path.Combine(dir, "found.json"), "--json");
        Assert.That(found.ExitCode, Is.EqualTo(0), found.Stderr);
        Assert.That(found.Stderr, Does.Contain("a spatial registration relating the two frames"));

        using var a = JsonDocument.Parse(first.Stdout);
        foreach (var run in new[] { given, found })
        {
            using var b = JsonDocument.Parse(run.Stdout);
            var init = b.RootElement.GetProperty("initializer");
            Assert.That(init.GetProperty("kind").GetString(), Is.EqualTo("frame-relation"), run.Stdout);
            Assert.That(init.GetProperty("reason").GetString(), Does.Contain("DICOM spatial registration"));
            AssertVerdictShape(b.RootElement.GetProperty("verdict"), "good");
            // the same transform as the first run (which the REG records), to well under a voxel at points 80 mm out
            var ta = Matrix(a.RootElement);
            var tb = Matrix(b.RootElement);
            foreach (var p in new[] { new Vec3(80, 0, 0), new Vec3(0, 80, 0), new Vec3(0, 0, 80), new Vec3(-60, -60, -60) })
                Assert.That((ta.TransformPoint(p) - tb.TransformPoint(p)).Length, Is.LessThan(0.3), $"at {p}");
        }

        // a REG that relates other frames is refused, saying so
        var wrong = CliProcess.Run("register", "--fixed", Path.Combine(root, "HFS"), "--moving", Path.Combine(root, "HFDL"), "--out", Path.Combine(dir, "wrong.json"), "--frame-relation", reg);
        Assert.That(wrong.ExitCode, Is.EqualTo(2), wrong.Stderr);
        Assert.That(wrong.Stderr, Does.Contain("does not relate the fixed frame"));
    }

    private static RigidTransform Matrix(JsonElement json)
    {
        var rows = json.GetProperty("matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var m = new double[4, 4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) m[i, j] = rows[i][j];
        return RigidTransform.FromMatrix4x4(m, null, 1e-6);
    }

    [Test]
    public void Register_Phantom_StartPatient_IsGood_AndAutoIsNeverSilentlyWrong()
    {
        // --start patient: the phantom's acquisitions share one patient frame by construction
        string tfm = Path.Combine(_case, "ct-mr-patient.tfm");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(_case, "ct", "dicom"), "--moving", Path.Combine(_case, "mr", "t1"), "--out", tfm, "--start", "patient", "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using (var doc = JsonDocument.Parse(r.Stdout))
        {
            Assert.That(doc.RootElement.GetProperty("initializer").GetProperty("kind").GetString(), Is.EqualTo("patient-coordinates"));
            AssertVerdictShape(doc.RootElement.GetProperty("verdict"), "good");
        }
        var truth = TransformIO.Read(Path.Combine(_case, "transforms", "ct-to-mr.tfm"));
        var ct = VolumeReader.Read(Path.Combine(_case, "ct", "dicom")).Volume;
        var points = new List<Vec3>();
        for (int k = 2; k < ct.Geometry.Nz; k += 6)
            for (int j = 2; j < ct.Geometry.Ny; j += 6)
                for (int i = 2; i < ct.Geometry.Nx; i += 6)
                    if (ct[i, j, k] > -300) points.Add(ct.Geometry.IndexToPhysical(i, j, k));
        double Error(RigidTransform t) => points.Max(p => (t.TransformPoint(p) - truth.TransformPoint(p)).Length);
        Assert.That(Error(TransformIO.Read(tfm)), Is.LessThan(2), "patient start on the phantom");

        // auto: the global search on this repetitive, nearly symmetric phantom may pick another level — if it does,
        // the verdict must say so (never good while wrong)
        string auto = Path.Combine(_case, "ct-mr-auto.tfm");
        var a = CliProcess.Run("register", "--fixed", Path.Combine(_case, "ct", "dicom"), "--moving", Path.Combine(_case, "mr", "t1"), "--out", auto, "--json");
        using var autoDoc = JsonDocument.Parse(a.Stdout);
        string status = autoDoc.RootElement.GetProperty("verdict").GetProperty("status").GetString()!;
        double error = Error(TransformIO.Read(auto));
        TestContext.Out.WriteLine($"auto on the phantom: {status}, max error {error:0.00} mm");
        Assert.That(autoDoc.RootElement.GetProperty("initializer").GetProperty("kind").GetString(), Is.EqualTo("global-search"));
        if (error >= 2) Assert.That(status, Is.Not.EqualTo("good"), $"{error:0.0} mm off must not be called good");
        Assert.That(a.ExitCode, Is.EqualTo(status == "failed" ? 4 : 0), a.Stderr);
    }

    [Test]
    public void Register_SameFrameMrPair_AutoStartsFromPatientCoordinates()
    {
        // T1 and T2 come from one MR session: one Frame of Reference, so auto starts from patient coordinates
        string tfm = Path.Combine(_case, "t2-t1.tfm");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(_case, "mr", "t2"), "--moving", Path.Combine(_case, "mr", "t1"), "--out", tfm, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("preset").GetProperty("auto").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("initializer").GetProperty("kind").GetString(), Is.EqualTo("patient-coordinates"));
        AssertVerdictShape(root.GetProperty("verdict"), "good");
        using var sidecar = JsonDocument.Parse(File.ReadAllText(tfm + ".verdict.json"));
        AssertVerdictShape(sidecar.RootElement, "good");
        Assert.That(File.ReadAllText(tfm), Does.Contain("VersorRigid3DTransform_double_3_3"));

        // without --json the stderr line names the preset and the verdict
        var plain = CliProcess.Run("register", "--fixed", Path.Combine(_case, "mr", "t2"), "--moving", Path.Combine(_case, "mr", "t1"),
            "--out", Path.Combine(_case, "t2-t1-plain.tfm"), "--preset", "fast");
        Assert.That(plain.ExitCode, Is.EqualTo(0), plain.Stderr);
        Assert.That(plain.Stdout, Is.Empty);
        Assert.That(plain.Stderr, Does.Contain("preset fast").And.Contain("verdict good"));
    }

    [Test]
    public void Register_ExplicitPreset_IsReportedAsGiven_AndAJsonTransformCarriesTheVerdict()
    {
        string json = Path.Combine(_case, "t2-t1.json");
        var r = CliProcess.Run("register", "--fixed", Path.Combine(_case, "mr", "t2"), "--moving", Path.Combine(_case, "mr", "t1"),
            "--preset", "fast", "--out", json, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var preset = doc.RootElement.GetProperty("preset");
        Assert.That((preset.GetProperty("name").GetString(), preset.GetProperty("auto").GetBoolean(), preset.GetProperty("reason").GetString()),
            Is.EqualTo(("fast", false, "given on the command line")));
        Assert.That(doc.RootElement.GetProperty("initializer").GetProperty("kind").GetString(), Is.EqualTo("moments"));
        using var file = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(file.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("good"));
        Assert.That(File.Exists(json + ".verdict.json"), Is.False, "the .json form carries its verdict itself");
        // still a transform file for every reader
        var back = TransformIO.Read(json);
        var printed = doc.RootElement.GetProperty("translation").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.That(new[] { back.Translation.X, back.Translation.Y, back.Translation.Z }, Is.EqualTo(printed).Within(1e-9));
    }

    [Test]
    public void Register_AgainstNoise_FailsTheQualityCheck_WithExitCode4_AndMarksTheOutputs()
    {
        string tfm = Path.Combine(_case, "noise.tfm");
        var r = CliProcess.Run("register", "--fixed", _ctMha, "--moving", _noiseMha, "--out", tfm);
        Assert.That(r.ExitCode, Is.EqualTo(4), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("error: registration did not pass its quality check: "));
        Assert.That(File.Exists(tfm), "the transform is still written");
        using var sidecar = JsonDocument.Parse(File.ReadAllText(tfm + ".verdict.json"));
        AssertVerdictShape(sidecar.RootElement, "failed");

        string json = Path.Combine(_case, "noise.json");
        var j = CliProcess.Run("register", "--fixed", _ctMha, "--moving", _noiseMha, "--preset", "fast", "--out", json, "--json");
        Assert.That(j.ExitCode, Is.EqualTo(4), j.Stderr);
        Assert.That(j.Stderr, Does.Contain("quality check"));
        using var printed = JsonDocument.Parse(j.Stdout);
        AssertVerdictShape(printed.RootElement.GetProperty("verdict"), "failed");
        using var file = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(file.RootElement.GetProperty("verdict").GetString(), Is.EqualTo("failed"));
        Assert.That(file.RootElement.GetProperty("verdictReasons").GetArrayLength(), Is.GreaterThan(0));
        Assert.DoesNotThrow(() => TransformIO.Read(json));
    }

    [Test]
    public void Register_UnknownPreset_NamesAutoFirst()
    {
        var r = CliProcess.Run("register", "--fixed", _ctMha, "--moving", _noiseMha, "--preset", "sideways", "--out", Path.Combine(_case, "x.tfm"));
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("use auto, cbct-mr, ct-mr, ct-cbct, fast or a preset JSON file"));
        var help = CliProcess.Run("register", "--help");
        Assert.That(help.Stdout, Does.Contain("Settings preset: auto, cbct-mr"));
    }
}
