using System.Buffers.Binary;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Walks the marker segments of a JPEG-family frame (T.81 B.1.1, also JPEG-LS T.87): the SOI check, fill bytes,
/// standalone RSTn/TEM markers, and every segment's length checked against the data; the frame parsers of JPEG lossless,
/// JPEG Baseline / Extended and JPEG-LS share it. <c>family</c> ("JPEG", "JPEG-LS") names the format in messages.
/// </summary>
internal static class JpegMarkerSegments
{
    /// <summary>Checks the SOI marker; returns the offset after it.</summary>
    public static int Start(ReadOnlySpan<byte> data, string family) =>
        data.Length >= 2 && data[0] == 0xFF && data[1] == 0xD8 ? 2
            : throw new DicomCodecException($"{family} frame does not start with the SOI marker (FF D8).", 0);

    /// <summary>
    /// The next segment from <paramref name="pos"/> (advanced past it); false at EOI or at the end of the data, which ends
    /// a frame after complete scans too.
    /// </summary>
    public static bool TryNext(ReadOnlySpan<byte> data, ref int pos, string family, out int marker, out int markerOffset,
        out ReadOnlySpan<byte> segment, out int segmentOffset)
    {
        marker = markerOffset = segmentOffset = 0;
        segment = default;
        while (true)
        {
            if (pos >= data.Length) return false;
            if (data[pos] != 0xFF)
                throw new DicomCodecException($"Expected a {family} marker, found byte 0x{data[pos]:X2}.", pos);
            markerOffset = pos;
            while (pos < data.Length && data[pos] == 0xFF) pos++;
            if (pos >= data.Length) return false;
            marker = data[pos++];
            if (marker == 0xD9) return false; // EOI
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) continue; // stray RSTn / TEM carry no segment
            if (pos + 2 > data.Length)
                throw new DicomCodecException($"{family} marker FF{marker:X2} is cut off before its length field.", markerOffset);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2 || pos + length > data.Length)
                throw new DicomCodecException($"{family} marker FF{marker:X2} declares a segment of {length} bytes, but {data.Length - pos} remain.", markerOffset);
            segment = data.Slice(pos + 2, length - 2);
            segmentOffset = pos + 2;
            pos += length;
            return true;
        }
    }
}
