using ImageGuide.Dicom.Series;

namespace ImageGuide.Tests.Series;

[TestFixture]
public class RealSeriesTests
{
    [Test]
    public void PhilipsBrainGeometryAndHounsfieldStatisticsMatchTheReference()
    {
        string root = TestPaths.RequireShared("ct-philips-brain-5mm");
        var reference = ReferenceJson.Load(root);
        var series = ReferenceJson.SeriesAt(reference, "dicom");
        var found = DicomSeriesScanner.Scan(Path.Combine(root, "dicom"));
        Assert.That(found, Has.Count.EqualTo(1));
        var info = found[0];
        Assert.That(info.SeriesInstanceUid, Is.EqualTo(series.GetProperty("series_instance_uid").GetString()));
        Assert.That(info.SeriesDescription, Is.EqualTo("STD BRAIN 5MM"));
        Assert.That(info.FileCount, Is.EqualTo(28));
        // the Philips DIRFILE is DICOM without pixel data: skipped and counted
        Assert.That(info.Warnings.Single(), Does.StartWith("Skipped 1 DICOM file(s) without pixel data").And.Contain("DIRFILE"));

        var result = info.Assemble();
        var g = result.Volume.Geometry;
        var order = series.GetProperty("sorted_slice_order");
        var ps = series.GetProperty("pixel_spacing_values")[0];
        Assert.That(g.Size, Is.EqualTo(new[] { 512, 512, 28 }));
        Assert.That(Vec3.MaxAbsDifference(g.Origin, ReferenceJson.Vec(order[0].GetProperty("image_position_patient"))), Is.LessThan(1e-3));
        Assert.That(Vec3.MaxAbsDifference(g.Spacing, new Vec3(ps[1].GetDouble(), ps[0].GetDouble(), series.GetProperty("slice_spacings_mm").GetProperty("mean").GetDouble())), Is.LessThan(1e-3));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(0), ReferenceJson.Vec(series.GetProperty("row_direction"))), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(1), ReferenceJson.Vec(series.GetProperty("column_direction"))), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(2), ReferenceJson.Vec(series.GetProperty("slice_normal"))), Is.LessThan(1e-6));
        for (int k = 0; k < 28; k++)
            Assert.That(Vec3.MaxAbsDifference(g.IndexToPhysical(0, 0, k), ReferenceJson.Vec(order[k].GetProperty("image_position_patient"))), Is.LessThan(1e-3));
        Assert.That(result.Report.SliceOrder.Select(Path.GetFileName), Is.EqualTo(order.EnumerateArray().Select(o => Path.GetFileName(o.GetProperty("path").GetString()))));

        var stats = VolumeStatistics.Compute(result.Volume);
        var hu = series.GetProperty("volume_after_rescale");
        Assert.That(stats.Min, Is.EqualTo(hu.GetProperty("min").GetDouble()).Within(0.01));
        Assert.That(stats.Max, Is.EqualTo(hu.GetProperty("max").GetDouble()).Within(0.01));
        Assert.That(stats.Mean, Is.EqualTo(hu.GetProperty("mean").GetDouble()).Within(0.01));
        Assert.That(result.Volume.Metadata.Units, Is.EqualTo("HU"));
        Assert.That(result.Report.Resampled, Is.False);
    }

    [Test]
    public void GeGantryTiltIsReportedAndResampledOntoAnOrthogonalUniformGridOverTheSameExtent()
    {
        string root = TestPaths.RequireShared("ct-ge-gantry-tilt");
        var series = ReferenceJson.SeriesAt(ReferenceJson.Load(root), "dicom");
        var info = DicomSeriesScanner.Scan(Path.Combine(root, "dicom")).Single();
        var result = info.Assemble();
        var report = result.Report;
        var g = result.Volume.Geometry;

        Assert.That(report.GantryTiltDegrees, Is.EqualTo(series.GetProperty("shear_angle_deg_unique")[0].GetProperty("value").GetDouble()).Within(0.01));
        Assert.That(report.GantryTiltDegrees, Is.EqualTo(18.5).Within(0.01));
        Assert.That(report.Warnings, Has.Some.Contains("Gantry tilt 18.50° (sheared stack) resampled onto an orthogonal grid"));
        Assert.That(report.Warnings, Has.Some.Contains("spacing 4.00 mm for slices 1–14").And.Some.Contains("spacing 7.00 mm for slices 15–28"));
        var expectedSpacings = series.GetProperty("slice_spacings_mm").GetProperty("unique_rounded_1e-4").EnumerateArray().Select(e => e.GetProperty("value").GetDouble());
        Assert.That(report.UniqueSpacingsMm, Is.EqualTo(expectedSpacings).Within(1e-9));
        Assert.That(report.Resampled, Is.True);
        Assert.That(report.PixelPaddingValue, Is.EqualTo(-1500));

        // orthogonal axes: row, column, normal of the reference
        Assert.That(g.Direction.OrthonormalityError(), Is.LessThan(1e-9));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(0), ReferenceJson.Vec(series.GetProperty("row_direction"))), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(1), ReferenceJson.Vec(series.GetProperty("column_direction"))), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(2), ReferenceJson.Vec(series.GetProperty("slice_normal"))), Is.LessThan(1e-6));
        // uniform spacing near the smaller slab's 4 mm, in-plane spacing unchanged
        Assert.That(g.Spacing.Z, Is.EqualTo(4.0).Within(0.01));
        Assert.That(g.Spacing.X, Is.EqualTo(0.4882812).Within(1e-6));

        // the first and last slice planes are the grid's first and last planes (along n, within a voxel — here exactly)
        var order = series.GetProperty("sorted_slice_order");
        var first = ReferenceJson.Vec(order[0].GetProperty("image_position_patient"));
        var last = ReferenceJson.Vec(order[27].GetProperty("image_position_patient"));
        Assert.That(g.PhysicalToIndex(first).Z, Is.EqualTo(0).Within(1e-6));
        Assert.That(g.PhysicalToIndex(last).Z, Is.EqualTo(g.Nz - 1).Within(1e-6));
        double extent = order[27].GetProperty("position_along_normal_mm").GetDouble() - order[0].GetProperty("position_along_normal_mm").GetDouble();
        Assert.That((g.Nz - 1) * g.Spacing.Z, Is.EqualTo(extent).Within(1e-3));
        // every slice's corner pixels lie inside the grid (the union of all slice planes is covered)
        foreach (var o in order.EnumerateArray())
        {
            var ipp = ReferenceJson.Vec(o.GetProperty("image_position_patient"));
            foreach (var (i, j) in new[] { (0, 0), (511, 511) })
            {
                var idx = g.PhysicalToIndex(ipp + (i * 0.4882812) * g.Direction.Column(0) + (j * 0.4882812) * g.Direction.Column(1));
                Assert.That(idx.X, Is.InRange(-1e-6, g.Nx - 1 + 1e-6));
                Assert.That(idx.Y, Is.InRange(-1e-6, g.Ny - 1 + 1e-6));
                Assert.That(idx.Z, Is.InRange(-1e-6, g.Nz - 1 + 1e-6));
            }
        }
    }

    [Test]
    public void GeSeriesIsRefusedByStrictPoliciesWithTheReason()
    {
        string root = TestPaths.RequireShared("ct-ge-gantry-tilt");
        var info = DicomSeriesScanner.Scan(Path.Combine(root, "dicom")).Single();
        var tiltStrict = Assert.Throws<GeometryException>(() => info.Plan(new SeriesAssemblyOptions { GantryTilt = GantryTiltPolicy.Strict }))!;
        Assert.That(tiltStrict.Message, Does.Contain("18.50°").And.Contain("01.dcm"));
        var spacingStrict = Assert.Throws<GeometryException>(() => info.Plan(new SeriesAssemblyOptions { UnevenSpacing = UnevenSpacingPolicy.Strict }))!;
        Assert.That(spacingStrict.Message, Does.Contain("14.dcm").And.Contain("15.dcm"));
    }

    [Test]
    public void TinyCt5nSeriesHasFiveSlicesTwoAndAHalfMillimetresApart()
    {
        string dir = TestPaths.RequireShared("pydicom-test-files/test_files/dicomdirtests/98892001/CT5N");
        var info = DicomSeriesScanner.Scan(dir).Single();
        var result = info.Assemble();
        Assert.That(result.Volume.Geometry.Nz, Is.EqualTo(5));
        Assert.That(result.Volume.Geometry.Spacing.Z, Is.EqualTo(2.5).Within(1e-6));
        Assert.That(result.Volume.Geometry.Spacing.X, Is.EqualTo(0.488281).Within(1e-6));
        Assert.That(result.Report.Warnings, Is.Empty);
    }

    [Test]
    public void TinyCt2SeriesWithA202MillimetreGapIsResampledWithAWarningOrRefused()
    {
        string dir = TestPaths.RequireShared("pydicom-test-files/test_files/dicomdirtests/77654033/CT2");
        var info = DicomSeriesScanner.Scan(dir).Single();
        var plan = info.Plan();
        // ascending along the normal (reference: −99.48, 103.02, 104.27, 105.52 mm): gaps 202.5 = 162 × 1.25, 1.25, 1.25 mm;
        // 161 slices missing; 205 mm at 1.25 mm → 165 planes
        Assert.That(plan.Report.Warnings.Single(), Does.Contain("gap 202.50 mm between slices 1 and 2 = 162 × 1.25 mm: 161 slices missing")
            .And.Contain("spacing 1.25 mm for slices 2–4"));
        Assert.That(plan.Geometry.Nz, Is.EqualTo(165));
        Assert.That(plan.Geometry.Spacing.Z, Is.EqualTo(1.25).Within(1e-9));
        var ex = Assert.Throws<GeometryException>(() => info.Plan(new SeriesAssemblyOptions { UnevenSpacing = UnevenSpacingPolicy.Strict }))!;
        Assert.That(ex.Message, Does.Contain("202.50 mm"));
    }

    [Test]
    public void RtDoseGridFrameOffsetsBecomeSlices()
    {
        string file = TestPaths.RequireShared("pydicom-test-files/test_files/rtdose.dcm");
        var info = DicomSeriesScanner.Scan(file).Single();
        Assert.That(info.Slices, Has.Count.EqualTo(15));
        Assert.That(info.Modality, Is.EqualTo("RTDOSE"));
        var result = info.Assemble();
        var g = result.Volume.Geometry;
        Assert.That(g.Size, Is.EqualTo(new[] { 10, 10, 15 }));
        Assert.That(g.Spacing.X, Is.EqualTo(10).Within(1e-9));
        // frame 0 sits at the top-level Image Position (Patient)
        var frame0 = info.Slices.Single(s => s.FrameIndex == 0);
        Assert.That(Vec3.MaxAbsDifference(frame0.ImagePositionPatient, new Vec3(189.43125, 199.43125, -761.87)), Is.LessThan(1e-9));
        // stored values: pydicom sum 1519910000, frame 0 (0,0) = 1249000, scaled by Dose Grid Scaling
        double slope = frame0.RescaleSlope;
        double sum = 0;
        foreach (var v in result.Volume.Data) sum += v;
        Assert.That(sum / slope, Is.EqualTo(1519910000).Within(1519910000 * 1e-6));
        int k0 = (int)Math.Round(g.PhysicalToIndex(frame0.ImagePositionPatient).Z);
        Assert.That(result.Volume[0, 0, k0] / slope, Is.EqualTo(1249000).Within(1));
    }

    [Test]
    public void EightThreadsLoadingTheSameSeriesGetBitIdenticalVolumes()
    {
        // small and resampled (missing slices): decoding, rescale and interpolation all run in every thread
        string dir = TestPaths.RequireShared("pydicom-test-files/test_files/dicomdirtests/77654033/CT2");
        var info = DicomSeriesScanner.Scan(dir).Single();
        var volumes = new float[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t => volumes[t] = info.Load().Data);
        for (int t = 1; t < 8; t++) Assert.That(volumes[t].AsSpan().SequenceEqual(volumes[0]), Is.True, $"thread {t}");
    }
}
