using System.Diagnostics;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// The JPEG Baseline / Extended codec on frames made by an IJG libjpeg 6b port (BitMiracle.LibJpeg.NET): sequential and
/// progressive, restart intervals, subsampling, planar output; refusal of what it does not decode; and mutated real frames
/// that must decode or fail with <see cref="DicomCodecException"/> within a time bound. The pydicom reference files are
/// in <see cref="ReferenceFileTests"/>.
/// </summary>
[TestFixture]
public class JpegBaselineCodecTests
{
    private const int Width = 67, Height = 45; // not multiples of the MCU size: padding blocks are coded and cropped

    private static readonly JpegBaselineCodec Codec = new();

    private static byte[] Decode(byte[] jpeg, int components, int bitsAllocated = 8, int planar = 0, int rows = Height, int columns = Width)
    {
        DicomPixelFormat format = NativeFrame.Format(rows, columns, components, bitsAllocated, 8, planar: planar);
        var output = new byte[format.FrameSizeBytes];
        Codec.DecodeFrame(jpeg, format, output);
        return output;
    }

    [Test]
    public void ServesBaselineAndExtendedAndIsRegisteredByDefault()
    {
        Assert.That(Codec.TransferSyntaxUids, Is.EquivalentTo(new[] { TransferSyntaxNames.JpegBaseline, TransferSyntaxNames.JpegExtended }));
        var registry = DicomCodecRegistry.CreateDefault();
        Assert.That(registry.GetCodec(TransferSyntaxNames.JpegBaseline), Is.InstanceOf<JpegBaselineCodec>());
        Assert.That(registry.GetCodec(TransferSyntaxNames.JpegExtended), Is.InstanceOf<JpegBaselineCodec>());
    }

    // libjpeg's decoder is the oracle wherever its upsampling is libjpeg's (no 2×2 subsampling in LibJpeg.NET's port). It
    // decodes the sequential frame without restarts: coefficients do not depend on progression or restarts, and
    // LibJpeg.NET 1.5.324 itself mis-decodes progressive frames with restart intervals (its result differs from its own
    // decode of the sequential frame; ours does not).
    [TestCase(1, false, 0)]
    [TestCase(1, true, 0)]
    [TestCase(1, false, 5)]
    [TestCase(1, true, 3)]
    [TestCase(3, false, 0)]
    [TestCase(3, true, 0)]
    [TestCase(3, true, 2)]
    public void MatchesLibjpegBitForBit(int components, bool progressive, int restartInterval)
    {
        byte[] picture = LibJpegTestCoder.Picture(Width, Height, components);
        (int, int)? sampling = components == 3 ? (1, 1) : null;
        byte[] jpeg = LibJpegTestCoder.Encode(picture, Width, Height, components, 85, progressive, restartInterval, sampling);
        byte[] plain = LibJpegTestCoder.Encode(picture, Width, Height, components, 85, progressive: false, 0, sampling);
        Assert.That(Decode(jpeg, components), Is.EqualTo(LibJpegTestCoder.Decode(plain)));
    }

    // Progressive coding changes only the entropy coding: the same picture at the same quality has the same coefficients,
    // so the progressive frame must decode to exactly the sequential one, whatever the subsampling.
    // (LibJpeg.NET's encoder handles 1×1 and 2×2 luma sampling only; 2×1 is covered by the dcmtk reference files.)
    [TestCase(1, 1, 0)]
    [TestCase(1, 1, 3)]
    [TestCase(2, 2, 0)]
    [TestCase(2, 2, 4)]
    public void ProgressiveDecodesToTheSequentialSamples(int h, int v, int restartInterval)
    {
        byte[] picture = LibJpegTestCoder.Picture(Width, Height, 3, seed: 7);
        byte[] sequential = LibJpegTestCoder.Encode(picture, Width, Height, 3, 75, progressive: false, restartInterval, (h, v));
        byte[] progressive = LibJpegTestCoder.Encode(picture, Width, Height, 3, 75, progressive: true, restartInterval, (h, v));
        byte[] expected = Decode(sequential, 3);
        Assert.That(Decode(progressive, 3), Is.EqualTo(expected));
    }

