using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// The accurate integer inverse DCT of IJG libjpeg 6b (jidctint.c, "islow"): dequantisation, a column pass
/// keeping PASS1_BITS extra bits, a row pass, level shift and libjpeg's range-limit table, reproduced
/// operation for operation so that the samples equal those of libjpeg-based decoders (GDCM, dcmtk).
/// </summary>
internal sealed class JpegIslowIdct
{
    private const int ConstBits = 13;
    private const int Fix0298631336 = 2446;
    private const int Fix0390180644 = 3196;
    private const int Fix0541196100 = 4433;
    private const int Fix0765366865 = 6270;
    private const int Fix0899976223 = 7373;
    private const int Fix1175875602 = 9633;
    private const int Fix1501321110 = 12299;
    private const int Fix1847759065 = 15137;
    private const int Fix1961570560 = 16069;
    private const int Fix2053119869 = 16819;
    private const int Fix2562915447 = 20995;
    private const int Fix3072711026 = 25172;

    private static readonly JpegIslowIdct Precision8 = new(8);
    private static readonly JpegIslowIdct Precision12 = new(12);

    private readonly int _pass1Bits;
    private readonly int _rangeMask;
    private readonly ushort[] _rangeLimit;

    private JpegIslowIdct(int precision)
    {
        // libjpeg 6b keeps 2 extra bits after the first pass for 8-bit samples, 1 for 12-bit (to avoid overflow).
        _pass1Bits = precision == 8 ? 2 : 1;
        int n = 1 << precision, centre = n / 2, max = n - 1;
        _rangeMask = 4 * n - 1;
        // jdmaster.c prepare_range_limit_table, indexed by the descaled (not yet level-shifted) value & RANGE_MASK:
        // exact clamping of centre + x for x in [−2N, 2N), wrap-around outside (reached only by corrupt data).
        _rangeLimit = new ushort[4 * n];
        for (int i = 0; i < 4 * n; i++)
            _rangeLimit[i] = (ushort)(i < centre ? centre + i : i < 2 * n ? max : i < 4 * n - centre ? 0 : i - (4 * n - centre));
    }

    /// <summary>The transform for 8- or 12-bit samples.</summary>
    public static JpegIslowIdct For(int precision) => precision == 8 ? Precision8 : Precision12;

    /// <summary>
    /// Transforms one block of quantised coefficients (natural order) into 8×8 samples written to
    /// <paramref name="output"/> with a row stride of <paramref name="stride"/>.
    /// </summary>
    public void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<int> quant, Span<int> workspace, Span<ushort> output, int stride)
    {
        int pass1 = _pass1Bits;
        int shift1 = ConstBits - pass1;
        int round1 = 1 << (shift1 - 1);
        coefficients = coefficients[..64];
        quant = quant[..64];
        workspace = workspace[..64];

        // Pass 1: columns from the input, results to the workspace scaled up by 2^PASS1_BITS.
        for (int c = 0; c < 8; c++)
        {
            if (coefficients[8 + c] == 0 && coefficients[16 + c] == 0 && coefficients[24 + c] == 0 && coefficients[32 + c] == 0
                && coefficients[40 + c] == 0 && coefficients[48 + c] == 0 && coefficients[56 + c] == 0)
            {
                int dc = coefficients[c] * quant[c] << pass1;
                for (int r = 0; r < 64; r += 8) workspace[r + c] = dc;
                continue;
            }

            int z2 = coefficients[16 + c] * quant[16 + c];
            int z3 = coefficients[48 + c] * quant[48 + c];
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 + z3 * -Fix1847759065;
            int tmp3 = z1 + z2 * Fix0765366865;
            z2 = coefficients[c] * quant[c];
            z3 = coefficients[32 + c] * quant[32 + c];
            int tmp0 = (z2 + z3) << ConstBits;
            int tmp1 = (z2 - z3) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            tmp0 = coefficients[56 + c] * quant[56 + c];
            tmp1 = coefficients[40 + c] * quant[40 + c];
            tmp2 = coefficients[24 + c] * quant[24 + c];
            tmp3 = coefficients[8 + c] * quant[8 + c];
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            workspace[c] = (tmp10 + tmp3 + round1) >> shift1;
            workspace[56 + c] = (tmp10 - tmp3 + round1) >> shift1;
            workspace[8 + c] = (tmp11 + tmp2 + round1) >> shift1;
            workspace[48 + c] = (tmp11 - tmp2 + round1) >> shift1;
            workspace[16 + c] = (tmp12 + tmp1 + round1) >> shift1;
            workspace[40 + c] = (tmp12 - tmp1 + round1) >> shift1;
            workspace[24 + c] = (tmp13 + tmp0 + round1) >> shift1;
            workspace[32 + c] = (tmp13 - tmp0 + round1) >> shift1;
        }

        // Pass 2: rows from the workspace, descaled by 2^(PASS1_BITS+3), level-shifted and range-limited.
        int shift2 = ConstBits + pass1 + 3;
        int round2 = 1 << (shift2 - 1);
        int roundDc = 1 << (pass1 + 2);
        int mask = _rangeMask;
        ushort[] limit = _rangeLimit;
        for (int r = 0; r < 8; r++)
        {
            ReadOnlySpan<int> w = workspace.Slice(r * 8, 8);
            Span<ushort> o = output.Slice(r * stride, 8);
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                o.Fill(limit[((w[0] + roundDc) >> (pass1 + 3)) & mask]);
                continue;
            }

            int z2 = w[2], z3 = w[6];
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 + z3 * -Fix1847759065;
            int tmp3 = z1 + z2 * Fix0765366865;
            int tmp0 = (w[0] + w[4]) << ConstBits;
            int tmp1 = (w[0] - w[4]) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            tmp0 = w[7];
            tmp1 = w[5];
            tmp2 = w[3];
            tmp3 = w[1];
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            o[0] = limit[((tmp10 + tmp3 + round2) >> shift2) & mask];
            o[7] = limit[((tmp10 - tmp3 + round2) >> shift2) & mask];
            o[1] = limit[((tmp11 + tmp2 + round2) >> shift2) & mask];
            o[6] = limit[((tmp11 - tmp2 + round2) >> shift2) & mask];
            o[2] = limit[((tmp12 + tmp1 + round2) >> shift2) & mask];
            o[5] = limit[((tmp12 - tmp1 + round2) >> shift2) & mask];
            o[3] = limit[((tmp13 + tmp0 + round2) >> shift2) & mask];
            o[4] = limit[((tmp13 - tmp0 + round2) >> shift2) & mask];
        }
    }

    /// <summary>The odd part of the 1-D transform: in are coefficients 7, 5, 3, 1; out are tmp0..tmp3 of jidctint.c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Odd(ref int tmp0, ref int tmp1, ref int tmp2, ref int tmp3)
    {
        int z1 = tmp0 + tmp3, z2 = tmp1 + tmp2, z3 = tmp0 + tmp2, z4 = tmp1 + tmp3;
        int z5 = (z3 + z4) * Fix1175875602;
        tmp0 *= Fix0298631336;
        tmp1 *= Fix2053119869;
        tmp2 *= Fix3072711026;
        tmp3 *= Fix1501321110;
        z1 *= -Fix0899976223;
        z2 *= -Fix2562915447;
        z3 = z3 * -Fix1961570560 + z5;
        z4 = z4 * -Fix0390180644 + z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;
    }
}
