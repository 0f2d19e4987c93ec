using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

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

        // Two rows (previous, current) of reconstructed values in the point-transformed domain, components
        // interleaved: sample k of column x lives at base + x * count + k.
        int rowLength = width * count;
        int[] buffer = ArrayPool<int>.Shared.Rent(2 * rowLength);
        try
        {
            var reader = new JpegBitReader(data, start);
            bool restarts = _restartInterval > 0;
            int mcusToRestart = restarts ? _restartInterval : int.MaxValue;
            int restartIndex = 0;
            int intervalRow = 0, intervalColumn = 0; // where the current restart interval began
            int cur = 0, prev = rowLength;

            for (int row = 0; row < height; row++)
            {
                int col = 0;
                while (col < width)
                {
                    if (mcusToRestart == 0)
                    {
                        ReadRestartMarker(ref reader, restartIndex++);
                        mcusToRestart = _restartInterval;
                        intervalRow = row;
                        intervalColumn = col;
                    }

                    int end = (int)Math.Min(width, (long)col + mcusToRestart);
                    if (restarts) mcusToRestart -= end - col;

                    if (row == intervalRow)
                    {
                        // H.1.2.1: first line of the scan or restart interval: initial value, then Ra.
                        int i = cur + col * count;
                        if (col == intervalColumn)
                        {
                            for (int k = 0; k < count; k++, i++)
                                buffer[i] = (initial + DecodeDifference(ref reader, _tables[k])) & 0xFFFF;
                            col++;
                        }

                        DecodeRun<PredictLeft>(ref reader, _tables, buffer, i, i - cur + prev, count, (end - col) * count);
                    }
                    else
                    {
                        if (col == 0)
                        {
                            // H.1.2.1: the first sample of every other line is predicted from the line above.
                            for (int k = 0; k < count; k++)
                                buffer[cur + k] = (buffer[prev + k] + DecodeDifference(ref reader, _tables[k])) & 0xFFFF;
                            col = 1;
                        }

                        int i = cur + col * count, j = prev + col * count, n = (end - col) * count;
                        switch (_predictor)
                        {
                            case 1: DecodeRun<PredictLeft>(ref reader, _tables, buffer, i, j, count, n); break;
                            case 2: DecodeRun<PredictAbove>(ref reader, _tables, buffer, i, j, count, n); break;
                            case 3: DecodeRun<PredictAboveLeft>(ref reader, _tables, buffer, i, j, count, n); break;
                            case 4: DecodeRun<PredictPlane>(ref reader, _tables, buffer, i, j, count, n); break;
                            case 5: DecodeRun<PredictLeftGradient>(ref reader, _tables, buffer, i, j, count, n); break;
                            case 6: DecodeRun<PredictAboveGradient>(ref reader, _tables, buffer, i, j, count, n); break;
                            default: DecodeRun<PredictAverage>(ref reader, _tables, buffer, i, j, count, n); break;
                        }
                    }

                    col = end;
                }

                for (int k = 0; k < count; k++)
                    WriteRow(buffer.AsSpan(cur, rowLength), k, count, _components[k], row, destination);
                (cur, prev) = (prev, cur);
            }

            if (reader.Overran)
                throw new DicomCodecException("JPEG scan data ends before the last sample was coded (truncated or corrupt data).", data.Length);
            int next = reader.SkipToMarker();
            return next < 0 ? data.Length : reader.Position - 2;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    private static void ReadRestartMarker(ref JpegBitReader reader, int restartIndex)
    {
        if (reader.Overran)
            throw new DicomCodecException("JPEG restart interval ends before its last sample was coded (truncated or corrupt data).", reader.Position);
        int markerAt = reader.Position;
        int marker = reader.SkipToMarker();
        int expected = 0xD0 + (restartIndex & 7);
        if (marker != expected)
            throw new DicomCodecException(
                marker < 0 ? $"JPEG data ends where restart marker RST{restartIndex & 7} was expected."
                           : $"JPEG restart marker RST{restartIndex & 7} expected, found FF{marker:X2}.", markerAt);
    }

    /// <summary>
    /// Decodes <paramref name="n"/> consecutive samples (components interleaved) starting at buffer index
    /// <paramref name="i"/>, whose samples in the line above start at <paramref name="j"/>; Ra is the same
    /// component one column left (i − count), Rb the one above (j), Rc above-left (j − count).
    /// </summary>
    private static void DecodeRun<TPredictor>(ref JpegBitReader reader, JpegHuffmanTable[] tables, int[] buffer, int i, int j, int count, int n)
        where TPredictor : struct, ILosslessPredictor
    {
        if (count == 1)
        {
            JpegHuffmanTable table = tables[0];
            for (int end = i + n; i < end; i++, j++)
                buffer[i] = (TPredictor.Predict(buffer[i - 1], buffer[j], buffer[j - 1]) + DecodeDifference(ref reader, table)) & 0xFFFF;
            return;
        }

        for (int end = i + n, k = 0; i < end; i++, j++)
        {
            buffer[i] = (TPredictor.Predict(buffer[i - count], buffer[j], buffer[j - count]) + DecodeDifference(ref reader, tables[k])) & 0xFFFF;
            if (++k == count) k = 0;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DecodeDifference(ref JpegBitReader reader, JpegHuffmanTable table)
    {
        reader.EnsureBits();
        int category = table.Decode(reader.Peek16(), out int length);
        if (category < 0)
            throw new DicomCodecException("JPEG entropy-coded data holds a bit pattern that is not a code of the scan's Huffman table.", reader.Position);
        reader.Skip(length);
        if (category == 0) return 0;
        if (category == 16) return 32768; // H.1.2.2: SSSS = 16 has no additional bits
        int bits = (int)reader.Read(category);
        return bits < 1 << (category - 1) ? bits - (1 << category) + 1 : bits;
    }

    /// <summary>Writes sample <paramref name="k"/> of each column of a decoded row to its native place.</summary>
    private void WriteRow(ReadOnlySpan<int> row, int k, int count, int component, int rowIndex, Span<byte> destination)
    {
        int width = row.Length / count;
        int bytesPerSample = _format.BytesPerSample;
        int samples = _format.SamplesPerPixel;
        int shift = _pointTransform;
        int index, stride;
        if (_format.PlanarConfiguration == 1 && samples > 1)
        {
            index = ((component * _format.Rows + rowIndex) * width) * bytesPerSample;
            stride = bytesPerSample;
        }
        else
        {
            index = (rowIndex * width * samples + component) * bytesPerSample;
            stride = samples * bytesPerSample;
        }

        switch (bytesPerSample)
        {
            case 1:
                for (int i = k; i < row.Length; i += count, index += stride) destination[index] = (byte)(row[i] << shift);
                break;
            case 2:
                for (int i = k; i < row.Length; i += count, index += stride)
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[index..], (ushort)(row[i] << shift));
                break;
            default:
                for (int i = k; i < row.Length; i += count, index += stride)
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[index..], (uint)(row[i] << shift));
                break;
        }
    }
}