    [Test]
    public void GreyFrameIsCloseToTheOriginal()
    {
        byte[] picture = LibJpegTestCoder.Picture(Width, Height, 1);
        byte[] decoded = Decode(LibJpegTestCoder.Encode(picture, Width, Height, 1, 95, progressive: true), 1);
        Assert.That(decoded.Zip(picture, (a, b) => Math.Abs(a - b)).Average(), Is.LessThan(4));
    }

    [Test]
    public void PlanarConfigurationOneWritesOnePlanePerSample()
    {
        byte[] picture = LibJpegTestCoder.Picture(Width, Height, 3);
        byte[] jpeg = LibJpegTestCoder.Encode(picture, Width, Height, 3, 80, progressive: false, lumaSampling: (2, 2));
        byte[] interleaved = Decode(jpeg, 3);
        byte[] planar = Decode(jpeg, 3, planar: 1);
        int pixels = Width * Height;
        for (int p = 0; p < pixels; p++)
        for (int s = 0; s < 3; s++)
            Assert.That(planar[s * pixels + p], Is.EqualTo(interleaved[p * 3 + s]), $"pixel {p} sample {s}");
    }

    [Test]
    public void EightBitSamplesInSixteenBitsAllocated_AreWidened()
    {
        byte[] jpeg = LibJpegTestCoder.Encode(LibJpegTestCoder.Picture(Width, Height, 1), Width, Height, 1, 80, progressive: false);
        byte[] narrow = Decode(jpeg, 1);
        byte[] wide = Decode(jpeg, 1, bitsAllocated: 16);
        for (int i = 0; i < narrow.Length; i++)
            Assert.That((wide[2 * i], wide[2 * i + 1]), Is.EqualTo((narrow[i], (byte)0)));
    }

