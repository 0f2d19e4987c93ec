using System.Buffers;
using System.Buffers.Binary;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes JPEG Lossless, Non-Hierarchical (Process 14, 1.2.840.10008.1.2.4.57) with any of the predictors
/// 1–7, and its First-Order Prediction subset (Selection Value 1, 1.2.840.10008.1.2.4.70): ITU T.81 Annex H
/// with Huffman coding (SOF3), 2- to 16-bit precision, one to four components in one interleaved scan or in
/// several scans, restart intervals and point transform.
/// </summary>
/// <remarks>
/// The decoded samples are written as native little-endian stored values (the reconstructed value shifted
/// left by the point transform Al), interleaved or planar as the pixel description's Planar Configuration
/// says. Values are the precision-P bit patterns; nothing is sign-extended (like native Pixel Data, whose
/// bits above High Bit are not interpreted here). Every length and table is checked against the data, every
/// loop is bounded by the frame size, and corrupt data raises <see cref="DicomCodecException"/> with the byte
/// offset. Thread-safe: the codec holds no state.
/// </remarks>
public sealed class JpegLosslessCodec : IDicomCodec
{
    private static readonly string[] Uids = [TransferSyntaxNames.JpegLossless, TransferSyntaxNames.JpegLosslessSV1];

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "JPEG Lossless (Process 14)";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
    {
        format.Validate();
        if (format.BitsAllocated == 1)
            throw new DicomCodecException("JPEG Lossless cannot hold 1-bit samples: Bits Allocated (0028,0100) must be 8, 16 or 32.");
        if (destination.Length < format.FrameSizeBytes)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {format.FrameSizeBytes}.", nameof(destination));

        var state = new JpegLosslessFrame(format);
        state.Decode(encodedFrame, destination);
    }
}

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
        if (data.Length < 2 || data[0] != 0xFF || data[1] != 0xD8)
            throw new DicomCodecException("JPEG frame does not start with the SOI marker (FF D8).", 0);

        int pos = 2;
        while (true)
        {
            // Next marker: FF (any fill FFs) code. The end of the data after complete scans ends the frame too.
            if (pos >= data.Length) break;
            if (data[pos] != 0xFF)
                throw new DicomCodecException($"Expected a JPEG marker, found byte 0x{data[pos]:X2}.", pos);
            int markerOffset = pos;
            while (pos < data.Length && data[pos] == 0xFF) pos++;
            if (pos >= data.Length) break;
            int marker = data[pos++];

            if (marker == 0xD9) break; // EOI
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) continue; // stray RSTn / TEM carry no segment

            if (pos + 2 > data.Length)
                throw new DicomCodecException($"JPEG marker FF{marker:X2} is cut off before its length field.", markerOffset);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2 || pos + length > data.Length)
                throw new DicomCodecException($"JPEG marker FF{marker:X2} declares a segment of {length} bytes, but {data.Length - pos} remain.", markerOffset);
            ReadOnlySpan<byte> segment = data.Slice(pos + 2, length - 2);
            int segmentOffset = pos + 2;
            pos += length;

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

    private void ReadHuffmanTables(ReadOnlySpan<byte> s, int offset)
    {
        int p = 0;
        while (p < s.Length)
        {
            if (p + 17 > s.Length)
                throw new DicomCodecException("JPEG DHT segment is cut off inside a table's code counts.", offset + p);
            int tableClass = s[p] >> 4;
            int id = s[p] & 15;
            if (tableClass > 1 || id > 3)
                throw new DicomCodecException($"JPEG DHT declares table class {tableClass}, id {id}; class must be 0 or 1 and id 0..3.", offset + p);
            ReadOnlySpan<byte> counts = s.Slice(p + 1, 16);
            int total = 0;
            foreach (byte n in counts) total += n;
            if (p + 17 + total > s.Length)
                throw new DicomCodecException($"JPEG DHT table declares {total} values but the segment holds {s.Length - p - 17}.", offset + p);
            // Lossless scans use DC-class tables only; an AC table cannot be referenced and is not kept.
            if (tableClass == 0)
                _tables[id] = JpegHuffmanTable.Build(counts, s.Slice(p + 17, total), 16, offset + p);
            p += 17 + total;
        }
    }

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

