namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// The coding parameters of one JPEG-LS scan (ITU-T T.87 A.2, C.2.4.1.1): MAXVAL, the gradient thresholds
/// T1..T3, RESET and NEAR, with the values derived from them (RANGE, qbpp, LIMIT). Preset values of 0 (or an
/// absent LSE segment) select the defaults of C.2.4.1.1.
/// </summary>
internal readonly record struct JpegLsParameters(int MaxVal, int T1, int T2, int T3, int Reset, int Near)
{
    private const int BasicT1 = 3, BasicT2 = 7, BasicT3 = 21, DefaultReset = 64;

    /// <summary>Number of distinct quantised prediction errors: ⌊(MAXVAL + 2·NEAR) / (2·NEAR + 1)⌋ + 1.</summary>
    public int Range => (MaxVal + 2 * Near) / (2 * Near + 1) + 1;

    /// <summary>Bits of a quantised error in an escape code: ⌈log2 RANGE⌉.</summary>
    public int QuantizedBitsPerSample => CeilLog2(Range);

    /// <summary>Maximum length of a limited-length Golomb code: 2·(bpp + max(8, bpp)), bpp = max(2, ⌈log2(MAXVAL + 1)⌉).</summary>
    public int Limit
    {
        get
        {
            int bpp = Math.Max(2, CeilLog2(MaxVal + 1));
            return 2 * (bpp + Math.Max(8, bpp));
        }
    }

    /// <summary>
    /// The parameters for a scan of <paramref name="precision"/>-bit samples with <paramref name="near"/>, taking
    /// each nonzero preset value (LSE type 1) and the default of T.87 C.2.4.1.1 for the others.
    /// </summary>
    /// <exception cref="DicomCodecException">A preset value is out of the range T.87 C.2.4.1.1 allows.</exception>
    public static JpegLsParameters Create(int precision, int near, in JpegLsPreset preset, long offset)
    {
        int maxPossible = (1 << precision) - 1;
        int maxVal = preset.MaxVal != 0 ? preset.MaxVal : maxPossible;
        if (maxVal > maxPossible)
            throw new DicomCodecException($"JPEG-LS preset MAXVAL {maxVal} exceeds the {precision}-bit sample range.", offset);
        if (near > Math.Min(255, maxVal / 2))
            throw new DicomCodecException($"JPEG-LS NEAR {near} exceeds min(255, MAXVAL / 2) = {Math.Min(255, maxVal / 2)}.", offset);

        int t1, t2, t3;
        if (maxVal >= 128)
        {
            int factor = (Math.Min(maxVal, 4095) + 128) / 256;
            t1 = Clamp(factor * (BasicT1 - 2) + 2 + 3 * near, near + 1, maxVal);
            t2 = Clamp(factor * (BasicT2 - 3) + 3 + 5 * near, t1, maxVal);
            t3 = Clamp(factor * (BasicT3 - 4) + 4 + 7 * near, t2, maxVal);
        }
        else
        {
            int factor = 256 / (maxVal + 1);
            t1 = Clamp(Math.Max(2, BasicT1 / factor + 3 * near), near + 1, maxVal);
            t2 = Clamp(Math.Max(3, BasicT2 / factor + 5 * near), t1, maxVal);
            t3 = Clamp(Math.Max(4, BasicT3 / factor + 7 * near), t2, maxVal);
        }

        if (preset.T1 != 0) t1 = preset.T1;
        if (preset.T2 != 0) t2 = preset.T2;
        if (preset.T3 != 0) t3 = preset.T3;
        int reset = preset.Reset != 0 ? preset.Reset : DefaultReset;

        if (t1 < near + 1 || t1 > maxVal || t2 < t1 || t2 > maxVal || t3 < t2 || t3 > maxVal)
            throw new DicomCodecException(
                $"JPEG-LS thresholds T1={t1}, T2={t2}, T3={t3} must satisfy NEAR + 1 ≤ T1 ≤ T2 ≤ T3 ≤ MAXVAL ({near + 1} … {maxVal}).", offset);
        if (reset < 3 || reset > Math.Max(255, maxVal))
            throw new DicomCodecException($"JPEG-LS RESET {reset} is outside 3 … {Math.Max(255, maxVal)}.", offset);

        return new JpegLsParameters(maxVal, t1, t2, t3, reset, near);
    }

    /// <summary>T.87 C.2.4.1.1 CLAMP: values above MAXVAL or below the lower bound become the lower bound.</summary>
    private static int Clamp(int value, int lower, int maxVal) => value > maxVal || value < lower ? lower : value;

    private static int CeilLog2(int value)
    {
        int bits = 0;
        while ((1 << bits) < value) bits++;
        return bits;
    }
}
