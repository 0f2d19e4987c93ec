using System.Buffers.Binary;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

[TestFixture]
public class RleLosslessCodecTests
{
    private static readonly RleLosslessCodec Codec = new();

    private static byte[] Decode(byte[] encoded, DicomPixelFormat format)
    {
        // Sentinel bytes after the frame prove the codec never writes past it.
        var buffer = new byte[format.FrameSizeBytes + 16];
        buffer.AsSpan().Fill(0xCD);
        Codec.DecodeFrame(encoded, format, buffer.AsSpan(0, (int)format.FrameSizeBytes));
        Assert.That(buffer.AsSpan((int)format.FrameSizeBytes).ToArray(), Is.All.EqualTo(0xCD), "bytes after the frame were written");
        return buffer.AsSpan(0, (int)format.FrameSizeBytes).ToArray();
    }

    private static byte[] Stream(params byte[][] segments)
    {
        var header = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)segments.Length);
        int offset = 64;
        for (int i = 0; i < segments.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 + 4 * i), (uint)offset);
            offset += segments[i].Length;
        }

        return [.. header, .. segments.SelectMany(s => s)];
    }

    [Test]
    public void HandWrittenSegment_LiteralReplicateAndNoOpRuns()
    {
        // 2 rows × 4 columns, 8-bit: literal (2 → 3 bytes), replicate (-2 → 3 copies), no-op (-128), replicate (-1 → 2 copies).
        byte[] segment = [0x02, 10, 20, 30, 0xFE, 7, 0x80, 0xFF, 9];
        byte[] decoded = Decode(Stream(segment), NativeFrame.Format(2, 4, 1, 8, 8));
        Assert.That(decoded, Is.EqualTo(new byte[] { 10, 20, 30, 7, 7, 7, 9, 9 }));
    }

    [Test]
    public void HandWritten16BitSigned_SegmentsAreMostSignificantByteFirst()
    {
        // Pixels −2 (0xFFFE) and 258 (0x0102): high-byte segment FF 01, low-byte segment FE 02.
        byte[] decoded = Decode(Stream([0x01, 0xFF, 0x01], [0x01, 0xFE, 0x02]), NativeFrame.Format(1, 2, 1, 16, 16, signed: true));
        Assert.That(decoded, Is.EqualTo(new byte[] { 0xFE, 0xFF, 0x02, 0x01 }));
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(decoded), Is.EqualTo(-2));
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(decoded.AsSpan(2)), Is.EqualTo(258));
    }

    [Test]
    public void HandWrittenRgb_FollowsPlanarConfiguration()
    {
        // Two RGB pixels (1,2,3) and (4,5,6); RLE always stores R plane, G plane, B plane.
        byte[] stream = Stream([0x01, 1, 4], [0x01, 2, 5], [0x01, 3, 6]);
        Assert.That(Decode(stream, NativeFrame.Format(1, 2, 3, 8, 8, planar: 0)), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(Decode(stream, NativeFrame.Format(1, 2, 3, 8, 8, planar: 1)), Is.EqualTo(new byte[] { 1, 4, 2, 5, 3, 6 }));
    }

    [TestCase(1, 8, 8, false, 0)]
    [TestCase(1, 16, 12, false, 0)]
    [TestCase(1, 16, 16, true, 0)]
    [TestCase(1, 32, 32, false, 0)]
    [TestCase(3, 8, 8, false, 0)]
    [TestCase(3, 8, 8, false, 1)]
    [TestCase(3, 16, 16, false, 0)]
    [TestCase(3, 16, 16, false, 1)]
    [TestCase(3, 32, 32, false, 1)]
    public void RoundTrip_EncoderFromStandard(int samples, int bitsAllocated, int bitsStored, bool signed, int planar)
    {
        var format = NativeFrame.Format(13, 29, samples, bitsAllocated, bitsStored, signed, planar);
        var random = new Random(bitsAllocated * 10 + samples + planar);
        var values = new uint[13 * 29 * samples];
        for (int i = 0; i < values.Length; i++)
        {
            // Mix flat stretches (replicate runs) with noise (literal runs) and full-range values.
            int pixel = i / samples;
            uint v = pixel % 29 < 10 ? (uint)(pixel / 29 * 7 + i % samples) : (uint)random.NextInt64(0, 1L << bitsStored);
            if (signed && i % 5 == 0) v = unchecked((uint)-(int)(v & 0x7FF)); // negative values in two's complement
            values[i] = v;
        }

        byte[] native = NativeFrame.Build(values, format);
        byte[] encoded = RleTestEncoder.Encode(native, format);
        Assert.That(Decode(encoded, format), Is.EqualTo(native));
    }

    [Test]
    public void LongRuns_SpanMultiplePackBitsRuns()
    {
        var format = NativeFrame.Format(20, 50, 1, 8, 8); // 1000 identical bytes → eight 128-byte runs
        var values = Enumerable.Repeat(200u, 1000).ToArray();
        byte[] native = NativeFrame.Build(values, format);
        Assert.That(Decode(RleTestEncoder.Encode(native, format), format), Is.EqualTo(native));
    }

    [Test]
    public void TooManySegments_Throws()
    {
        byte[] stream = Stream([0x00, 1]);
        BinaryPrimitives.WriteUInt32LittleEndian(stream, 16);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("16 segments"));
    }

    [Test]
    public void SegmentCountDisagreeingWithFormat_Throws()
    {
        byte[] stream = Stream([0x00, 1], [0x00, 2]); // two segments for a 16-bit image would be right, not for 8-bit
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("need 1"));
    }

    [Test]
    public void OffsetPastEnd_Throws()
    {
        byte[] stream = Stream([0x00, 1]);
        BinaryPrimitives.WriteUInt32LittleEndian(stream.AsSpan(4), 1000);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream, NativeFrame.Format(1, 1, 1, 8, 8)));
        Assert.That(ex!.ByteOffset, Is.EqualTo(4));
    }

    [Test]
    public void DecreasingOffsets_Throw()
    {
        byte[] stream = Stream([0x00, 1], [0x00, 2]);
        BinaryPrimitives.WriteUInt32LittleEndian(stream.AsSpan(8), 64);
        Assert.Throws<DicomCodecException>(() => Decode(stream, NativeFrame.Format(1, 1, 1, 16, 16)));
    }

    [Test]
    public void OffsetInsideHeader_Throws()
    {
        byte[] stream = Stream([0x00, 1]);
        BinaryPrimitives.WriteUInt32LittleEndian(stream.AsSpan(4), 8);
        Assert.Throws<DicomCodecException>(() => Decode(stream, NativeFrame.Format(1, 1, 1, 8, 8)));
    }

    [Test]
    public void ReplicateRunOverrunningThePlane_Throws()
    {
        // 4-pixel plane, replicate run of 10.
        var ex = Assert.Throws<DicomCodecException>(() => Decode(Stream([0xF7, 5]), NativeFrame.Format(2, 2, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("overruns"));
        Assert.That(ex.ByteOffset, Is.EqualTo(64));
    }

    [Test]
    public void LiteralRunOverrunningThePlane_Throws()
    {
        Assert.Throws<DicomCodecException>(() => Decode(Stream([0x04, 1, 2, 3, 4, 5]), NativeFrame.Format(2, 2, 1, 8, 8)));
    }

    [Test]
    public void SegmentEndingEarly_Throws()
    {
        var ex = Assert.Throws<DicomCodecException>(() => Decode(Stream([0x01, 1, 2]), NativeFrame.Format(2, 2, 1, 8, 8)));
        Assert.That(ex!.Message, Does.Contain("after 2 of its 4 bytes"));
    }

    [Test]
    public void LiteralRunCutOffBySegmentEnd_Throws()
    {
        Assert.Throws<DicomCodecException>(() => Decode(Stream([0x03, 1, 2]), NativeFrame.Format(2, 2, 1, 8, 8)));
    }

    [Test]
    public void OnlyNoOpBytes_EndWithoutHanging()
    {
        Assert.Throws<DicomCodecException>(() => Decode(Stream(Enumerable.Repeat((byte)0x80, 1000).ToArray()), NativeFrame.Format(2, 2, 1, 8, 8)));
    }

    [Test]
    public void ShortHeader_Throws()
    {
        Assert.Throws<DicomCodecException>(() => Decode(new byte[10], NativeFrame.Format(1, 1, 1, 8, 8)));
    }

    [Test]
    public void CorruptedStreams_DecodeOrThrowDicomCodecException()
    {
        var format = NativeFrame.Format(16, 16, 3, 16, 16);
        var random = new Random(7);
        var values = new uint[16 * 16 * 3];
        for (int i = 0; i < values.Length; i++) values[i] = (uint)(i % 40 < 20 ? 1000 : random.Next(65536));
        byte[] good = RleTestEncoder.Encode(NativeFrame.Build(values, format), format);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] bad = (byte[])good.Clone();
            int changes = 1 + trial % 4;
            for (int c = 0; c < changes; c++) bad[random.Next(bad.Length)] = (byte)random.Next(256);
            if (trial % 7 == 0) bad = bad.AsSpan(0, random.Next(bad.Length)).ToArray();
            try
            {
                Decode(bad, format);
            }
            catch (DicomCodecException)
            {
            }
        }
    }
}
