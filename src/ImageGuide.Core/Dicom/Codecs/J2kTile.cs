using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageGuide.Dicom.Codecs;

/// <summary>A code-block: its place in the subband and the coded data its packets brought.</summary>
internal sealed class J2kCodeBlock(int x0, int y0, int x1, int y1)
{
    public readonly int X0 = x0, Y0 = y0, X1 = x1, Y1 = y1;
    public bool Included;
    public int ZeroPlanes, Passes, LBlock = 3;
    public readonly List<byte> Data = [];
    /// <summary>End offset in <see cref="Data"/> and pass count of each codeword segment.</summary>
    public readonly List<(int End, int Passes)> Segments = [];
}

/// <summary>One subband of a tile-component: its extent in subband coordinates and its code-blocks.</summary>
internal sealed class J2kBand
{
    public int Orientation, X0, Y0, X1, Y1, Planes, CbExpX, CbExpY, CbCols, CbRows, CbCol0, CbRow0;
    public double Step;
    public J2kCodeBlock[] Blocks = [];
    public int Width => X1 - X0;
    public int Height => Y1 - Y0;
}

/// <summary>A precinct: for each subband of its resolution, the code-blocks it holds and their tag trees.</summary>
internal sealed class J2kPrecinct
{
    public required (int Col0, int Row0, int Cols, int Rows)[] Blocks;
    public required J2kTagTree?[] Inclusion, ZeroPlanes;
}

/// <summary>A resolution level of a tile-component.</summary>
internal sealed class J2kResolution
{
    public int X0, Y0, X1, Y1, PrecinctsX, PrecinctsY;
    public J2kBand[] Bands = [];
    public J2kPrecinct[] Precincts = [];
}

/// <summary>
/// One tile of a JPEG 2000 codestream: tier-2 (packet headers, T.800 Annex B) in the five progression orders, tier-1
/// per code-block (<see cref="J2kBlockDecoder"/>), dequantisation, the inverse wavelet transform and the inverse
/// component transform; the result is written into the image's component planes.
/// </summary>
internal sealed class J2kTile
{
    private readonly J2kCodestream _cs;
    private readonly J2kTileHeader _header;
    private readonly int _x0, _y0, _x1, _y1;
    private readonly J2kResolution[][] _res;
    private readonly J2kCodingStyle[] _coding;

    public J2kTile(J2kCodestream cs, int index, J2kTileHeader header)
    {
        _cs = cs;
        _header = header;
        int p = index % cs.TilesX, q = index / cs.TilesX;
        _x0 = Math.Max(cs.TileX0 + p * cs.TileWidth, cs.X0);
        _y0 = Math.Max(cs.TileY0 + q * cs.TileHeight, cs.Y0);
        _x1 = Math.Min(cs.TileX0 + (p + 1) * cs.TileWidth, cs.Width);
        _y1 = Math.Min(cs.TileY0 + (q + 1) * cs.TileHeight, cs.Height);
        _coding = new J2kCodingStyle[cs.Components];
        _res = new J2kResolution[cs.Components][];
        for (int c = 0; c < cs.Components; c++)
        {
            _coding[c] = header.Coding(c);
            _res[c] = Build(_coding[c], header.Quantization(c), cs.Precision[c]);
        }
    }

    private static int CeilDiv(int a, int b) => (int)(((long)a + b - 1) / b);

