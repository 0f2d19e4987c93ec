using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

[TestFixture]
public class JpegLosslessCodecTests
{
    private static readonly JpegLosslessCodec Codec = new();

    private static byte[] Decode(byte[] encoded, DicomPixelFormat format)
    {
        var buffer = new byte[format.FrameSizeBytes + 16];
        buffer.AsSpan().Fill(0xCD);
        Codec.DecodeFrame(encoded, format, buffer.AsSpan(0, (int)format.FrameSizeBytes));
        Assert.That(buffer.AsSpan((int)format.FrameSizeBytes).ToArray(), Is.All.EqualTo(0xCD), "bytes after the frame were written");
        return buffer.AsSpan(0, (int)format.FrameSizeBytes).ToArray();
    }

    /// <summary>Random image: smooth ramp plus noise (short codes) in one half, uniform noise (long codes) in the other.</summary>
    private static uint[][] RandomImage(int width, int height, int components, int precision, int seed)
    {
        var random = new Random(seed);
        uint max = (uint)((1 << precision) - 1);
        var image = new uint[components][];
        for (int c = 0; c < components; c++)
        {
            image[c] = new uint[width * height];
            for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                uint v = y < height / 2
                    ? (uint)Math.Clamp((x + y) * (int)max / (width + height) + random.Next(-3, 4), 0, (int)max)
                    : (uint)random.NextInt64(0, max + 1L);
                image[c][y * width + x] = v;
            }
        }

