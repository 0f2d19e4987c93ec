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
        for (int y = 0; y < h; y++)
        {
            int v = res.Y0 + y;
            for (int x = 0; x < w; x++)
            {
                int u = res.X0 + x;
                bool hx = (u & 1) != 0, hy = (v & 1) != 0;
                float value;
                if (!hx && !hy) value = low[(v / 2 - lower.Y0) * lw + u / 2 - lower.X0];
                else
                {
                    var band = res.Bands[hx && !hy ? 0 : !hx && hy ? 1 : 2];
                    var data = bands[hx && !hy ? 0 : !hx && hy ? 1 : 2];
                    int bx = (hx ? (u - 1) / 2 : u / 2) - band.X0, by = (hy ? (v - 1) / 2 : v / 2) - band.Y0;
                    value = data[by * band.Width + bx];
                }
                output[y * w + x] = value;
            }
        }
    }

    /// <summary>Inverse 2-D transform of one resolution in place: every row, then every column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    public static void Inverse2D(float[] a, int x0, int y0, int w, int h, bool reversible)
    {
        var line = new float[Math.Max(w, h) + 10];
        for (int y = 0; y < h; y++)
        {
            Array.Copy(a, y * w, line, 4, w);
            Inverse1D(line, x0, w, reversible);
            Array.Copy(line, 4, a, y * w, w);
        }
        for (int x = 0; x < w; x++)
        {
            for (int y = 0; y < h; y++) line[4 + y] = a[y * w + x];
            Inverse1D(line, y0, h, reversible);
            for (int y = 0; y < h; y++) a[y * w + x] = line[4 + y];
        }
    }

    /// <summary>Inverse 1-D transform of <paramref name="n"/> samples at line[4…] whose first absolute index is <paramref name="i0"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private static void Inverse1D(float[] line, int i0, int n, bool reversible)
    {
        if (n == 1)
        {
            if ((i0 & 1) != 0) line[4] = reversible ? MathF.Floor(line[4] / 2) : line[4] / 2;
            return;
        }
        // position of absolute index i in the buffer: i - i0 + 4; "even" means an even absolute index (low-pass)
        int first = 4, last = 4 + n - 1;
        int parity = i0 & 1; // buffer index b is even-absolute when (b - 4 + i0) is even
        if (reversible)
        {
            Extend(line, first, last, 2);
            for (int b = first; b <= last; b++)
                if (((b - 4 + parity) & 1) == 0) line[b] -= MathF.Floor((line[b - 1] + line[b + 1] + 2) / 4);
            Extend(line, first, last, 2);
            for (int b = first; b <= last; b++)
                if (((b - 4 + parity) & 1) == 1) line[b] += MathF.Floor((line[b - 1] + line[b + 1]) / 2);
            return;
        }
        for (int b = first; b <= last; b++) line[b] *= ((b - 4 + parity) & 1) == 0 ? K : 1 / K;
        Lift(line, first, last, parity, 0, -Delta);
        Lift(line, first, last, parity, 1, -Gamma);
        Lift(line, first, last, parity, 0, Beta);
        Lift(line, first, last, parity, 1, Alpha);
    }

    private static void Lift(float[] line, int first, int last, int parity, int which, float c)
    {
        Extend(line, first, last, 4);
        for (int b = first; b <= last; b++)
            if (((b - 4 + parity) & 1) == which) line[b] += c * (line[b - 1] + line[b + 1]);
    }

    /// <summary>Whole-sample symmetric extension by <paramref name="k"/> samples on each side.</summary>
    private static void Extend(float[] line, int first, int last, int k)
    {
        int n = last - first + 1;
        for (int i = 1; i <= k; i++)
        {
            line[first - i] = line[first + Reflect(i, n)];
            line[last + i] = line[last - Reflect(i, n)];
        }
    }

    private static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        i %= period;
        return i < n ? i : period - i;
    }

    /// <summary>Inverse RCT (reversible) or ICT (irreversible) on the first three components.</summary>
    public static void InverseComponentTransform(float[][] c, bool reversible)
    {
        float[] y0 = c[0], y1 = c[1], y2 = c[2];
        for (int i = 0; i < y0.Length; i++)
        {
            float a = y0[i], b = y1[i], d = y2[i];
            if (reversible)
            {
                float g = a - MathF.Floor((b + d) / 4);
                y0[i] = d + g;
                y1[i] = g;
                y2[i] = b + g;
            }
            else
            {
                y0[i] = a + 1.402f * d;
                y1[i] = a - 0.34413f * b - 0.71414f * d;
                y2[i] = a + 1.772f * b;
            }
        }
    }
}
