using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// <paramref name="output"/> with a row stride of <paramref name="stride"/>. No bounds are checked: the caller
    /// guarantees 64 coefficients, 64 multipliers, a 64-entry workspace and 8 rows of 8 samples at that stride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Transform(ref short coefficients, ref int quant, ref int workspace, ref ushort output, int stride)
    {
        int pass1 = _pass1Bits;
        int shift1 = ConstBits - pass1;
        int round1 = 1 << (shift1 - 1);

        // Pass 1: columns from the input, results to the workspace scaled up by 2^PASS1_BITS.
        for (int c = 0; c < 8; c++)
        {
            ref short k = ref Unsafe.Add(ref coefficients, c);
            ref int q = ref Unsafe.Add(ref quant, c);
            ref int w = ref Unsafe.Add(ref workspace, c);
            if (((ushort)Unsafe.Add(ref k, 8) | (ushort)Unsafe.Add(ref k, 16) | (ushort)Unsafe.Add(ref k, 24) | (ushort)Unsafe.Add(ref k, 32)
                | (ushort)Unsafe.Add(ref k, 40) | (ushort)Unsafe.Add(ref k, 48) | (ushort)Unsafe.Add(ref k, 56)) == 0)
            {
                int dc = k * q << pass1;
                w = dc;
                Unsafe.Add(ref w, 8) = dc;
                Unsafe.Add(ref w, 16) = dc;
                Unsafe.Add(ref w, 24) = dc;
                Unsafe.Add(ref w, 32) = dc;
                Unsafe.Add(ref w, 40) = dc;
                Unsafe.Add(ref w, 48) = dc;
                Unsafe.Add(ref w, 56) = dc;
                continue;
            }

            int z2 = Unsafe.Add(ref k, 16) * Unsafe.Add(ref q, 16);
            int z3 = Unsafe.Add(ref k, 48) * Unsafe.Add(ref q, 48);
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 + z3 * -Fix1847759065;
            int tmp3 = z1 + z2 * Fix0765366865;
            z2 = k * q;
            z3 = Unsafe.Add(ref k, 32) * Unsafe.Add(ref q, 32);
            int tmp0 = (z2 + z3) << ConstBits;
            int tmp1 = (z2 - z3) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            tmp0 = Unsafe.Add(ref k, 56) * Unsafe.Add(ref q, 56);
            tmp1 = Unsafe.Add(ref k, 40) * Unsafe.Add(ref q, 40);
            tmp2 = Unsafe.Add(ref k, 24) * Unsafe.Add(ref q, 24);
            tmp3 = Unsafe.Add(ref k, 8) * Unsafe.Add(ref q, 8);
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            w = (tmp10 + tmp3 + round1) >> shift1;
            Unsafe.Add(ref w, 56) = (tmp10 - tmp3 + round1) >> shift1;
            Unsafe.Add(ref w, 8) = (tmp11 + tmp2 + round1) >> shift1;
            Unsafe.Add(ref w, 48) = (tmp11 - tmp2 + round1) >> shift1;
            Unsafe.Add(ref w, 16) = (tmp12 + tmp1 + round1) >> shift1;
            Unsafe.Add(ref w, 40) = (tmp12 - tmp1 + round1) >> shift1;
            Unsafe.Add(ref w, 24) = (tmp13 + tmp0 + round1) >> shift1;
            Unsafe.Add(ref w, 32) = (tmp13 - tmp0 + round1) >> shift1;
        }

        // Pass 2: rows from the workspace, descaled by 2^(PASS1_BITS+3), level-shifted and range-limited.
        int shift2 = ConstBits + pass1 + 3;
        int round2 = 1 << (shift2 - 1);
        int roundDc = 1 << (pass1 + 2);
        int mask = _rangeMask;
        ref ushort limit = ref MemoryMarshal.GetArrayDataReference(_rangeLimit);
        for (int r = 0; r < 8; r++)
        {
            ref int w = ref Unsafe.Add(ref workspace, r * 8);
            ref ushort o = ref Unsafe.Add(ref output, r * stride);
            if ((Unsafe.Add(ref w, 1) | Unsafe.Add(ref w, 2) | Unsafe.Add(ref w, 3) | Unsafe.Add(ref w, 4)
                | Unsafe.Add(ref w, 5) | Unsafe.Add(ref w, 6) | Unsafe.Add(ref w, 7)) == 0)
            {
                ushort v = Unsafe.Add(ref limit, ((w + roundDc) >> (pass1 + 3)) & mask);
                ulong four = v * 0x0001000100010001UL;
                Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref o), four);
                Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref o, 4)), four);
                continue;
            }

            int z2 = Unsafe.Add(ref w, 2), z3 = Unsafe.Add(ref w, 6);
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 + z3 * -Fix1847759065;
            int tmp3 = z1 + z2 * Fix0765366865;
            int w0 = w, w4 = Unsafe.Add(ref w, 4);
            int tmp0 = (w0 + w4) << ConstBits;
            int tmp1 = (w0 - w4) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            tmp0 = Unsafe.Add(ref w, 7);
            tmp1 = Unsafe.Add(ref w, 5);
            tmp2 = Unsafe.Add(ref w, 3);
            tmp3 = Unsafe.Add(ref w, 1);
            Odd(ref tmp0, ref tmp1, ref tmp2, ref tmp3);

            o = Unsafe.Add(ref limit, ((tmp10 + tmp3 + round2) >> shift2) & mask);
            Unsafe.Add(ref o, 7) = Unsafe.Add(ref limit, ((tmp10 - tmp3 + round2) >> shift2) & mask);
            Unsafe.Add(ref o, 1) = Unsafe.Add(ref limit, ((tmp11 + tmp2 + round2) >> shift2) & mask);
            Unsafe.Add(ref o, 6) = Unsafe.Add(ref limit, ((tmp11 - tmp2 + round2) >> shift2) & mask);
            Unsafe.Add(ref o, 2) = Unsafe.Add(ref limit, ((tmp12 + tmp1 + round2) >> shift2) & mask);
            Unsafe.Add(ref o, 5) = Unsafe.Add(ref limit, ((tmp12 - tmp1 + round2) >> shift2) & mask);
            Unsafe.Add(ref o, 3) = Unsafe.Add(ref limit, ((tmp13 + tmp0 + round2) >> shift2) & mask);
            Unsafe.Add(ref o, 4) = Unsafe.Add(ref limit, ((tmp13 - tmp0 + round2) >> shift2) & mask);
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
