using System.Buffers.Binary;

namespace ImageGuide.Dicom.Codecs;

/// <summary>The markers and tables of one JPEG lossless frame while it is being decoded.</summary>
internal sealed class JpegLosslessFrame
{
    private const int MaxComponents = 4;

    private readonly DicomPixelFormat _format;
    private readonly JpegHuffmanTable?[] _tables = new JpegHuffmanTable?[4];
    private readonly int[] _componentIds = new int[MaxComponents];
    private readonly bool[] _componentDone = new bool[MaxComponents];
    private int _componentCount;
    private int _precision;
    private int _restartInterval;
    private bool _frameSeen;

    public JpegLosslessFrame(in DicomPixelFormat format) => _format = format;

    public void Decode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int pos = JpegMarkerSegments.Start(data, "JPEG");
        while (JpegMarkerSegments.TryNext(data, ref pos, "JPEG", out int marker, out int markerOffset, out ReadOnlySpan<byte> segment, out int segmentOffset))
        {
            switch (marker)
            {
                case 0xC3:
                    ReadStartOfFrame(segment, segmentOffset);
                    break;
                case 0xC4:
                    ReadHuffmanTables(segment, segmentOffset);
                    break;
                case 0xDD:
                    if (segment.Length < 2)
                        throw new DicomCodecException("JPEG DRI segment is shorter than 2 bytes.", markerOffset);
                    _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case 0xDA:
                    pos = DecodeScan(data, segment, segmentOffset, pos, destination);
                    break;
                case 0xDC:
                    throw new DicomCodecException("JPEG DNL marker (number of lines defined after the scan) is not supported.", markerOffset);
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw new DicomCodecException(
                        $"JPEG frame uses SOF{marker - 0xC0} (marker FF{marker:X2}); only lossless Huffman-coded SOF3 (Process 14) is decoded by this codec.", markerOffset);
                default:
                    break; // APPn, COM, DQT, DAC (unused here), JPG extensions: skipped
            }
        }

        if (!_frameSeen)
            throw new DicomCodecException("JPEG data ends without a SOF3 frame header.", data.Length);
        for (int c = 0; c < _componentCount; c++)
            if (!_componentDone[c])
                throw new DicomCodecException($"JPEG data ends before component {_componentIds[c]} was decoded by any scan.", data.Length);
    }

    private void ReadStartOfFrame(ReadOnlySpan<byte> s, int offset)
    {
        if (_frameSeen)
            throw new DicomCodecException("JPEG frame has a second SOF marker.", offset);
        if (s.Length < 6)
            throw new DicomCodecException("JPEG SOF3 segment is shorter than 6 bytes.", offset);
        _precision = s[0];
        int lines = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
        int samplesPerLine = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        _componentCount = s[5];
        if (_precision is < 2 or > 16)
            throw new DicomCodecException($"JPEG SOF3 precision is {_precision} bits; lossless JPEG allows 2 to 16.", offset);
        if (_precision > _format.BitsAllocated)
            throw new DicomCodecException($"JPEG precision of {_precision} bits does not fit Bits Allocated (0028,0100) {_format.BitsAllocated}.", offset);
        if (lines != _format.Rows || samplesPerLine != _format.Columns)
            throw new DicomCodecException(
                $"JPEG frame is {samplesPerLine}×{lines} but the data set says Columns×Rows = {_format.Columns}×{_format.Rows}.", offset + 1);
        if (_componentCount != _format.SamplesPerPixel)
            throw new DicomCodecException(
                $"JPEG frame has {_componentCount} component(s) but Samples per Pixel (0028,0002) is {_format.SamplesPerPixel}.", offset + 5);
        if (s.Length < 6 + 3 * _componentCount)
            throw new DicomCodecException("JPEG SOF3 segment is too short for its component list.", offset);
        for (int c = 0; c < _componentCount; c++)
        {
            int id = s[6 + 3 * c];
            int sampling = s[7 + 3 * c];
            for (int other = 0; other < c; other++)
                if (_componentIds[other] == id)
                    throw new DicomCodecException($"JPEG SOF3 lists component {id} twice.", offset + 6 + 3 * c);
            if (sampling != 0x11)
                throw new DicomCodecException(
                    $"JPEG component {id} has sampling factors {sampling >> 4}×{sampling & 15}; only 1×1 (no subsampling) is supported for lossless data.", offset + 7 + 3 * c);
            _componentIds[c] = id;
        }

        _frameSeen = true;
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> s, int offset) =>
        JpegHuffmanTable.ReadSegment(s, offset, 16, _tables, null);

    private int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> s, int offset, int scanStart, Span<byte> destination)
    {
        if (!_frameSeen)
            throw new DicomCodecException("JPEG SOS appears before the SOF3 frame header.", offset);
        if (s.Length < 1)
            throw new DicomCodecException("JPEG SOS segment is empty.", offset);
        int count = s[0];
        if (count is < 1 or > MaxComponents || s.Length < 4 + 2 * count)
            throw new DicomCodecException($"JPEG SOS lists {count} component(s) in a {s.Length}-byte segment.", offset);

        Span<int> componentIndex = stackalloc int[MaxComponents];
        var tables = new JpegHuffmanTable[count];
        for (int i = 0; i < count; i++)
        {
            int id = s[1 + 2 * i];
            int tableId = s[2 + 2 * i] >> 4;
            int index = Array.IndexOf(_componentIds, id, 0, _componentCount);
            if (index < 0)
                throw new DicomCodecException($"JPEG SOS refers to component {id}, which the frame header does not define.", offset + 1 + 2 * i);
            if (_componentDone[index])
                throw new DicomCodecException($"JPEG component {id} is coded by more than one scan.", offset + 1 + 2 * i);
            componentIndex[i] = index;
            tables[i] = (tableId < 4 ? _tables[tableId] : null)
                ?? throw new DicomCodecException($"JPEG SOS uses Huffman table {tableId} for component {id}, but no such table was defined.", offset + 2 + 2 * i);
        }

        int predictor = s[1 + 2 * count];
        int pointTransform = s[3 + 2 * count] & 15;
        if (predictor is < 1 or > 7)
            throw new DicomCodecException($"JPEG SOS selects predictor {predictor}; lossless Process 14 uses 1 to 7.", offset + 1 + 2 * count);
        if (pointTransform >= _precision)
            throw new DicomCodecException($"JPEG point transform {pointTransform} is not below the precision of {_precision} bits.", offset + 3 + 2 * count);

        var scan = new JpegLosslessScan(_format, tables, componentIndex[..count], _precision, predictor, pointTransform, _restartInterval);
        int end = scan.Decode(data, scanStart, destination);
        for (int i = 0; i < count; i++) _componentDone[componentIndex[i]] = true;
        return end;
    }
}
