using System.Text.Json;
using ImageGuide.Dicom;
using ImageGuide.Imaging;
using ImageGuide.IO;

namespace ImageGuide.Cli.Tests;

/// <summary><c>register --reg-out</c> (DICOM REG) and <c>--resampled DIR/</c> (DICOM series), and refusing to overwrite inputs.</summary>
public class RegisterOutputTests
{
    private string _case = "";

    [OneTimeSetUp]
    public void MakePhantom()
    {
        _case = Path.Combine(Path.GetTempPath(), "imageguide-cli-reg-" + Guid.NewGuid().ToString("N"));
        var r = CliProcess.Run("phantom", "--out", _case, "--seed", "2");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
    }

    [OneTimeTearDown]
    public void Delete() { if (Directory.Exists(_case)) Directory.Delete(_case, true); }

    [Test]
    public void Register_WritesARegObject_AndAResampledDicomSeriesInTheFixedFrame()
    {
        string ctDir = Path.Combine(_case, "ct", "dicom"), mrDir = Path.Combine(_case, "mr", "t1");
        string reg = Path.Combine(_case, "out", "reg.dcm"), resampled = Path.Combine(_case, "out", "mr-on-ct") + "/";
        var r = CliProcess.Run("register", "--fixed", ctDir, "--moving", mrDir, "--preset", "fast",
            "--out", Path.Combine(_case, "out.tfm"), "--reg-out", reg, "--resampled", resampled, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var m = doc.RootElement.GetProperty("matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

        var ct = VolumeReader.Read(ctDir);
        var mr = VolumeReader.Read(mrDir);
        string ctFor = ct.Volume.Metadata.FrameOfReferenceUid!, mrFor = mr.Volume.Metadata.FrameOfReferenceUid!;
        Assert.That(ctFor, Is.Not.EqualTo(mrFor));

        var ds = DicomFile.Read(reg).Dataset;
        Assert.That(ds.GetString(DicomTags.SopClassUid), Is.EqualTo("1.2.840.10008.5.1.4.1.1.66.1"));
        Assert.That(ds.GetString(DicomTags.FrameOfReferenceUid), Is.EqualTo(ctFor));
        Assert.That(ds.TryGetSequence(new DicomTag(0x0070, 0x0308), out var items), Is.True);
        var moving = items!.Single(i => i.GetString(DicomTags.FrameOfReferenceUid) == mrFor);
        Assert.That(moving.TryGetSequence(new DicomTag(0x0070, 0x0309), out var mreg), Is.True);
        Assert.That(mreg![0].TryGetSequence(new DicomTag(0x0070, 0x030A), out var mseq), Is.True);
        Assert.That(mseq![0].TryGetDoubles(new DicomTag(0x3006, 0x00C6), out var regMatrix), Is.True);
        // REG maps MR → CT; the printed matrix maps CT → MR: their product is the identity
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += regMatrix![4 * i + k] * m[k][j];
                Assert.That(sum, Is.EqualTo(i == j ? 1 : 0).Within(1e-6), $"({i},{j})");
            }
        // the REG says which preset made it and what the quality check found
        string status = doc.RootElement.GetProperty("verdict").GetProperty("status").GetString()!;
        Assert.That(ds.GetString(new DicomTag(0x0070, 0x0081)), Does.StartWith("ImageGuide fast, verdict " + status + ", -MI "));
        // the series are referenced
        Assert.That(ds.TryGetSequence(new DicomTag(0x0008, 0x1115), out _) || ds.TryGetSequence(new DicomTag(0x0008, 0x1200), out _), Is.True);

        var back = VolumeReader.Read(resampled);
        Assert.That(back.Volume.Geometry.ApproximatelyEquals(ct.Volume.Geometry, 1e-3), Is.True);
        Assert.That(back.Volume.Metadata.FrameOfReferenceUid, Is.EqualTo(ctFor), "resampled voxels live in the fixed frame");
        Assert.That(back.Volume.Metadata.Modality, Is.EqualTo("MR"));
    }

    [Test]
    public void Register_RefusesToWriteOverAnInput()
    {
        string ctDir = Path.Combine(_case, "ct", "dicom"), mrDir = Path.Combine(_case, "mr", "t1");
        int before = Directory.GetFiles(mrDir).Length;
        var r = CliProcess.Run("register", "--fixed", ctDir, "--moving", mrDir, "--preset", "fast",
            "--out", Path.Combine(_case, "x.tfm"), "--resampled", mrDir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Stderr);
        Assert.That(r.Stderr, Does.Contain("would overwrite the input"));
        Assert.That(Directory.GetFiles(mrDir), Has.Length.EqualTo(before));
        var noDcm = CliProcess.Run("register", "--fixed", ctDir, "--moving", mrDir, "--out", Path.Combine(_case, "y.tfm"), "--reg-out", Path.Combine(_case, "r.txt"));
        Assert.That(noDcm.ExitCode, Is.EqualTo(2), noDcm.Stderr);
    }
}
