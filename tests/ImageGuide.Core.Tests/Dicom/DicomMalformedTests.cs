using ImageGuide.Dicom;

namespace ImageGuide.Tests.Dicom;

/// <summary>Each kind of malformed stream ends in a <see cref="DicomException"/> that names the element and offset.</summary>
[TestFixture]
public sealed class DicomMalformedTests
{
    private static DicomException Fails(byte[] data, bool explicitVr = true, long baseOffset = 0) =>
        Assert.Throws<DicomException>(() => DicomElementReaderTests.Tokens(data, explicitVr, true, baseOffset))!;

    [Test]
    public void TruncatedHeader()
    {
        byte[] data = new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1).Bytes(0x28, 0x00, 0x11, 0x00, (byte)'U').ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.ByteOffset, Is.EqualTo(10));
        Assert.That(ex.Message, Does.StartWith("test.dcm: an element header at byte 10 needs 8 bytes but only 5 remain"));
    }

    [Test]
    public void TruncatedLongVrHeader()
    {
        byte[] data = new DicomStreamBuilder().Bytes(0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W', 0, 0, 0x10).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.PixelData));
        Assert.That(ex.Message, Does.Contain("needs a 12-byte header but only 9 bytes remain"));
    }

    [Test]
    public void LengthPastEndIsReportedWithTagAndOffsetBeforeAnyAllocation()
    {
        byte[] data = new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1)
            .Header(0x7FE0, 0x0010, "OW", 0xFFFFFFFE).Bytes(new byte[120]).ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        DicomException ex = Fails(data, baseOffset: 400);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.PixelData));
        Assert.That(ex.ByteOffset, Is.EqualTo(410));
        Assert.That(ex.FilePath, Is.EqualTo("test.dcm"));
        Assert.That(ex.Message, Is.EqualTo("test.dcm: element (7FE0,0010) at byte 410 declares length 4294967294 but only 120 bytes remain; the file is truncated or corrupt."));
        Assert.That(allocated, Is.LessThan(1 << 20));
    }

    [Test]
    public void ShortVrLengthPastEnd()
    {
        byte[] data = new DicomStreamBuilder().Header(0x0028, 0x0010, "US", 2).Bytes(1).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.Rows));
        Assert.That(ex.ByteOffset, Is.EqualTo(0));
    }

    [Test]
    public void ElementOverrunningItsItem()
    {
        var b = new DicomStreamBuilder();
        byte[] item = b.Nested().Header(0x0020, 0x0032, "DS", 40).Bytes(new byte[4]).ToArray();
        byte[] data = b.Sequence(0x0020, 0x9113, false, false, item).Bytes(new byte[64]).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.ImagePositionPatient));
        Assert.That(ex.Message, Does.Contain("in an item of sequence (0020,9113)"));
    }

    [Test]
    public void ItemLongerThanItsSequence()
    {
        var b = new DicomStreamBuilder();
        byte[] body = b.Nested().ItemTag(0xFFFE, 0xE000, 100).Bytes(new byte[8]).ToArray();
        byte[] data = b.Header(0x0008, 0x1140, "SQ", (uint)body.Length).Bytes(body).Bytes(new byte[200]).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.ReferencedImageSequence));
        Assert.That(ex.ByteOffset, Is.EqualTo(12));
        Assert.That(ex.Message, Does.Contain("declares length 100 but only 8 bytes remain"));
    }

    [Test]
    public void BadItemTagInSequence()
    {
        byte[] data = new DicomStreamBuilder().Header(0x0008, 0x1140, "SQ", DicomStreamBuilder.Undefined)
            .ItemTag(0x0008, 0x1150, 0).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.ReferencedImageSequence));
        Assert.That(ex.ByteOffset, Is.EqualTo(12));
        Assert.That(ex.Message, Does.Contain("expected an item tag (FFFE,E000) or sequence delimiter (FFFE,E0DD)").And.Contain("found (0008,1150)"));
    }

    [Test]
    public void UnterminatedSequence()
    {
        byte[] item = new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1).ToArray();
        byte[] data = new DicomStreamBuilder().Header(0x0008, 0x1140, "SQ", DicomStreamBuilder.Undefined)
            .ItemTag(0xFFFE, 0xE000, (uint)item.Length).Bytes(item).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.ReferencedImageSequence));
        Assert.That(ex.Message, Does.Contain("sequence (0008,1140) starting at byte 0 has undefined length but the data ends at byte 30"));
    }

    [Test]
    public void UnterminatedItem()
    {
        byte[] data = new DicomStreamBuilder().Header(0x0008, 0x1140, "SQ", DicomStreamBuilder.Undefined)
            .ItemTag(0xFFFE, 0xE000, DicomStreamBuilder.Undefined).UInt16(0x0028, 0x0010, 1).ToArray();
        Assert.That(Fails(data).Message, Does.Contain("an item of sequence (0008,1140)").And.Contain("without its delimitation item"));
    }

    [Test]
    public void NestingTooDeep()
    {
        var b = new DicomStreamBuilder();
        for (int i = 0; i < DicomElementReader.MaxSequenceDepth + 1; i++)
            b.Header(0x0040, 0xA730, "SQ", DicomStreamBuilder.Undefined).ItemTag(0xFFFE, 0xE000, DicomStreamBuilder.Undefined);
        DicomException ex = Fails(b.ToArray());
        Assert.That(ex.Message, Does.Contain($"nest deeper than {DicomElementReader.MaxSequenceDepth} levels"));
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.ContentSequence));
    }

    [Test]
    public void NestingAtTheLimitIsAccepted()
    {
        var b = new DicomStreamBuilder();
        for (int i = 0; i < DicomElementReader.MaxSequenceDepth; i++)
            b.Header(0x0040, 0xA730, "SQ", DicomStreamBuilder.Undefined).ItemTag(0xFFFE, 0xE000, DicomStreamBuilder.Undefined);
        for (int i = 0; i < DicomElementReader.MaxSequenceDepth; i++)
            b.ItemTag(0xFFFE, 0xE00D, 0).ItemTag(0xFFFE, 0xE0DD, 0);
        Assert.That(DicomElementReaderTests.Tokens(b.ToArray()), Has.Count.EqualTo(4 * DicomElementReader.MaxSequenceDepth));
    }

    [Test]
    public void UndefinedLengthOnANonSequenceVr()
    {
        byte[] data = new DicomStreamBuilder().Header(0x0010, 0x0010, "UT", DicomStreamBuilder.Undefined).Bytes(new byte[8]).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Message, Does.Contain("has VR UT with undefined length"));
    }

    [Test]
    public void FragmentOfUndefinedLength()
    {
        byte[] data = new DicomStreamBuilder().Header(0x7FE0, 0x0010, "OB", DicomStreamBuilder.Undefined)
            .ItemTag(0xFFFE, 0xE000, DicomStreamBuilder.Undefined).Bytes(new byte[16]).ToArray();
        Assert.That(Fails(data).Message, Does.Contain("pixel data fragment at byte 12 declares undefined length"));
    }

    [Test]
    public void BadTagInsideEncapsulatedPixelData()
    {
        byte[] data = new DicomStreamBuilder().Header(0x7FE0, 0x0010, "OB", DicomStreamBuilder.Undefined)
            .ItemTag(0xFFFE, 0xE000, 0).ItemTag(0x0028, 0x0010, 2).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.PixelData));
        Assert.That(ex.ByteOffset, Is.EqualTo(20));
    }

    [Test]
    public void DelimiterAtDatasetLevel()
    {
        byte[] data = new DicomStreamBuilder().UInt16(0x0028, 0x0010, 1).ItemTag(0xFFFE, 0xE0DD, 0).ToArray();
        DicomException ex = Fails(data);
        Assert.That(ex.ByteOffset, Is.EqualTo(10));
        Assert.That(ex.Message, Does.Contain("unexpected (FFFE,E0DD)"));
    }
}
