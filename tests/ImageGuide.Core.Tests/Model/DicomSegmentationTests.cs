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
}
