namespace ImageGuide.Tests.Codecs;

/// <summary>
/// A minimal JPEG-LS encoder written from ITU-T T.87 Annex A (regular and run mode, near-lossless quantisation,
/// limited-length Golomb codes, bit stuffing after 0xFF), Annex C (SOF55, SOS, LSE, DRI) and D.2 (restart
/// markers), used to round-trip the decoder. Interleave 0 codes one scan per component; 1 and 2 code all
/// components in one line- or sample-interleaved scan.
/// </summary>
internal sealed class JpegLsTestEncoder
{
    private static readonly int[] J = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    public int Precision { get; init; } = 8;
    public int Near { get; init; }
    public int Interleave { get; init; }
    public int RestartInterval { get; init; }

    /// <summary>Preset MAXVAL, T1, T2, T3, RESET written in an LSE segment (0 = default); null writes no LSE.</summary>
    public (int MaxVal, int T1, int T2, int T3, int Reset)? Preset { get; init; }

    /// <summary>After <see cref="Encode"/>: the samples a decoder reconstructs (equal to the input when Near is 0).</summary>
    public uint[][] Reconstructed { get; private set; } = [];

    public byte[] Encode(uint[][] image, int width, int height)
    {
        int count = image.Length;
        var output = new List<byte> { 0xFF, 0xD8 };
        Segment(output, 0xF7, [(byte)Precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)count,
            .. Enumerable.Range(0, count).SelectMany(c => new byte[] { (byte)(c + 1), 0x11, 0 })]);
        (int MaxVal, int T1, int T2, int T3, int Reset) preset = Preset ?? (0, 0, 0, 0, 0);
        if (Preset is not null)
            Segment(output, 0xF8, [1, .. Be16(preset.MaxVal), .. Be16(preset.T1), .. Be16(preset.T2), .. Be16(preset.T3), .. Be16(preset.Reset)]);
        if (RestartInterval > 0) Segment(output, 0xDD, Be16(RestartInterval));

        Reconstructed = image.Select(plane => new uint[plane.Length]).ToArray();
        int[][] groups = Interleave == 0 ? Enumerable.Range(0, count).Select(c => new[] { c }).ToArray() : [Enumerable.Range(0, count).ToArray()];
        foreach (int[] group in groups)
        {
            Segment(output, 0xDA, [(byte)group.Length, .. group.SelectMany(c => new byte[] { (byte)(c + 1), 0 }), (byte)Near, (byte)Interleave, 0]);
            new Scan(this, preset, image, group, width, height).Encode(output);
        }