/// <summary>Decodes the entropy-coded data of one lossless scan (ITU T.81 H.1.2 prediction, H.1.2.2 coding).</summary>
internal readonly ref struct JpegLosslessScan
{
    private readonly DicomPixelFormat _format;
    private readonly JpegHuffmanTable[] _tables;
    private readonly ReadOnlySpan<int> _components;
    private readonly int _precision;
    private readonly int _predictor;
    private readonly int _pointTransform;
    private readonly int _restartInterval;

    public JpegLosslessScan(in DicomPixelFormat format, JpegHuffmanTable[] tables, ReadOnlySpan<int> components,
        int precision, int predictor, int pointTransform, int restartInterval)
    {
        _format = format;
        _tables = tables;
        _components = components;
        _precision = precision;
        _predictor = predictor;
        _pointTransform = pointTransform;
        _restartInterval = restartInterval;
    }

    /// <summary>Decodes the scan starting at <paramref name="start"/>; returns the offset of the marker that ends it.</summary>
    public int Decode(ReadOnlySpan<byte> data, int start, Span<byte> destination)
    {
        int width = _format.Columns;
        int height = _format.Rows;
        int count = _components.Length;
        int initial = 1 << (_precision - _pointTransform - 1);

        // Two rows (previous, current) per scan component, in the point-transformed domain.
        int[] rented = ArrayPool<int>.Shared.Rent(2 * count * width);
        try
        {
            Span<int> rows = rented.AsSpan(0, 2 * count * width);
            var reader = new JpegBitReader(data, start);
            int mcusToRestart = _restartInterval;
            int restartIndex = 0;
            int intervalRow = 0, intervalColumn = 0; // where the current restart interval began
            int current = 0;                          // which half of `rows` holds the current row

            for (int row = 0; row < height; row++)
            {
                for (int col = 0; col < width; col++)
                {
                    if (_restartInterval > 0)
                    {
                        if (mcusToRestart == 0)
                        {
                            if (reader.Overran)
                                throw new DicomCodecException("JPEG restart interval ends before its last sample was coded (truncated or corrupt data).", start);
                            int markerAt = reader.Position;
                            int marker = reader.SkipToMarker();
                            int expected = 0xD0 + (restartIndex & 7);
                            if (marker != expected)
                                throw new DicomCodecException(
                                    marker < 0 ? $"JPEG data ends where restart marker RST{restartIndex & 7} was expected."
                                               : $"JPEG restart marker RST{restartIndex & 7} expected, found FF{marker:X2}.", markerAt);
                            restartIndex++;
                            mcusToRestart = _restartInterval;
                            intervalRow = row;
                            intervalColumn = col;
                        }

                        mcusToRestart--;
                    }

                    for (int k = 0; k < count; k++)
                    {
                        Span<int> cur = rows.Slice((current * count + k) * width, width);
                        Span<int> prev = rows.Slice(((current ^ 1) * count + k) * width, width);
                        int prediction;
                        if (row == intervalRow)
                            prediction = col == intervalColumn ? initial : cur[col - 1];
                        else if (col == 0)
                            prediction = prev[0];
                        else
                            prediction = Predict(_predictor, cur[col - 1], prev[col], prev[col - 1]);

                        int difference = DecodeDifference(ref reader, _tables[k]);
                        cur[col] = (prediction + difference) & 0xFFFF;
                    }
                }

                for (int k = 0; k < count; k++)
                    WriteRow(rows.Slice((current * count + k) * width, width), _components[k], row, destination);
                current ^= 1;
            }

            if (reader.Overran)
                throw new DicomCodecException("JPEG scan data ends before the last sample was coded (truncated or corrupt data).", data.Length);
            int next = reader.SkipToMarker();
            return next < 0 ? data.Length : reader.Position - 2;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static int Predict(int predictor, int ra, int rb, int rc) => predictor switch
    {
        1 => ra,
        2 => rb,
        3 => rc,
        4 => ra + rb - rc,
        5 => ra + ((rb - rc) >> 1),
        6 => rb + ((ra - rc) >> 1),
        _ => (ra + rb) >> 1,
    };

    private static int DecodeDifference(ref JpegBitReader reader, JpegHuffmanTable table)
    {
        reader.Fill();
        int category = table.Decode(reader.Peek16(), out int length);
        if (category < 0)
            throw new DicomCodecException("JPEG entropy-coded data holds a bit pattern that is not a code of the scan's Huffman table.", reader.Position);
        reader.Skip(length);
        if (category == 0) return 0;
        if (category == 16) return 32768; // H.1.2.2: SSSS = 16 has no additional bits
        int bits = (int)reader.Read(category);
        return bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
    }

    private void WriteRow(ReadOnlySpan<int> values, int component, int row, Span<byte> destination)
    {
        int width = values.Length;
        int bytesPerSample = _format.BytesPerSample;
        int samples = _format.SamplesPerPixel;
        int shift = _pointTransform;
        int index, stride;
        if (_format.PlanarConfiguration == 1 && samples > 1)
        {
            index = ((component * _format.Rows + row) * width) * bytesPerSample;
            stride = bytesPerSample;
        }
        else
        {
            index = (row * width * samples + component) * bytesPerSample;
            stride = samples * bytesPerSample;
        }

        switch (bytesPerSample)
        {
            case 1:
                for (int i = 0; i < width; i++, index += stride) destination[index] = (byte)(values[i] << shift);
                break;
            case 2:
                for (int i = 0; i < width; i++, index += stride)
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[index..], (ushort)(values[i] << shift));
                break;
            default:
                for (int i = 0; i < width; i++, index += stride)
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[index..], (uint)(values[i] << shift));
                break;
        }
    }
}
