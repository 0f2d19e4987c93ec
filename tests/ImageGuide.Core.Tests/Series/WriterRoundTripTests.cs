using ImageGuide.Dicom.Series;
using ImageGuide.Dicom.Writing;

namespace ImageGuide.Tests.Series;

[TestFixture]
public class WriterRoundTripTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    /// <summary>Right-handed oblique axes: rotation 30° about z, then 20° about x, then 10° about y.</summary>
    private static Mat3 Oblique()
    {
        static Mat3 Rz(double a) => new(Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a), 0, 0, 0, 1);
        static Mat3 Rx(double a) => new(1, 0, 0, 0, Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a));
        static Mat3 Ry(double a) => new(Math.Cos(a), 0, Math.Sin(a), 0, 1, 0, -Math.Sin(a), 0, Math.Cos(a));
        return Ry(Math.PI / 18) * Rx(Math.PI / 9) * Rz(Math.PI / 6);
    }

    private static VolumeGeometry ObliqueGeometry() =>
        new(7, 5, 6, new Vec3(0.783, 0.6251, 2.37), new Vec3(-101.123456789, 37.0000001, 812.5), Oblique());

    private string Sub(string name) => Path.Combine(_dir, name);

    private static void AssertSameGeometry(VolumeGeometry actual, VolumeGeometry expected)
    {
        Assert.That(actual.Size, Is.EqualTo(expected.Size));
        Assert.That(Vec3.MaxAbsDifference(actual.Origin, expected.Origin), Is.LessThan(1e-6));
        Assert.That(Vec3.MaxAbsDifference(actual.Spacing, expected.Spacing), Is.LessThan(1e-6));
        Assert.That(Mat3.MaxAbsDifference(actual.Direction, expected.Direction), Is.LessThan(1e-9));
    }

    [Test]
    public void IntegerHounsfieldVolumeOnAnObliqueGridRoundTripsExactly()
    {
        var g = ObliqueGeometry();
        var data = new float[g.VoxelCount];
        for (int n = 0; n < data.Length; n++) data[n] = -1024 + (n * 37) % 4096;
        var ct = new Volume<float>(g, data, new ImageMetadata
        {
            Modality = "CT", PatientName = "Müller^Jörg", PatientId = "P-42", SeriesDescription = "oblique test",
            StudyDescription = "round trip", SeriesNumber = 7, WindowCenter = 40, WindowWidth = 400,
        });
        var files = DicomSeriesWriter.Write(ct, Sub("ct"));
        Assert.That(files, Has.Count.EqualTo(6));

        var info = DicomSeriesScanner.Scan(Sub("ct")).Single();
        var result = info.Assemble();
        AssertSameGeometry(result.Volume.Geometry, g);
        Assert.That(result.Volume.Data, Is.EqualTo(data));
        Assert.That(result.Report.Resampled, Is.False);
        Assert.That(result.Report.Warnings, Is.Empty);
        var md = result.Volume.Metadata;
        Assert.That(md.Units, Is.EqualTo("HU"));
        Assert.That((md.Modality, md.PatientName, md.PatientId, md.SeriesDescription, md.StudyDescription, md.SeriesNumber),
            Is.EqualTo(("CT", "Müller^Jörg", "P-42", "oblique test", "round trip", (int?)7)));
        Assert.That((md.WindowCenter, md.WindowWidth), Is.EqualTo(((double?)40, (double?)400)));
        Assert.That(md.SeriesInstanceUid, Does.StartWith("2.25."));
        Assert.That(md.FrameOfReferenceUid, Does.StartWith("2.25."));
        Assert.That(info.Slices.Select(s => s.InstanceNumber), Is.EquivalentTo(Enumerable.Range(1, 6).Cast<int?>()));
    }

    [Test]
    public void FractionalValuesRoundTripWithinHalfTheChosenSlope()
    {
        var g = ObliqueGeometry();
        var data = new float[g.VoxelCount];
        for (int n = 0; n < data.Length; n++) data[n] = (float)(Math.Sin(n * 0.37) * 812.345 + 17.25);
        var mr = new Volume<float>(g, data, new ImageMetadata { Modality = "MR" });
        DicomSeriesWriter.Write(mr, Sub("mr"));
        var back = DicomSeriesScanner.Scan(Sub("mr")).Single().Load();
        AssertSameGeometry(back.Geometry, g);
        double slope = (data.Max() - data.Min()) / 65535.0;
        for (int n = 0; n < data.Length; n++) Assert.That(back.Data[n], Is.EqualTo(data[n]).Within(slope / 2 + 1e-4));
        Assert.That(back.Metadata.Units, Is.Null);
        Assert.That(back.Metadata.Modality, Is.EqualTo("MR"));
    }

    [Test]
    public void ShortVolumeRoundTripsExactlyIncludingExtremes()
    {
        var g = new VolumeGeometry(4, 3, 3, new Vec3(0.5, 0.5, 1.25), new Vec3(10, 20, 30));
        var data = new short[g.VoxelCount];
        for (int n = 0; n < data.Length; n++) data[n] = (short)(n * 1811 - 16000);
        data[0] = short.MinValue; data[^1] = short.MaxValue;
        DicomSeriesWriter.Write(new Volume<short>(g, data, new ImageMetadata { Modality = "CT" }), Sub("s"));
        var back = DicomSeriesScanner.Scan(Sub("s")).Single().Load();
        AssertSameGeometry(back.Geometry, g);
        Assert.That(back.Data, Is.EqualTo(data.Select(v => (float)v)));
    }

    [Test]
    public void LabelMapRoundTripsAsSecondaryCapture()
    {
        var g = ObliqueGeometry();
        var labels = new byte[g.VoxelCount];
        for (int n = 0; n < labels.Length; n++) labels[n] = (byte)(n % 5 == 0 ? 0 : n % 4 + 1);
        var files = DicomSeriesWriter.WriteLabels(new Volume<byte>(g, labels), Sub("labels"));
        var info = DicomSeriesScanner.Scan(Sub("labels")).Single();
        Assert.That(info.Modality, Is.EqualTo("OT"));
        Assert.That(info.Slices[0].BitsAllocated, Is.EqualTo(8));
        var back = info.Load();
        AssertSameGeometry(back.Geometry, g);
        Assert.That(back.Data, Is.EqualTo(labels.Select(v => (float)v)));
        Assert.That(back.Metadata.Units, Is.Null);
        // 7×5 = 35 bytes per slice: odd, so Pixel Data is padded to 36
        Assert.That(new FileInfo(files[0]).Length % 2, Is.Zero);
    }

    [Test]
    public void RealCtSeriesSurvivesWriteAndReadWithIdenticalHounsfieldValues()
    {
        string dir = TestPaths.RequireShared("pydicom-test-files/test_files/dicomdirtests/98892001/CT5N");
        var original = DicomSeriesScanner.Scan(dir).Single().Load();
        DicomSeriesWriter.Write(original, Sub("ct5n"));
        var back = DicomSeriesScanner.Scan(Sub("ct5n")).Single().Load();
        AssertSameGeometry(back.Geometry, original.Geometry);
        Assert.That(back.Data, Is.EqualTo(original.Data));
        Assert.That(back.Metadata.StudyInstanceUid, Is.EqualTo(original.Metadata.StudyInstanceUid));
        Assert.That(back.Metadata.SeriesInstanceUid, Is.Not.EqualTo(original.Metadata.SeriesInstanceUid));
    }
}
