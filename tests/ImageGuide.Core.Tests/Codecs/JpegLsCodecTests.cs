using System.Diagnostics;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

[TestFixture]
public class JpegLsCodecTests
{
    private static readonly JpegLsCodec Codec = new();

    private static byte[] Decode(byte[] encoded, DicomPixelFormat format)
    {
        var buffer = new byte[format.FrameSizeBytes + 16];
        buffer.AsSpan().Fill(0xCD);
        Codec.DecodeFrame(encoded, format, buffer.AsSpan(0, (int)format.FrameSizeBytes));
        Assert.That(buffer.AsSpan((int)format.FrameSizeBytes).ToArray(), Is.All.EqualTo(0xCD), "bytes after the frame were written");
        return buffer.AsSpan(0, (int)format.FrameSizeBytes).ToArray();
    }

    /// <summary>
    /// Random image: a noisy ramp (regular mode), uniform noise (long and escape codes), flat stretches that start
    /// and end anywhere in a line (run mode, interruptions, runs reaching the line end) and whole flat lines.
    /// </summary>
    private static uint[][] RandomImage(int width, int height, int components, int maxVal, int seed)
    {
        var random = new Random(seed);
        var image = new uint[components][];
        for (int c = 0; c < components; c++)
        {
            image[c] = new uint[width * height];
            for (int y = 0; y < height; y++)
            {
                int kind = (y + c) % 4;
                for (int x = 0; x < width; x++)
                {
                    int v = kind switch
                    {
                        0 => (x + y) * maxVal / (width + height) + random.Next(-3, 4),
                        1 => (int)random.NextInt64(0, maxVal + 1L),
                        2 => (x / 7) % 2 == 0 ? maxVal / 3 : random.Next(0, 2) * maxVal,
                        _ => y % 8 == 3 ? 0 : maxVal / 2 + (x > width - 3 ? 1 : 0),
                    };
                    image[c][y * width + x] = (uint)Math.Clamp(v, 0, maxVal);
                }
            }
        }

        image[0][0] = 0;
        image[0][width * height - 1] = (uint)maxVal;
        return image;
    }

    private static byte[] Native(uint[][] image, DicomPixelFormat format)
    {
        int pixels = format.Rows * format.Columns;
        var interleaved = new uint[pixels * image.Length];
        for (int p = 0; p < pixels; p++)
        for (int c = 0; c < image.Length; c++)
            interleaved[p * image.Length + c] = image[c][p];
        return NativeFrame.Build(interleaved, format);
    }

    private static void RoundTrip(JpegLsTestEncoder encoder, int width, int height, int components, int bitsAllocated = 0, int planar = 0, int seed = 1, int? maxVal = null)
    {
        var image = RandomImage(width, height, components, maxVal ?? (1 << encoder.Precision) - 1, seed);
        byte[] encoded = encoder.Encode(image, width, height);
        var format = NativeFrame.Format(height, width, components, bitsAllocated > 0 ? bitsAllocated : encoder.Precision <= 8 ? 8 : 16, encoder.Precision, planar: planar);
        byte[] decoded = Decode(encoded, format);
        Assert.That(decoded, Is.EqualTo(Native(encoder.Reconstructed, format)), "decoded = the encoder's reconstruction");
        if (encoder.Near == 0) Assert.That(encoder.Reconstructed, Is.EqualTo(image), "lossless");
        for (int c = 0; c < components; c++)
        for (int i = 0; i < image[c].Length; i++)
            Assert.That(Math.Abs((int)encoder.Reconstructed[c][i] - (int)image[c][i]), Is.LessThanOrEqualTo(encoder.Near));
    }

    [TestCase(2)]
    [TestCase(5)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(10)]
    [TestCase(12)]
    [TestCase(15)]
    [TestCase(16)]
    public void RoundTrip_Lossless_EveryPrecision(int precision) =>
        RoundTrip(new JpegLsTestEncoder { Precision = precision }, 37, 23, 1, seed: precision);

    [TestCase(8, 1)]
    [TestCase(8, 2)]
    [TestCase(12, 2)]
    [TestCase(12, 3)]
    [TestCase(16, 2)]
    [TestCase(16, 7)]
    public void RoundTrip_NearLossless_StaysWithinNear(int precision, int near) =>
        RoundTrip(new JpegLsTestEncoder { Precision = precision, Near = near }, 41, 29, 1, seed: 100 + near);

    [Test]
    public void RoundTrip_RunMode_FlatImageWithSparseInterruptions()
    {
        // Long runs take RUNindex to its top (J = 15 would need 32768 samples; 3000 columns reach J = 9+).
        const int width = 3000, height = 6;
        var image = new uint[1][];
        image[0] = new uint[width * height];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            image[0][y * width + x] = (uint)(x == 1777 && y % 2 == 1 ? 200 : y == 4 && x > 2990 ? 17 : 100);
        var encoder = new JpegLsTestEncoder { Precision = 8 };
        byte[] encoded = encoder.Encode(image, width, height);
        Assert.That(encoded.Length, Is.LessThan(600), "runs code compactly (the first line, below zeros, is regular mode)");
        var format = NativeFrame.Format(height, width, 1, 8, 8);
        Assert.That(Decode(encoded, format), Is.EqualTo(Native(image, format)));
    }

