using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes the Huffman-coded data of one DCT scan into the components' coefficient arrays: sequential scans
/// (T.81 F.2.2) and the four kinds of progressive scan (G.1.2: DC first, DC refinement, AC first, AC
/// refinement), interleaved or single-component, with restart intervals. Mirrors IJG jdhuff.c / jdphuff.c.
/// </summary>
internal readonly ref struct JpegDctScan
{
    private enum Kind { Sequential, DcFirst, DcRefine, AcFirst, AcRefine }

    private readonly JpegDctComponent[] _components;
    private readonly JpegHuffmanTable?[] _dcTables;
    private readonly JpegHuffmanTable?[] _acTables;
    private readonly int _mcusPerLine;
    private readonly int _mcuRows;
    private readonly int _restartInterval;
    private readonly int _ss, _se, _al;
    private readonly Kind _kind;

    /// <param name="components">The scan's components in scan order.</param>
    /// <param name="dcTables">DC table of each scan component (null where the scan uses none).</param>
    /// <param name="acTables">AC table of each scan component (null where the scan uses none).</param>
    /// <param name="mcusPerLine">MCUs per line of an interleaved scan (ignored for one component).</param>
    /// <param name="mcuRows">MCU rows of an interleaved scan (ignored for one component).</param>
    /// <param name="restartInterval">MCUs per restart interval, 0 for none (DRI).</param>
    /// <param name="progressive">True for a scan of a progressive (SOF2) frame.</param>
    /// <param name="ss">Start of spectral selection (progressive only).</param>
    /// <param name="se">End of spectral selection (progressive only).</param>
    /// <param name="ah">Successive approximation bit position high: 0 for a first scan (progressive only).</param>
    /// <param name="al">Successive approximation bit position low: the point transform (progressive only).</param>
    public JpegDctScan(JpegDctComponent[] components, JpegHuffmanTable?[] dcTables, JpegHuffmanTable?[] acTables,
        int mcusPerLine, int mcuRows, int restartInterval, bool progressive, int ss, int se, int ah, int al)
    {
        _components = components;
        _dcTables = dcTables;
        _acTables = acTables;
        _restartInterval = restartInterval;
        _ss = ss;
        _se = se;
        _al = al;
        _kind = !progressive ? Kind.Sequential
            : ss == 0 ? (ah == 0 ? Kind.DcFirst : Kind.DcRefine)
            : (ah == 0 ? Kind.AcFirst : Kind.AcRefine);
        if (components.Length == 1)
        {
            // A single-component scan codes just the blocks that hold image data, one block per MCU (A.2.2).
            _mcusPerLine = components[0].BlocksPerLine;
            _mcuRows = components[0].BlocksPerColumn;
        }
        else
        {
            _mcusPerLine = mcusPerLine;
            _mcuRows = mcuRows;
        }
    }

    /// <summary>Decodes the scan whose entropy-coded data starts at <paramref name="start"/>; returns the offset of the marker that ends it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Decode(ReadOnlySpan<byte> data, int start)
    {
        var reader = new JpegBitReader(data, start);
        int total = _mcusPerLine * _mcuRows;
        int toRestart = _restartInterval > 0 ? _restartInterval : int.MaxValue;
        int restartIndex = 0;
        int eobRun = 0;
        foreach (JpegDctComponent c in _components) c.DcPredictor = 0;
        bool single = _components.Length == 1;

        for (int mcu = 0; mcu < total; mcu++)
        {
            if (toRestart == 0)
            {
                reader.ReadRestartMarker(restartIndex++, "block");
                toRestart = _restartInterval;
                eobRun = 0;
                foreach (JpegDctComponent c in _components) c.DcPredictor = 0;
            }

            toRestart--;
            int mcuRow = mcu / _mcusPerLine, mcuColumn = mcu - mcuRow * _mcusPerLine;
            if (single)
            {
                JpegDctComponent c = _components[0];
                int block = (mcuRow * c.PaddedBlocksPerLine + mcuColumn) * 64;
                DecodeBlock(ref reader, c, _dcTables[0], _acTables[0], ref BlockAt(c, block), ref eobRun);
                continue;
            }

            for (int i = 0; i < _components.Length; i++)
            {
                JpegDctComponent c = _components[i];
                for (int by = 0; by < c.V; by++)
                for (int bx = 0; bx < c.H; bx++)
                {
                    int block = ((mcuRow * c.V + by) * c.PaddedBlocksPerLine + mcuColumn * c.H + bx) * 64;
                    DecodeBlock(ref reader, c, _dcTables[i], _acTables[i], ref BlockAt(c, block), ref eobRun);
                }
            }
        }

        if (reader.Overran)
            throw new DicomCodecException("JPEG scan data ends before its last block was coded (truncated or corrupt data).", data.Length);
        int next = reader.SkipToMarker();
        return next < 0 ? data.Length : reader.Position - 2;
    }

    /// <summary>
    /// The first coefficient of the block at <paramref name="offset"/>, unchecked: every block an MCU addresses lies
    /// inside the padded block grid that <see cref="JpegDctComponent.Coefficients"/> was allocated for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref short BlockAt(JpegDctComponent c, int offset) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c.Coefficients), offset);

    private void DecodeBlock(ref JpegBitReader reader, JpegDctComponent c, JpegHuffmanTable? dc, JpegHuffmanTable? ac, ref short first, ref int eobRun)
    {
        if (_kind == Kind.Sequential)
        {
            DecodeSequential(ref reader, c, dc!, ac!, ref first);
            return;
        }

        Span<short> block = MemoryMarshal.CreateSpan(ref first, 64);
        switch (_kind)
        {
            case Kind.DcFirst:
            {
                reader.EnsureBits();
                int s = DecodeSymbol(ref reader, dc!);
                int diff = s == 0 ? 0 : Extend((int)reader.Read(s), s);
                c.DcPredictor += diff;
                block[0] = (short)(c.DcPredictor << _al);
                break;
            }
            case Kind.DcRefine:
                reader.EnsureBits();
                if (reader.Read(1) != 0) block[0] |= (short)(1 << _al);
                break;
            case Kind.AcFirst:
                DecodeAcFirst(ref reader, ac!, block, ref eobRun);
                break;
            default:
                DecodeAcRefine(ref reader, ac!, block, ref eobRun);
                break;
        }
    }

    /// <summary>
    /// One block of a sequential scan into the 64 coefficients at <paramref name="block"/>. Unchecked indexing is safe:
    /// k stays below 64 + 15 and <see cref="JpegZigZag.NaturalOrder"/> has 80 entries, all below 64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DecodeSequential(ref JpegBitReader reader, JpegDctComponent c, JpegHuffmanTable dc, JpegHuffmanTable ac, ref short block)
    {
        ref byte natural = ref MemoryMarshal.GetReference(JpegZigZag.NaturalOrder);
        reader.EnsureBits();
        int s = DecodeSymbol(ref reader, dc);
        if (s != 0) c.DcPredictor += Extend((int)reader.Read(s), s);
        block = (short)c.DcPredictor;

        for (int k = 1; k < 64; k++)
        {
            reader.EnsureBits();
            int rs = DecodeSymbol(ref reader, ac);
            int r = rs >> 4;
            s = rs & 15;
            if (s != 0)
            {
                k += r;
                Unsafe.Add(ref block, Unsafe.Add(ref natural, k)) = (short)Extend((int)reader.Read(s), s);
            }
            else
            {
                if (r != 15) break; // EOB
                k += 15;            // ZRL
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeAcFirst(ref JpegBitReader reader, JpegHuffmanTable ac, Span<short> block, ref int eobRun)
    {
        if (eobRun > 0)
        {
            eobRun--;
            return;
        }

        ReadOnlySpan<byte> natural = JpegZigZag.NaturalOrder;
        for (int k = _ss; k <= _se; k++)
        {
            reader.EnsureBits();
            int rs = DecodeSymbol(ref reader, ac);
            int r = rs >> 4, s = rs & 15;
            if (s != 0)
            {
                k += r;
                block[natural[k]] = (short)(Extend((int)reader.Read(s), s) << _al);
            }
            else if (r == 15)
            {
                k += 15;
            }
            else
            {
                eobRun = (1 << r) - 1;
                if (r != 0) eobRun += (int)reader.Read(r);
                break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeAcRefine(ref JpegBitReader reader, JpegHuffmanTable ac, Span<short> block, ref int eobRun)
    {
        ReadOnlySpan<byte> natural = JpegZigZag.NaturalOrder;
        int p1 = 1 << _al, m1 = -1 << _al;
        int k = _ss;
        if (eobRun == 0)
        {
            for (; k <= _se; k++)
            {
                reader.EnsureBits();
                int rs = DecodeSymbol(ref reader, ac);
                int r = rs >> 4, s = rs & 15;
                if (s != 0)
                {
                    // T.81 G.1.2.3: a newly non-zero coefficient has magnitude 1 (libjpeg only warns otherwise).
                    s = reader.Read(1) != 0 ? p1 : m1;
                }
                else if (r != 15)
                {
                    eobRun = 1 << r;
                    if (r != 0) eobRun += (int)reader.Read(r);
                    break;
                }

                do
                {
                    ref short coefficient = ref block[natural[k]];
                    if (coefficient != 0)
                    {
                        reader.EnsureBits();
                        if (reader.Read(1) != 0 && (coefficient & p1) == 0)
                            coefficient += (short)(coefficient >= 0 ? p1 : m1);
                    }
                    else if (--r < 0)
                    {
                        break;
                    }

                    k++;
                }
                while (k <= _se);

                if (s != 0) block[natural[k]] = (short)s;
            }
        }

        if (eobRun > 0)
        {
            for (; k <= _se; k++)
            {
                ref short coefficient = ref block[natural[k]];
                if (coefficient == 0) continue;
                reader.EnsureBits();
                if (reader.Read(1) != 0 && (coefficient & p1) == 0)
                    coefficient += (short)(coefficient >= 0 ? p1 : m1);
            }

            eobRun--;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DecodeSymbol(ref JpegBitReader reader, JpegHuffmanTable table)
    {
        int symbol = table.Decode(reader.Peek16(), out int length);
        if (symbol < 0)
            throw new DicomCodecException("JPEG entropy-coded data holds a bit pattern that is not a code of the scan's Huffman table.", reader.BitPosition);
        reader.Skip(length);
        return symbol;
    }

    /// <summary>T.81 F.2.2.1 EXTEND: the signed value of the <paramref name="s"/>-bit magnitude category <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Extend(int v, int s) => v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
}
