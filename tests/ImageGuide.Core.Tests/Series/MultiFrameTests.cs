using System.Buffers.Binary;
using ImageGuide.Dicom.Series;
using ImageGuide.Dicom.Writing;

namespace ImageGuide.Tests.Series;

[TestFixture]
public class MultiFrameTests
{
    /// <summary>
    /// Builds an Enhanced CT file by hand: 3 frames of 3×2, orientation and pixel spacing in the shared functional
    /// groups, positions and rescale per frame (frames stored in reverse order along the normal).
    /// </summary>
    private static byte[] EnhancedCt(out double[] expectedHu)
    {
        static byte[] Item(Action<ExplicitVrLittleEndianWriter> write) { var w = new ExplicitVrLittleEndianWriter(); write(w); return w.ToArray(); }
        double[] z = [20, 17.5, 15];
        double[] slope = [1, 2, 0.5];
        double[] intercept = [-1024, -1000, 10];
        var perFrame = new byte[3][];
        for (int f = 0; f < 3; f++)
        {
            int ff = f;
            perFrame[f] = Item(w =>
            {
                w.Sequence(0x0020, 0x9113, Item(p => p.Decimal(0x0020, 0x0032, -5, 7, z[ff])));
                w.Sequence(0x0028, 0x9145, Item(t =>
                {
                    t.Decimal(0x0028, 0x1052, intercept[ff]);
                    t.Decimal(0x0028, 0x1053, slope[ff]);
                    t.Text(0x0028, 0x1054, "LO", "HU");
                }));
            });
        }
        var shared = Item(w =>
        {
            w.Sequence(0x0020, 0x9116, Item(o => o.Decimal(0x0020, 0x0037, 1, 0, 0, 0, 1, 0)));
            w.Sequence(0x0028, 0x9110, Item(m => { m.Decimal(0x0018, 0x0050, 2.5); m.Decimal(0x0028, 0x0030, 0.8, 0.6); }));
        });
        var pixels = new byte[3 * 6 * 2];
        expectedHu = new double[18];
        for (int f = 0; f < 3; f++)
            for (int n = 0; n < 6; n++)
            {
                short stored = (short)(100 * f + n);
                BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan((f * 6 + n) * 2), stored);
                // output slice k runs ascending along z: frame 2 (z 15) is k = 0
                expectedHu[(2 - f) * 6 + n] = stored * slope[f] + intercept[f];
            }
        var ds = new ExplicitVrLittleEndianWriter();
        ds.Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2.1");
        ds.Text(0x0008, 0x0018, "UI", "1.2.3.99");
        ds.Text(0x0008, 0x0060, "CS", "CT");
        ds.Text(0x0020, 0x000E, "UI", "1.2.3.98");
        ds.UShort(0x0028, 0x0002, 1);
        ds.Text(0x0028, 0x0004, "CS", "MONOCHROME2");
        ds.Text(0x0028, 0x0008, "IS", "3");
        ds.UShort(0x0028, 0x0010, 2);
        ds.UShort(0x0028, 0x0011, 3);
        ds.UShort(0x0028, 0x0100, 16);
        ds.UShort(0x0028, 0x0101, 16);
        ds.UShort(0x0028, 0x0102, 15);
        ds.UShort(0x0028, 0x0103, 1);
        ds.Sequence(0x5200, 0x9229, shared);
        ds.Sequence(0x5200, 0x9230, perFrame);
        ds.Binary(0x7FE0, 0x0010, "OW", pixels);
        return PartTenFile.Build("1.2.840.10008.5.1.4.1.1.2.1", "1.2.3.99", ds.ToArray());
    }

    [Test]
    public void EnhancedCtFramesUsePerFramePositionAndRescaleWithSharedOrientationAndSpacing()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "enhanced.dcm"), EnhancedCt(out var expected));
            var info = DicomSeriesScanner.Scan(dir).Single();
            Assert.That(info.Slices, Has.Count.EqualTo(3));
            Assert.That(info.FileCount, Is.EqualTo(1));
            var result = info.Assemble();
            var g = result.Volume.Geometry;
            Assert.That(g.Size, Is.EqualTo(new[] { 3, 2, 3 }));
            Assert.That(Vec3.MaxAbsDifference(g.Origin, new Vec3(-5, 7, 15)), Is.LessThan(1e-9));
            Assert.That(Vec3.MaxAbsDifference(g.Spacing, new Vec3(0.6, 0.8, 2.5)), Is.LessThan(1e-9));
            Assert.That(result.Volume.Data.Select(v => (double)v), Is.EqualTo(expected));
            Assert.That(result.Report.SliceOrder, Is.EqualTo(new[] { "frame 3", "frame 2", "frame 1" }.Select(f => Path.Combine(dir, "enhanced.dcm") + " " + f)));
            Assert.That(result.Volume.Metadata.Units, Is.EqualTo("HU"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void SegmentationFrameTakesItsGeometryFromTheFunctionalGroups()
    {
        // pydicom's liver_1frame.dcm: a 1-bit Segmentation cut down to one frame (3 per-frame items remain)
        string file = TestPaths.RequireShared("pydicom-test-files/test_files/liver_1frame.dcm");
        var info = DicomSeriesScanner.Scan(file).Single();
        var v = info.Load();
        var g = v.Geometry;
        Assert.That(g.Size, Is.EqualTo(new[] { 512, 512, 1 }));
        Assert.That(Vec3.MaxAbsDifference(g.Origin, new Vec3(-235.2, -226.8, -128.69)), Is.LessThan(1e-6));
        Assert.That(g.Spacing.X, Is.EqualTo(0.810547).Within(1e-9));
        Assert.That(g.Spacing.Y, Is.EqualTo(0.810547).Within(1e-9));
        Assert.That(Mat3.MaxAbsDifference(g.Direction, Mat3.Identity), Is.LessThan(1e-12));
        // pydicom: values 0..1, sum 36233
        Assert.That(v.Data.Sum(x => (double)x), Is.EqualTo(36233));
        Assert.That(v.Data.Max(), Is.EqualTo(1f));
    }
}
