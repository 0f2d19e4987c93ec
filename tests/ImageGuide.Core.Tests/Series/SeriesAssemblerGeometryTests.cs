using ImageGuide.Dicom.Series;
using static ImageGuide.Tests.Series.SyntheticStacks;

namespace ImageGuide.Tests.Series;

[TestFixture]
public class SeriesAssemblerGeometryTests
{
    private static readonly SeriesAssembler Default = new();

    [Test]
    public void ShuffledSlicesAreSortedAlongTheNormalAndOriginIsTheLowestSlice()
    {
        var z = Enumerable.Range(0, 10).Select(s => -50 + 2.5 * s).ToArray();
        var plan = Default.Plan(Shuffled(Axial(z), 7));
        Assert.That(plan.Report.SliceOrder, Is.EqualTo(Enumerable.Range(1, 10).Select(s => $"s{s:D3}.dcm")));
        var g = plan.Geometry;
        Assert.That(g.Size, Is.EqualTo(new[] { 5, 4, 10 }));
        Assert.That(Vec3.MaxAbsDifference(g.Origin, new Vec3(-10, -20, -50)), Is.LessThan(1e-9));
        // Pixel Spacing = [row spacing 0.8 (along the column direction), column spacing 0.7 (along the row direction)]
        Assert.That(Vec3.MaxAbsDifference(g.Spacing, new Vec3(0.7, 0.8, 2.5)), Is.LessThan(1e-12));
        Assert.That(Mat3.MaxAbsDifference(g.Direction, Mat3.Identity), Is.LessThan(1e-12));
        Assert.That(plan.Report.Resampled, Is.False);
        Assert.That(plan.Report.Warnings, Is.Empty);
    }

    [Test]
    public void SpacingComesFromPositionsNotSliceThickness()
    {
        var slices = Axial(0, 1.25, 2.5, 3.75).Select(h => h with { SliceThickness = 5 }).ToList();
        var plan = Default.Plan(slices);
        Assert.That(plan.Geometry.Spacing.Z, Is.EqualTo(1.25).Within(1e-12));
        Assert.That(plan.Report.UniqueSpacingsMm, Is.EqualTo(new[] { 1.25 }));
    }

