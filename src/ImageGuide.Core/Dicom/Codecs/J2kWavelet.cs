using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// JPEG 2000 synthesis (T.800 Annex F and G): interleaving the subbands of a resolution, the inverse reversible 5/3 and
/// irreversible 9/7 lifting transforms on rows then columns with whole-sample symmetric extension, and the inverse
/// reversible (RCT) and irreversible (ICT) component transforms.
/// </summary>
internal static class J2kWavelet
{
    private const float Alpha = 1.586134342f, Beta = 0.052980118f, Gamma = 0.882911075f, Delta = 0.443506852f, K = 1.230174105f;

    /// <summary>Places the lower resolution (LL) and the HL, LH, HH subbands of resolution <paramref name="res"/> at their absolute parities.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    public static void Interleave(float[] output, J2kResolution res, float[] low, J2kResolution lower, float[][] bands)
    {
        int w = res.X1 - res.X0, h = res.Y1 - res.Y0, lw = lower.X1 - lower.X0;
        // the first output column with an even (low-pass) absolute index, and the first with an odd one
        int xEven = res.X0 & 1, xOdd = 1 - xEven;
        for (int y = 0; y < h; y++)
        {
            int v = res.Y0 + y;
            var dst = output.AsSpan(y * w, w);
            bool hy = (v & 1) != 0;
            // even columns: LL (even rows) or LH (odd rows); odd columns: HL (even rows) or HH (odd rows)
            ReadOnlySpan<float> evenSrc, oddSrc;
            int evenCol, oddCol;
            if (!hy)
            {
                evenSrc = low.AsSpan((v / 2 - lower.Y0) * lw);
                evenCol = (res.X0 + xEven) / 2 - lower.X0;
                var hl = res.Bands[0];
                oddSrc = BandRow(bands[0], hl, v / 2);
                oddCol = (res.X0 + xOdd - 1) / 2 - hl.X0;
            }
            else
            {
                var lh = res.Bands[1];
                evenSrc = BandRow(bands[1], lh, (v - 1) / 2);
                evenCol = (res.X0 + xEven) / 2 - lh.X0;
                var hh = res.Bands[2];
                oddSrc = BandRow(bands[2], hh, (v - 1) / 2);
                oddCol = (res.X0 + xOdd - 1) / 2 - hh.X0;
            }
            for (int x = xEven, c = evenCol; x < w; x += 2, c++) dst[x] = evenSrc[c];
            for (int x = xOdd, c = oddCol; x < w; x += 2, c++) dst[x] = oddSrc[c];
        }

        static ReadOnlySpan<float> BandRow(float[] data, J2kBand band, int row) =>
            band.Width <= 0 ? default : data.AsSpan((row - band.Y0) * band.Width, band.Width);
    }

    /// <summary>
    /// Inverse 2-D transform of one resolution in place: every row, then every column. The columns are lifted a whole
    /// row at a time (SIMD across the row); every sample sees the same float operations in the same order as a 1-D
    /// transform of its column would apply, so the result is bit-for-bit that of the separable definition.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    public static void Inverse2D(float[] a, int x0, int y0, int w, int h, bool reversible)
    {
        for (int y = 0; y < h; y++) Inverse1D(a.AsSpan(y * w, w), x0 & 1, reversible);
        InverseColumns(a, y0 & 1, w, h, reversible);
    }

