using System.Globalization;
using ImageGuide.Dicom;
using ImageGuide.Model;

namespace ImageGuide.Tests.Model;

/// <summary>RT Structure Set contours rasterised onto a grid: as many voxels as the polygons' areas (shoelace), by slice.</summary>
public class RtStructureSetTests
{
    private static string RtStruct() => Path.Combine(TestPaths.RequireShared("pydicom-test-files"), "test_files", "rtstruct.dcm");

    [Test]
    public void PydicomStructureSet_FillsItsPolygonsAreas_OnEachSlice()
    {
        // 1 mm pixels over ±250 mm, slices every 10 mm from z = −200 (the contours' planes)
        var grid = new VolumeGeometry(501, 501, 6, new Vec3(1, 1, 10), new Vec3(-250, -250, -200));
        var (labels, warnings) = RtStructureSet.Read(RtStruct(), grid);
        TestContext.Out.WriteLine(string.Join("; ", labels.Table.Labels.Select(l => $"{l.Value} {l.Name} {l.Role}")) + " | " + string.Join("; ", warnings));
        var patient = labels.Table["patient"];
        Assert.That(patient.Role, Is.EqualTo(LabelRole.Body), "EXTERNAL is the body outline");

        // expected: each closed contour's area from its own coordinates (shoelace), one slice each
        var ds = DicomFile.Read(RtStruct()).Dataset;
        Assert.That(ds.TryGetSequence(new DicomTag(0x3006, 0x0039), out var roiContours));
        var contours = roiContours![0].TryGetSequence(new DicomTag(0x3006, 0x0040), out var cs) ? cs : throw new AssertionException("no contours");
        foreach (var c in contours)
        {
            Assert.That(c.TryGetDoubles(new DicomTag(0x3006, 0x0050), out double[]? xyz));
            int n = xyz!.Length / 3;
            double area = 0, perimeter = 0;
            for (int p = 0, q = n - 1; p < n; q = p++)
            {
                area += xyz[3 * q] * xyz[3 * p + 1] - xyz[3 * p] * xyz[3 * q + 1];
                perimeter += Math.Sqrt(Math.Pow(xyz[3 * p] - xyz[3 * q], 2) + Math.Pow(xyz[3 * p + 1] - xyz[3 * q + 1], 2));
            }
            area = Math.Abs(area) / 2;
            int k = (int)Math.Round((xyz[2] + 200) / 10);
            long filled = labels.Volume.Data.AsSpan(k * 501 * 501, 501 * 501).Count(patient.Value);
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"z {xyz[2]}: area {area} mm², filled {filled} voxels"));
            Assert.That(filled, Is.EqualTo(area).Within(perimeter / 2 + 4), $"slice z = {xyz[2]}");
        }
    }

    [Test]
    public void ContoursOffTheGrid_AreReported_NotPlacedOnANeighbourSlice()
    {
        var grid = new VolumeGeometry(501, 501, 3, new Vec3(1, 1, 10), new Vec3(-250, -250, -195)); // planes between the contours'
        var (labels, warnings) = RtStructureSet.Read(RtStruct(), grid);
        Assert.That(warnings, Has.Some.Contains("do not lie on a slice"));
        Assert.That(labels.Volume.Data.Count(v => v != 0), Is.EqualTo(0));
    }

    [Test]
    public void NotAStructureSet_IsRefused() =>
        Assert.Throws<InvalidLabelsException>(() => RtStructureSet.Read(Path.Combine(TestPaths.RequireShared("pydicom-test-files"), "test_files", "CT_small.dcm"),
            new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero)));
}
