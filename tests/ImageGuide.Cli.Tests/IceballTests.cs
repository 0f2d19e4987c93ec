using System.Text.Json;
using ImageGuide.IO;

namespace ImageGuide.Cli.Tests;

public class IceballTests
{
    private string _case = "";
    private string _out = "";

    [OneTimeSetUp]
    public void MakePhantom()
    {
        _case = Path.Combine(Path.GetTempPath(), "imageguide-cli-ice-" + Guid.NewGuid().ToString("N"));
        var r = CliProcess.Run("phantom", "--out", _case, "--seed", "6");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
    }

    [SetUp]
    public void NewOut() => _out = Path.Combine(Path.GetTempPath(), "imageguide-cli-ice-out-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOut() { if (Directory.Exists(_out)) Directory.Delete(_out, true); }

    [OneTimeTearDown]
    public void Delete() { if (Directory.Exists(_case)) Directory.Delete(_case, true); }

    private string Intra(string name) => Path.Combine(_case, "intraop", name);

    [Test]
    public void Iceball_WritesMaskReportDicomAndPictures_MatchingThePhantomTruth()
    {
        var r = CliProcess.Run("iceball", "--ct", Intra("intraop"), "--pre", Intra("prefreeze"), "--labels", Intra("labels.nii.gz"),
            "--label-table", Path.Combine(_case, "labels.json"), "--out", _out, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        foreach (var key in new[] { "volumeMl", "diametersMm", "lethalCoverage", "minMarginMm", "criticalDistancesMm", "probes" })
            Assert.That(root.TryGetProperty(key, out _), key);
        var d = root.GetProperty("diametersMm").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.That(d, Has.Length.EqualTo(3));
        Assert.That(d[0], Is.GreaterThanOrEqualTo(d[1]));
        Assert.That(d[1], Is.GreaterThanOrEqualTo(d[2]));
        Assert.That(root.GetProperty("criticalDistancesMm").TryGetProperty("cord", out _));
        Assert.That(File.ReadAllText(Path.Combine(_out, "report.json")), Is.EqualTo(r.Stdout.TrimEnd('\n', '\r')));

        // the mask against the phantom's true ice ball, read back independently of the run
        var mask = VolumeReader.Read<byte>(Path.Combine(_out, "iceball.nii.gz"));
        var truth = VolumeReader.Read<byte>(Intra("iceball.nii.gz"));
        long both = 0, a = 0, b = 0;
        for (long n = 0; n < mask.Data.LongLength; n++)
        {
            if (mask.Data[n] != 0) a++;
            if (truth.Data[n] != 0) b++;
            if (mask.Data[n] != 0 && truth.Data[n] != 0) both++;
        }
        Assert.That(2.0 * both / (a + b), Is.GreaterThanOrEqualTo(0.92), "Dice with the true ice ball");
        Assert.That(root.GetProperty("volumeMl").GetDouble(), Is.EqualTo(a * 2 * 2 * 2.5 / 1000).Within(1e-3), "volume = voxels × voxel volume");

        // probe tips against the phantom's probes.json
        using var probes = JsonDocument.Parse(File.ReadAllText(Intra("probes.json")));
        var tips = probes.RootElement.GetProperty("probes").EnumerateArray().Select(p => p.GetProperty("tip").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
        var found = root.GetProperty("probes").EnumerateArray().Select(p => p.GetProperty("tip").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
        Assert.That(found, Has.Count.EqualTo(tips.Count));
        foreach (var t in tips)
            Assert.That(found.Min(f => Math.Sqrt(Enumerable.Range(0, 3).Sum(i => (f[i] - t[i]) * (f[i] - t[i])))), Is.LessThan(2.0));

        Assert.That(Directory.GetFiles(Path.Combine(_out, "iceball-dicom")), Has.Length.EqualTo(mask.Geometry.Nz));
        // the DICOM SEG holds the same ice ball (segment 1) for PACS, Slicer and navigation systems
        var (seg, _) = ImageGuide.Model.DicomSegmentation.Read(Path.Combine(_out, "iceball.seg.dcm"));
        Assert.That(seg.Table.Labels.Select(l => l.Name), Is.EqualTo(new[] { "Ice ball (0 °C edge)", "Lethal zone" }));
        long segIce = 0, maskIce = 0;
        var onMask = ImageGuide.Imaging.Resampler.Resample(seg.Volume, mask.Geometry, ImageGuide.Imaging.RigidTransform.Identity, ImageGuide.Imaging.InterpolationMode.Nearest, (byte)0);
        for (long n = 0; n < mask.Data.LongLength; n++) { if (onMask.Data[n] != 0) segIce++; if (mask.Data[n] != 0) maskIce++; }
        Assert.That(segIce, Is.EqualTo(maskIce), "the SEG's labelled voxels are the ice ball's (the lethal zone lies inside it)");
        var pngs = Directory.GetFiles(Path.Combine(_out, "snapshots"), "*.png");
        Assert.That(pngs, Has.Length.EqualTo(3));
        foreach (var png in pngs) Assert.That(File.ReadAllBytes(png)[1..4], Is.EqualTo("PNG"u8.ToArray()), png);
    }

    [Test]
    public void Iceball_LabelsTransformThatMissesTheCt_SaysSo_AndExits4()
    {
        // the labels moved 2 m away: nothing of them lies in the CT, so no safety distance exists — never silent
        string far = Path.Combine(_case, "far.tfm");
        if (!File.Exists(far)) TransformIO.Write(new ImageGuide.Imaging.RigidTransform(ImageGuide.Imaging.Versor.Identity, new ImageGuide.Imaging.Vec3(2000, 0, 0), ImageGuide.Imaging.Vec3.Zero), far);
        var r = CliProcess.Run("iceball", "--ct", Intra("intraop"), "--pre", Intra("prefreeze"), "--labels", Intra("labels.nii.gz"),
            "--label-table", Path.Combine(_case, "labels.json"), "--labels-transform", far, "--out", _out, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(4), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("the labels could not be measured"));
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.That(doc.RootElement.GetProperty("missingFromCt").GetString(), Is.EqualTo("labels"));
        Assert.That(doc.RootElement.GetProperty("lethalCoverage").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(doc.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), Has.Some.Contain("The labels miss the intra-operative CT"));
        Assert.That(File.Exists(Path.Combine(_out, "report.json")), "the outputs are still written");
    }

    [Test]
    public void Iceball_RefusesAnOutputFolderThatIsAnInput()
    {
        var before = Directory.GetFiles(Path.Combine(_case, "intraop"), "*", SearchOption.AllDirectories).Length;
        var r = CliProcess.Run("iceball", "--ct", Intra("intraop"), "--out", Intra("intraop"));
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("input"));
        Assert.That(Directory.GetFiles(Path.Combine(_case, "intraop"), "*", SearchOption.AllDirectories), Has.Length.EqualTo(before));
    }

    [Test]
    public void Iceball_WithoutProbesInTheImage_IsBadInput()
    {
        var r = CliProcess.Run("iceball", "--ct", Path.Combine(_case, "ct", "dicom"), "--out", _out);
        Assert.That(r.ExitCode, Is.EqualTo(3), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("--probes"));
    }
}