    /// <summary>
    /// Inverse 1-D transform of one line in place; <paramref name="parity"/> is that of the absolute index of s[0]
    /// (even absolute indices are low-pass). Whole-sample symmetric extension: the neighbour before s[0] is s[1], the
    /// one after s[n−1] is s[n−2].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private static void Inverse1D(Span<float> s, int parity, bool reversible)
    {
        int n = s.Length;
        if (n == 1)
        {
            if (parity != 0) s[0] = reversible ? MathF.Floor(s[0] / 2) : s[0] / 2;
            return;
        }
        int even = parity, odd = 1 - parity; // the first index of each kind
        if (reversible)
        {
            // low-pass: s −= ⌊(left + right + 2) / 4⌋
            int j = even;
            if (j == 0) { s[0] -= MathF.Floor((s[1] + s[1] + 2) / 4); j = 2; }
            for (; j < n - 1; j += 2) s[j] -= MathF.Floor((s[j - 1] + s[j + 1] + 2) / 4);
            if (j == n - 1) s[j] -= MathF.Floor((s[j - 1] + s[n - 2] + 2) / 4);
            // high-pass: s += ⌊(left + right) / 2⌋
            j = odd;
            if (j == 0) { s[0] += MathF.Floor((s[1] + s[1]) / 2); j = 2; }
            for (; j < n - 1; j += 2) s[j] += MathF.Floor((s[j - 1] + s[j + 1]) / 2);
            if (j == n - 1) s[j] += MathF.Floor((s[j - 1] + s[n - 2]) / 2);
            return;
        }
        const float InvK = 1 / K;
        for (int j = even; j < n; j += 2) s[j] *= K;
        for (int j = odd; j < n; j += 2) s[j] *= InvK;
        Lift(s, even, -Delta);
        Lift(s, odd, -Gamma);
        Lift(s, even, Beta);
        Lift(s, odd, Alpha);
    }

    /// <summary>s[j] += c·(s[j−1] + s[j+1]) for j = first, first + 2, …, with symmetric extension at both ends.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lift(Span<float> s, int first, float c)
    {
        int n = s.Length, j = first;
        if (j == 0) { s[0] += c * (s[1] + s[1]); j = 2; }
        for (; j < n - 1; j += 2) s[j] += c * (s[j - 1] + s[j + 1]);
        if (j == n - 1) s[j] += c * (s[j - 1] + s[n - 2]);
    }

    /// <summary>The column transform of a w×h block, one row of every column at a time (rows above −1 and below h reflect).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private static void InverseColumns(float[] a, int parity, int w, int h, bool reversible)
    {
        if (h == 1)
        {
            if (parity == 0) return;
            var row = a.AsSpan(0, w);
            for (int x = 0; x < w; x++) row[x] = reversible ? MathF.Floor(row[x] / 2) : row[x] / 2;
            return;
        }
        int even = parity, odd = 1 - parity;
        if (reversible)
        {
            for (int j = even; j < h; j += 2) LiftRows53(a, w, j, j > 0 ? j - 1 : 1, j < h - 1 ? j + 1 : h - 2, low: true);
            for (int j = odd; j < h; j += 2) LiftRows53(a, w, j, j > 0 ? j - 1 : 1, j < h - 1 ? j + 1 : h - 2, low: false);
            return;
        }
        const float InvK = 1 / K;
        for (int j = 0; j < h; j++) Scale(a.AsSpan(j * w, w), ((j - even) & 1) == 0 ? K : InvK);
        LiftRows97(a, w, h, even, -Delta);
        LiftRows97(a, w, h, odd, -Gamma);
        LiftRows97(a, w, h, even, Beta);
        LiftRows97(a, w, h, odd, Alpha);
    }

