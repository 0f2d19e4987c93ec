using System.Text.Json;
using ImageGuide.Imaging;

namespace ImageGuide.Cli.Tests;

public class InfoConvertTests
{
    private static JsonElement SingleSeries(string stdout)
    {
        using var doc = JsonDocument.Parse(stdout);
        var series = doc.RootElement.GetProperty("series");
        Assert.That(series.GetArrayLength(), Is.EqualTo(1));
        return series[0].Clone();
    }

    private static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    [Test]
    public void InfoJson_PhilipsSeries_MatchesPydicomReference()
    {
        string dir = TestPaths.RequireShared("ct-philips-brain-5mm");
        var r = CliProcess.Run("info", dir, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var s = SingleSeries(r.Stdout);
        // values from ct-philips-brain-5mm/PROVENANCE.md (pydicom 2.3.1 + numpy)
        Assert.That(s.GetProperty("modality").GetString(), Is.EqualTo("CT"));
        Assert.That(s.GetProperty("seriesDescription").GetString(), Is.EqualTo("STD BRAIN 5MM"));
        Assert.That(s.GetProperty("files").GetInt32(), Is.EqualTo(28));
        Assert.That(Numbers(s.GetProperty("size")), Is.EqualTo(new double[] { 512, 512, 28 }));
        Assert.That(Numbers(s.GetProperty("spacing")), Is.EqualTo(new[] { 0.451171875, 0.451171875, 5.0 }).Within(1e-3));
        Assert.That(Numbers(s.GetProperty("origin")), Is.EqualTo(new[] { -115.5, -1.85, 696.21 }).Within(1e-3));
        Assert.That(s.GetProperty("min").GetDouble(), Is.EqualTo(-1024));
        Assert.That(s.GetProperty("max").GetDouble(), Is.EqualTo(782));
        Assert.That(s.GetProperty("mean").GetDouble(), Is.EqualTo(-830.61).Within(0.01));
        foreach (var key in new[] { "seriesInstanceUid", "axes", "warnings" }) Assert.That(s.TryGetProperty(key, out _), key);
    }

    [Test]
    public void InfoJson_GeSeries_ReportsTiltAndUnevenSpacing()
    {
        string dir = TestPaths.RequireShared("ct-ge-gantry-tilt");
        var r = CliProcess.Run("info", dir, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var s = SingleSeries(r.Stdout);
        Assert.That(s.GetProperty("gantryTiltDeg").GetDouble(), Is.EqualTo(18.5).Within(0.01));
        string warnings = string.Join("\n", s.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.That(warnings, Does.Contain("18.50°"));
        Assert.That(warnings, Does.Contain("4.00 mm").And.Contain("7.00 mm"));
        // padding −1500 and max 2121 (PROVENANCE.md); resampling keeps values inside that range
        Assert.That(s.GetProperty("min").GetDouble(), Is.GreaterThanOrEqualTo(-1500));
        Assert.That(s.GetProperty("max").GetDouble(), Is.LessThanOrEqualTo(2121));
    }

    [Test]
    public void InfoJson_MetaImage_MatchesProvenance()
    {
        string dir = TestPaths.RequireShared("mr-rire-t1");
        var r = CliProcess.Run("info", dir, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var s = SingleSeries(r.Stdout);
        Assert.That(Numbers(s.GetProperty("size")), Is.EqualTo(new double[] { 256, 256, 26 }));
        Assert.That(Numbers(s.GetProperty("spacing")), Is.EqualTo(new[] { 1.25, 1.25, 4.0 }).Within(1e-6));
    }

    [Test]
    public void Convert_DicomSegmentationToLabels_MatchesDcmqisLabelMap()
    {
        string seg = Path.Combine(TestPaths.RequireShared("seg-dcmqi-ct"), "data", "segmentations");
        string outDir = Path.Combine(Path.GetTempPath(), "imageguide-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outDir);
        try
        {
            string nii = Path.Combine(outDir, "liver.nii.gz");
            var r = CliProcess.Run("convert", Path.Combine(seg, "liver.dcm"), nii);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            Assert.That(File.ReadAllText(Path.Combine(outDir, "liver.json")), Does.Contain("Liver").IgnoreCase);
            var labels = ImageGuide.IO.VolumeReader.Read<byte>(nii);
            var truth = ImageGuide.IO.VolumeReader.Read<byte>(Path.Combine(seg, "liver_seg.nrrd"));
            Assert.That(labels.Data.Select(v => v != 0), Is.EqualTo(truth.Data.Select(v => v != 0)), "the same voxels as dcmqi's export");
            var toDicom = CliProcess.Run("convert", Path.Combine(seg, "liver.dcm"), Path.Combine(outDir, "again"));
            Assert.That(toDicom.ExitCode, Is.EqualTo(2), "a SEG is not re-written as an image series");
            // and back: the label volume with its table becomes a SEG again, the same voxels
            string back = Path.Combine(outDir, "back.seg.dcm");
            var toSeg = CliProcess.Run("convert", nii, back);
            Assert.That(toSeg.ExitCode, Is.EqualTo(0), toSeg.Stderr);
            var (again, _) = ImageGuide.Model.DicomSegmentation.Read(back);
            Assert.That(again.Volume.Data.Count(v => v != 0), Is.EqualTo(truth.Data.Count(v => v != 0)));
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Test]
    public void Convert_RtStructureSet_FillsItsContoursOnTheReferenceGrid()
    {
        string rs = Path.Combine(TestPaths.RequireShared("pydicom-test-files"), "test_files", "rtstruct.dcm");
        string outDir = Path.Combine(Path.GetTempPath(), "imageguide-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outDir);
        try
        {
            string reference = Path.Combine(outDir, "ref.nii.gz"), labels = Path.Combine(outDir, "rs.nii.gz");
            ImageGuide.IO.VolumeIO.Write(new Volume<short>(new VolumeGeometry(501, 501, 6, new Vec3(1, 1, 10), new Vec3(-250, -250, -200))), reference);
            var missing = CliProcess.Run("convert", rs, labels);
            Assert.That(missing.ExitCode, Is.EqualTo(2), "a structure set needs the grid it was drawn on");
            Assert.That(missing.Stderr, Does.Contain("--reference"));
            var r = CliProcess.Run("convert", rs, labels, "--reference", reference);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("not closed planar"), "the isocentre points are reported, not drawn");
            var map = ImageGuide.Model.LabelMap.Read(labels);
            Assert.That(map.VoxelCount("patient"), Is.EqualTo(3 * 400 * 300), "three 400 × 300 mm rectangles on 1 mm pixels");
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Test]
    public void Convert_DicomToNifti_KeepsGeometryAndValues_AndRefusesOverwrite()
    {
        string dir = TestPaths.RequireShared("ct-philips-brain-5mm");
        string outDir = Path.Combine(Path.GetTempPath(), "imageguide-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outDir);
        try
        {
            string nii = Path.Combine(outDir, "ct.nii.gz");
            var r = CliProcess.Run("convert", dir, nii);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            // HU are whole numbers: written as int16 (as dcm2niix does), read back to exactly the floats of the series
            var written = ImageGuide.IO.VolumeFormatRegistry.Default.Read(nii);
            Assert.That(written.ElementType, Is.EqualTo(ImageGuide.IO.VoxelType.Int16));
            Assert.That(written.ToFloat().Data, Is.EqualTo(ImageGuide.IO.VolumeReader.Read(dir).Volume.Data));
            var s = SingleSeries(CliProcess.Run("info", nii, "--json").Stdout);
            Assert.That(Numbers(s.GetProperty("origin")), Is.EqualTo(new[] { -115.5, -1.85, 696.21 }).Within(1e-3));
            Assert.That(s.GetProperty("mean").GetDouble(), Is.EqualTo(-830.61).Within(0.01));
            var again = CliProcess.Run("convert", dir, nii);
            Assert.That(again.ExitCode, Is.EqualTo(2));
            Assert.That(again.Stderr, Does.Contain("--force"));
            // back to DICOM: same geometry through our writer and reader
            string dcm = Path.Combine(outDir, "series");
            var noModality = CliProcess.Run("convert", nii, dcm);
            Assert.That(noModality.ExitCode, Is.EqualTo(2), "NIfTI records no modality");
            Assert.That(noModality.Stderr, Does.Contain("--modality"));
            var toDicom = CliProcess.Run("convert", nii, dcm, "--modality", "CT");
            Assert.That(toDicom.ExitCode, Is.EqualTo(0), toDicom.Stderr);
            var d = SingleSeries(CliProcess.Run("info", dcm, "--json").Stdout);
            Assert.That(Numbers(d.GetProperty("origin")), Is.EqualTo(new[] { -115.5, -1.85, 696.21 }).Within(1e-3));
            Assert.That(d.GetProperty("files").GetInt32(), Is.EqualTo(28));
            Assert.That(d.GetProperty("min").GetDouble(), Is.EqualTo(-1024));
        }
        finally { Directory.Delete(outDir, true); }
    }

    [Test]
    public void Info_MissingPath_ExitsWithBadInput()
    {
        var r = CliProcess.Run("info", "/definitely/not/here");
        Assert.That(r.ExitCode, Is.EqualTo(3));
        Assert.That(r.Stderr, Does.Contain("/definitely/not/here"));
    }
}