        image[0][0] = 0;                       // extremes: first sample far from the initial prediction
        image[0][width * height - 1] = max;
        return image;
    }

    private static byte[] Expected(uint[][] image, DicomPixelFormat format, int pointTransform)
    {
        int pixels = format.Rows * format.Columns;
        var interleaved = new uint[pixels * image.Length];
        for (int p = 0; p < pixels; p++)
        for (int c = 0; c < image.Length; c++)
            interleaved[p * image.Length + c] = image[c][p] >> pointTransform << pointTransform;
        return NativeFrame.Build(interleaved, format);
    }

    [Test]
    public void HandCheckedTinyImage()
    {
        // 2×2, P = 8, predictor 1: values 130 129 / 128 131. Table: categories 0,1,2 → codes 00,01,10.
        // (0,0) pred 128 diff +2 → 10|10; (0,1) pred Ra=130 diff −1 → 01|0; (1,0) pred Rb=130 diff −2 → 10|01;
        // (1,1) pred Ra=128 diff +3 → 10|11. Bits 1010 0101 0011 011 + one 1-bit of padding = A5 37.
        byte[] jpeg =
        [
            0xFF, 0xD8,
            0xFF, 0xC4, 0x00, 0x16, 0x00, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x02,
            0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x02, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00,
            0xA5, 0x37,
            0xFF, 0xD9,
        ];
        Assert.That(Decode(jpeg, NativeFrame.Format(2, 2, 1, 8, 8)), Is.EqualTo(new byte[] { 130, 129, 128, 131 }));
    }

    [Test]
    public void DifferenceCategory16_Is32768WithoutExtraBits()
    {
        // 1×2, P = 16: sample 0 = 0 with initial prediction 32768 → difference 32768 (SSSS = 16, no extra bits);
        // sample 1 = 5 with Ra = 0 → SSSS = 3, bits 101. Table: 0,3,16 → 00,01,10. Bits 10 01 101 + 1 = 9B.
        byte[] jpeg =
        [
            0xFF, 0xD8,
            0xFF, 0xC4, 0x00, 0x16, 0x00, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x03, 0x10,
            0xFF, 0xC3, 0x00, 0x0B, 0x10, 0x00, 0x01, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00,
            0x9B,
            0xFF, 0xD9,
        ];
        Assert.That(Decode(jpeg, NativeFrame.Format(1, 2, 1, 16, 16)), Is.EqualTo(new byte[] { 0, 0, 5, 0 }));
    }

    private static IEnumerable<TestCaseData> PredictorCases()
    {
        foreach (int precision in new[] { 8, 12, 16 })
        for (int predictor = 1; predictor <= 7; predictor++)
            yield return new TestCaseData(precision, predictor).SetArgDisplayNames($"P{precision}", $"Ss{predictor}");
    }

    [TestCaseSource(nameof(PredictorCases))]
    public void RoundTrip_EveryPredictorAndPrecision(int precision, int predictor)
    {
        var image = RandomImage(37, 23, 1, precision, seed: precision * 10 + predictor);
        var encoder = new JpegLosslessTestEncoder { Precision = precision, Predictor = predictor };
        var format = NativeFrame.Format(23, 37, 1, precision > 8 ? 16 : 8, precision);
        Assert.That(Decode(encoder.Encode(image, 37, 23), format), Is.EqualTo(Expected(image, format, 0)));
    }

    [TestCase(1, 0)]
    [TestCase(4, 0)]
    [TestCase(7, 0)]
    [TestCase(6, 1)]
    public void RoundTrip_ThreeComponentsInterleaved(int predictor, int planar)
    {
        var image = RandomImage(19, 11, 3, 8, seed: predictor);
        var encoder = new JpegLosslessTestEncoder { Predictor = predictor, Tables = [HuffmanSpec.Standard, HuffmanSpec.Reversed] };
        var format = NativeFrame.Format(11, 19, 3, 8, 8, planar: planar);
        Assert.That(Decode(encoder.Encode(image, 19, 11), format), Is.EqualTo(Expected(image, format, 0)));
    }

    [TestCase(0)]
    [TestCase(1)]
    public void RoundTrip_ThreeComponentsInSeparateScans(int planar)
    {
        var image = RandomImage(16, 9, 3, 16, seed: 3);
        var encoder = new JpegLosslessTestEncoder { Precision = 16, Predictor = 5, SeparateScans = true, Tables = [HuffmanSpec.Reversed, HuffmanSpec.Standard, HuffmanSpec.Reversed] };
        var format = NativeFrame.Format(9, 16, 3, 16, 16, planar: planar);
        Assert.That(Decode(encoder.Encode(image, 16, 9), format), Is.EqualTo(Expected(image, format, 0)));
    }

    [TestCase(1, 31, 1)]   // restart every row
    [TestCase(4, 62, 1)]   // every two rows
    [TestCase(7, 10, 1)]   // restarts in the middle of rows
    [TestCase(2, 1, 3)]    // every MCU, three components
    [TestCase(6, 13, 3)]
    public void RoundTrip_RestartIntervals(int predictor, int interval, int components)
    {
        var image = RandomImage(31, 17, components, 12, seed: interval);
        var encoder = new JpegLosslessTestEncoder { Precision = 12, Predictor = predictor, RestartInterval = interval };
        var format = NativeFrame.Format(17, 31, components, 16, 12);
        Assert.That(Decode(encoder.Encode(image, 31, 17), format), Is.EqualTo(Expected(image, format, 0)));
    }

    [TestCase(8, 1, 2)]
    [TestCase(12, 6, 3)]
    [TestCase(16, 7, 4)]
    public void RoundTrip_PointTransformShiftsValuesBack(int precision, int predictor, int pointTransform)
    {
        var image = RandomImage(21, 14, 1, precision, seed: pointTransform);
        var encoder = new JpegLosslessTestEncoder { Precision = precision, Predictor = predictor, PointTransform = pointTransform };
        var format = NativeFrame.Format(14, 21, 1, precision > 8 ? 16 : 8, precision);
        Assert.That(Decode(encoder.Encode(image, 21, 14), format), Is.EqualTo(Expected(image, format, pointTransform)));
    }

    [Test]
    public void LowPrecision_TwoBits()
    {
        var image = RandomImage(9, 5, 1, 2, seed: 2);
        var encoder = new JpegLosslessTestEncoder { Precision = 2, Predictor = 4 };
        var format = NativeFrame.Format(5, 9, 1, 8, 2);
        Assert.That(Decode(encoder.Encode(image, 9, 5), format), Is.EqualTo(Expected(image, format, 0)));
    }

    [Test]
    public void SixteenBitInto32BitAllocation()
    {
        var image = RandomImage(8, 8, 1, 16, seed: 32);
        var encoder = new JpegLosslessTestEncoder { Precision = 16, Predictor = 3 };
        var format = NativeFrame.Format(8, 8, 1, 32, 16);
        Assert.That(Decode(encoder.Encode(image, 8, 8), format), Is.EqualTo(Expected(image, format, 0)));
    }

    [Test]
    public void MissingSoi_Throws()
    {
        var ex = Assert.Throws<DicomCodecException>(() => Decode([0x00, 0x01, 0x02], NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("SOI"));
    }

    [Test]
    public void LossyFrameHeader_Throws()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9];
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("SOF0"));
    }

    [Test]
    public void SizeDisagreeingWithDataSet_Throws()
    {
        var image = RandomImage(8, 8, 1, 8, seed: 1);
        byte[] jpeg = new JpegLosslessTestEncoder().Encode(image, 8, 8);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, NativeFrame.Format(8, 9, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("Columns×Rows = 9×8"));
    }

    [Test]
    public void PrecisionAboveBitsAllocated_Throws()
    {
        var image = RandomImage(8, 8, 1, 12, seed: 1);
        byte[] jpeg = new JpegLosslessTestEncoder { Precision = 12 }.Encode(image, 8, 8);
        Assert.Throws<DicomCodecException>(() => Decode(jpeg, NativeFrame.Format(8, 8, 1, 8, 8)));
    }

    [Test]
    public void TruncatedScan_Throws()
    {
        var image = RandomImage(32, 32, 1, 16, seed: 5);
        byte[] jpeg = new JpegLosslessTestEncoder { Precision = 16 }.Encode(image, 32, 32);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg[..(jpeg.Length / 2)], NativeFrame.Format(32, 32, 1, 16, 16)));
        Assert.That(ex!.Message, Does.Contain("ends before"));
    }

    [Test]
    public void MissingHuffmanTable_Throws()
    {
        byte[] jpeg =
        [
            0xFF, 0xD8,
            0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xD9,
        ];
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("Huffman table 0"));
    }

    [Test]
    public void WrongRestartMarker_Throws()
    {
        var image = RandomImage(8, 4, 1, 8, seed: 9);
        byte[] jpeg = new JpegLosslessTestEncoder { RestartInterval = 8 }.Encode(image, 8, 4);
        int rst0 = IndexOfMarker(jpeg, 0xD0);
        jpeg[rst0 + 1] = 0xD3;
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, NativeFrame.Format(4, 8, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("RST0 expected, found FFD3"));
    }

    [Test]
    public void SegmentLengthPastEnd_Throws()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC4, 0x40, 0x00, 0x00];
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.ByteOffset, Is.EqualTo(2));
    }

    [Test]
    public void OverSubscribedHuffmanTable_Throws()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x16, 0x00, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x02, 0xFF, 0xD9];
        var ex = Assert.Throws<DicomCodecException>(() => Decode(jpeg, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("over-subscribed"));
    }

    [Test]
    public void CorruptedStreams_DecodeOrThrowDicomCodecException()
    {
        var image = RandomImage(24, 16, 3, 12, seed: 11);
        byte[] good = new JpegLosslessTestEncoder { Precision = 12, Predictor = 6, RestartInterval = 20 }.Encode(image, 24, 16);
        var format = NativeFrame.Format(16, 24, 3, 16, 12);
        var random = new Random(5);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] bad = (byte[])good.Clone();
            int changes = 1 + trial % 3;
            for (int c = 0; c < changes; c++) bad[random.Next(bad.Length)] = (byte)random.Next(256);
            if (trial % 5 == 0) bad = bad.AsSpan(0, random.Next(bad.Length)).ToArray();
            try
            {
                Decode(bad, format);
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
