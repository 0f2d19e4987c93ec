using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using ImageGuide.Dicom.Writing;

namespace ImageGuide.Tests.Series;

[TestFixture]
public class DicomWriterUnitTests
{
    [Test]
    public void UidTextIsPaddedWithNulAndOtherTextWithSpace()
    {
        var w = new ExplicitVrLittleEndianWriter();
        w.Text(0x0008, 0x0016, "UI", "1.2.3");       // 5 chars → 6 with NUL
        w.Text(0x0008, 0x0060, "CS", "CT");          // even: no pad
        w.Text(0x0010, 0x0010, "PN", "Doe^J");       // 5 chars → 6 with space
        byte[] b = w.ToArray();
        Assert.That(b[..8], Is.EqualTo(new byte[] { 0x08, 0x00, 0x16, 0x00, (byte)'U', (byte)'I', 6, 0 }));
        Assert.That(Encoding.ASCII.GetString(b, 8, 6), Is.EqualTo("1.2.3\0"));
        Assert.That(b[14..22], Is.EqualTo(new byte[] { 0x08, 0x00, 0x60, 0x00, (byte)'C', (byte)'S', 2, 0 }));
        Assert.That(Encoding.ASCII.GetString(b, 32, 6), Is.EqualTo("Doe^J "));
        Assert.That(b.Length, Is.EqualTo(38));
    }

