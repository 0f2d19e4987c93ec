using System.Runtime.InteropServices;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;
using ImageGuide.Dicom.Series;
using ImageGuide.IO;
using static ImageGuide.Tests.Series.SyntheticStacks;

namespace ImageGuide.Tests.Series;

/// <summary>
/// Whole-number series kept in their stored integers (what <c>imageguide convert</c> and <c>info</c> read) give the
/// voxels, the files and the statistics the float volume gives.
/// </summary>
[TestFixture]
public class WholeNumberSeriesTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = TestPaths.NewTempDir();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Real series: a Philips CT (12-bit stored, intercept −1024), the JPEG 2000 CT, a Siemens MR and one MR slice in nine transfer syntaxes (big endian, deflate, RLE, JPEG-LS …).</summary>
    [TestCase("ct-philips-brain-5mm/dicom")]
    [TestCase("ct-mr-totalsegmentator/example_ct_dicom")]
    [TestCase("mr-decubitus-4-positions/In/HFDR/2_t1_fl2d_sag")]
    [TestCase("mr-one-slice-9-syntaxes/In/1.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/2.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/3.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/4.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/5.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/6.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/7.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/8.dcm")]
    [TestCase("mr-one-slice-9-syntaxes/In/9.dcm")]
    public void RealSeries_StoredIntegers_GiveTheFloatPathsVoxelsFileAndStatistics(string relative)
    {
        string path = TestPaths.RequireShared(relative);
        var series = DicomSeriesScanner.Scan(path).Single();
        var exact = series.AssembleExact();
        var whole = exact.WholeNumbers;
        Assert.That(whole, Is.Not.Null, "a whole-number series with slope 1 keeps its stored integers");
        Assert.That(exact.Float, Is.Null);
        var reference = series.Assemble();
        var floats = reference.Volume;

        Assert.That(whole!.Geometry, Is.EqualTo(floats.Geometry));
        Assert.That(whole.Metadata, Is.EqualTo(floats.Metadata).Using<ImageMetadata>(SameMetadata));
        Assert.That(exact.Report.Warnings, Is.EqualTo(reference.Report.Warnings));
        Assert.That(whole.ToVolume<float>().Data, Is.EqualTo(floats.Data), "voxel by voxel, bit for bit");

        var stats = VolumeStatistics.Compute(floats);
        Assert.That((double)whole.Min, Is.EqualTo(stats.Min));
        Assert.That((double)whole.Max, Is.EqualTo(stats.Max));
        Assert.That(whole.Mean, Is.EqualTo(stats.Mean), "the same double, not merely close");
        Assert.That(ExactVoxelType.Of(whole), Is.EqualTo(ExactVoxelType.Of(floats.Data)));

        foreach (string ext in new[] { ".nii", ".nii.gz", ".nrrd", ".mha" })
        {
            string a = Path.Combine(_dir, "float" + ext), b = Path.Combine(_dir, "whole" + ext);
            Assert.That(VolumeIO.WriteExact(whole, b), Is.EqualTo(VolumeIO.WriteExact(floats, a)));
            Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)), $"{ext}: the file written from the integers is the file written from the floats");
        }
    }

    [Test]
    public void RealSeries_ThroughTheReader_AsConvertReadsIt()
    {
        string dir = TestPaths.RequireShared("ct-philips-brain-5mm");
        var exact = VolumeReader.ReadExact(dir);
        var image = VolumeReader.Read(dir);
        Assert.That(exact.WholeNumbers, Is.Not.Null);
        Assert.That(exact.Warnings, Is.EqualTo(image.Warnings));
        Assert.That(exact.WholeNumbers!.IsSigned, Is.False, "the Philips CT stores unsigned 12-bit values");
        Assert.That(exact.WholeNumbers.Offset, Is.EqualTo(-1024));
        Assert.That(exact.WholeNumbers.ToVolume<float>().Data, Is.EqualTo(image.Volume.Data));
    }

    [Test]
    public void ResampledSeries_StaysFloat()
    {
        // the GE series is tilted and unevenly spaced: resampled values are not the stored integers
        string dir = TestPaths.RequireShared("ct-ge-gantry-tilt/dicom");
        var exact = DicomSeriesScanner.Scan(dir).Single().AssembleExact();
        Assert.That(exact.WholeNumbers, Is.Null);
        Assert.That(exact.Float!.Data, Is.EqualTo(DicomSeriesScanner.Scan(dir).Single().Load().Data));
    }

    [Test]
    public void VolumeFile_StaysOnTheFloatPath()
    {
        string file = Path.Combine(_dir, "v.nii");
        VolumeIO.Write(new Volume<short>(new VolumeGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero, Mat3.Identity), [1, 2, 3, 4, 5, 6, 7, -8]), file);
        var exact = VolumeReader.ReadExact(file);
        Assert.That(exact.WholeNumbers, Is.Null);
        Assert.That(exact.Float!.Data, Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6, 7, -8 }));
    }

    /// <summary>Offsets that make each exact type (and one beyond 16 bits) from hand-made slices; files equal the float path's.</summary>
    [TestCase(0, 250, 0, VoxelType.UInt8)]
    [TestCase(-100, 20, 0, VoxelType.Int8)]
    [TestCase(-2000, 3000, -1024, VoxelType.Int16)]
    [TestCase(0, 60000, 0, VoxelType.UInt16)]
    [TestCase(-1024, 40000, -1024, VoxelType.Float32)]
    [TestCase(1048571, 1048581, 1 << 20, VoxelType.Float32)]
    public void SyntheticSeries_EachExactType_WritesTheFloatPathsFile(int lo, int hi, int intercept, VoxelType expected)
    {
        bool signed = lo - intercept < 0;
        var slices = new List<DicomSliceHeader>();
        for (int s = 0; s < 4; s++)
        {
            int slice = s;
            slices.Add(Slice($"s{s}.dcm", new Vec3(0, 0, 2.5 * s), X, Y, rows: 6, cols: 7, intercept: intercept) with
            {
                IsSigned = signed,
                Loader = (dst, _) =>
                {
                    for (int n = 0; n < dst.Length; n++) dst[n] = lo - intercept + (int)((long)(hi - lo) * ((slice * dst.Length + n) % 97) / 96);
                },
            });
        }
        var assembler = new SeriesAssembler();
        var plan = assembler.Plan(slices);
        var whole = assembler.LoadWholeNumbers(plan)!;
        var floats = assembler.Load(plan).Volume;
        Assert.That(whole, Is.Not.Null);
        Assert.That(ExactVoxelType.Of(whole), Is.EqualTo(expected));
        Assert.That((whole.Min, whole.Max), Is.EqualTo(((long)lo, (long)hi)));
        Assert.That(whole.ToVolume<float>().Data, Is.EqualTo(floats.Data));
        Assert.That(whole.Mean, Is.EqualTo(VolumeStatistics.Compute(floats).Mean));
        foreach (string ext in new[] { ".nii", ".nrrd" })
        {
            string a = Path.Combine(_dir, $"f{ext}"), b = Path.Combine(_dir, $"w{ext}");
            Assert.That(VolumeIO.WriteExact(whole, b), Is.EqualTo(expected));
            VolumeIO.WriteExact(floats, a);
            Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)), ext);
        }
    }

    [Test]
    public void Series_ThatDoNotQualify_AreLeftToTheFloatPath()
    {
        var assembler = new SeriesAssembler();
        List<DicomSliceHeader> Stack(Func<int, DicomSliceHeader, DicomSliceHeader> edit) =>
            Axial(0, 1, 2).Select((h, s) => edit(s, h with { Loader = (d, _) => d.Fill(7) })).ToList();

        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((_, h) => h))), Is.Not.Null, "the control qualifies");
        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((_, h) => h with { RescaleSlope = 2 }))), Is.Null, "slope ≠ 1");
        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((_, h) => h with { RescaleIntercept = 0.5 }))), Is.Null, "fractional intercept");
        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((s, h) => h with { RescaleIntercept = s }))), Is.Null, "intercepts differ");
        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((s, h) => h with { IsSigned = s == 1 }))), Is.Null, "signedness differs");
        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((_, h) => h with { BitsAllocated = 32, BitsStored = 32 }))), Is.Null, "32-bit stored values");
        // a loader whose values do not fit what the header claims (unsigned 16 bits): nothing is lost, the floats are built instead
        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((s, h) => h with { Loader = (d, _) => d.Fill(s == 2 ? -7 : 7) }))), Is.Null);
        Assert.That(assembler.LoadWholeNumbers(assembler.Plan(Stack((s, h) => h with { Loader = (d, _) => d.Fill(70000) }))), Is.Null);
    }

    /// <summary>The 16-bit in-place conversion gives <see cref="PixelValueConverter.ToStoredValues"/>'s values for every High Bit / Bits Stored / sign.</summary>
    [TestCase(16, 15, false)]
    [TestCase(16, 15, true)]
    [TestCase(12, 11, false)]
    [TestCase(12, 11, true)]
    [TestCase(12, 15, false)]
    [TestCase(12, 15, true)]
    [TestCase(10, 13, true)]
    [TestCase(1, 0, false)]
    public void InPlace16_MatchesThe32BitConversion(int bitsStored, int highBit, bool signed)
    {
        var format = new DicomPixelFormat(7, 9, 1, 16, bitsStored, highBit, signed ? 1 : 0, 0, "MONOCHROME2");
        var rng = new Random(bitsStored * 100 + highBit);
        var raw = new ushort[63];
        for (int n = 0; n < raw.Length; n++) raw[n] = (ushort)rng.Next(65536);
        var expected = new int[raw.Length];
        PixelValueConverter.ToStoredValues(MemoryMarshal.AsBytes(raw.AsSpan()), format, expected, null);
        var inPlace = (ushort[])raw.Clone();
        PixelValueConverter.ToStoredValuesInPlace(inPlace, format);
        Assert.That(inPlace.Select(v => signed ? (short)v : (int)v), Is.EqualTo(expected));
    }

    [Test]
    public void MinMaxSum_MatchesAPlainLoop_AcrossTheAccumulatorFlush()
    {
        var rng = new Random(3);
        var signed = new short[300_001];
        var unsigned = new ushort[300_001];
        for (int n = 0; n < signed.Length; n++)
        {
            signed[n] = (short)rng.Next(short.MinValue, short.MaxValue + 1);
            unsigned[n] = (ushort)rng.Next(60000, 65536);
        }
        signed[12345] = short.MinValue;
        unsigned[54321] = ushort.MaxValue;
        Assert.That(WholeNumberVolume.MinMaxSum(signed), Is.EqualTo(((long)signed.Min(), (long)signed.Max(), signed.Sum(v => (long)v))));
        Assert.That(WholeNumberVolume.MinMaxSum(unsigned), Is.EqualTo(((long)unsigned.Min(), (long)unsigned.Max(), unsigned.Sum(v => (long)v))));
        var all = new short[200_000];
        all.AsSpan().Fill(short.MinValue);
        Assert.That(WholeNumberVolume.MinMaxSum(all).Sum, Is.EqualTo(200_000L * short.MinValue), "every lane at its extreme");
        var top = new ushort[200_000];
        top.AsSpan().Fill(ushort.MaxValue);
        Assert.That(WholeNumberVolume.MinMaxSum(top).Sum, Is.EqualTo(200_000L * ushort.MaxValue));
        Assert.That(WholeNumberVolume.MinMaxSum(new short[] { 5, -3, 2 }), Is.EqualTo((-3L, 5L, 4L)), "shorter than a vector");
    }

    private static bool SameMetadata(ImageMetadata a, ImageMetadata b) =>
        a with { Warnings = [] } == b with { Warnings = [] } && a.Warnings.SequenceEqual(b.Warnings);
}