    [TestCase(0, 0)]
    [TestCase(0, 1)]
    [TestCase(1, 0)]
    [TestCase(1, 1)]
    [TestCase(2, 0)]
    [TestCase(2, 1)]
    public void RoundTrip_ThreeComponents_EveryInterleaveMode(int interleave, int planar) =>
        RoundTrip(new JpegLsTestEncoder { Precision = 8, Interleave = interleave }, 19, 13, 3, planar: planar, seed: 7 + interleave);

    [TestCase(1, 0)]
    [TestCase(2, 0)]
    [TestCase(2, 3)]
    [TestCase(1, 2)]
    public void RoundTrip_FourComponentsAndNear(int interleave, int near) =>
        RoundTrip(new JpegLsTestEncoder { Precision = 12, Interleave = interleave, Near = near }, 17, 11, 4, seed: 21);

    [TestCase(0, 1, 0)]
    [TestCase(0, 3, 2)]
    [TestCase(1, 2, 0)]
    [TestCase(2, 1, 0)]
    [TestCase(2, 4, 1)]
    public void RoundTrip_RestartIntervals(int interleave, int interval, int near) =>
        RoundTrip(new JpegLsTestEncoder { Precision = 10, Interleave = interleave, RestartInterval = interval, Near = near }, 23, 14,
            interleave == 0 ? 1 : 3, seed: 31 + interval);

    [Test]
    public void RoundTrip_PresetParameters_ThresholdsResetAndMaxVal()
    {
        RoundTrip(new JpegLsTestEncoder { Precision = 12, Preset = (3000, 5, 40, 300, 7) }, 29, 17, 1, seed: 41, maxVal: 3000);
        RoundTrip(new JpegLsTestEncoder { Precision = 12, Near = 2, Preset = (3000, 0, 0, 0, 0) }, 29, 17, 1, seed: 42, maxVal: 3000);
        RoundTrip(new JpegLsTestEncoder { Precision = 6, Preset = (40, 0, 9, 30, 255) }, 29, 17, 1, seed: 43, maxVal: 40);
    }

    [Test]
    public void RoundTrip_SixteenBitsIntoThirtyTwoBitAllocation() =>
        RoundTrip(new JpegLsTestEncoder { Precision = 16 }, 13, 9, 1, bitsAllocated: 32, seed: 51);

    [Test]
    public void DefaultThresholds_AreThoseOfT87_C2411()
    {
        // The values CharLS wrote into the LSE segments of the NEMA files CT1_JLSN (16 bit, NEAR 4) and RG2_JLSL / RG2_JLSN (10 bit).
        Assert.That(Thresholds(16, 4), Is.EqualTo((30, 87, 304)));
        Assert.That(Thresholds(10, 0), Is.EqualTo((6, 19, 72)));
        Assert.That(Thresholds(10, 4), Is.EqualTo((18, 39, 100)));
        Assert.That(Thresholds(16, 0), Is.EqualTo((18, 67, 276)));
        Assert.That(Thresholds(8, 0), Is.EqualTo((3, 7, 21)));
        Assert.That(Thresholds(2, 0), Is.EqualTo((2, 3, 3)));

        static (int, int, int) Thresholds(int precision, int near)
        {
            var p = JpegLsParameters.Create(precision, near, default, 0);
            return (p.T1, p.T2, p.T3);
        }
    }

    [Test]
    public void TinyStream_IsDecodedFromItsMarkers()
    {
        // 2×1, P = 8, all four samples the same: the first sample is in run mode (all gradients 0) and the run of
        // two reaches the line end: bits "1" (RUNindex 0, one sample) "1" (one sample) → 1100 0000 = C0.
        byte[] jls =
        [
            0xFF, 0xD8,
            0xFF, 0xF7, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
            0xC0,
            0xFF, 0xD9,
        ];
        Assert.That(Decode(jls, NativeFrame.Format(1, 2, 1, 8, 8)), Is.EqualTo(new byte[] { 0, 0 }));
    }

