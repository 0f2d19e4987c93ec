using System.Diagnostics;
using ImageGuide.Dicom.Series;
using ImageGuide.Dicom.Writing;
using ImageGuide.IO;

namespace ImageGuide.Tests.Conformance;

/// <summary>
/// Every kind of object ImageGuide writes — CT and MR image series, the label series, the Spatial Registration object —
/// passes dicom3tools' <c>dciodvfy</c> with no error and is parsed by DCMTK's <c>dcmdump</c>. The tools come from apt
/// (dicom3tools, dcmtk): CI installs them (.ci/run); elsewhere the test is skipped when they are missing.
/// </summary>
[Category("Conformance")]
public class WrittenObjectConformanceTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static string Tool(string name)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail($"{name} is missing on CI: .ci/run installs dicom3tools and dcmtk.");
        Assert.Ignore($"{name} is not installed (apt-get install dicom3tools dcmtk).");
        return "";
    }

    private static (int Code, string Output) Run(string tool, string file)
    {
        using var p = Process.Start(new ProcessStartInfo(tool, [file]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    /// <summary>Checks <paramref name="file"/> with dciodvfy and dcmdump when they are installed (always on CI).</summary>
    internal static void AssertConformantIfToolsPresent(string file) => AssertConformant(file);

    private static void AssertConformant(string file)
    {
        var (_, report) = Run(Tool("dciodvfy"), file);
        var errors = report.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Abort", StringComparison.Ordinal)).ToList();
        TestContext.Out.WriteLine($"{Path.GetFileName(file)}: {report.Split('\n').FirstOrDefault()}, {errors.Count} error(s), {report.Split('\n').Count(l => l.StartsWith("Warning", StringComparison.Ordinal))} warning(s)");
        Assert.That(errors, Is.Empty, $"dciodvfy {file}:\n{report}");
        var (code, dump) = Run(Tool("dcmdump"), file);
        Assert.That(code, Is.EqualTo(0), $"dcmdump {file}:\n{dump}");
    }

    /// <summary>
    /// pydicom (and GDCM, where installed) read the written CT slices back with the geometry and real values ImageGuide
    /// wrote, and the written SEG with as many set pixels as the masks hold.
    /// </summary>
    [Test]
    public void WrittenSeriesAndSegmentation_ReadBackInPydicom()
    {
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : Tool("python3");
        var (code, _) = RunArgs(python, ["-c", "import pydicom"]);
        if (code != 0)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("pydicom is missing on CI: .ci/run installs python3-pydicom.");
            Assert.Ignore("pydicom is not installed (apt-get install python3-pydicom python3-gdcm).");
        }
        var ct = RealCt();
        var files = DicomSeriesWriter.Write(ct, Path.Combine(_dir, "ct"), new DicomSeriesWriterOptions { Modality = "CT" });
        var labels = new Volume<byte>(ct.Geometry);
        for (long n = 0; n < labels.Data.LongLength; n++) labels.Data[n] = ct.Data[n] > 200 ? (byte)1 : (byte)0;
        string seg = Path.Combine(_dir, "bone.seg.dcm");
        ImageGuide.Model.DicomSegmentationWriter.Write(new ImageGuide.Model.LabelMap(labels, new ImageGuide.Model.LabelTable([new ImageGuide.Model.LabelDefinition(1, "bone", ImageGuide.Model.LabelRole.Bone)])), seg);
        string script = Path.Combine(TestPaths.RepoRoot, "tests", "ImageGuide.Core.Tests", "Conformance", "readback.py");
        var (rc, output) = RunArgs(python, [script, files[0], files[^1], seg]);
        Assert.That(rc, Is.EqualTo(0), output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        var g = ct.Geometry;
        int plane = g.Nx * g.Ny;
        foreach (var (line, k) in new[] { (lines[0], 0), (lines[1], g.Nz - 1) })
        {
            var ipp = line.GetProperty("ipp").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var expected = g.IndexToPhysical(0, 0, k);
            Assert.That(Vec3.Distance(new Vec3(ipp[0], ipp[1], ipp[2]), expected), Is.LessThan(1e-3), $"slice {k} position");
            double sum = 0;
            for (int i = 0; i < plane; i++) sum += ct.Data[(long)k * plane + i];
            Assert.That(line.GetProperty("sum").GetDouble(), Is.EqualTo(sum).Within(Math.Max(1, Math.Abs(sum) * 1e-6) + plane * 0.5), $"slice {k} real values (stored as integers)");
            if (line.TryGetProperty("gdcm_read", out var gdcmRead)) Assert.That(gdcmRead.GetBoolean(), "GDCM reads the slice");
        }
        Assert.That(lines[2].GetProperty("set").GetInt64(), Is.EqualTo(labels.Data.LongCount(v => v != 0)), "SEG pixels as pydicom unpacks them");
    }

    private static (int Code, string Output) RunArgs(string tool, string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    private static Volume<float> RealCt() =>
        VolumeReader.Read(Path.Combine(TestPaths.RequireShared("ct-mr-totalsegmentator"), "example_ct_sm.nii.gz")).Volume;

    [Test]
    public void ImageSeriesLabelSeriesAndSpatialRegistration_PassDciodvfy()
    {
        var ct = RealCt();
        var ctFiles = DicomSeriesWriter.Write(ct, Path.Combine(_dir, "ct"), new DicomSeriesWriterOptions { Modality = "CT", PatientName = "Test^Conformance", PatientId = "C1" });
        var mrFiles = DicomSeriesWriter.Write(ct, Path.Combine(_dir, "mr"), new DicomSeriesWriterOptions { Modality = "MR", PatientName = "Test^Conformance", PatientId = "C1" });
        var labels = new Volume<byte>(ct.Geometry);
        for (long n = 0; n < labels.Data.LongLength; n++) labels.Data[n] = ct.Data[n] > 200 ? (byte)1 : (byte)0;
        var labelFiles = DicomSeriesWriter.WriteLabels(labels, Path.Combine(_dir, "labels"), new DicomSeriesWriterOptions { PatientId = "C1" });
        var fixedRef = DicomSeriesReference.FromSeries(DicomSeriesScanner.Scan(Path.Combine(_dir, "ct")).Single());
        var movingRef = DicomSeriesReference.FromSeries(DicomSeriesScanner.Scan(Path.Combine(_dir, "mr")).Single());
        string reg = Path.Combine(_dir, "reg.dcm");
        DicomSpatialRegistrationWriter.Write(reg, new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.05), new Vec3(3, -2, 5), Vec3.Zero),
            fixedRef, movingRef, new DicomSpatialRegistrationOptions { PatientId = "C1", ContentDescription = "conformance test" });
        Tool("dciodvfy"); // skip (or fail on CI) before the multiple-assertion block, where Assert.Ignore may not be used
        Assert.Multiple(() =>
        {
            AssertConformant(ctFiles[0]);
            AssertConformant(ctFiles[^1]);
            AssertConformant(mrFiles[0]);
            AssertConformant(labelFiles[0]);
            AssertConformant(reg);
        });
    }
}
