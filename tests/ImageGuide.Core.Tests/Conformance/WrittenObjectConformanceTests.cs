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
