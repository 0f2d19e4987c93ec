using System.Buffers.Binary;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes RLE Lossless (1.2.840.10008.1.2.5), DICOM PS3.5 Annex G: a 64-byte header (segment count and up
/// to 15 segment offsets) followed by PackBits-encoded segments, one per byte plane, most significant byte
/// of each sample first and sample after sample (all bytes of sample 0, then sample 1, …).
/// </summary>
/// <remarks>
/// RLE segments are always colour-by-plane; the decoded frame is written in the native layout the header's
/// Planar Configuration describes (interleaved for 0, planar for 1), little-endian, so it reads exactly like
/// uncompressed Pixel Data. Every header field and every run is checked against the input and output sizes:
/// corrupt data raises <see cref="DicomCodecException"/>, never writes outside the frame and never loops
/// longer than the input allows. Bytes left in a segment after its plane is complete are padding and ignored
/// (as in pydicom and GDCM). Thread-safe: the codec holds no state.
/// </remarks>
public sealed class RleLosslessCodec : IDicomCodec
{
    private const int HeaderSize = 64;
    private const int MaxSegments = 15;
    private static readonly string[] Uids = [TransferSyntaxNames.RleLossless];

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "RLE Lossless";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
    {
        format.Validate();
        if (format.BitsAllocated % 8 != 0)
            throw new DicomCodecException($"RLE Lossless cannot encode {format.BitsAllocated}-bit samples: Bits Allocated (0028,0100) must be 8, 16 or 32.");
        long frameSize = format.FrameSizeBytes;
        if (destination.Length < frameSize)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {frameSize}.", nameof(destination));

        int bytesPerSample = format.BitsAllocated / 8;
        int expectedSegments = bytesPerSample * format.SamplesPerPixel;
        if (encodedFrame.Length < HeaderSize)
            throw new DicomCodecException($"RLE frame is {encodedFrame.Length} bytes, shorter than the 64-byte RLE header.", 0);

        uint segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(encodedFrame);
        if (segmentCount > MaxSegments)
            throw new DicomCodecException($"RLE header declares {segmentCount} segments; at most {MaxSegments} are allowed.", 0);
        if (segmentCount != expectedSegments)
            throw new DicomCodecException(
                $"RLE header declares {segmentCount} segments but {format.SamplesPerPixel} sample(s) of {format.BitsAllocated} bits need {expectedSegments} (one per byte plane).", 0);

        int planeLength = checked((int)format.PixelCount);
        Span<int> offsets = stackalloc int[MaxSegments + 1];
        for (int s = 0; s < expectedSegments; s++)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(encodedFrame[(4 + 4 * s)..]);
            uint previousEnd = s == 0 ? HeaderSize : (uint)offsets[s - 1] + 1;
            if (offset < previousEnd || offset >= (uint)encodedFrame.Length)
                throw new DicomCodecException(
                    $"RLE segment {s + 1} offset {offset} is invalid: offsets must start at or after the 64-byte header, increase strictly and lie inside the {encodedFrame.Length}-byte frame.",
                    4 + 4 * s);
            offsets[s] = (int)offset;
        }
        offsets[expectedSegments] = encodedFrame.Length;

        bool planar = format.PlanarConfiguration == 1 && format.SamplesPerPixel > 1;
        for (int s = 0; s < expectedSegments; s++)
        {
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // segments are MSB first, output is LE
            int start, stride;
            if (planar)
            {
                start = sample * planeLength * bytesPerSample + byteInSample;
                stride = bytesPerSample;
            }
            else
            {
                start = sample * bytesPerSample + byteInSample;
                stride = bytesPerSample * format.SamplesPerPixel;
            }

            DecodeSegment(encodedFrame[offsets[s]..offsets[s + 1]], offsets[s], s + 1, destination[start..], stride, planeLength);
        }
    }

    /// <summary>
    /// Decodes one PackBits segment into <paramref name="count"/> bytes written every <paramref name="stride"/>
    /// bytes of <paramref name="output"/>.
    /// </summary>
    private static void DecodeSegment(ReadOnlySpan<byte> segment, int segmentOffset, int segmentNumber, Span<byte> output, int stride, int count)
    {
        int inPos = 0;
        int produced = 0;
        while (produced < count)
        {
            if (inPos >= segment.Length)
                throw new DicomCodecException(
                    $"RLE segment {segmentNumber} ends after {produced} of its {count} bytes.", segmentOffset + inPos);

            int header = (sbyte)segment[inPos];
            if (header >= 0)
            {
                int length = header + 1;
                if (inPos + 1 + length > segment.Length)
                    throw new DicomCodecException(
                        $"RLE segment {segmentNumber}: literal run of {length} bytes extends past the segment end.", segmentOffset + inPos);
                if (length > count - produced)
                    throw new DicomCodecException(
                        $"RLE segment {segmentNumber}: literal run of {length} bytes overruns the plane ({count - produced} bytes left).", segmentOffset + inPos);
                ReadOnlySpan<byte> literal = segment.Slice(inPos + 1, length);
                if (stride == 1)
                {
                    literal.CopyTo(output.Slice(produced, length));
                }
                else
                {
                    int o = produced * stride;
                    for (int i = 0; i < literal.Length; i++, o += stride) output[o] = literal[i];
                }

                produced += length;
                inPos += 1 + length;
            }
            else if (header != -128)
            {
                int length = 1 - header;
                if (inPos + 1 >= segment.Length)
                    throw new DicomCodecException(
                        $"RLE segment {segmentNumber}: replicate run lacks its byte at the segment end.", segmentOffset + inPos);
                if (length > count - produced)
                    throw new DicomCodecException(
                        $"RLE segment {segmentNumber}: replicate run of {length} bytes overruns the plane ({count - produced} bytes left).", segmentOffset + inPos);
                byte value = segment[inPos + 1];
                if (stride == 1)
                {
                    output.Slice(produced, length).Fill(value);
                }
                else
                {
                    int o = produced * stride;
                    for (int i = 0; i < length; i++, o += stride) output[o] = value;
                }

                produced += length;
                inPos += 2;
            }
            else
            {
                inPos++; // -128 is a no-op
            }
        }
    }
}
