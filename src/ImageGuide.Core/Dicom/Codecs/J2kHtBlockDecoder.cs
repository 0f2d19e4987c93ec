using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// The HT (high-throughput) block decoder of JPEG 2000 Part 15 (ITU-T T.814 | ISO/IEC 15444-15, clause 7): decodes one
/// HT code-block's cleanup pass and its optional significance-propagation and magnitude-refinement passes into signed
/// coefficients in half units, like <see cref="J2kBlockDecoder"/> (a coefficient whose magnitude bits are known down to
/// bit-plane p is kept at the middle of its interval, so a complete block gives 2·|q| + 1).
/// <para>
/// The cleanup segment holds three bit-streams: MagSgn grows forward from the first byte; MEL grows forward from
/// Lcup − Scup; VLC grows backward from the end (its last 12 bits give Scup). Samples are coded in 2×2 quads, two quads
/// at a time along each pair of rows: the VLC code of a quad (context from its already decoded neighbours; an adaptive
/// run-length MEL event first when the context is 0) gives which samples are significant and the exponent-bound
/// offsets, the U-VLC gives the exponent bound, and MagSgn carries each significant sample's sign and remaining
/// magnitude bits. The refinement segment holds SigProp (forward) and MagRef (backward). Every stream is byte-stuffed;
/// a stream that ends early reads on as its fill value, and anything a valid stream cannot hold (significance outside
/// the block, an exponent beyond the code-block's bit-planes, lengths outside the segment) is a
/// <see cref="DicomCodecException"/>. One instance per thread: it reuses its buffers.
/// </para>
/// </summary>
internal sealed class J2kHtBlockDecoder
{
    /// <summary>Code-block style bit of COD/COC that makes the code-blocks HT ones (T.814 Table A.4), and the mixed-mode bit.</summary>
    public const int StyleHt = 0x40, StyleHtMixed = 0x80;