    [Test]
    public void ObliqueStackUsesRowColumnAndNormalAsAxes()
    {
        // row and column cosines rotated 30° about z then 20° about x: n = r × c
        double a = Math.PI / 6, b = Math.PI / 9;
        var r = new Vec3(Math.Cos(a), Math.Sin(a) * Math.Cos(b), Math.Sin(a) * Math.Sin(b));
        var c = new Vec3(-Math.Sin(a), Math.Cos(a) * Math.Cos(b), Math.Cos(a) * Math.Sin(b));
        var n = Vec3.Cross(r, c);
        var p0 = new Vec3(12.5, -7.25, 33);
        var slices = new List<DicomSliceHeader>();
        for (int s = 0; s < 6; s++)
            slices.Add(Slice($"o{s}", p0 + (3.0 * s) * n, r, c, instance: 6 - s));
        var plan = Default.Plan(Shuffled(slices, 3));
        var g = plan.Geometry;
        Assert.That(Vec3.MaxAbsDifference(g.Origin, p0), Is.LessThan(1e-9));
        Assert.That(g.Spacing.Z, Is.EqualTo(3.0).Within(1e-9));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(0), r), Is.LessThan(1e-12));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(1), c), Is.LessThan(1e-12));
        Assert.That(Vec3.MaxAbsDifference(g.Direction.Column(2), n), Is.LessThan(1e-12));
        // a voxel centre maps to the same point the DICOM formula gives: IPP + i·Δc·r + j·Δr·c
        var last = p0 + 15.0 * n;
        Assert.That(Vec3.MaxAbsDifference(g.IndexToPhysical(4, 3, 5), last + (4 * 0.7) * r + (3 * 0.8) * c), Is.LessThan(1e-9));
    }

    [Test]
    public void DuplicatePositionsAreRefusedNamingTheFiles()
    {
        var slices = Axial(0, 2, 4, 6);
        slices.Add(Slice("again.dcm", new Vec3(-10, -20, 4), X, Y, instance: 9));
        var ex = Assert.Throws<GeometryException>(() => Default.Plan(slices))!;
        Assert.That(ex.Message, Does.Contain("s003.dcm").And.Contain("again.dcm"));
    }

    [Test]
    public void KeepFirstDropsTheLaterInstanceAtADuplicatePosition()
    {
        var slices = Axial(0, 2, 4, 6);
        slices.Add(Slice("again.dcm", new Vec3(-10, -20, 4), X, Y, instance: 9));
        var plan = new SeriesAssembler(new SeriesAssemblyOptions { DuplicatePositions = DuplicatePositionPolicy.KeepFirst }).Plan(slices);
        Assert.That(plan.Report.SliceOrder, Is.EqualTo(new[] { "s001.dcm", "s002.dcm", "s003.dcm", "s004.dcm" }));
        Assert.That(plan.Report.Warnings.Single(), Does.Contain("dropped again.dcm"));
    }

    [Test]
    public void ACopiedFileWithTheSameSopInstanceUidIsDroppedWithAWarning()
    {
        var slices = Axial(0, 2, 4);
        slices.Add(slices[1] with { SourcePath = "copy/s002.dcm" });
        var plan = Default.Plan(slices);
        Assert.That(plan.Slices, Has.Count.EqualTo(3));
        Assert.That(plan.Report.Warnings.Single(), Does.Contain("s002.dcm"));
    }

    [Test]
    public void MissingSliceIsReportedAndResampledToTheCommonSpacing()
    {
        var plan = Default.Plan(Axial(0, 2, 4, 8, 10));
        Assert.That(plan.Report.Resampled, Is.True);
        Assert.That(plan.Geometry.Nz, Is.EqualTo(6));
        Assert.That(plan.Geometry.Spacing.Z, Is.EqualTo(2).Within(1e-12));
        Assert.That(plan.Report.Warnings.Single(), Does.Contain("gap 4.00 mm between slices 3 and 4 = 2 × 2.00 mm: 1 slice missing"));
    }

    [Test]
    public void StrictSpacingRefusesAMissingSliceNamingTheNeighbours()
    {
        var strict = new SeriesAssembler(new SeriesAssemblyOptions { UnevenSpacing = UnevenSpacingPolicy.Strict });
        var ex = Assert.Throws<GeometryException>(() => strict.Plan(Axial(0, 2, 4, 8, 10)))!;
        Assert.That(ex.Message, Does.Contain("s003.dcm").And.Contain("s004.dcm").And.Contain("Strict"));
    }

    [Test]
    public void SmallJitterWithinToleranceIsEven()
    {
        var plan = Default.Plan(Axial(0, 2.004, 3.997, 6.002, 8));
        Assert.That(plan.Report.Resampled, Is.False);
        Assert.That(plan.Geometry.Spacing.Z, Is.EqualTo(2).Within(1e-12));
    }

    [Test]
    public void TwoSlabsAreNamedAndResampledToTheSmallerSpacingOverTheSameExtent()
    {
        // the GE series' pattern: 13 gaps of 4.0019, one of 1.0811, 13 of 6.9986 mm
        var z = new List<double> { 0 };
        for (int s = 0; s < 13; s++) z.Add(z[^1] + 4.0019);
        z.Add(z[^1] + 1.0811);
        for (int s = 0; s < 13; s++) z.Add(z[^1] + 6.9986);
        var plan = Default.Plan(Axial([.. z]));
        var rep = plan.Report;
        Assert.That(rep.Slabs, Has.Count.EqualTo(3));
        Assert.That(rep.Slabs[0], Is.EqualTo(new SpacingSlab(1, 14, 4.0019)).Using<SpacingSlab>((a, b) => a.FirstSlice == b.FirstSlice && a.LastSlice == b.LastSlice && Math.Abs(a.SpacingMm - b.SpacingMm) < 1e-9));
        Assert.That(rep.Slabs[1].FirstSlice, Is.EqualTo(14)); Assert.That(rep.Slabs[1].LastSlice, Is.EqualTo(15));
        Assert.That(rep.Slabs[2].FirstSlice, Is.EqualTo(15)); Assert.That(rep.Slabs[2].LastSlice, Is.EqualTo(28));
        Assert.That(rep.UniqueSpacingsMm, Is.EqualTo(new[] { 1.0811, 4.0019, 6.9986 }));
        string w = rep.Warnings.Single();
        Assert.That(w, Does.Contain("spacing 4.00 mm for slices 1–14").And.Contain("gap 1.08 mm between slices 14 and 15")
            .And.Contain("spacing 7.00 mm for slices 15–28").And.Contain("resampled to uniform 4.00 mm"));
        // extent 13·4.0019 + 1.0811 + 13·6.9986 = 144.0876 mm → 36 steps of 4.0024333 mm
        Assert.That(plan.Geometry.Nz, Is.EqualTo(37));
        Assert.That(plan.Geometry.Spacing.Z, Is.EqualTo(144.0876 / 36).Within(1e-9));
        Assert.That(plan.Geometry.IndexToPhysical(0, 0, 36).Z, Is.EqualTo(144.0876).Within(1e-9));
    }

    [Test]
    public void GantryTiltIsMeasuredFromPositions()
    {
        var (slices, _) = TiltedStack(18.5, 12, 5.0, null);
        var plan = Default.Plan(Shuffled(slices, 11));
        Assert.That(plan.Report.GantryTiltDegrees, Is.EqualTo(18.5).Within(0.01));
        Assert.That(plan.Report.Resampled, Is.True);
        Assert.That(plan.Report.Warnings.Single(), Does.Contain("gantry tilt 18.50° (sheared stack) resampled onto an orthogonal grid").IgnoreCase);
        // spacing along the normal = table step · cos(tilt)
        Assert.That(plan.Geometry.Spacing.Z, Is.EqualTo(5.0 * Math.Cos(18.5 * Math.PI / 180)).Within(1e-9));
    }

    [Test]
    public void StrictTiltPolicyRefusesStatingTheAngle()
    {
        var (slices, _) = TiltedStack(18.5, 6, 5.0, null);
        var strict = new SeriesAssembler(new SeriesAssemblyOptions { GantryTilt = GantryTiltPolicy.Strict });
        var ex = Assert.Throws<GeometryException>(() => strict.Plan(slices))!;
        Assert.That(ex.Message, Does.Contain("18.50°"));
    }

    [Test]
    public void TiltedGridIsOrthogonalAndCoversEveryInputPixel()
    {
        var (slices, _) = TiltedStack(18.5, 12, 5.0, null);
        var plan = Default.Plan(slices);
        var g = plan.Geometry;
        Assert.That(g.Direction.OrthonormalityError(), Is.LessThan(1e-12));
        double lo = double.MaxValue, hi = double.MinValue;
        foreach (var h in slices)
            foreach (var (i, j) in new[] { (0, 0), (h.Columns - 1, 0), (0, h.Rows - 1), (h.Columns - 1, h.Rows - 1) })
            {
                var p = h.ImagePositionPatient + (i * h.ColumnSpacing) * h.RowDirection + (j * h.RowSpacing) * h.ColumnDirection;
                var idx = g.PhysicalToIndex(p);
                Assert.That(idx.X, Is.InRange(-1e-6, g.Nx - 1 + 1e-6));
                Assert.That(idx.Y, Is.InRange(-1e-6, g.Ny - 1 + 1e-6));
                lo = Math.Min(lo, idx.Z); hi = Math.Max(hi, idx.Z);
            }
        // first and last slice planes are the grid's first and last planes
        Assert.That(lo, Is.EqualTo(0).Within(1e-9));
        Assert.That(hi, Is.EqualTo(g.Nz - 1).Within(1e-9));
        // the union is no larger than needed: one pixel less in j would lose a corner
        Assert.That(g.Ny, Is.LessThan(slices[0].Rows + 11 * 5.0 * Math.Sin(18.5 * Math.PI / 180) / slices[0].RowSpacing + 2));
    }

    [Test]
    public void MixedOrientationsAreSplitAndTheLargestStackIsUsed()
    {
        var slices = Axial(0, 2, 4, 6, 8);
        slices.Add(Slice("scout1", new Vec3(0, 0, 0), X, Z, rows: 8, cols: 8));
        slices.Add(Slice("scout2", new Vec3(0, 5, 0), X, Z, rows: 8, cols: 8));
        var plan = Default.Plan(slices);
        Assert.That(plan.Slices, Has.Count.EqualTo(5));
        Assert.That(plan.Report.Warnings.Single(), Does.Contain("2 stacks").And.Contain("5 frames 5×4").And.Contain("2 frames 8×8"));
    }

    [Test]
    public void DifferentSeriesAreRefused()
    {
        var slices = Axial(0, 2);
        slices.Add(slices[0] with { SeriesInstanceUid = "9.9", SourcePath = "other" });
        Assert.Throws<GeometryException>(() => Default.Plan(slices));
    }

    [Test]
    public void ImpossibleHeadersAreNamed()
    {
        var slices = Axial(0, 2);
        slices[1] = slices[1] with { RowSpacing = 0 };
        var ex = Assert.Throws<InvalidImageDataException>(() => Default.Plan(slices))!;
        Assert.That(ex.Message, Does.Contain("s002.dcm").And.Contain("Pixel Spacing"));
        slices[1] = slices[1] with { RowSpacing = 1, ColumnDirection = X };
        Assert.That(Assert.Throws<InvalidImageDataException>(() => Default.Plan(slices))!.Message, Does.Contain("Image Orientation"));
    }

    [Test]
    public void SliceOriginsOffTheStackingLineAreRefused()
    {
        var slices = Axial(0, 2, 4, 6);
        slices[2] = slices[2] with { ImagePositionPatient = slices[2].ImagePositionPatient + new Vec3(3, 0, 0) };
        Assert.That(Assert.Throws<GeometryException>(() => Default.Plan(slices))!.Message, Does.Contain("s003.dcm"));
    }

    /// <summary>
    /// A GE-like tilted stack: rows along L (x), columns tilted by <paramref name="tiltDeg"/> about x, slice origins
    /// stepping <paramref name="step"/> mm along the table (z). The slice normal is then tilted by the same angle
    /// from the stacking direction.
    /// </summary>
    internal static (List<DicomSliceHeader> Slices, Vec3 Normal) TiltedStack(double tiltDeg, int count, double step, Func<Vec3, double>? value,
        int rows = 16, int cols = 12, double slope = 1)
    {
        double t = tiltDeg * Math.PI / 180;
        var col = new Vec3(0, Math.Cos(t), -Math.Sin(t));
        var p0 = new Vec3(-4.2, -6.1, 10.3);
        var list = new List<DicomSliceHeader>();
        for (int s = 0; s < count; s++)
            list.Add(Slice($"t{s:D2}", p0 + new Vec3(0, 0, step * s), X, col, rows: rows, cols: cols, rowSpacing: 0.9, colSpacing: 1.1,
                instance: s + 1, value: value, slope: slope));
        return (list, Vec3.Cross(X, col));
    }
}