    [Test]
    public void BinaryValuesUseTheLongHeaderAndOddLengthsArePadded()
    {
        var w = new ExplicitVrLittleEndianWriter();
        w.Binary(0x7FE0, 0x0010, "OB", [1, 2, 3]);
        byte[] b = w.ToArray();
        // tag, "OB", 2 reserved bytes, 32-bit length 4, value 1 2 3 0
        Assert.That(b, Is.EqualTo(new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 4, 0, 0, 0, 1, 2, 3, 0 }));
    }

    [Test]
    public void ElementsOutOfTagOrderAreRefused()
    {
        var w = new ExplicitVrLittleEndianWriter();
        w.UShort(0x0028, 0x0010, 4);
        Assert.Throws<InvalidOperationException>(() => w.UShort(0x0028, 0x0002, 1));
    }

    [TestCase(-123.5404569, "-123.5404569")]
    [TestCase(0.1 + 0.2, "0.3")]
    [TestCase(1e-20, "1E-20")]
    [TestCase(-0.0, "0")]
    public void DecimalStringsFitSixteenCharacters(double value, string prefix)
    {
        string s = ExplicitVrLittleEndianWriter.FormatDecimal(value);
        Assert.That(s.Length, Is.LessThanOrEqualTo(16));
        Assert.That(s, Does.StartWith(prefix));
        Assert.That(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(value).Within(Math.Abs(value) * 1e-13));
    }

    [Test]
    public void UidsUseThe225RootAndAreUnique()
    {
        var seen = new HashSet<string>();
        for (int n = 0; n < 200; n++)
        {
            string uid = DicomUid.Generate();
            Assert.That(uid, Does.Match(@"^2\.25\.(0|[1-9][0-9]*)$"));
            Assert.That(uid.Length, Is.LessThanOrEqualTo(64));
            Assert.That(BigInteger.Parse(uid[5..]), Is.LessThan(BigInteger.One << 128));
            Assert.That(seen.Add(uid), Is.True);
        }
    }

    [Test]
    public void IntegerValuesAreStoredExactlyWithSlopeOne()
    {
        var v = new Volume<float>(new VolumeGeometry(2, 2, 1, new Vec3(1, 1, 1), Vec3.Zero), [-1024, 0, 3071, -3]);
        var q = PixelQuantizer.For(v);
        Assert.That((q.Slope, q.Intercept), Is.EqualTo((1.0, 0.0)));
        Assert.That(q.Store(-1024), Is.EqualTo((short)-1024));
    }

    [Test]
    public void FractionalValuesAreQuantisedWithinHalfASlope()
    {
        var data = Enumerable.Range(0, 1000).Select(n => (float)(-1000.25 + n * 3.1234567)).ToArray();
        var v = new Volume<float>(new VolumeGeometry(10, 10, 10, new Vec3(1, 1, 1), Vec3.Zero), data);
        var q = PixelQuantizer.For(v);
        double range = data[^1] - data[0];
        Assert.That(q.Slope, Is.EqualTo(range / 65535).Within(range / 65535 * 1e-9));
        foreach (var x in data)
        {
            short s = q.Store(x);
            Assert.That(s * q.Slope + q.Intercept, Is.EqualTo(x).Within(q.Slope / 2 + 1e-4));
        }
        Assert.That(q.Store(data[0]), Is.EqualTo(short.MinValue));
        Assert.That(q.Store(data[^1]), Is.EqualTo(short.MaxValue));
    }

    [Test]
    public void NonFiniteVoxelsAreRefused()
    {
        var v = new Volume<float>(new VolumeGeometry(2, 1, 1, new Vec3(1, 1, 1), Vec3.Zero), [1, float.NaN]);
        Assert.Throws<InvalidImageDataException>(() => PixelQuantizer.For(v));
    }

    [Test]
    public void PartTenFileHasPreambleMetaGroupAndExplicitLittleEndianTransferSyntax()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            var v = new Volume<short>(new VolumeGeometry(3, 2, 2, new Vec3(0.5, 0.6, 2), new Vec3(1, 2, 3)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
                new ImageMetadata { Modality = "CT" });
            var files = DicomSeriesWriter.Write(v, dir);
            Assert.That(files, Has.Count.EqualTo(2));
            byte[] b = File.ReadAllBytes(files[1]);
            Assert.That(b[..128], Is.All.EqualTo((byte)0));
            Assert.That(Encoding.ASCII.GetString(b, 128, 4), Is.EqualTo("DICM"));
            var meta = ReadElements(b, 132, out int metaEnd, groupOnly: 2);
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(meta[(0x0002, 0x0000)]), Is.EqualTo((uint)(metaEnd - 132 - 12)));
            Assert.That(Encoding.ASCII.GetString(meta[(0x0002, 0x0010)]), Is.EqualTo("1.2.840.10008.1.2.1\0"));
            Assert.That(Encoding.ASCII.GetString(meta[(0x0002, 0x0002)]).TrimEnd('\0'), Is.EqualTo(DicomSeriesWriter.CtImageStorage));
            var ds = ReadElements(b, metaEnd, out int end, groupOnly: null);
            Assert.That(end, Is.EqualTo(b.Length));
            Assert.That(Encoding.ASCII.GetString(ds[(0x0020, 0x0032)]).TrimEnd(), Is.EqualTo(@"1\2\5"));
            Assert.That(Encoding.ASCII.GetString(ds[(0x0028, 0x0030)]).TrimEnd(), Is.EqualTo(@"0.6\0.5"));
            Assert.That(Encoding.ASCII.GetString(ds[(0x0020, 0x0013)]).TrimEnd(), Is.EqualTo("2"));
            Assert.That(Encoding.ASCII.GetString(meta[(0x0002, 0x0003)]), Is.EqualTo(Encoding.ASCII.GetString(ds[(0x0008, 0x0018)])));
            var px = ds[(0x7FE0, 0x0010)];
            Assert.That(Enumerable.Range(0, 6).Select(n => BinaryPrimitives.ReadInt16LittleEndian(px.AsSpan(2 * n))), Is.EqualTo(new short[] { 7, 8, 9, 10, 11, 12 }));
            foreach (var value in ds.Values) Assert.That(value.Length % 2, Is.Zero);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void ANonEmptyFolderIsRefusedUnlessOverwriteIsSet()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "keep me");
            var v = new Volume<short>(new VolumeGeometry(2, 2, 1, new Vec3(1, 1, 1), Vec3.Zero), new ImageMetadata { Modality = "MR" });
            var ex = Assert.Throws<ImageGuideException>(() => DicomSeriesWriter.Write(v, dir))!;
            Assert.That(ex.Message, Does.Contain(dir));
            Assert.That(DicomSeriesWriter.Write(v, dir, new DicomSeriesWriterOptions { Overwrite = true }), Has.Count.EqualTo(1));
            Assert.That(File.ReadAllText(Path.Combine(dir, "notes.txt")), Is.EqualTo("keep me"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void AnInterruptedWrite_LeavesNothingUnderTheFoldersName_AndTheNextWriteClearsItsLeftovers()
    {
        string parent = TestPaths.NewTempDir();
        try
        {
            string dir = Path.Combine(parent, "series");
            var v = new Volume<short>(new VolumeGeometry(4, 4, 20, new Vec3(1, 1, 1), Vec3.Zero), new ImageMetadata { Modality = "CT" });
            using var cts = new CancellationTokenSource();
            var progress = new SyncProgress(f => { if (f >= 0.5) cts.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => DicomSeriesWriter.Write(v, dir, null, progress, cts.Token));
            Assert.That(Directory.Exists(dir), Is.False, "no half series under the final name");
            // a killed process leaves its temporary folder behind: the next write to the same folder removes it
            string leftover = Directory.CreateDirectory(Path.Combine(parent, ".series.partial-killed")).FullName;
            File.WriteAllText(Path.Combine(leftover, "0001.dcm"), "half");
            Assert.That(DicomSeriesWriter.Write(v, dir), Has.Count.EqualTo(20));
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(20));
            Assert.That(Directory.GetFileSystemEntries(parent), Is.EqualTo(new[] { dir }), "only the series remains");
        }
        finally { Directory.Delete(parent, true); }
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    [Test]
    public void AGivenSeriesUidNumbersTheInstancesAfterIt()
    {
        string dir = TestPaths.NewTempDir();
        try
        {
            var v = new Volume<short>(new VolumeGeometry(2, 2, 3, new Vec3(1, 1, 1), Vec3.Zero), new ImageMetadata { Modality = "CT" });
            var files = DicomSeriesWriter.Write(v, dir, new DicomSeriesWriterOptions { SeriesInstanceUid = "2.25.12345" });
            for (int k = 0; k < 3; k++)
            {
                var ds = ImageGuide.Dicom.DicomFile.Read(files[k]).Dataset;
                Assert.That(ds.GetString(ImageGuide.Dicom.DicomTags.SeriesInstanceUid), Is.EqualTo("2.25.12345"));
                Assert.That(ds.GetString(ImageGuide.Dicom.DicomTags.SopInstanceUid), Is.EqualTo($"2.25.12345.{k + 1}"));
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void UnknownModalityIsRefusedWithAHint()
    {
        var v = new Volume<short>(new VolumeGeometry(2, 2, 1, new Vec3(1, 1, 1), Vec3.Zero));
        var ex = Assert.Throws<UnsupportedFormatException>(() => DicomSeriesWriter.Write(v, Path.Combine(TestPaths.NewTempDir(), "x")))!;
        Assert.That(ex.Message, Does.Contain("DicomSeriesWriterOptions.Modality"));
    }

    /// <summary>Minimal Explicit VR LE parser for checking the writer's byte layout (no sequences).</summary>
    private static Dictionary<(int, int), byte[]> ReadElements(byte[] b, int pos, out int end, int? groupOnly)
    {
        var result = new Dictionary<(int, int), byte[]>();
        while (pos < b.Length)
        {
            int group = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pos));
            if (groupOnly is { } g && group != g) break;
            int element = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pos + 2));
            string vr = Encoding.ASCII.GetString(b, pos + 4, 2);
            int length, header;
            if (vr is "OB" or "OW" or "SQ" or "UT" or "UN") { length = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(pos + 8)); header = 12; }
            else { length = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pos + 6)); header = 8; }
            result[(group, element)] = b.AsSpan(pos + header, length).ToArray();
            pos += header + length;
        }
        end = pos;
        return result;
    }
}
