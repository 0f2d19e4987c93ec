using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

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
                        reader.ReadRestartMarker(restartIndex++, "sample");
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
            throw new DicomCodecException("JPEG entropy-coded data holds a bit pattern that is not a code of the scan's Huffman table.", reader.BitPosition);
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
