using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes the coded data of one JPEG-LS scan (ITU-T T.87 Annex A): context modelling with gradient
/// quantisation, median edge prediction, bias correction, limited-length Golomb codes, run mode with run
/// interruption samples, near-lossless reconstruction, line or sample interleaving and restart intervals.
/// </summary>
internal ref struct JpegLsScan
{
    private const int RegularContexts = 365;
    private const int ContextLimit = 1 << 24; // A and |B| beyond this cannot come from valid data (CharLS uses the same bound)

    /// <summary>T.87 A.7.1.1: the run-length order J[RUNindex].</summary>
    private static ReadOnlySpan<byte> J => [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private readonly DicomPixelFormat _format;
    private readonly ReadOnlySpan<int> _components;
    private readonly int _interleave;
    private readonly int _restartInterval;
    private readonly int _maxVal, _near, _range, _qbpp, _limit, _reset, _step, _wrap;
    private readonly int[] _regular = new int[RegularContexts * 4]; // A, B, C, N per context
    private readonly int[] _run = new int[6];                       // A, N, Nn per run interruption context
    private readonly int[] _q = new int[4];
    private JpegLsBitReader _reader;
    private sbyte[] _quantize = [];
    private int _runIndex;

    public JpegLsScan(in DicomPixelFormat format, ReadOnlySpan<int> components, in JpegLsParameters parameters, int interleave, int restartInterval)
    {
        _format = format;
        _components = components;
        _interleave = interleave;
        _restartInterval = restartInterval;
        _maxVal = parameters.MaxVal;
        _near = parameters.Near;
        _range = parameters.Range;
        _qbpp = parameters.QuantizedBitsPerSample;
        _limit = parameters.Limit;
        _reset = parameters.Reset;
        _step = 2 * _near + 1;
        _wrap = _range * _step;
    }

    /// <summary>Decodes the scan starting at <paramref name="start"/>; returns the offset of the marker that ends it.</summary>
    public int Decode(ReadOnlySpan<byte> data, int start, in JpegLsParameters parameters, Span<byte> destination)
    {
        int width = _format.Columns;
        int height = _format.Rows;
        int count = _components.Length;
        bool pixelInterleaved = _interleave == 2 && count > 1;
        int stride = width + 2; // one sample of margin each side: Ra/Rc at index 0, Rd at width + 1
        int lineLength = pixelInterleaved ? stride * count : stride;
        int linesPerRow = pixelInterleaved ? 1 : count;
        int half = lineLength * linesPerRow;

        int[] lines = ArrayPool<int>.Shared.Rent(2 * half);
        _quantize = ArrayPool<sbyte>.Shared.Rent(2 * _maxVal + 1);
        try
        {
            BuildQuantizer(parameters);
            Array.Clear(lines, 0, 2 * half);
            ResetContexts();
            _reader = new JpegLsBitReader(data, start);
            Span<int> runIndices = stackalloc int[4];
            runIndices.Clear();

            int interval = _restartInterval > 0 ? _restartInterval : height;
            int restartIndex = 0;
            int row = 0;
            while (true)
            {
                int end = Math.Min(height, row + interval);
                for (; row < end; row++)
                {
                    int cur = (row & 1) * half, prev = half - cur;
                    if (pixelInterleaved)
                    {
                        DecodeInterleavedLine(lines, prev, cur, width, count);
                        for (int k = 0; k < count; k++)
                            WriteLine(lines, cur + count + k, count, width, _components[k], row, destination);
                        continue;
                    }

                    for (int k = 0; k < count; k++)
                    {
                        _runIndex = runIndices[k];
                        DecodeLine(lines, prev + k * lineLength, cur + k * lineLength, width);
                        runIndices[k] = _runIndex;
                        WriteLine(lines, cur + k * lineLength + 1, 1, width, _components[k], row, destination);
                    }
                }

                if (row == height) break;

                // T.87 D.2: a restart interval ends byte-aligned with RSTm; coding restarts as at the top of the scan.
                ReadRestartMarker(restartIndex++);
                ResetContexts();
                runIndices.Clear();
                Array.Clear(lines, 0, 2 * half);
            }

            if (_reader.Overran)
                throw new DicomCodecException("JPEG-LS scan data ends before the last sample was coded (truncated or corrupt data).", data.Length);
            int next = _reader.SkipToMarker();
            return next < 0 ? data.Length : _reader.Position - 2;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lines);
            ArrayPool<sbyte>.Shared.Return(_quantize);
            _quantize = [];
        }
    }

    private void BuildQuantizer(in JpegLsParameters p)
    {
        // T.87 A.3.3: gradient D → region −4..4, indexed by D + MAXVAL (reconstructed samples lie in 0..MAXVAL).
        // The regions are contiguous ranges of D, so each is one fill.
        Span<sbyte> table = _quantize.AsSpan(0, 2 * _maxVal + 1);
        int m = _maxVal;
        table[..(m - p.T3 + 1)].Fill(-4);                       // D ≤ −T3
        table[(m - p.T3 + 1)..(m - p.T2 + 1)].Fill(-3);         // −T3 < D ≤ −T2
        table[(m - p.T2 + 1)..(m - p.T1 + 1)].Fill(-2);         // −T2 < D ≤ −T1
        table[(m - p.T1 + 1)..(m - _near)].Fill(-1);            // −T1 < D < −NEAR
        table[(m - _near)..(m + _near + 1)].Fill(0);            // |D| ≤ NEAR
        table[(m + _near + 1)..(m + p.T1)].Fill(1);             // NEAR < D < T1
        table[(m + p.T1)..(m + p.T2)].Fill(2);                  // T1 ≤ D < T2
        table[(m + p.T2)..(m + p.T3)].Fill(3);                  // T2 ≤ D < T3
        table[(m + p.T3)..].Fill(4);                            // D ≥ T3
    }

    private void ResetContexts()
    {
        // T.87 A.2.1: A = max(2, ⌊(RANGE + 2^5) / 2^6⌋), B = C = 0, N = 1; run contexts likewise with Nn = 0.
        int a = Math.Max(2, (_range + 32) >> 6);
        for (int i = 0; i < _regular.Length; i += 4)
        {
            _regular[i] = a;
            _regular[i + 1] = 0;
            _regular[i + 2] = 0;
            _regular[i + 3] = 1;
        }

        for (int i = 0; i < _run.Length; i += 3)
        {
            _run[i] = a;
            _run[i + 1] = 1;
            _run[i + 2] = 0;
        }

        _runIndex = 0;
    }

    private void ReadRestartMarker(int restartIndex)
    {
        if (_reader.Overran)
            throw new DicomCodecException("JPEG-LS restart interval ends before its last sample was coded (truncated or corrupt data).", _reader.BitPosition);
        int markerAt = _reader.Position;
        int marker = _reader.SkipToMarker();
        int expected = 0xD0 + (restartIndex & 7);
        if (marker != expected)
            throw new DicomCodecException(
                marker < 0 ? $"JPEG-LS data ends where restart marker RST{restartIndex & 7} was expected."
                           : $"JPEG-LS restart marker RST{restartIndex & 7} expected, found FF{marker:X2}.", markerAt);
    }

    /// <summary>Decodes one line of one component: samples at lines[cur + 1 .. cur + width], the line above at prev.</summary>
    private void DecodeLine(int[] lines, int prev, int cur, int width)
    {
        // T.87 A.2.1 edges: Ra of the first sample is Rb; Rd of the last is Rb; Rc of the first is the previous line's Ra.
        lines[cur] = lines[prev + 1];
        lines[prev + width + 1] = lines[prev + width];
        sbyte[] quantize = _quantize;
        int offset = _maxVal;

        Span<int> above = lines.AsSpan(prev, width + 2), line = lines.AsSpan(cur, width + 2);
        int x = 1;
        int ra = line[0], rc = above[0], rb = above[1];
        while (x <= width)
        {
            int rd = above[x + 1];
            int q = 81 * quantize[rd - rb + offset] + 9 * quantize[rb - rc + offset] + quantize[rc - ra + offset];
            if (q != 0)
            {
                ra = DecodeRegular(q, Predict(ra, rb, rc));
                line[x] = ra;
                x++;
                rc = rb;
                rb = rd;
            }
            else
            {
                x += DecodeRun(lines, prev, cur, x, width, 1);
                if (x > width) break;
                ra = line[x - 1];
                rc = above[x - 1];
                rb = above[x];
            }
        }
    }

    /// <summary>Decodes one line of <paramref name="count"/> sample-interleaved components (ILV = 2): sample k of column x at cur + x·count + k.</summary>
    private void DecodeInterleavedLine(int[] lines, int prev, int cur, int width, int count)
    {
        for (int k = 0; k < count; k++)
        {
            lines[cur + k] = lines[prev + count + k];
            lines[prev + (width + 1) * count + k] = lines[prev + width * count + k];
        }

        sbyte[] quantize = _quantize;
        int offset = _maxVal;
        int[] qs = _q;
        int x = 1;
        while (x <= width)
        {
            bool run = true;
            int i = x * count;
            for (int k = 0; k < count; k++, i++)
            {
                int ra = lines[cur + i - count], rb = lines[prev + i], rc = lines[prev + i - count], rd = lines[prev + i + count];
                int q = 81 * quantize[rd - rb + offset] + 9 * quantize[rb - rc + offset] + quantize[rc - ra + offset];
                qs[k] = q;
                if (q != 0) run = false;
            }

            if (run)
            {
                x += DecodeRun(lines, prev, cur, x, width, count);
                continue;
            }

            i = x * count;
            for (int k = 0; k < count; k++, i++)
                lines[cur + i] = DecodeRegular(qs[k], Predict(lines[cur + i - count], lines[prev + i], lines[prev + i - count]));
            x++;
        }
    }

    /// <summary>T.87 A.4.1 median edge detector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Predict(int ra, int rb, int rc)
    {
        int max = Math.Max(ra, rb), min = Math.Min(ra, rb);
        return rc >= max ? min : rc <= min ? max : ra + rb - rc;
    }

    /// <summary>T.87 A.4–A.6: decodes one sample in regular mode for the context q (signed, −364..364).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int DecodeRegular(int q, int predicted)
    {
        int sign = q >> 31;
        int i = ((q ^ sign) - sign) * 4;
        Span<int> context = _regular.AsSpan(i, 4);
        int a = context[0], b = context[1], c = context[2], n = context[3];

        int px = predicted + ((c ^ sign) - sign);
        if (px < 0) px = 0;
        else if (px > _maxVal) px = _maxVal;

        int k = GolombParameter(n, a);
        int mapped = DecodeMapped(k, _limit);
        int error = (mapped >> 1) ^ -(mapped & 1);
        if (k == 0 && _near == 0 && 2 * b + n - 1 < 0) error = ~error; // A.5.2 special mapping

        // A.6: update the context statistics and the bias correction.
        b += error * _step;
        a += Math.Abs(error);
        if (a >= ContextLimit || b >= ContextLimit || b <= -ContextLimit)
            throw Corrupt("JPEG-LS context statistics overflow (corrupt data).", _reader.BitPosition);
        if (n == _reset)
        {
            a >>= 1;
            b >>= 1;
            n >>= 1;
        }

        n++;
        if (b + n <= 0)
        {
            b += n;
            if (b <= -n) b = -n + 1;
            if (c > -128) c--;
        }
        else if (b > 0)
        {
            b -= n;
            if (b > 0) b = 0;
            if (c < 127) c++;
        }

        context[0] = a;
        context[1] = b;
        context[2] = c;
        context[3] = n;

        return Reconstruct(px, (error ^ sign) - sign);
    }

    /// <summary>T.87 A.5.1: the least k ≥ 0 with N·2^k ≥ A (A below 2^25, so no overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GolombParameter(int n, int a)
    {
        if (n >= a) return 0;
        int k = BitOperations.Log2((uint)a) - BitOperations.Log2((uint)n);
        return (n << k) < a ? k + 1 : k;
    }

    /// <summary>T.87 A.4.4 / A.5: Rx = Px + Errval·(2·NEAR + 1), reduced modulo RANGE·(2·NEAR + 1) and clamped to 0..MAXVAL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Reconstruct(int predicted, int error)
    {
        int rx = predicted + error * _step;
        if (rx < -_near) rx += _wrap;
        else if (rx > _maxVal + _near) rx -= _wrap;
        return rx < 0 ? 0 : rx > _maxVal ? _maxVal : rx;
    }

    /// <summary>T.87 A.5.3: a limited-length Golomb code with parameter k whose unary part is at most limit − qbpp − 1 zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int DecodeMapped(int k, int limit)
    {
        int escape = limit - _qbpp - 1;
        int fast = _reader.TryReadGolomb(k, escape);
        if (fast >= 0)
        {
            if (fast > 2 * _range) throw MappedErrorTooLarge(fast, _range, _reader.BitPosition);
            return fast;
        }

        int high = _reader.ReadUnary(escape);
        _reader.EnsureBits();
        if (high == escape) return _reader.Read(_qbpp) + 1;
        long value = ((long)high << k) | (uint)_reader.Read(k);
        if (value > 2L * _range)
            throw MappedErrorTooLarge(value, _range, _reader.BitPosition);
        return (int)value;
    }

    /// <summary>
    /// T.87 A.7: decodes a run starting at column x (1-based) of a line of <paramref name="count"/> interleaved
    /// samples per pixel, and the run interruption sample that ends it unless the run reaches the end of the line.
    /// Returns the number of pixels decoded.
    /// </summary>
    private int DecodeRun(int[] lines, int prev, int cur, int x, int width, int count)
    {
        int remaining = width - x + 1;
        int length = 0;
        while (true)
        {
            _reader.EnsureBits();
            if (!_reader.ReadBit()) break;
            int full = 1 << J[_runIndex];
            int take = Math.Min(full, remaining - length);
            length += take;
            if (take == full && _runIndex < 31) _runIndex++;
            if (length == remaining) break;
        }

        if (length != remaining)
        {
            _reader.EnsureBits();
            length += _reader.Read(J[_runIndex]);
            if (length > remaining)
                throw new DicomCodecException($"JPEG-LS run of {length} samples runs past the end of the line ({remaining} left).", _reader.BitPosition);
        }

        int left = cur + (x - 1) * count;
        for (int k = 0; k < count; k++)
        {
            int ra = lines[left + k];
            for (int i = left + count + k, end = i + length * count; i < end; i += count) lines[i] = ra;
        }

        if (length == remaining) return length;

        // A.7.2 run interruption sample at column e.
        int e = (x + length) * count;
        if (count == 1)
        {
            int ra = lines[left], rb = lines[prev + e];
            lines[cur + e] = Math.Abs(ra - rb) <= _near
                ? Reconstruct(ra, DecodeInterruptionError(1))
                : Reconstruct(rb, rb < ra ? -DecodeInterruptionError(0) : DecodeInterruptionError(0));
        }
        else
        {
            // Sample-interleaved: every component uses the RItype 0 context, predicted from Rb, signed by Rb − Ra.
            for (int k = 0; k < count; k++)
            {
                int ra = lines[left + k], rb = lines[prev + e + k];
                int error = DecodeInterruptionError(0);
                lines[cur + e + k] = Reconstruct(rb, rb < ra ? -error : error);
            }
        }

        if (_runIndex > 0) _runIndex--;
        return length + 1;
    }

    /// <summary>T.87 A.7.2: decodes the error of a run interruption sample with context <paramref name="type"/> (RItype) and updates it.</summary>
    private int DecodeInterruptionError(int type)
    {
        int i = 3 * type;
        int a = _run[i], n = _run[i + 1], nn = _run[i + 2];
        int temp = a + (type == 1 ? n >> 1 : 0);
        int k = GolombParameter(n, temp);

        int mapped = DecodeMapped(k, _limit - J[_runIndex] - 1);
        int t = mapped + type;
        bool map = (t & 1) != 0;
        int magnitude = (t + (map ? 1 : 0)) >> 1;
        int error = (k != 0 || 2 * nn >= n) == map ? -magnitude : magnitude;

        if (error < 0) nn++;
        a += (mapped + 1 - type) >> 1;
        if (a >= ContextLimit)
            throw Corrupt("JPEG-LS run context statistics overflow (corrupt data).", _reader.BitPosition);
        if (n == _reset)
        {
            a >>= 1;
            n >>= 1;
            nn >>= 1;
        }

        n++;
        _run[i] = a;
        _run[i + 1] = n;
        _run[i + 2] = nn;
        return error;
    }

    // Exceptions are built out of line so the hot decoding paths stay small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DicomCodecException Corrupt(string message, int offset) => new(message, offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DicomCodecException MappedErrorTooLarge(long value, int range, int offset) =>
        new($"JPEG-LS mapped error {value} exceeds twice RANGE ({range}) (corrupt data).", offset);

    /// <summary>Writes one decoded line of component <paramref name="component"/> (samples every <paramref name="step"/> from <paramref name="first"/>) to its native place.</summary>
    private readonly void WriteLine(int[] lines, int first, int step, int width, int component, int row, Span<byte> destination)
    {
        int bytesPerSample = _format.BytesPerSample;
        int samples = _format.SamplesPerPixel;
        int index, stride;
        if (_format.PlanarConfiguration == 1 && samples > 1)
        {
            index = (component * _format.Rows + row) * width * bytesPerSample;
            stride = bytesPerSample;
        }
        else
        {
            index = (row * width * samples + component) * bytesPerSample;
            stride = samples * bytesPerSample;
        }

        int end = first + width * step;
        switch (bytesPerSample)
        {
            case 1:
                for (int i = first; i < end; i += step, index += stride) destination[index] = (byte)lines[i];
                break;
            case 2:
                if (stride == 2)
                {
                    Span<byte> target = destination.Slice(index, 2 * width);
                    for (int i = first, t = 0; i < end; i += step, t += 2)
                        BinaryPrimitives.WriteUInt16LittleEndian(target[t..], (ushort)lines[i]);
                    break;
                }

                for (int i = first; i < end; i += step, index += stride)
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[index..], (ushort)lines[i]);
                break;
            default:
                for (int i = first; i < end; i += step, index += stride)
                    BinaryPrimitives.WriteUInt32LittleEndian(destination[index..], (uint)lines[i]);
                break;
        }
    }
}