    private static void Scale(Span<float> row, float k)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vk = new Vector<float>(k);
            for (int n = Vector<float>.Count; x <= row.Length - n; x += n) (new Vector<float>(row[x..]) * vk).CopyTo(row[x..]);
        }
        for (; x < row.Length; x++) row[x] *= k;
    }

    /// <summary>Row j += c·(row above + row below) for j = first, first + 2, … (9/7 lifting step on columns).</summary>
    private static void LiftRows97(float[] a, int w, int h, int first, float c)
    {
        var vc = new Vector<float>(c);
        for (int j = first; j < h; j += 2)
        {
            var row = a.AsSpan(j * w, w);
            ReadOnlySpan<float> up = a.AsSpan((j > 0 ? j - 1 : 1) * w, w), down = a.AsSpan((j < h - 1 ? j + 1 : h - 2) * w, w);
            int x = 0;
            if (Vector.IsHardwareAccelerated)
                for (int n = Vector<float>.Count; x <= w - n; x += n)
                    (new Vector<float>(row[x..]) + vc * (new Vector<float>(up[x..]) + new Vector<float>(down[x..]))).CopyTo(row[x..]);
            for (; x < w; x++) row[x] += c * (up[x] + down[x]);
        }
    }

    /// <summary>One 5/3 lifting step on row j from rows <paramref name="u"/> and <paramref name="d"/>: low −= ⌊(u + d + 2)/4⌋, high += ⌊(u + d)/2⌋.</summary>
    private static void LiftRows53(float[] a, int w, int j, int u, int d, bool low)
    {
        var row = a.AsSpan(j * w, w);
        ReadOnlySpan<float> up = a.AsSpan(u * w, w), down = a.AsSpan(d * w, w);
        int x = 0;
        if (low)
        {
            if (Vector.IsHardwareAccelerated)
            {
                var two = new Vector<float>(2f);
                var four = new Vector<float>(4f);
                for (int n = Vector<float>.Count; x <= w - n; x += n)
                    (new Vector<float>(row[x..]) - Vector.Floor((new Vector<float>(up[x..]) + new Vector<float>(down[x..]) + two) / four)).CopyTo(row[x..]);
            }
            for (; x < w; x++) row[x] -= MathF.Floor((up[x] + down[x] + 2) / 4);
        }
        else
        {
            if (Vector.IsHardwareAccelerated)
            {
                var two = new Vector<float>(2f);
                for (int n = Vector<float>.Count; x <= w - n; x += n)
                    (new Vector<float>(row[x..]) + Vector.Floor((new Vector<float>(up[x..]) + new Vector<float>(down[x..])) / two)).CopyTo(row[x..]);
            }
            for (; x < w; x++) row[x] += MathF.Floor((up[x] + down[x]) / 2);
        }
    }

    /// <summary>Inverse RCT (reversible) or ICT (irreversible) on the first three components (SIMD; the same float operations per sample as the scalar definition).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    public static void InverseComponentTransform(float[][] c, bool reversible)
    {
        Span<float> y0 = c[0], y1 = c[1].AsSpan(0, y0.Length), y2 = c[2].AsSpan(0, y0.Length);
        int i = 0, n = Vector<float>.Count;
        if (reversible)
        {
            if (Vector.IsHardwareAccelerated)
            {
                var four = new Vector<float>(4f);
                for (; i <= y0.Length - n; i += n)
                {
                    var b = new Vector<float>(y1[i..]);
                    var d = new Vector<float>(y2[i..]);
                    var g = new Vector<float>(y0[i..]) - Vector.Floor((b + d) / four);
                    (d + g).CopyTo(y0[i..]);
                    g.CopyTo(y1[i..]);
                    (b + g).CopyTo(y2[i..]);
                }
            }
            for (; i < y0.Length; i++)
            {
                float a = y0[i], b = y1[i], d = y2[i];
                float g = a - MathF.Floor((b + d) / 4);
                y0[i] = d + g;
                y1[i] = g;
                y2[i] = b + g;
            }
            return;
        }
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> crR = new(1.402f), cbG = new(0.34413f), crG = new(0.71414f), cbB = new(1.772f);
            for (; i <= y0.Length - n; i += n)
            {
                var a = new Vector<float>(y0[i..]);
                var b = new Vector<float>(y1[i..]);
                var d = new Vector<float>(y2[i..]);
                (a + crR * d).CopyTo(y0[i..]);
                (a - cbG * b - crG * d).CopyTo(y1[i..]);
                (a + cbB * b).CopyTo(y2[i..]);
            }
        }
        for (; i < y0.Length; i++)
        {
            float a = y0[i], b = y1[i], d = y2[i];
            y0[i] = a + 1.402f * d;
            y1[i] = a - 0.34413f * b - 0.71414f * d;
            y2[i] = a + 1.772f * b;
        }
    }
}