    /// <summary>Expanded VLC tables: index (context &lt;&lt; 7) | next 7 VLC bits; value e_k(4) e_1(4) ρ(4) u_off(1) length(3).</summary>
    private static readonly ushort[] VlcInitial = Expand(J2kHtTables.InitialRow), VlcNonInitial = Expand(J2kHtTables.NonInitialRow);
    private static readonly byte[] MelExponent = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5];

    private const byte SigCleanup = 1, SigNew = 2, SignNew = 4;

    private byte[] _data = [];
    private int[] _mag = [], _magBuffer = [];
    private bool _direct;
    private byte[] _flags = [];
    private int[] _aboveE = [], _rowE = [];
    private int _w, _h, _stride;

    // MagSgn (forward, fill 0xFF) and SigProp (forward, fill 0)
    private ulong _fBuf; private int _fBits, _fPos, _fEnd; private bool _fUnstuff; private byte _fFill;
    // VLC and MagRef (backward, fill 0)
    private ulong _bBuf; private int _bBits, _bPos, _bLeft; private bool _bUnstuff;
    // MEL (forward, MSB first, fill 0xFF)
    private int _melPos, _melLeft, _melCur, _melBitsLeft, _melK, _melRun; private bool _melUnstuff, _melOnePending;

    private static ushort[] Expand(uint[] records)
    {
        var table = new ushort[1024];
        foreach (uint r in records)
        {
            int cq = (int)(r >> 29), rho = (int)(r >> 25) & 0xF, uOff = (int)(r >> 24) & 1, ek = (int)(r >> 20) & 0xF, e1 = (int)(r >> 16) & 0xF;
            int cwd = (int)(r >> 8) & 0xFF, length = (int)r & 0xFF;
            for (int bits = 0; bits < 128; bits++)
                if ((bits & ((1 << length) - 1)) == cwd)
                    table[(cq << 7) | bits] = (ushort)((ek << 12) | (e1 << 8) | (rho << 4) | (uOff << 3) | length);
        }
        return table;
    }

    /// <summary>
    /// Decodes a <paramref name="width"/>×<paramref name="height"/> HT code-block into <paramref name="output"/> (row-major,
    /// sign × magnitude in half units). <paramref name="data"/> holds the cleanup segment (<paramref name="cleanupLength"/>
    /// bytes) followed by the refinement segment (<paramref name="refinementLength"/> bytes); <paramref name="passes"/> is
    /// 1 (cleanup), 2 (+ SigProp) or 3 (+ MagRef); the cleanup pass leaves the magnitudes known down to bit-plane
    /// <paramref name="cleanupPlane"/> and holds at most <paramref name="magnitudeBits"/> magnitude bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    public void Decode(int width, int height, int style, byte[] data, int cleanupLength, int refinementLength, int passes,
        int cleanupPlane, int magnitudeBits, int[] output)
    {
        if (passes is < 1 or > 3) throw new DicomCodecException($"JPEG 2000 HT: a code-block with {passes} coding passes in its HT set (1 to 3).");
        if (cleanupPlane < 0 || magnitudeBits < 0 || cleanupPlane + magnitudeBits > 30)
            throw new DicomCodecException($"JPEG 2000 HT: a code-block with {magnitudeBits} magnitude bits above bit-plane {cleanupPlane}; at most 30 are supported.");
        if (passes > 1 && (refinementLength == 0 || cleanupPlane == 0)) passes = 1; // no refinement data, or nothing left to refine
        if (cleanupLength < 2 || cleanupLength + refinementLength > data.Length)
            throw new DicomCodecException($"JPEG 2000 HT: a cleanup segment of {cleanupLength} bytes (at least 2, within the code-block's {data.Length}).");
        int scup = (data[cleanupLength - 1] << 4) | (data[cleanupLength - 2] & 0xF);
        if (scup < 2 || scup > cleanupLength || scup > 4079)
            throw new DicomCodecException($"JPEG 2000 HT: the MEL and VLC segments claim {scup} bytes of a {cleanupLength}-byte cleanup segment (2 ≤ Scup ≤ min(Lcup, 4079)).");
        _data = data;
        _w = width; _h = height; _stride = width + 2;
        int size = width * height;
        // a cleanup pass alone writes signed values straight into the output; refinement needs the flags and magnitudes
        _direct = passes == 1;
        if (_direct) { _mag = output; Array.Clear(output, 0, size); }
        else
        {
            if (_magBuffer.Length < size) _magBuffer = new int[size];
            else Array.Clear(_magBuffer, 0, size);
            _mag = _magBuffer;
            int flagsSize = (width + 2) * (height + 2);
            if (_flags.Length < flagsSize) _flags = new byte[flagsSize];
            else Array.Clear(_flags, 0, flagsSize);
        }
        if (_aboveE.Length < width + 4) { _aboveE = new int[width + 4]; _rowE = new int[width + 4]; }

        InitMel(cleanupLength - scup, scup - 1);
        InitVlc(cleanupLength, scup);
        InitForward(0, cleanupLength - scup, 0xFF);
        Cleanup(cleanupPlane, magnitudeBits);
        if (passes > 1)
        {
            InitForward(cleanupLength, refinementLength, 0);
            SignificancePropagation(cleanupPlane - 1, (style & J2kBlockDecoder.StyleCausal) != 0);
            if (passes > 2)
            {
                InitBackward(cleanupLength + refinementLength - 1, refinementLength, true);
                MagnitudeRefinement(cleanupPlane - 1);
            }
        }
        if (_direct) return;
        var flags = _flags;
        var mag = _mag;
        for (int y = 0; y < height; y++)
        {
            int f = (y + 1) * _stride + 1, m = y * width;
            for (int x = 0; x < width; x++)
            {
                int v = mag[m + x];
                output[m + x] = (flags[f + x] & SignNew) != 0 ? -v : v;
            }
        }
    }

    // ---- bit-streams -------------------------------------------------------------------------------------------

    private void InitForward(int start, int length, byte fill)
    {
        _fPos = start; _fEnd = start + length; _fBuf = 0; _fBits = 0; _fUnstuff = false; _fFill = fill;
        FillForward();
    }

    /// <summary>Forward streams: least significant bit first; the byte after an FF carries 7 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FillForward()
    {
        while (_fBits <= 56)
        {
            int d = _fPos < _fEnd ? _data[_fPos++] : _fFill;
            if (_fUnstuff) { _fBuf |= (ulong)(d & 0x7F) << _fBits; _fBits += 7; }
            else { _fBuf |= (ulong)d << _fBits; _fBits += 8; }
            _fUnstuff = d == 0xFF;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint ReadForward(int n)
    {
        if (_fBits < 32) FillForward();
        uint v = (uint)_fBuf & (uint)((1UL << n) - 1);
        _fBuf >>= n; _fBits -= n;
        return v;
    }

    private void InitVlc(int lcup, int scup)
    {
        // the VLC stream starts in the upper nibble of the byte before last (the rest of those 2 bytes hold Scup)
        int d = _data[lcup - 2];
        int nibble = d >> 4;
        bool stuffed = (nibble & 7) == 7;
        _bBuf = (ulong)(stuffed ? nibble & 7 : nibble);
        _bBits = stuffed ? 3 : 4;
        _bUnstuff = (d | 0xF) > 0x8F;
        _bPos = lcup - 3;
        _bLeft = scup - 2;
        FillBackward();
    }

    private void InitBackward(int last, int length, bool unstuff)
    {
        _bPos = last; _bLeft = length; _bBuf = 0; _bBits = 0; _bUnstuff = unstuff;
        FillBackward();
    }

    /// <summary>Backward streams: least significant bit first, bytes in decreasing address; after a byte above 8F, a byte whose low 7 bits are all 1 carries 7 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FillBackward()
    {
        while (_bBits <= 56)
        {
            int d = 0;
            if (_bLeft > 0) { d = _data[_bPos--]; _bLeft--; }
            if (_bUnstuff && (d & 0x7F) == 0x7F) { _bBuf |= (ulong)(d & 0x7F) << _bBits; _bBits += 7; }
            else { _bBuf |= (ulong)d << _bBits; _bBits += 8; }
            _bUnstuff = d > 0x8F;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint PeekBackward()
    {
        if (_bBits < 32) FillBackward();
        return (uint)_bBuf;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipBackward(int n) { _bBuf >>= n; _bBits -= n; }

    private void InitMel(int start, int length)
    {
        _melPos = start; _melLeft = length; _melBitsLeft = 0; _melUnstuff = false; _melK = 0; _melRun = 0; _melOnePending = false;
    }

    private int MelBit()
    {
        if (_melBitsLeft == 0)
        {
            int d = 0xFF;
            if (_melLeft > 0)
            {
                d = _data[_melPos++];
                if (_melLeft == 1) d |= 0xF; // the last MEL byte shares its low nibble with Scup
                _melLeft--;
            }
            _melBitsLeft = _melUnstuff ? 7 : 8;
            _melUnstuff = d == 0xFF;
            _melCur = d;
        }
        return (_melCur >> --_melBitsLeft) & 1;
    }

    /// <summary>The next MEL event (T.814 7.3.3): adaptive run-length code of 0 events, 13 states.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int MelEvent()
    {
        if (_melRun > 0) { _melRun--; return 0; } // inside a run of 0 events
        if (!_melOnePending) MelCodeword();
        if (_melRun > 0) { _melRun--; return 0; }
        _melOnePending = false;
        return 1;
    }

    /// <summary>Decodes the next MEL codeword: 1 = a full run of 2^e 0 events; 0 + e bits r = r 0 events, then a 1 event.</summary>
    private void MelCodeword()
    {
        int e = MelExponent[_melK];
        if (MelBit() == 1)
        {
            _melRun = 1 << e; // a full run of 0 events
            _melK = Math.Min(12, _melK + 1);
        }
        else
        {
            int r = 0;
            for (int i = 0; i < e; i++) r = (r << 1) | MelBit();
            _melRun = r; // r 0 events, then a 1 event
            _melOnePending = true;
            _melK = Math.Max(0, _melK - 1);
        }
    }

    // ---- cleanup pass ---------------------------------------------------------------------------------------

    /// <summary>
    /// The U-VLC prefix (T.814 Table 3) of the next 3 bits, as nibbles of three constants indexed by those bits (no
    /// branches): 1 → 1, 01 → 2, 001 → 3 (+1 suffix bit), 000 → 5 (+5 suffix bits); prefix value, suffix length and
    /// prefix bits used.
    /// </summary>
    private const uint UPrefixValue = 0x1213_1215, UPrefixSuffix = 0x0001_0005, UPrefixUsed = 0x1213_1213;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Prefix, int SuffixBits, int Used) UPrefix(uint bits)
    {
        int shift = (int)(bits & 7) << 2;
        return ((int)(UPrefixValue >> shift) & 0xF, (int)(UPrefixSuffix >> shift) & 0xF, (int)(UPrefixUsed >> shift) & 0xF);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private void Cleanup(int plane, int magnitudeBits)
    {
        int w = _w, h = _h;
        int maxU = magnitudeBits + 1; // an exponent bound U leaves magnitudes up to 2^(U−1)
        int[] above = _aboveE, row = _rowE;
        // the arrays and sizes as locals: the samples' writes then need no reloads of the fields
        int[] mag = _mag;
        byte[]? flags = _direct ? null : _flags;
        int stride = _stride;
        Array.Clear(above, 0, w + 4);
        for (int y = 0; y < h; y += 2)
        {
            bool initial = y == 0;
            var table = initial ? VlcInitial : VlcNonInitial;
            Array.Clear(row, 0, w + 4);
            int context = 0;
            for (int x = 0; x < w; x += 4)
            {
                // the VLC codes of the quad pair
                int q1 = QuadCode(table, initial ? context : context | NorthContext(above, x));
                context = initial ? ((q1 >> 4) & 1) | ((q1 >> 5) & 7) : ((q1 >> 5) & 2) | ((q1 >> 6) & 2);
                int q2 = 0;
                if (x + 2 < w)
                {
                    q2 = QuadCode(table, initial ? context : context | NorthContext(above, x + 2));
                    context = initial ? ((q2 >> 4) & 1) | ((q2 >> 5) & 7) : ((q2 >> 5) & 2) | ((q2 >> 6) & 2);
                }
                // two insignificant quads (most pairs of a lossy image's fine subbands): no u, no samples, nothing to check
                if ((q1 | q2) == 0) continue;
                // the exponent bounds
                int mode = ((q1 >> 3) & 1) | ((q2 >> 2) & 2);
                if (initial && mode == 3 && MelEvent() == 1) mode = 4;
                int u1 = 0, u2 = 0;
                if (mode != 0)
                {
                    int both = DecodeU(mode, initial);
                    u1 = both & 0xFFFF;
                    u2 = both >> 16;
                }
                int k1 = 1, k2 = 1;
                if (!initial)
                {
                    if (MoreThanOne(q1)) k1 = Math.Max(1, MaxAbove(above, x) - 1);
                    if (MoreThanOne(q2)) k2 = Math.Max(1, MaxAbove(above, x + 2) - 1);
                }
                int U1 = u1 + k1, U2 = u2 + k2;
                if (U1 > maxU || U2 > maxU)
                    throw new DicomCodecException($"JPEG 2000 HT: an exponent bound of {Math.Max(U1, U2)} in a code-block of {magnitudeBits} magnitude bits (quad at {x}, {y}).");
                // significance outside the block is a damaged stream
                int rho = ((q1 >> 4) & 0xF) | (((q2 >> 4) & 0xF) << 4);
                int inside = 0xFF;
                if (x + 4 > w) inside >>= (x + 4 - w) << 1;
                if (y + 1 >= h) inside &= 0x55;
                if ((rho & ~inside) != 0) throw new DicomCodecException($"JPEG 2000 HT: significant samples outside the code-block (quad at {x}, {y}).");
                if ((q1 & 0xF0) != 0) Samples(q1, U1, x, y, plane, row, mag, flags, w, stride);
                if ((q2 & 0xF0) != 0) Samples(q2, U2, x + 2, y, plane, row, mag, flags, w, stride);
            }
            (above, row) = (row, above);
        }
        _aboveE = above; _rowE = row;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int QuadCode(ushort[] table, int context)
    {
        int q = table[(context << 7) | (int)(PeekBackward() & 0x7F)];
        if (context == 0 && MelEvent() == 0) return 0; // an insignificant quad: no VLC code
        SkipBackward(q & 7);
        return q;
    }

    /// <summary>Context bits from the row above: bit 0 = west-of-quad or left above significant, bit 2 = right above or east-of-quad significant (T.814 eq. 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NorthContext(int[] above, int x)
    {
        var a = above.AsSpan(x, 4); // above[c + 1] is column c; one bounds check for the four
        return ((a[0] | a[1]) != 0 ? 1 : 0) | ((a[2] | a[3]) != 0 ? 4 : 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MaxAbove(int[] above, int x)
    {
        var a = above.AsSpan(x, 4);
        return Math.Max(Math.Max(a[0], a[1]), Math.Max(a[2], a[3]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MoreThanOne(int q) { int rho = (q >> 4) & 0xF; return (rho & (rho - 1)) != 0; }

    /// <summary>
    /// u for the two quads of a pair (T.814 7.3.6), packed as u1 | u2 &lt;&lt; 16 (both below 2^6): modes 1–3 from the
    /// u_off bits, 4 when both are set and the MEL event is 1 (initial row); mode 0 (neither) reads nothing and is not
    /// passed here.
    /// </summary>
    private int DecodeU(int mode, bool initial)
    {
        uint bits = PeekBackward();
        if (mode is 1 or 2)
        {
            var (p, s, used) = UPrefix(bits);
            int u = p + (int)((bits >> used) & ((1u << s) - 1));
            SkipBackward(used + s);
            return mode == 1 ? u : u << 16;
        }
        var (p1, s1, used1) = UPrefix(bits);
        if (initial && mode == 3 && p1 > 2)
        {
            // both u_off set, MEL event 0, first prefix "001" or "000": the second u is 1 + one bit
            int u2b = (int)((bits >> used1) & 1) + 1;
            int suffix = (int)((bits >> (used1 + 1)) & ((1u << s1) - 1));
            SkipBackward(used1 + 1 + s1);
            return (p1 + suffix) | (u2b << 16);
        }
        var (p2, s2, used2) = UPrefix(bits >> used1);
        int at = used1 + used2;
        int u1 = p1 + (int)((bits >> at) & ((1u << s1) - 1));
        at += s1;
        int u2 = p2 + (int)((bits >> at) & ((1u << s2) - 1));
        at += s2;
        SkipBackward(at);
        return mode == 4 ? (u1 + 2) | ((u2 + 2) << 16) : u1 | (u2 << 16);
    }

    /// <summary>
    /// Reads the significant samples of one quad from MagSgn (order: top-left, bottom-left, top-right, bottom-right) and
    /// records the bottom row's exponents; signed values straight into <paramref name="mag"/> when there are no
    /// <paramref name="flags"/> (a cleanup pass alone), else magnitudes and flags.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Samples(int q, int u, int x, int y, int plane, int[] row, int[] mag, byte[]? flags, int w, int stride)
    {
        // MagSgn's bit buffer in registers for the quad (ReadForward's steps, without a field round trip per sample)
        ulong buf = _fBuf;
        int bits = _fBits;
        for (int rho = (q >> 4) & 0xF; rho != 0; rho &= rho - 1)
        {
            int k = BitOperations.TrailingZeroCount(rho);
            int m = u - ((q >> (12 + k)) & 1);
            if (bits < 32)
            {
                _fBuf = buf; _fBits = bits;
                FillForward();
                buf = _fBuf; bits = _fBits;
            }
            uint raw = (uint)buf & (uint)((1UL << m) - 1);
            buf >>= m; bits -= m;
            uint v = (raw & ((1u << m) - 1)) | ((uint)((q >> (8 + k)) & 1) << m) | 1; // 2(μ − 1) + 1, with the sign bit replaced
            int sx = x + (k >> 1), sy = y + (k & 1);
            int value = (int)(v + 2) << plane; // (2μ + 1)·2^p: the middle of the interval
            if (flags is null) mag[sy * w + sx] = (raw & 1) != 0 ? -value : value;
            else
            {
                mag[sy * w + sx] = value;
                flags[(sy + 1) * stride + sx + 1] = (byte)(SigCleanup | ((raw & 1) != 0 ? SignNew : 0));
            }
            if ((k & 1) != 0) row[sx + 1] = 32 - BitOperations.LeadingZeroCount(v);
        }
        _fBuf = buf; _fBits = bits;
    }

    // ---- refinement passes ----------------------------------------------------------------------------------

    /// <summary>
    /// SigProp (T.814 7.4): in stripes of 4 rows, 4 columns at a time, one bit for each insignificant sample with a
    /// significant neighbour (the cleanup's anywhere, except below the stripe in vertically causal mode; this pass's
    /// where already scanned), then one sign bit per sample that became significant in those 4 columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private void SignificancePropagation(int plane, bool causal)
    {
        int w = _w, h = _h, stride = _stride;
        byte[] f = _flags;
        for (int y0 = 0; y0 < h; y0 += 4)
        {
            int rows = Math.Min(4, h - y0);
            for (int x0 = 0; x0 < w; x0 += 4)
            {
                int cols = Math.Min(4, w - x0);
                bool any = false;
                for (int c = 0; c < cols; c++)
                    for (int r = 0; r < rows; r++)
                    {
                        int i = (y0 + r + 1) * stride + x0 + c + 1;
                        if ((f[i] & (SigCleanup | SigNew)) != 0) continue;
                        bool lastRow = causal && r == 3;
                        int n = f[i - stride - 1] | f[i - stride] | f[i - stride + 1] | f[i - 1] | f[i + 1];
                        if (!lastRow) n |= f[i + stride - 1] | f[i + stride] | f[i + stride + 1];
                        else n |= (f[i + stride - 1] | f[i + stride] | f[i + stride + 1]) & SigNew;
                        if ((n & (SigCleanup | SigNew)) == 0) continue;
                        if (ReadForward(1) != 0) { f[i] |= SigNew; any = true; }
                    }
                if (!any) continue;
                int value = 3 << plane;
                for (int c = 0; c < cols; c++)
                    for (int r = 0; r < rows; r++)
                    {
                        int i = (y0 + r + 1) * stride + x0 + c + 1;
                        if ((f[i] & SigNew) == 0 || _mag[(y0 + r) * w + x0 + c] != 0) continue;
                        _mag[(y0 + r) * w + x0 + c] = value;
                        if (ReadForward(1) != 0) f[i] |= SignNew;
                    }
            }
        }
    }

    /// <summary>MagRef (T.814 7.5): in stripes of 4 rows, column by column, one bit per sample the cleanup made significant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private void MagnitudeRefinement(int plane)
    {
        int w = _w, h = _h, stride = _stride;
        byte[] f = _flags;
        int[] mag = _mag;
        for (int y0 = 0; y0 < h; y0 += 4)
        {
            int rows = Math.Min(4, h - y0);
            for (int x = 0; x < w; x++)
                for (int r = 0; r < rows; r++)
                {
                    if ((f[(y0 + r + 1) * stride + x + 1] & SigCleanup) == 0) continue;
                    uint bit = PeekBackward() & 1;
                    SkipBackward(1);
                    int at = (y0 + r) * w + x;
                    // (2μ + 1)·2^(p+1) becomes (4μ + 2·bit + 1)·2^p
                    mag[at] = mag[at] - (1 << (plane + 1)) + ((int)bit << (plane + 1)) + (1 << plane);
                }
        }
    }
}