    private J2kResolution[] Build(J2kCodingStyle cod, J2kQuantization quant, int precision)
    {
        int levels = cod.Levels;
        var res = new J2kResolution[levels + 1];
        for (int r = 0; r <= levels; r++)
        {
            int scale = 1 << (levels - r);
            var rr = new J2kResolution { X0 = CeilDiv(_x0, scale), Y0 = CeilDiv(_y0, scale), X1 = CeilDiv(_x1, scale), Y1 = CeilDiv(_y1, scale) };
            var (ppx, ppy) = cod.Precincts[r];
            rr.PrecinctsX = rr.X1 > rr.X0 ? CeilDiv(rr.X1, 1 << ppx) - (rr.X0 >> ppx) : 0;
            rr.PrecinctsY = rr.Y1 > rr.Y0 ? CeilDiv(rr.Y1, 1 << ppy) - (rr.Y0 >> ppy) : 0;
            int bandCount = r == 0 ? 1 : 3;
            rr.Bands = new J2kBand[bandCount];
            int bppx = r == 0 ? ppx : ppx - 1, bppy = r == 0 ? ppy : ppy - 1;
            for (int b = 0; b < bandCount; b++)
            {
                int orientation = r == 0 ? 0 : b + 1; // 1 HL, 2 LH, 3 HH
                int nb = r == 0 ? levels : levels - r + 1;
                int xo = orientation is 1 or 3 ? 1 : 0, yo = orientation is 2 or 3 ? 1 : 0;
                long half = nb == 0 ? 0 : 1L << (nb - 1);
                var band = new J2kBand
                {
                    Orientation = orientation,
                    X0 = (int)CeilDivL(_x0 - half * xo, 1L << nb),
                    Y0 = (int)CeilDivL(_y0 - half * yo, 1L << nb),
                    X1 = (int)CeilDivL(_x1 - half * xo, 1L << nb),
                    Y1 = (int)CeilDivL(_y1 - half * yo, 1L << nb),
                    CbExpX = Math.Min(cod.CodeBlockWidthExp, bppx),
                    CbExpY = Math.Min(cod.CodeBlockHeightExp, bppy),
                };
                int bandIndex = r == 0 ? 0 : 3 * (r - 1) + 1 + b;
                var (exponent, mantissa) = quant.Step(bandIndex, levels);
                band.Planes = quant.GuardBits + exponent - 1;
                int gain = orientation == 0 ? 0 : orientation == 3 ? 2 : 1;
                band.Step = cod.Reversible ? 1 : Math.Pow(2, precision + gain - exponent) * (1 + mantissa / 2048.0);
                if (band.Planes > 30) throw new DicomCodecException($"JPEG 2000: {band.Planes} bit-planes in a subband; at most 30 are supported.");
                if (band.Width > 0 && band.Height > 0)
                {
                    band.CbCol0 = band.X0 >> band.CbExpX;
                    band.CbRow0 = band.Y0 >> band.CbExpY;
                    band.CbCols = CeilDiv(band.X1, 1 << band.CbExpX) - band.CbCol0;
                    band.CbRows = CeilDiv(band.Y1, 1 << band.CbExpY) - band.CbRow0;
                    band.Blocks = new J2kCodeBlock[band.CbCols * band.CbRows];
                    for (int j = 0; j < band.CbRows; j++)
                        for (int i = 0; i < band.CbCols; i++)
                        {
                            int bx0 = Math.Max(band.X0, (band.CbCol0 + i) << band.CbExpX), by0 = Math.Max(band.Y0, (band.CbRow0 + j) << band.CbExpY);
                            int bx1 = Math.Min(band.X1, (band.CbCol0 + i + 1) << band.CbExpX), by1 = Math.Min(band.Y1, (band.CbRow0 + j + 1) << band.CbExpY);
                            band.Blocks[j * band.CbCols + i] = new J2kCodeBlock(bx0, by0, bx1, by1);
                        }
                }
                rr.Bands[b] = band;
            }
            // precincts: each covers, in every subband, the code-blocks inside its (halved) area
            rr.Precincts = new J2kPrecinct[rr.PrecinctsX * rr.PrecinctsY];
            for (int py = 0; py < rr.PrecinctsY; py++)
                for (int px = 0; px < rr.PrecinctsX; px++)
                {
                    var blocks = new (int, int, int, int)[bandCount];
                    var inclusion = new J2kTagTree?[bandCount];
                    var zero = new J2kTagTree?[bandCount];
                    for (int b = 0; b < bandCount; b++)
                    {
                        var band = rr.Bands[b];
                        if (band.Blocks.Length == 0) continue;
                        // precinct area in subband coordinates (aligned at multiples of its size)
                        long ax0 = ((long)(rr.X0 >> ppx) + px) << bppx, ay0 = ((long)(rr.Y0 >> ppy) + py) << bppy;
                        long ax1 = ax0 + (1L << bppx), ay1 = ay0 + (1L << bppy);
                        int c0 = (int)Math.Max(band.CbCol0, ax0 >> band.CbExpX), r0 = (int)Math.Max(band.CbRow0, ay0 >> band.CbExpY);
                        int c1 = (int)Math.Min(band.CbCol0 + band.CbCols, CeilDivL(ax1, 1L << band.CbExpX));
                        int r1 = (int)Math.Min(band.CbRow0 + band.CbRows, CeilDivL(ay1, 1L << band.CbExpY));
                        int cols = Math.Max(0, c1 - c0), rows = Math.Max(0, r1 - r0);
                        blocks[b] = (c0 - band.CbCol0, r0 - band.CbRow0, cols, rows);
                        if (cols * rows > 0)
                        {
                            inclusion[b] = new J2kTagTree(cols, rows);
                            zero[b] = new J2kTagTree(cols, rows);
                        }
                    }
                    rr.Precincts[py * rr.PrecinctsX + px] = new J2kPrecinct { Blocks = blocks, Inclusion = inclusion, ZeroPlanes = zero };
                }
            res[r] = rr;
        }
        return res;
    }