        output.AddRange([0xFF, 0xD9]);
        return output.ToArray();
    }

    private static byte[] Be16(int value) => [(byte)(value >> 8), (byte)value];

    private static void Segment(List<byte> output, byte marker, byte[] body)
    {
        output.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
        output.AddRange(body);
    }

    /// <summary>Writes bits MSB first; after a 0xFF byte the next byte holds a 0 bit and seven data bits (T.87 A.1).</summary>
    private sealed class BitWriter(List<byte> output)
    {
        private int _current, _bits, _capacity = 8;

        public void Bit(int bit)
        {
            _current = (_current << 1) | bit;
            if (++_bits < _capacity) return;
            output.Add((byte)_current);
            _capacity = _current == 0xFF ? 7 : 8;
            _current = 0;
            _bits = 0;
        }

        public void Bits(int value, int count)
        {
            for (int i = count - 1; i >= 0; i--) Bit((value >> i) & 1);
        }

        /// <summary>Pads with zero bits to a byte boundary; a final 0xFF gets the 0x00 byte that keeps it from reading as a marker.</summary>
        public void Flush()
        {
            while (_bits > 0) Bit(0);
            if (_capacity == 7) output.Add(0);
            _capacity = 8;
        }
    }

    private sealed class Scan
    {
        private readonly JpegLsTestEncoder _owner;
        private readonly uint[][] _image;
        private readonly int[] _group;
        private readonly int _width, _height, _near, _maxVal, _t1, _t2, _t3, _reset, _range, _qbpp, _limit;
        private readonly int[] _a = new int[367], _b = new int[365], _c = new int[365], _n = new int[367], _nn = new int[367];
        private int _runIndex;
        private BitWriter _writer = null!;

        public Scan(JpegLsTestEncoder owner, (int MaxVal, int T1, int T2, int T3, int Reset) preset, uint[][] image, int[] group, int width, int height)
        {
            _owner = owner;
            _image = image;
            _group = group;
            _width = width;
            _height = height;
            _near = owner.Near;
            _maxVal = preset.MaxVal != 0 ? preset.MaxVal : (1 << owner.Precision) - 1;
            // T.87 C.2.4.1.1 default thresholds.
            int t1, t2, t3;
            if (_maxVal >= 128)
            {
                int f = (Math.Min(_maxVal, 4095) + 128) / 256;
                t1 = Clamp(f * 1 + 2 + 3 * _near, _near + 1);
                t2 = Clamp(f * 4 + 3 + 5 * _near, t1);
                t3 = Clamp(f * 17 + 4 + 7 * _near, t2);
            }
            else
            {
                int f = 256 / (_maxVal + 1);
                t1 = Clamp(Math.Max(2, 3 / f + 3 * _near), _near + 1);
                t2 = Clamp(Math.Max(3, 7 / f + 5 * _near), t1);
                t3 = Clamp(Math.Max(4, 21 / f + 7 * _near), t2);
            }

            _t1 = preset.T1 != 0 ? preset.T1 : t1;
            _t2 = preset.T2 != 0 ? preset.T2 : t2;
            _t3 = preset.T3 != 0 ? preset.T3 : t3;
            _reset = preset.Reset != 0 ? preset.Reset : 64;
            _range = (_maxVal + 2 * _near) / (2 * _near + 1) + 1;
            _qbpp = Log2Ceiling(_range);
            int bpp = Math.Max(2, Log2Ceiling(_maxVal + 1));
            _limit = 2 * (bpp + Math.Max(8, bpp));
        }

        private int Clamp(int value, int lower) => value > _maxVal || value < lower ? lower : value;

        private static int Log2Ceiling(int value)
        {
            int bits = 0;
            while ((1 << bits) < value) bits++;
            return bits;
        }

        private void Reset()
        {
            int a = Math.Max(2, (_range + 32) >> 6);
            Array.Fill(_a, a);
            Array.Fill(_n, 1);
            Array.Clear(_b);
            Array.Clear(_c);
            Array.Clear(_nn);
            _runIndex = 0;
        }

        public void Encode(List<byte> output)
        {
            _writer = new BitWriter(output);
            int count = _group.Length;
            bool pixelInterleaved = _owner.Interleave == 2;
            // Lines with one sample of margin each side, per component: [component][column + 1].
            var prev = new int[count][];
            var cur = new int[count][];
            for (int k = 0; k < count; k++)
            {
                prev[k] = new int[_width + 2];
                cur[k] = new int[_width + 2];
            }

            var runIndices = new int[count];
            Reset();
            int interval = _owner.RestartInterval > 0 ? _owner.RestartInterval : _height;
            int restart = 0;
            for (int y = 0; y < _height; y++)
            {
                if (y > 0 && y % interval == 0)
                {
                    _writer.Flush();
                    output.AddRange([0xFF, (byte)(0xD0 + (restart++ & 7))]);
                    Reset();
                    Array.Clear(runIndices);
                    for (int k = 0; k < count; k++)
                    {
                        Array.Clear(prev[k]);
                        Array.Clear(cur[k]);
                    }
                }

                for (int k = 0; k < count; k++)
                {
                    cur[k][0] = prev[k][1];
                    prev[k][_width + 1] = prev[k][_width];
                }

                if (pixelInterleaved)
                {
                    EncodeLine(y, prev, cur, Enumerable.Range(0, count).ToArray());
                }
                else
                {
                    for (int k = 0; k < count; k++)
                    {
                        _runIndex = runIndices[k];
                        EncodeLine(y, prev, cur, [k]);
                        runIndices[k] = _runIndex;
                    }
                }

                for (int k = 0; k < count; k++)
                {
                    for (int x = 0; x < _width; x++) _owner.Reconstructed[_group[k]][y * _width + x] = (uint)cur[k][x + 1];
                    (prev[k], cur[k]) = (cur[k], prev[k]);
                }
            }

            _writer.Flush();
        }

        private int Sample(int k, int y, int x) => (int)_image[_group[k]][y * _width + x - 1];

        private int Quantize(int d) =>
            d <= -_t3 ? -4 : d <= -_t2 ? -3 : d <= -_t1 ? -2 : d < -_near ? -1 : d <= _near ? 0 : d < _t1 ? 1 : d < _t2 ? 2 : d < _t3 ? 3 : 4;

        /// <summary>Encodes line y of the components in <paramref name="ks"/> (one, or all of a sample-interleaved scan).</summary>
        private void EncodeLine(int y, int[][] prev, int[][] cur, int[] ks)
        {
            int x = 1;
            var q = new int[ks.Length];
            while (x <= _width)
            {
                bool run = true;
                for (int i = 0; i < ks.Length; i++)
                {
                    int k = ks[i];
                    int ra = cur[k][x - 1], rb = prev[k][x], rc = prev[k][x - 1], rd = prev[k][x + 1];
                    q[i] = 81 * Quantize(rd - rb) + 9 * Quantize(rb - rc) + Quantize(rc - ra);
                    if (q[i] != 0) run = false;
                }

                if (run)
                {
                    x = EncodeRun(y, x, prev, cur, ks);
                    continue;
                }

                for (int i = 0; i < ks.Length; i++)
                {
                    int k = ks[i];
                    cur[k][x] = EncodeRegular(q[i], Sample(k, y, x), cur[k][x - 1], prev[k][x], prev[k][x - 1]);
                }

                x++;
            }
        }

        private int Quantized(int error) =>
            _near == 0 ? error : error > 0 ? (error + _near) / (2 * _near + 1) : -((_near - error) / (2 * _near + 1));

        private int Reduce(int error)
        {
            if (error < 0) error += _range;
            if (error >= (_range + 1) / 2) error -= _range;
            return error;
        }

        private int ClampSample(int value) => Math.Clamp(value, 0, _maxVal);

        private int EncodeRegular(int qs, int ix, int ra, int rb, int rc)
        {
            int sign = qs < 0 ? -1 : 1;
            int q = qs * sign;
            int px = rc >= Math.Max(ra, rb) ? Math.Min(ra, rb) : rc <= Math.Min(ra, rb) ? Math.Max(ra, rb) : ra + rb - rc;
            px = ClampSample(px + sign * _c[q]);
            int error = Quantized(sign * (ix - px));
            int rx = ClampSample(px + sign * error * (2 * _near + 1));
            error = Reduce(error);

            int k = 0;
            while ((_n[q] << k) < _a[q]) k++;
            int mapped = _near == 0 && k == 0 && 2 * _b[q] <= -_n[q]
                ? (error >= 0 ? 2 * error + 1 : -2 * (error + 1))
                : (error >= 0 ? 2 * error : -2 * error - 1);
            Golomb(mapped, k, _limit);

            _b[q] += error * (2 * _near + 1);
            _a[q] += Math.Abs(error);
            if (_n[q] == _reset)
            {
                _a[q] >>= 1;
                _b[q] >>= 1;
                _n[q] >>= 1;
            }

            _n[q]++;
            if (_b[q] <= -_n[q])
            {
                _b[q] += _n[q];
                if (_c[q] > -128) _c[q]--;
                if (_b[q] <= -_n[q]) _b[q] = -_n[q] + 1;
            }
            else if (_b[q] > 0)
            {
                _b[q] -= _n[q];
                if (_c[q] < 127) _c[q]++;
                if (_b[q] > 0) _b[q] = 0;
            }

            return rx;
        }

        private void Golomb(int value, int k, int limit)
        {
            int escape = limit - _qbpp - 1;
            int high = value >> k;
            if (high < escape)
            {
                _writer.Bits(0, high);
                _writer.Bit(1);
                _writer.Bits(value & ((1 << k) - 1), k);
            }
            else
            {
                _writer.Bits(0, escape);
                _writer.Bit(1);
                _writer.Bits(value - 1, _qbpp);
            }
        }

        /// <summary>T.87 A.7: codes a run from column x and, unless it reaches the line end, the interruption sample; returns the next column.</summary>
        private int EncodeRun(int y, int x, int[][] prev, int[][] cur, int[] ks)
        {
            int length = 0;
            while (x + length <= _width && ks.All(k => Math.Abs(Sample(k, y, x + length) - cur[k][x - 1]) <= _near))
            {
                foreach (int k in ks) cur[k][x + length] = cur[k][x - 1];
                length++;
            }

            while (length >= 1 << J[_runIndex])
            {
                _writer.Bit(1);
                length -= 1 << J[_runIndex];
                x += 1 << J[_runIndex];
                if (_runIndex < 31) _runIndex++;
            }

            x += length;
            if (x > _width)
            {
                if (length > 0) _writer.Bit(1);
                return x;
            }

            _writer.Bit(0);
            _writer.Bits(length, J[_runIndex]);
            foreach (int k in ks)
            {
                int ra = cur[k][x - 1], rb = prev[k][x];
                cur[k][x] = ks.Length == 1 ? EncodeInterruption(Sample(k, y, x), ra, rb, Math.Abs(ra - rb) <= _near ? 1 : 0) : EncodeInterruption(Sample(k, y, x), ra, rb, 0);
            }

            if (_runIndex > 0) _runIndex--;
            return x + 1;
        }

        private int EncodeInterruption(int ix, int ra, int rb, int type)
        {
            int px = type == 1 ? ra : rb;
            int sign = type == 0 && ra > rb ? -1 : 1;
            int error = Quantized(sign * (ix - px));
            int rx = ClampSample(px + sign * error * (2 * _near + 1));
            error = Reduce(error);

            int q = 365 + type;
            int temp = _a[q] + (type == 1 ? _n[q] >> 1 : 0);
            int k = 0;
            while ((_n[q] << k) < temp) k++;
            bool map = (k == 0 && error > 0 && 2 * _nn[q] < _n[q]) || (error < 0 && 2 * _nn[q] >= _n[q]) || (error < 0 && k != 0);
            int mapped = 2 * Math.Abs(error) - type - (map ? 1 : 0);
            Golomb(mapped, k, _limit - J[_runIndex] - 1);

            if (error < 0) _nn[q]++;
            _a[q] += (mapped + 1 - type) >> 1;
            if (_n[q] == _reset)
            {
                _a[q] >>= 1;
                _n[q] >>= 1;
                _nn[q] >>= 1;
            }

            _n[q]++;
            return rx;
        }
    }
}