    [Test]
    public void HeaderDimensionsThatDisagreeWithTheDataSet_AreRefusedBeforeDecoding()
    {
        byte[] jpeg = LibJpegTestCoder.Encode(LibJpegTestCoder.Picture(Width, Height, 1), Width, Height, 1, 80, progressive: false);
        int sof = IndexOfMarker(jpeg, 0xC0);
        jpeg[sof + 5] = jpeg[sof + 6] = jpeg[sof + 7] = jpeg[sof + 8] = 0xFF; // 65535 × 65535: 4 Gi samples
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, 1));
        Assert.That(ex!.Message, Does.Contain("65535×65535").And.Contain($"{Width}×{Height}"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20), "refused before allocating the frame's buffers");
    }

    [TestCase(0xC9, "arithmetic")]
    [TestCase(0xCA, "arithmetic")]
    [TestCase(0xC3, "lossless")]
    [TestCase(0xC5, "hierarchical")]
    public void UnsupportedProcessesAreRefusedWithATypedError(int sofMarker, string wording)
    {
        byte[] jpeg = LibJpegTestCoder.Encode(LibJpegTestCoder.Picture(Width, Height, 1), Width, Height, 1, 80, progressive: false);
        jpeg[IndexOfMarker(jpeg, 0xC0) + 1] = (byte)sofMarker;
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, 1));
        Assert.That(ex!.Message, Does.Contain(wording));
    }

    [Test]
    public void DisagreementsWithTheDataSetAreTypedErrors()
    {
        byte[] grey = LibJpegTestCoder.Encode(LibJpegTestCoder.Picture(Width, Height, 1), Width, Height, 1, 80, progressive: false);
        Assert.Throws<DicomCodecException>(() => Decode(grey, 3));                       // component count vs Samples per Pixel
        Assert.Throws<DicomCodecException>(() => Decode(grey, 1, rows: Height + 1));     // rows
        Assert.Throws<DicomCodecException>(() => Decode([0xFF, 0xD8, 0xFF, 0xD9], 1));   // no frame header
        Assert.Throws<DicomCodecException>(() => Decode([0x00, 0x01], 1));               // no SOI
        DicomPixelFormat oneBit = NativeFrame.Format(Height, Width, 1, 1, 1);
        Assert.Throws<DicomCodecException>(() => Codec.DecodeFrame(grey, oneBit, new byte[oneBit.FrameSizeBytes]));
    }

    [Test]
    public void TruncatedScanIsATypedError()
    {
        byte[] jpeg = LibJpegTestCoder.Encode(LibJpegTestCoder.Picture(Width, Height, 1), Width, Height, 1, 80, progressive: false);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg[..(jpeg.Length * 2 / 3)], 1));
        Assert.That(ex!.Message, Does.Contain("truncated"));
    }

    /// <summary>
    /// Truncations and random byte flips of real frames (8-bit colour baseline, 12-bit extended, a progressive frame with
    /// restarts): each mutant decodes or throws <see cref="DicomCodecException"/>, never anything else, within 2 s.
    /// </summary>
    [TestCase("pydicom-test-files", "test_files/SC_rgb_jpeg_dcmtk.dcm", 400)]
    [TestCase("pydicom-test-files", "test_files/SC_rgb_dcmtk_+eb+cy+np.dcm", 400)]
    [TestCase("pydicom-test-files", "test_files/JPGExtended.dcm", 200)]
    [TestCase("dicom-codecs-enhanced-seg", "pylibjpeg-data/JPEGExtended/RG2_JPLY.dcm", 24)]
    [TestCase(null, "progressive", 400)]
    public void MutatedFramesDecodeOrFailWithATypedErrorInBoundedTime(string? folder, string name, int attempts)
    {
        byte[] original;
        DicomPixelFormat format;
        if (folder is null)
        {
            original = LibJpegTestCoder.Encode(LibJpegTestCoder.Picture(Width, Height, 3), Width, Height, 3, 80, progressive: true, 2, (2, 2));
            format = NativeFrame.Format(Height, Width, 3, 8, 8);
        }
        else
        {
            string path = Path.Combine(TestPaths.RequireShared(folder), name);
            original = EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(path), 1)[0];
            format = name.Contains("RG2") ? NativeFrame.Format(2140, 1760, 1, 16, 10)
                : name.Contains("Extended") ? NativeFrame.Format(1024, 256, 1, 16, 12)
                : name.Contains("+np") ? NativeFrame.Format(100, 100, 3, 8, 8) with { PhotometricInterpretation = "YBR_FULL_422" }
                : NativeFrame.Format(100, 100, 3, 8, 8) with { PhotometricInterpretation = "YBR_FULL" };
        }

        var output = new byte[format.FrameSizeBytes];
        Codec.DecodeFrame(original, format, output); // the original decodes
        var random = new Random(name.Length * 7919 + attempts);
        int decoded = 0, refused = 0;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < attempts; i++)
        {
            byte[] mutant;
            string what;
            if (i % 4 == 0)
            {
                int cut = random.Next(original.Length);
                mutant = original[..cut];
                what = $"truncated at {cut}";
            }
            else
            {
                mutant = (byte[])original.Clone();
                int flips = 1 + random.Next(6);
                for (int k = 0; k < flips; k++) mutant[random.Next(mutant.Length)] ^= (byte)(1 + random.Next(255));
                what = $"{flips} byte flips";
            }

            var watch = Stopwatch.StartNew();
            try
            {
                Codec.DecodeFrame(mutant, format, output);
                decoded++;
            }
            catch (DicomCodecException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{name} mutant {i} ({what}) threw {ex.GetType().Name}: {ex.Message}");
            }

            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), $"{name} mutant {i} ({what})");
        }

        TestContext.Out.WriteLine($"{name}: {attempts} mutants, {decoded} decoded, {refused} refused with DicomCodecException, {total.ElapsedMilliseconds} ms");
        Assert.That(decoded + refused, Is.EqualTo(attempts));
        Assert.That(refused, Is.GreaterThan(0));
    }

    private static int IndexOfMarker(byte[] jpeg, int marker)
    {
        for (int i = 0; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
        throw new AssertionException($"marker FF{marker:X2} not found");
    }
}