    private static long CeilDivL(long a, long b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    /// <summary>Reads every packet of the tile in its progression order (T.800 B.12).</summary>
    public void ReadPackets()
    {
        byte[] body = _header.Body();
        int pos = 0, end = body.Length;
        var general = _coding[0];
        int layers = general.Layers, comps = _cs.Components;
        int maxRes = 0;
        for (int c = 0; c < comps; c++) maxRes = Math.Max(maxRes, _coding[c].Levels + 1);
        bool Read(int l, int r, int c, int p)
        {
            if (r >= _res[c].Length || p >= _res[c][r].Precincts.Length) return true;
            if (pos >= end) return false;
            pos = ReadPacket(body, pos, end, l, _res[c][r], _res[c][r].Precincts[p], _coding[c]);
            return true;
        }
        int MaxPrecincts(int r)
        {
            int m = 0;
            for (int c = 0; c < comps; c++) if (r < _res[c].Length) m = Math.Max(m, _res[c][r].Precincts.Length);
            return m;
        }
        switch (general.Progression)
        {
            case 0: // LRCP
                for (int l = 0; l < layers; l++)
                    for (int r = 0; r < maxRes; r++)
                        for (int c = 0; c < comps; c++)
                            for (int p = 0; p < MaxPrecincts(r); p++)
                                if (!Read(l, r, c, p)) return;
                break;
            case 1: // RLCP
                for (int r = 0; r < maxRes; r++)
                    for (int l = 0; l < layers; l++)
                        for (int c = 0; c < comps; c++)
                            for (int p = 0; p < MaxPrecincts(r); p++)
                                if (!Read(l, r, c, p)) return;
                break;
            default:
                // position-driven orders (T.800 B.12.1.3–5): the precincts of every resolution in the order of their
                // positions on the tile's grid
                if (!ReadByPosition(general.Progression, layers, comps, maxRes, Read)) return;
                break;
        }
    }

    /// <summary>
    /// RPCL (2), PCRL (3) and CPRL (4): walks the tile's positions on the finest precinct grid of all components and
    /// resolutions and, where a precinct of (component, resolution) starts, reads its packets of every layer (the
    /// position test of T.800 B.12.1.3, as OpenJPEG applies it). False when the tile's data end.
    /// </summary>
    private bool ReadByPosition(int progression, int layers, int comps, int maxRes, Func<int, int, int, int, bool> read)
    {
        long stepX = long.MaxValue, stepY = long.MaxValue;
        for (int c = 0; c < comps; c++)
            for (int r = 0; r < _res[c].Length; r++)
            {
                int levelno = _res[c].Length - 1 - r;
                var (ppx, ppy) = _coding[c].Precincts[r];
                stepX = Math.Min(stepX, 1L << Math.Min(62, ppx + levelno));
                stepY = Math.Min(stepY, 1L << Math.Min(62, ppy + levelno));
            }
        long positions = ((_x1 - _x0) / stepX + 2) * ((_y1 - _y0) / stepY + 2);
        if (positions > 1 << 20) throw new DicomCodecException($"JPEG 2000: a precinct grid of {positions} positions in one tile; too fine to walk.");
        // the precinct of (c, r) that starts at (x, y), or −1
        int PrecinctAt(int c, int r, long x, long y)
        {
            if (r >= _res[c].Length) return -1;
            var rr = _res[c][r];
            if (rr.X1 <= rr.X0 || rr.Y1 <= rr.Y0) return -1;
            int levelno = _res[c].Length - 1 - r;
            var (ppx, ppy) = _coding[c].Precincts[r];
            int rpx = ppx + levelno, rpy = ppy + levelno;
            bool atY = y % (1L << rpy) == 0 || (y == _y0 && (((long)rr.Y0 << levelno) % (1L << rpy)) != 0);
            bool atX = x % (1L << rpx) == 0 || (x == _x0 && (((long)rr.X0 << levelno) % (1L << rpx)) != 0);
            if (!atX || !atY) return -1;
            long px = (CeilDivL(x, 1L << levelno) >> ppx) - (rr.X0 >> ppx), py = (CeilDivL(y, 1L << levelno) >> ppy) - (rr.Y0 >> ppy);
            return px < 0 || py < 0 || px >= rr.PrecinctsX || py >= rr.PrecinctsY ? -1 : (int)(px + py * rr.PrecinctsX);
        }
        IEnumerable<long> Ys() { yield return _y0; for (long y = (_y0 / stepY + 1) * stepY; y < _y1; y += stepY) yield return y; }
        IEnumerable<long> Xs() { yield return _x0; for (long x = (_x0 / stepX + 1) * stepX; x < _x1; x += stepX) yield return x; }
        bool Packets(int c, int r, long x, long y)
        {
            int p = PrecinctAt(c, r, x, y);
            if (p < 0) return true;
            for (int l = 0; l < layers; l++) if (!read(l, r, c, p)) return false;
            return true;
        }
        switch (progression)
        {
            case 2: // RPCL
                for (int r = 0; r < maxRes; r++)
                    foreach (long y in Ys()) foreach (long x in Xs())
                        for (int c = 0; c < comps; c++) if (!Packets(c, r, x, y)) return false;
                break;
            case 3: // PCRL
                foreach (long y in Ys()) foreach (long x in Xs())
                    for (int c = 0; c < comps; c++)
                        for (int r = 0; r < maxRes; r++) if (!Packets(c, r, x, y)) return false;
                break;
            default: // CPRL
                for (int c = 0; c < comps; c++)
                    foreach (long y in Ys()) foreach (long x in Xs())
                        for (int r = 0; r < maxRes; r++) if (!Packets(c, r, x, y)) return false;
                break;
        }
        return true;
    }

    private static int ReadPacket(byte[] data, int pos, int end, int layer, J2kResolution res, J2kPrecinct precinct, J2kCodingStyle cod)
    {
        // SOP marker segment (6 bytes) before the packet, when used
        if (cod.Sop && pos + 6 <= end && data[pos] == 0xFF && data[pos + 1] == 0x91) pos += 6;
        var bits = new J2kPacketReader(data, pos, end);
        var included = new List<(J2kCodeBlock Block, int Length, int NewPasses, bool NewSegment)>();
        bool termAll = (cod.CodeBlockStyle & J2kBlockDecoder.StyleTermAll) != 0;
        bool ht = (cod.CodeBlockStyle & J2kHtBlockDecoder.StyleHt) != 0;
        if (bits.Bit() != 0)
        {
            for (int b = 0; b < res.Bands.Length; b++)
            {
                var band = res.Bands[b];
                var (col0, row0, cols, rows) = precinct.Blocks[b];
                if (cols * rows == 0) continue;
                var inc = precinct.Inclusion[b]!;
                var zero = precinct.ZeroPlanes[b]!;
                for (int j = 0; j < rows; j++)
                    for (int i = 0; i < cols; i++)
                    {
                        var block = band.Blocks[(row0 + j) * band.CbCols + col0 + i];
                        bool now = block.Included ? bits.Bit() != 0 : inc.Decode(bits, i, j, layer + 1);
                        if (!now) continue;
                        if (!block.Included)
                        {
                            int t = 0;
                            while (!zero.Decode(bits, i, j, t + 1))
                                if (++t > 64) throw new DicomCodecException("JPEG 2000: a code-block's zero bit-planes do not end.", bits.Position);
                            block.ZeroPlanes = zero.Value(i, j);
                            block.Included = true;
                        }
                        int passes = PassCount(bits);
                        while (bits.Bit() != 0) block.LBlock++;
                        if (ht) HtLengths(bits, block, passes, included);
                        else if (termAll)
                        {
                            for (int k = 0; k < passes; k++)
                                included.Add((block, bits.Bits(block.LBlock), 1, true));
                        }
                        else
                        {
                            int length = bits.Bits(block.LBlock + FloorLog2(passes));
                            included.Add((block, length, passes, block.Segments.Count == 0));
                        }
                    }
            }
        }
        bits.Align();
        pos = bits.Position;
        if (cod.Eph && pos + 2 <= end && data[pos] == 0xFF && data[pos + 1] == 0x92) pos += 2;
        foreach (var (block, length, passes, newSegment) in included)
        {
            if (length < 0 || pos + length > end) throw new DicomCodecException("JPEG 2000: a code-block's data run past the tile.", pos);
            for (int k = 0; k < length; k++) block.Data.Add(data[pos + k]);
            pos += length;
            if (newSegment || block.Segments.Count == 0) block.Segments.Add((block.Data.Count, passes));
            else block.Segments[^1] = (block.Data.Count, block.Segments[^1].Passes + passes);
            block.Passes += passes;
        }
        return pos;
    }

    /// <summary>
    /// Codeword-segment lengths of an HT code-block (T.814 Annex B): the cleanup pass (after any placeholder passes) is
    /// one segment, its SigProp and MagRef passes the other, each with Lblock + ⌊log2 passes⌋ length bits. One HT set per
    /// code-block (what HTJ2K encoders write); placeholder passes without a cleanup and later HT sets are refused.
    /// </summary>
    private static void HtLengths(J2kPacketReader bits, J2kCodeBlock block, int passes, List<(J2kCodeBlock, int, int, bool)> included)
    {
        if (block.Passes == 0)
        {
            int refinement = (passes - 1) % 3, cleanup = passes - refinement;
            int length = bits.Bits(block.LBlock + FloorLog2(cleanup));
            if (length == 0) throw new DicomCodecException("JPEG 2000 HT: a code-block whose first contribution has placeholder passes but no cleanup pass; not supported.", bits.Position);
            included.Add((block, length, cleanup, true));
            if (refinement > 0) included.Add((block, bits.Bits(block.LBlock + FloorLog2(refinement)), refinement, true));
            return;
        }
        int done = block.Passes - block.Segments[0].Passes; // refinement passes already received
        if (done + passes > 2) throw new DicomCodecException("JPEG 2000 HT: a code-block with more than one HT set (cleanup, SigProp, MagRef); not supported.", bits.Position);
        included.Add((block, bits.Bits(block.LBlock + FloorLog2(passes)), passes, block.Segments.Count == 1));
    }

    private static int FloorLog2(int v) => 31 - int.LeadingZeroCount(v);

    /// <summary>The number of new coding passes (T.800 Table B.4).</summary>
    private static int PassCount(J2kPacketReader bits)
    {
        if (bits.Bit() == 0) return 1;
        if (bits.Bit() == 0) return 2;
        int v = bits.Bits(2);
        if (v < 3) return 3 + v;
        v = bits.Bits(5);
        if (v < 31) return 6 + v;
        return 37 + bits.Bits(7);
    }

    /// <summary>Every code-block of the tile with its subband, after <see cref="ReadPackets"/> (for inspection and tests).</summary>
    public IEnumerable<(J2kBand Band, J2kCodeBlock Block)> CodeBlocks()
    {
        foreach (var component in _res)
            foreach (var resolution in component)
                foreach (var band in resolution.Bands)
                    foreach (var block in band.Blocks)
                        yield return (band, block);
    }

    /// <summary>Decodes the code-blocks, dequantises, runs the inverse wavelet and component transforms: one plane per component over the tile's area (row-major).</summary>
    public float[][] Reconstruct()
    {
        int comps = _cs.Components;
        var outPlanes = new float[comps][];
        int w = _x1 - _x0, h = _y1 - _y0;
        var decoder = new J2kBlockDecoder();
        var htDecoder = new J2kHtBlockDecoder();
        for (int c = 0; c < comps; c++)
        {
            var cod = _coding[c];
            int roi = _header.Roi(c);
            var res = _res[c];
            // coefficients of the current resolution, row-major over its extent
            float[] current = BandSamples(res[0].Bands[0], decoder, htDecoder, cod, roi);
            int cw = res[0].X1 - res[0].X0, ch = res[0].Y1 - res[0].Y0;
            for (int r = 1; r < res.Length; r++)
            {
                var rr = res[r];
                int rw = rr.X1 - rr.X0, rh = rr.Y1 - rr.Y0;
                var next = new float[rw * rh];
                var hl = BandSamples(rr.Bands[0], decoder, htDecoder, cod, roi);
                var lh = BandSamples(rr.Bands[1], decoder, htDecoder, cod, roi);
                var hh = BandSamples(rr.Bands[2], decoder, htDecoder, cod, roi);
                J2kWavelet.Interleave(next, rr, current, res[r - 1], [hl, lh, hh]);
                J2kWavelet.Inverse2D(next, rr.X0, rr.Y0, rw, rh, cod.Reversible);
                current = next;
                cw = rw;
                ch = rh;
            }
            if (cw != w || ch != h) throw new DicomCodecException("JPEG 2000: the tile's reconstructed size does not match its area.");
            outPlanes[c] = current;
        }
        if (_coding[0].MultipleComponentTransform && comps >= 3) J2kWavelet.InverseComponentTransform(outPlanes, _coding[0].Reversible);
        return outPlanes;
    }

    /// <summary>
    /// Coefficients in half units (sign × magnitude) to real values without ROI shifting: reversible ones the integer
    /// part |v| / 2, irreversible ones |v| / 2 · step (zero when |v| &lt; 2), computed in double and rounded once to float;
    /// the sign of v goes on the result (−1 gives −0). AVX: eight at a time with the same double arithmetic (|v|·(step/2)
    /// is |v|·0.5·step exactly: halving is exact), so the floats are the scalar loop's bit for bit.
    /// </summary>
    internal static void Dequantize(ReadOnlySpan<int> source, Span<float> target, bool reversible, double step)
    {
        int n = 0;
        double half = 0.5 * step;
        if (Avx2.IsSupported && source.Length >= Vector256<int>.Count)
        {
            ref int src = ref MemoryMarshal.GetReference(source);
            ref float dst = ref MemoryMarshal.GetReference(target);
            var sign = Vector256.Create(int.MinValue);
            var one = Vector256.Create(1);
            var h = Vector256.Create(half);
            for (; n <= source.Length - Vector256<int>.Count; n += Vector256<int>.Count)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)n);
                var a = Vector256.Abs(v);
                Vector256<float> value;
                if (reversible) value = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(a, 1));
                else
                {
                    var lo = Avx.ConvertToVector128Single(Avx.Multiply(Avx.ConvertToVector256Double(a.GetLower()), h));
                    var hi = Avx.ConvertToVector128Single(Avx.Multiply(Avx.ConvertToVector256Double(a.GetUpper()), h));
                    value = (Vector256.Create(lo, hi).AsInt32() & Vector256.GreaterThan(a, one)).AsSingle();
                }
                (value.AsInt32() | (v & sign)).AsSingle().StoreUnsafe(ref dst, (nuint)n);
            }
        }
        if (reversible)
            for (; n < source.Length; n++)
            {
                int v = source[n];
                float value = Math.Abs(v) >> 1;
                target[n] = v < 0 ? -value : value;
            }
        else
            for (; n < source.Length; n++)
            {
                int v = source[n], a = Math.Abs(v);
                float value = a >> 1 == 0 ? 0 : (float)(a * 0.5 * step);
                target[n] = v < 0 ? -value : value;
            }
    }

    /// <summary>The dequantised coefficients of one subband (row-major over its extent).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private static float[] BandSamples(J2kBand band, J2kBlockDecoder decoder, J2kHtBlockDecoder htDecoder, J2kCodingStyle cod, int roi)
    {
        bool ht = (cod.CodeBlockStyle & J2kHtBlockDecoder.StyleHt) != 0;
        if (ht && (cod.CodeBlockStyle & J2kHtBlockDecoder.StyleHtMixed) != 0)
            throw new DicomCodecException("JPEG 2000 HT: mixed HT and Part 1 code-blocks (code-block style bit 0x80) are not supported.");
        if (ht && roi > 0) throw new DicomCodecException("JPEG 2000 HT: region-of-interest shifting (RGN) with HT code-blocks is not supported.");
        var samples = new float[Math.Max(0, band.Width) * Math.Max(0, band.Height)];
        int[] buffer = [];
        foreach (var block in band.Blocks)
        {
            if (!block.Included || block.Passes == 0) continue;
            int bw = block.X1 - block.X0, bh = block.Y1 - block.Y0;
            if (buffer.Length < bw * bh) buffer = new int[bw * bh];
            int top = band.Planes + roi - 1 - block.ZeroPlanes;
            if (ht)
            {
                var htData = block.Data.ToArray();
                int cleanupLength = block.Segments[0].End, placeholders = block.Segments[0].Passes - 1;
                // the HT cleanup pass sits where a Part 1 cleanup pass of the same index would: after Z zero bit-planes and
                // p placeholder passes (3 per bit-plane) it is bit-plane Mb − 1 − Z − p/3, and it codes every magnitude bit
                // from the top down to it (T.814 7.1; the same placement as OpenJPEG's and OpenJPH's decoders)
                int cleanupPlane = band.Planes - 1 - block.ZeroPlanes - placeholders / 3, magnitudeBits = band.Planes - cleanupPlane;
                if (cleanupPlane < 0) throw new DicomCodecException($"JPEG 2000 HT: {block.ZeroPlanes} zero bit-planes and {placeholders} placeholder passes in a subband of {band.Planes} bit-planes.");
                htDecoder.Decode(bw, bh, cod.CodeBlockStyle, htData, cleanupLength, htData.Length - cleanupLength,
                    block.Passes - placeholders, cleanupPlane, magnitudeBits, buffer);
            }
            else
            {
                if (top < 0) continue;
                if (top > 29) throw new DicomCodecException("JPEG 2000: a code-block with more than 30 bit-planes.");
                var data = new byte[block.Data.Count + 2];
                block.Data.CopyTo(data);
                data[^2] = data[^1] = 0xFF;
                decoder.Decode(bw, bh, band.Orientation, cod.CodeBlockStyle, top, block.Passes, data, block.Segments, buffer);
            }
            for (int y = 0; y < bh; y++)
            {
                int row = (block.Y0 - band.Y0 + y) * band.Width + block.X0 - band.X0;
                if (roi == 0)
                {
                    // the common case without the ROI branches: the same values as the general loop below
                    Dequantize(buffer.AsSpan(y * bw, bw), samples.AsSpan(row, bw), cod.Reversible, band.Step);
                    continue;
                }
                for (int x = 0; x < bw; x++)
                {
                    int v = buffer[y * bw + x];
                    // half units: a reversible coefficient is the integer part, an irreversible one the interval's middle
                    int m = Math.Abs(v) >> 1;
                    if (roi > 0 && m >= 1 << roi) m >>= roi; // RGN max-shift: ROI coefficients were scaled up
                    float value = cod.Reversible || m == 0 ? m : (float)((roi > 0 ? m + 0.5 : Math.Abs(v) * 0.5) * band.Step);
                    samples[row + x] = v < 0 ? -value : value;
                }
            }
        }
        return samples;
    }
}
