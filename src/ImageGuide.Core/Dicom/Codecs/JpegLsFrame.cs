using System.Buffers.Binary;

namespace ImageGuide.Dicom.Codecs;

/// <summary>The markers and parameters of one JPEG-LS frame (ITU-T T.87 Annex C) while it is being decoded.</summary>
internal sealed class JpegLsFrame
{
    private const int MaxComponents = 4;

    private readonly DicomPixelFormat _format;
    private readonly int[] _componentIds = new int[MaxComponents];
    private readonly bool[] _componentDone = new bool[MaxComponents];
    private JpegLsPreset _preset;
    private int _componentCount;
    private int _precision;
    private int _lines;
    private int _columns;
    private int _restartInterval;
    private bool _frameSeen;

    public JpegLsFrame(in DicomPixelFormat format) => _format = format;

    public void Decode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int pos = JpegMarkerSegments.Start(data, "JPEG-LS");
        while (JpegMarkerSegments.TryNext(data, ref pos, "JPEG-LS", out int marker, out int markerOffset, out ReadOnlySpan<byte> segment, out int segmentOffset))
        {
            switch (marker)
            {
                case 0xF7:
                    ReadStartOfFrame(segment, segmentOffset);
                    break;
                case 0xF8:
                    ReadPresetParameters(segment, segmentOffset);
                    break;
                case 0xDD:
                    ReadRestartInterval(segment, segmentOffset);
                    break;
                case 0xDA:
                    pos = DecodeScan(data, segment, segmentOffset, pos, destination);
                    break;
                case 0xDC:
                    throw new DicomCodecException("JPEG-LS DNL marker (number of lines defined after the scan) is not supported.", markerOffset);
                case 0xE8:
                    CheckColorTransform(segment, segmentOffset);
                    break;
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw new DicomCodecException(
                        $"JPEG-LS data holds SOF{marker - 0xC0} (marker FF{marker:X2}); a JPEG-LS frame header is SOF55 (FF F7).", markerOffset);
                default:
                    break; // APPn, COM and other segments: skipped
            }
        }

