using System.Runtime.CompilerServices;
namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Tier-1 of JPEG 2000 (ITU-T T.800 Annex D): decodes one code-block's coding passes (significance propagation,
/// magnitude refinement, cleanup with run-length mode) with the MQ decoder into signed coefficients in half units:
/// each magnitude is kept at the middle of the interval its decoded bits leave (3·2^p on becoming significant at
/// bit-plane p, ±2^p per refinement), so a block truncated after any pass is reconstructed at r = 1/2 per coefficient
/// (T.800 E.1.1.2) and a complete one is exactly 2·|q| + 1. Supports the code-block styles reset, termination on every pass,
/// vertically causal context and segmentation symbols; selective arithmetic-coding bypass is refused.
/// One instance per thread: it reuses its buffers.
/// </summary>
internal sealed class J2kBlockDecoder
{
    private const byte Sig = 1, Neg = 2, Visit = 4, Refined = 8;
    public const int StyleBypass = 1, StyleReset = 2, StyleTermAll = 4, StyleCausal = 8, StylePredictable = 16, StyleSegSym = 32;

    private J2kMqDecoder _mq = new();
    private byte[] _flags = [];
    /// <summary>Per sample: significant neighbours, horizontal (bits 0–1), vertical (bits 2–3), diagonal (bits 4–6).</summary>
    private byte[] _nb = [];
    private int[] _mag = [];
    /// <summary>Zero-coding context per orientation and neighbour byte (T.800 Table D.1).</summary>
    private static readonly byte[][] ZeroContexts = BuildZeroContexts();
    private int _w, _h, _stride;