    [Test]
    public void MissingSoi_Throws()
    {
        var ex = Assert.Throws<DicomCodecException>(() => Decode([0xFF, 0xF7, 0x00, 0x02], NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.ByteOffset, Is.EqualTo(0));
    }

    [Test]
    public void JpegLosslessFrameHeader_Throws()
    {
        byte[] data = [0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9];
        var ex = Assert.Throws<DicomCodecException>(() => Decode(data, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("SOF55"));
    }

    [Test]
    public void SizeDisagreeingWithDataSet_Throws()
    {
        byte[] encoded = new JpegLsTestEncoder().Encode(RandomImage(8, 8, 1, 255, 3), 8, 8);
        Assert.Throws<DicomCodecException>(() => Decode(encoded, NativeFrame.Format(8, 9, 1, 8, 8)));
        Assert.Throws<DicomCodecException>(() => Decode(encoded, NativeFrame.Format(8, 8, 3, 8, 8)));
    }

    [Test]
    public void PrecisionAboveBitsAllocated_Throws()
    {
        byte[] encoded = new JpegLsTestEncoder { Precision = 12 }.Encode(RandomImage(8, 8, 1, 4095, 3), 8, 8);
        Assert.Throws<DicomCodecException>(() => Decode(encoded, NativeFrame.Format(8, 8, 1, 8, 8)));
    }

    [Test]
    public void TruncatedScan_Throws()
    {
        byte[] encoded = new JpegLsTestEncoder { Precision = 16 }.Encode(RandomImage(32, 32, 1, 65535, 5), 32, 32);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(encoded[..(encoded.Length / 2)], NativeFrame.Format(32, 32, 1, 16, 16)));
        Assert.That(ex!.ByteOffset, Is.Not.Null);
    }

    [Test]
    public void WrongRestartMarker_Throws()
    {
        byte[] encoded = new JpegLsTestEncoder { RestartInterval = 2 }.Encode(RandomImage(8, 6, 1, 255, 9), 8, 6);
        int rst0 = IndexOfMarker(encoded, 0xD0);
        encoded[rst0 + 1] = 0xD3;
        var ex = Assert.Throws<DicomCodecException>(() => Decode(encoded, NativeFrame.Format(6, 8, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("RST0 expected, found FFD3"));
    }

    [Test]
    public void MappingTableAndPointTransform_AreRefused()
    {
        byte[] encoded = new JpegLsTestEncoder().Encode(RandomImage(4, 4, 1, 255, 9), 4, 4);
        int sos = IndexOfMarker(encoded, 0xDA);
        byte[] mapped = (byte[])encoded.Clone();
        mapped[sos + 6] = 1; // Tm of the first component
        Assert.That(Assert.Throws<DicomCodecException>(() => Decode(mapped, NativeFrame.Format(4, 4, 1, 8, 8)))!.Message, Does.Contain("mapping table"));
        byte[] shifted = (byte[])encoded.Clone();
        shifted[sos + 9] = 2; // Pt
        Assert.That(Assert.Throws<DicomCodecException>(() => Decode(shifted, NativeFrame.Format(4, 4, 1, 8, 8)))!.Message, Does.Contain("point transform"));
    }

    [Test]
    public void InvalidPresetThresholds_Throw()
    {
        byte[] encoded = new JpegLsTestEncoder { Preset = (0, 9, 5, 0, 0) }.Encode(RandomImage(4, 4, 1, 255, 9), 4, 4);
        Assert.That(Assert.Throws<DicomCodecException>(() => Decode(encoded, NativeFrame.Format(4, 4, 1, 8, 8)))!.Message, Does.Contain("T1"));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void CorruptedStreams_DecodeOrThrowDicomCodecException_Quickly(int interleave)
    {
        var image = RandomImage(40, 24, 3, 4095, 11);
        byte[] good = new JpegLsTestEncoder { Precision = 12, Interleave = interleave, Near = interleave, RestartInterval = interleave == 1 ? 5 : 0 }
            .Encode(image, 40, 24);
        var format = NativeFrame.Format(24, 40, 3, 16, 12);
        var random = new Random(5 + interleave);
        var watch = Stopwatch.StartNew();
        int refused = 0;
        for (int trial = 0; trial < 1500; trial++)
        {
            byte[] bad = (byte[])good.Clone();
            int changes = 1 + trial % 4;
            for (int c = 0; c < changes; c++) bad[random.Next(bad.Length)] ^= (byte)(1 + random.Next(255));
            if (trial % 5 == 0) bad = bad.AsSpan(0, random.Next(bad.Length)).ToArray();
            try
            {
                Decode(bad, format);
            }
            catch (DicomCodecException)
            {
                refused++;
            }
        }

        Assert.That(refused, Is.GreaterThan(0));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "no pathological slow path");
    }

    [Test]
    public void EveryTruncation_ThrowsOrDecodes()
    {
        byte[] good = new JpegLsTestEncoder { Precision = 16, Near = 1 }.Encode(RandomImage(16, 8, 1, 65535, 13), 16, 8);
        var format = NativeFrame.Format(8, 16, 1, 16, 16);
        for (int length = 0; length < good.Length; length++)
        {
            try
            {
                Decode(good[..length], format);
            }
            catch (DicomCodecException)
            {
            }
        }
    }

    private static int IndexOfMarker(byte[] data, byte marker)
    {
        for (int i = 0; i + 1 < data.Length; i++)
            if (data[i] == 0xFF && data[i + 1] == marker) return i;
        Assert.Fail($"marker FF{marker:X2} not found");
        return -1;
    }
}