        if (!_frameSeen)
            throw new DicomCodecException("JPEG-LS data ends without a SOF55 frame header.", data.Length);
        for (int c = 0; c < _componentCount; c++)
            if (!_componentDone[c])
                throw new DicomCodecException($"JPEG-LS data ends before component {_componentIds[c]} was decoded by any scan.", data.Length);
    }

    private void ReadStartOfFrame(ReadOnlySpan<byte> s, int offset)
    {
        if (_frameSeen)
            throw new DicomCodecException("JPEG-LS frame has a second SOF marker.", offset);
        if (s.Length < 6)
            throw new DicomCodecException("JPEG-LS SOF55 segment is shorter than 6 bytes.", offset);
        _precision = s[0];
        _lines = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
        _columns = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        _componentCount = s[5];
        if (_precision is < 2 or > 16)
            throw new DicomCodecException($"JPEG-LS SOF55 precision is {_precision} bits; JPEG-LS allows 2 to 16.", offset);
        if (_precision > _format.BitsAllocated)
            throw new DicomCodecException($"JPEG-LS precision of {_precision} bits does not fit Bits Allocated (0028,0100) {_format.BitsAllocated}.", offset);
        if (_componentCount != _format.SamplesPerPixel)
            throw new DicomCodecException(
                $"JPEG-LS frame has {_componentCount} component(s) but Samples per Pixel (0028,0002) is {_format.SamplesPerPixel}.", offset + 5);
        if (s.Length < 6 + 3 * _componentCount)
            throw new DicomCodecException("JPEG-LS SOF55 segment is too short for its component list.", offset);
        for (int c = 0; c < _componentCount; c++)
        {
            int id = s[6 + 3 * c];
            int sampling = s[7 + 3 * c];
            for (int other = 0; other < c; other++)
                if (_componentIds[other] == id)
                    throw new DicomCodecException($"JPEG-LS SOF55 lists component {id} twice.", offset + 6 + 3 * c);
            if (sampling != 0x11)
                throw new DicomCodecException(
                    $"JPEG-LS component {id} has sampling factors {sampling >> 4}×{sampling & 15}; only 1×1 (no subsampling) is supported.", offset + 7 + 3 * c);
            _componentIds[c] = id;
        }

        _frameSeen = true;
    }

    private void ReadPresetParameters(ReadOnlySpan<byte> s, int offset)
    {
        if (s.Length < 1)
            throw new DicomCodecException("JPEG-LS LSE segment is empty.", offset);
        switch (s[0])
        {
            case 1:
                if (s.Length < 11)
                    throw new DicomCodecException("JPEG-LS LSE preset coding parameters segment is shorter than 11 bytes.", offset);
                _preset = new JpegLsPreset(
                    BinaryPrimitives.ReadUInt16BigEndian(s[1..]), BinaryPrimitives.ReadUInt16BigEndian(s[3..]),
                    BinaryPrimitives.ReadUInt16BigEndian(s[5..]), BinaryPrimitives.ReadUInt16BigEndian(s[7..]),
                    BinaryPrimitives.ReadUInt16BigEndian(s[9..]));
                break;
            case 2:
            case 3:
                break; // mapping tables: kept out; a scan that selects one is refused
            case 4:
            {
                // Oversize image dimensions (T.87 C.2.4.1.4): Wxy, then Y and X in Wxy bytes each.
                int width = s.Length > 1 ? s[1] : 0;
                if (width is < 2 or > 4 || s.Length < 2 + 2 * width)
                    throw new DicomCodecException("JPEG-LS LSE oversize-dimension segment is malformed.", offset);
                long y = ReadBigEndian(s.Slice(2, width)), x = ReadBigEndian(s.Slice(2 + width, width));
                if (y != _format.Rows || x != _format.Columns)
                    throw new DicomCodecException(
                        $"JPEG-LS frame is {x}×{y} but the data set says Columns×Rows = {_format.Columns}×{_format.Rows}.", offset + 2);
                _lines = (int)y;
                _columns = (int)x;
                break;
            }
            default:
                throw new DicomCodecException($"JPEG-LS LSE segment of type {s[0]} is not defined by T.87.", offset);
        }
    }

    private void ReadRestartInterval(ReadOnlySpan<byte> s, int offset)
    {
        // T.87 C.2.5: Ri takes 2, 3 or 4 bytes.
        if (s.Length is < 2 or > 4)
            throw new DicomCodecException($"JPEG-LS DRI segment holds {s.Length} bytes; the restart interval takes 2 to 4.", offset);
        long interval = ReadBigEndian(s);
        _restartInterval = (int)Math.Min(interval, int.MaxValue);
    }

    private static void CheckColorTransform(ReadOnlySpan<byte> s, int offset)
    {
        // HP's colour-transform extension (APP8 "mrfx"): only "no transform" decodes to the stored samples.
        if (s.Length >= 5 && s[0] == (byte)'m' && s[1] == (byte)'r' && s[2] == (byte)'f' && s[3] == (byte)'x' && s[4] != 0)
            throw new DicomCodecException($"JPEG-LS data uses the HP colour transform {s[4]} (APP8 \"mrfx\"), which is not supported.", offset + 4);
    }

    private static long ReadBigEndian(ReadOnlySpan<byte> bytes)
    {
        long value = 0;
        foreach (byte b in bytes) value = (value << 8) | b;
        return value;
    }

    private int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> s, int offset, int scanStart, Span<byte> destination)
    {
        if (!_frameSeen)
            throw new DicomCodecException("JPEG-LS SOS appears before the SOF55 frame header.", offset);
        if (_lines != _format.Rows || _columns != _format.Columns)
            throw new DicomCodecException(
                $"JPEG-LS frame is {_columns}×{_lines} but the data set says Columns×Rows = {_format.Columns}×{_format.Rows}.", offset);
        if (s.Length < 1)
            throw new DicomCodecException("JPEG-LS SOS segment is empty.", offset);
        int count = s[0];
        if (count is < 1 or > MaxComponents || s.Length < 4 + 2 * count)
            throw new DicomCodecException($"JPEG-LS SOS lists {count} component(s) in a {s.Length}-byte segment.", offset);

        Span<int> componentIndex = stackalloc int[MaxComponents];
        for (int i = 0; i < count; i++)
        {
            int id = s[1 + 2 * i];
            int mappingTable = s[2 + 2 * i];
            int index = Array.IndexOf(_componentIds, id, 0, _componentCount);
            if (index < 0)
                throw new DicomCodecException($"JPEG-LS SOS refers to component {id}, which the frame header does not define.", offset + 1 + 2 * i);
            if (_componentDone[index])
                throw new DicomCodecException($"JPEG-LS component {id} is coded by more than one scan.", offset + 1 + 2 * i);
            for (int other = 0; other < i; other++)
                if (componentIndex[other] == index)
                    throw new DicomCodecException($"JPEG-LS SOS lists component {id} twice.", offset + 1 + 2 * i);
            if (mappingTable != 0)
                throw new DicomCodecException($"JPEG-LS component {id} selects mapping table {mappingTable}; palettised JPEG-LS (mapping tables) is not supported.", offset + 2 + 2 * i);
            componentIndex[i] = index;
        }

        int near = s[1 + 2 * count];
        int interleave = s[2 + 2 * count];
        int pointTransform = s[3 + 2 * count] & 15;
        if (interleave > 2)
            throw new DicomCodecException($"JPEG-LS SOS interleave mode {interleave} is not 0 (none), 1 (line) or 2 (sample).", offset + 2 + 2 * count);
        if (interleave == 0 && count > 1)
            throw new DicomCodecException($"JPEG-LS SOS codes {count} components without interleaving (ILV 0 allows one per scan).", offset + 2 + 2 * count);
        if (pointTransform != 0)
            throw new DicomCodecException($"JPEG-LS point transform {pointTransform} is not supported.", offset + 3 + 2 * count);

        JpegLsParameters parameters = JpegLsParameters.Create(_precision, near, _preset, offset + 1 + 2 * count);
        var scan = new JpegLsScan(_format, componentIndex[..count], parameters, interleave, _restartInterval);
        int end = scan.Decode(data, scanStart, parameters, destination);
        for (int i = 0; i < count; i++) _componentDone[componentIndex[i]] = true;
        return end;
    }
}