    /// <summary>
    /// Decodes a code-block of <paramref name="width"/>×<paramref name="height"/> into <paramref name="output"/> (row-major,
    /// sign × magnitude in half units), from <paramref name="passes"/> coding passes starting at
    /// bit-plane <paramref name="topPlane"/>, held in <paramref name="data"/> as <paramref name="segments"/> (byte end and
    /// pass count per codeword segment).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    public void Decode(int width, int height, int orientation, int style, int topPlane, int passes, byte[] data,
        IReadOnlyList<(int End, int Passes)> segments, Span<int> output)
    {
        if ((style & StyleBypass) != 0) throw new DicomCodecException("JPEG 2000: selective arithmetic-coding bypass (code-block style 1) is not supported.");
        _w = width; _h = height; _stride = width + 2;
        int size = (width + 2) * (height + 2);
        if (_flags.Length < size) { _flags = new byte[size]; _nb = new byte[size]; }
        else { Array.Clear(_flags, 0, size); Array.Clear(_nb, 0, size); }
        if (_mag.Length < width * height) _mag = new int[width * height];
        else Array.Clear(_mag, 0, width * height);
        _mq.ResetContexts();
        int pass = 0, start = 0;
        foreach (var (end, count) in segments)
        {
            _mq.Init(data, start, end);
            for (int k = 0; k < count && pass < passes; k++, pass++)
            {
                int plane = pass == 0 ? topPlane : topPlane - (pass + 2) / 3;
                if (plane < 0) break;
                int kind = pass == 0 ? 2 : (pass - 1) % 3;
                if (kind == 0) SignificancePass(plane, orientation, style);
                else if (kind == 1) RefinementPass(plane);
                else CleanupPass(plane, orientation, style);
                if ((style & StyleReset) != 0) _mq.ResetContexts();
            }
            start = end;
        }
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int m = _mag[y * width + x];
                output[y * width + x] = (_flags[(y + 1) * _stride + x + 1] & Neg) != 0 ? -m : m;
            }
    }

    private static byte[][] BuildZeroContexts()
    {
        var table = new byte[4][];
        for (int o = 0; o < 4; o++)
        {
            table[o] = new byte[128];
            for (int n = 0; n < 128; n++)
            {
                int h = n & 3, v = (n >> 2) & 3, d = n >> 4;
                table[o][n] = (byte)(h > 2 || v > 2 || d > 4 ? 0 : ZeroContext(o, h, v, d));
            }
        }
        return table;
    }

    private static int ZeroContext(int orientation, int h, int v, int d)
    {
        if (orientation == 1) (h, v) = (v, h); // HL: the roles of H and V swap (T.800 Table D.1)
        if (orientation == 3)
        {
            int hv = h + v;
            if (d >= 3) return 8;
            if (d == 2) return hv >= 1 ? 7 : 6;
            if (d == 1) return hv >= 2 ? 5 : hv == 1 ? 4 : 3;
            return hv >= 2 ? 2 : hv == 1 ? 1 : 0;
        }
        if (h == 2) return 8;
        if (h == 1) return v >= 1 ? 7 : d >= 1 ? 6 : 5;
        if (v == 2) return 4;
        if (v == 1) return 3;
        return d >= 2 ? 2 : d == 1 ? 1 : 0;
    }

    private int DecodeSign(int x, int y, bool causal)
    {
        var f = _flags;
        int i = (y + 1) * _stride + x + 1;
        bool below = !(causal && (y & 3) == 3);
        static int Contribution(byte flag) => (flag & Sig) == 0 ? 0 : (flag & Neg) != 0 ? -1 : 1;
        int h = Math.Clamp(Contribution(f[i - 1]) + Contribution(f[i + 1]), -1, 1);
        int v = Math.Clamp(Contribution(f[i - _stride]) + (below ? Contribution(f[i + _stride]) : 0), -1, 1);
        int cx, xor;
        if (h == 0) { cx = v == 0 ? 9 : 10; xor = v < 0 ? 1 : 0; }
        else
        {
            cx = v == 0 ? 12 : v == h ? 13 : 11;
            xor = h < 0 ? 1 : 0;
        }
        return _mq.Decode(cx) ^ xor;
    }

    private void BecomeSignificant(int x, int y, int plane, bool causal)
    {
        int neg = DecodeSign(x, y, causal);
        int i = (y + 1) * _stride + x + 1;
        _flags[i] |= (byte)(Sig | (neg != 0 ? Neg : 0));
        _mag[y * _w + x] = 3 << plane;
        var nb = _nb;
        nb[i - 1] += 1;
        nb[i + 1] += 1;
        nb[i + _stride] += 4;
        nb[i + _stride - 1] += 16;
        nb[i + _stride + 1] += 16;
        // in causal mode the first row of a stripe is not a neighbour of the stripe above
        if (causal && (y & 3) == 0) return;
        nb[i - _stride] += 4;
        nb[i - _stride - 1] += 16;
        nb[i - _stride + 1] += 16;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private void SignificancePass(int plane, int orientation, int style)
    {
        bool causal = (style & StyleCausal) != 0;
        var contexts = ZeroContexts[orientation];
        byte[] flags = _flags, nb = _nb;
        int stride = _stride, w = _w, h = _h;
        for (int y0 = 0; y0 < h; y0 += 4)
        {
            int rows = Math.Min(4, h - y0);
            for (int x = 0; x < w; x++)
            {
                int i = (y0 + 1) * stride + x + 1;
                for (int k = 0; k < rows; k++, i += stride)
                {
                    // candidates: not yet significant, with a significant neighbour
                    if ((flags[i] & Sig) != 0 || nb[i] == 0) continue;
                    flags[i] |= Visit;
                    if (_mq.Decode(contexts[nb[i]]) != 0) BecomeSignificant(x, y0 + k, plane, causal);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private void RefinementPass(int plane)
    {
        byte[] flags = _flags, nb = _nb;
        int[] mag = _mag;
        int stride = _stride, w = _w, h = _h, step = 1 << plane;
        for (int y0 = 0; y0 < h; y0 += 4)
        {
            int rows = Math.Min(4, h - y0);
            for (int x = 0; x < w; x++)
            {
                int i = (y0 + 1) * stride + x + 1;
                for (int k = 0; k < rows; k++, i += stride)
                {
                    byte f = flags[i];
                    if ((f & (Sig | Visit)) != Sig) continue;
                    int cx = (f & Refined) != 0 ? 16 : nb[i] == 0 ? 14 : 15;
                    mag[(y0 + k) * w + x] += _mq.Decode(cx) != 0 ? step : -step;
                    flags[i] = (byte)(f | Refined);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private void CleanupPass(int plane, int orientation, int style)
    {
        bool causal = (style & StyleCausal) != 0;
        var contexts = ZeroContexts[orientation];
        byte[] flags = _flags, nb = _nb;
        int stride = _stride, w = _w, h = _h;
        const byte NotVisit = unchecked((byte)~Visit);
        for (int y0 = 0; y0 < h; y0 += 4)
        {
            int rows = Math.Min(4, h - y0);
            for (int x = 0; x < w; x++)
            {
                int top = (y0 + 1) * stride + x + 1;
                int k = 0;
                if (rows == 4 && RunPossible(x, y0))
                {
                    if (_mq.Decode(J2kMqDecoder.RunLength) == 0) continue; // four insignificant, unvisited samples
                    int r = _mq.Decode(J2kMqDecoder.Uniform) << 1;
                    r |= _mq.Decode(J2kMqDecoder.Uniform);
                    BecomeSignificant(x, y0 + r, plane, causal);
                    k = r + 1;
                }
                for (int i = top + k * stride; k < rows; k++, i += stride)
                {
                    if ((flags[i] & (Sig | Visit)) != 0) continue;
                    if (_mq.Decode(contexts[nb[i]]) != 0) BecomeSignificant(x, y0 + k, plane, causal);
                }
                // the visited marks belong to this bit-plane only
                for (int j = 0, i = top; j < rows; j++, i += stride) flags[i] &= NotVisit;
            }
        }
        if ((style & StyleSegSym) != 0)
            for (int k = 0; k < 4; k++) _mq.Decode(J2kMqDecoder.Uniform);
    }

    /// <summary>True when the four samples of the column are insignificant, unvisited and have no significant neighbour.</summary>
    private bool RunPossible(int x, int y0)
    {
        int i = (y0 + 1) * _stride + x + 1;
        for (int k = 0; k < 4; k++, i += _stride)
            if ((_flags[i] & (Sig | Visit)) != 0 || _nb[i] != 0) return false;
        return true;
    }
}
