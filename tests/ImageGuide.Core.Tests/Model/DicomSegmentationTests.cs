using ImageGuide.IO;
using ImageGuide.Model;

namespace ImageGuide.Tests.Model;

/// <summary>DICOM SEG objects written by dcmqi read back to the label maps dcmqi exported beside them.</summary>
public class DicomSegmentationTests
{
    private static string Seg(string name) => Path.Combine(TestPaths.RequireShared("seg-dcmqi-ct"), "data", "segmentations", name);

    [Test]
    public void LiverSegmentation_EqualsDcmqisLabelMap_OnTheSameGrid()
    {
        var (labels, warnings) = DicomSegmentation.Read(Seg("liver.dcm"));
        var truth = VolumeReader.Read<byte>(Seg("liver_seg.nrrd"));
        var g = labels.Volume.Geometry;
        TestContext.Out.WriteLine($"{g.Nx}×{g.Ny}×{g.Nz}, spacing {g.Spacing}, origin {g.Origin}; warnings: {string.Join("; ", warnings)}");
        Assert.Multiple(() =>
        {
            Assert.That(labels.Table.Labels.Select(l => l.Name.ToLowerInvariant()), Is.EqualTo(new[] { "liver" }));
            Assert.That((g.Nx, g.Ny, g.Nz), Is.EqualTo((truth.Geometry.Nx, truth.Geometry.Ny, truth.Geometry.Nz)));
            Assert.That(Vec3.Distance(g.Origin, truth.Geometry.Origin), Is.LessThan(1e-3), "origin");
            Assert.That(Vec3.Distance(g.Spacing, truth.Geometry.Spacing), Is.LessThan(1e-3), "spacing");
            long differing = 0, inside = 0;
            for (long n = 0; n < truth.Data.LongLength; n++)
            {
                bool a = labels.Volume.Data[n] != 0, b = truth.Data[n] != 0;
                if (a != b) differing++;
                if (b) inside++;
            }
            Assert.That(inside, Is.GreaterThan(1000), "the reference has a liver");
            Assert.That(differing, Is.EqualTo(0), "voxels that differ from dcmqi's label map");
            Assert.That(warnings, Is.Empty);
        });
    }

    [Test]
    public void OverlappingSegments_AreReported_AndEachSegmentsVoxelsAreThere()
    {
        var (labels, warnings) = DicomSegmentation.Read(Seg("partial_overlaps.dcm"));
        TestContext.Out.WriteLine(string.Join("; ", labels.Table.Labels.Select(l => $"{l.Value} {l.Name} {l.Role}")) + " | " + string.Join("; ", warnings));
        Assert.That(labels.Table.Labels, Has.Count.EqualTo(5));
        Assert.That(warnings, Has.Some.Contains("more than one segment"));
    }

    [Test]
    public void NotASegmentation_IsRefusedByName()
    {
        string ct = Directory.GetFiles(Seg("ct-3slice"))[0];
        var ex = Assert.Throws<InvalidLabelsException>(() => DicomSegmentation.Read(ct));
        Assert.That(ex!.Message, Does.Contain("not a DICOM Segmentation"));
    }

    /// <summary>highdicom's SEG variants (binary, fractional, overlapping, single frame) read, or are refused by name.</summary>
    [TestCase("seg_image_ct_binary.dcm", false)]
    [TestCase("seg_image_ct_binary_fractional.dcm", false)]
    [TestCase("seg_image_ct_true_fractional.dcm", false)]
    [TestCase("seg_image_ct_binary_overlap.dcm", true)]
    [TestCase("seg_image_ct_binary_single_frame.dcm", false)]
    public void HighdicomSegmentations_Read(string name, bool overlapping)
    {
        string path = Path.Combine(TestPaths.RequireShared("seg-highdicom"), "data", "test_files", name);
        var (labels, warnings) = DicomSegmentation.Read(path);
        long set = labels.Volume.Data.LongCount(v => v != 0);
        TestContext.Out.WriteLine($"{name}: {labels.Table.Labels.Count} segment(s), {set} labelled voxels; {string.Join("; ", warnings)}");
        Assert.That(set, Is.GreaterThan(0));
        Assert.That(warnings.Any(w => w.Contains("more than one segment")), Is.EqualTo(overlapping));
    }

    [Test]
    public void LabelMapRead_TakesASegmentationAsIs()
    {
        var map = LabelMap.Read(Seg("liver.dcm"));
        Assert.That(map.Table.Labels, Has.Count.EqualTo(1));
        Assert.Throws<InvalidLabelsException>(() => LabelMap.Read(Seg("liver.dcm"), Seg("liver_seg.nrrd")));
    }

    /// <summary>Written SEG reads back to the same voxels, names and roles, and (where dciodvfy is installed) conforms.</summary>
    [Test]
    public void WrittenSegmentation_ReadsBackVoxelForVoxel_AndConforms()
    {
        var (liver, _) = DicomSegmentation.Read(Seg("liver.dcm"));
        // two labels with roles the codes depend on, on dcmqi's real grid
        var volume = new Volume<byte>(liver.Volume.Geometry);
        for (long n = 0; n < volume.Data.LongLength; n++) volume.Data[n] = liver.Volume.Data[n] != 0 ? (byte)7 : n % 512 < 40 ? (byte)3 : (byte)0;
        var table = new LabelTable([new LabelDefinition(3, "cord", LabelRole.Critical), new LabelDefinition(7, "tumour", LabelRole.Target)]);
        string dir = TestPaths.NewTempDir();
        try
        {
            string path = Path.Combine(dir, "out.seg.dcm");
            DicomSegmentationWriter.Write(new LabelMap(volume, table), path, new DicomSegmentationOptions { PatientId = "P1" });
            var (back, warnings) = DicomSegmentation.Read(path);
            Assert.That(warnings, Is.Empty);
            Assert.That(back.Table.Labels.Select(l => (l.Value, l.Name, l.Role)), Is.EqualTo(new[] { ((byte)1, "cord", LabelRole.Critical), ((byte)2, "tumour", LabelRole.Target) }));
            Assert.That(back.Volume.Geometry, Is.EqualTo(volume.Geometry));
            long differing = 0;
            for (long n = 0; n < volume.Data.LongLength; n++)
                if ((volume.Data[n] == 3 ? 1 : volume.Data[n] == 7 ? 2 : 0) != back.Volume.Data[n]) differing++;
            Assert.That(differing, Is.EqualTo(0));
            Assert.Throws<ImageGuideException>(() => DicomSegmentationWriter.Write(new LabelMap(volume, table), path), "never written over a file");
            Conformance.WrittenObjectConformanceTests.AssertConformantIfToolsPresent(path);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
