using System.Numerics;

namespace ImageGuide.Imaging;

/// <summary>Summary statistics of a volume's voxel values.</summary>
/// <param name="Count">Number of voxels considered.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Mean">Arithmetic mean (accumulated in double, per slice then summed in order: deterministic).</param>
/// <param name="StandardDeviation">Population standard deviation.</param>
public readonly record struct VolumeStatistics(long Count, double Min, double Max, double Mean, double StandardDeviation)
{
    /// <summary>Computes min, max, mean and standard deviation, optionally only where <paramref name="mask"/> is non-zero.</summary>
    public static VolumeStatistics Compute<T>(Volume<T> volume, Volume<byte>? mask = null)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (mask is not null && mask.Data.LongLength != volume.Data.LongLength)
            throw new GeometryException("Mask and volume have different voxel counts.");
        var g = volume.Geometry;
        int nz = g.Nz;
        long plane = (long)g.Nx * g.Ny;
        var mins = new double[nz]; var maxs = new double[nz]; var sums = new double[nz]; var sq = new double[nz]; var counts = new long[nz];
        Parallel.For(0, nz, k =>
        {
            double mn = double.PositiveInfinity, mx = double.NegativeInfinity, s = 0, s2 = 0;
            long c = 0;
            var d = volume.Data;
            var m = mask?.Data;
            for (long n = plane * k, e = n + plane; n < e; n++)
            {
                if (m is not null && m[n] == 0) continue;
                double v = double.CreateTruncating(d[n]);
                if (v < mn) mn = v;
                if (v > mx) mx = v;
                s += v; s2 += v * v; c++;
            }
            mins[k] = mn; maxs[k] = mx; sums[k] = s; sq[k] = s2; counts[k] = c;
        });
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, sum2 = 0;
        long count = 0;
        for (int k = 0; k < nz; k++)
        {
            min = Math.Min(min, mins[k]); max = Math.Max(max, maxs[k]); sum += sums[k]; sum2 += sq[k]; count += counts[k];
        }
        if (count == 0) return new VolumeStatistics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = sum / count;
        return new VolumeStatistics(count, min, max, mean, Math.Sqrt(Math.Max(0, sum2 / count - mean * mean)));
    }

    /// <summary>
    /// Percentiles (0–100) of the voxel values with linear interpolation between order statistics
    /// (numpy's default "linear" method), optionally inside a mask.
    /// </summary>
    public static double[] Percentiles<T>(Volume<T> volume, ReadOnlySpan<double> percents, Volume<byte>? mask = null)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(volume);
        var d = volume.Data;
        long count = 0;
        if (mask is null) count = d.LongLength;
        else foreach (var b in mask.Data) if (b != 0) count++;
        if (count == 0) throw new ImageGuideException("Cannot compute percentiles of an empty selection (mask has no voxels).");
        var values = new double[count];
        long w = 0;
        for (long n = 0; n < d.LongLength; n++)
            if (mask is null || mask.Data[n] != 0) values[w++] = double.CreateTruncating(d[n]);
        Array.Sort(values);
        var result = new double[percents.Length];
        for (int p = 0; p < percents.Length; p++)
        {
            double q = percents[p];
            if (!(q >= 0 && q <= 100)) throw new ArgumentOutOfRangeException(nameof(percents), q, "Percentiles must lie in [0, 100].");
            double pos = q / 100.0 * (count - 1);
            long lo = (long)Math.Floor(pos);
            long hi = Math.Min(lo + 1, count - 1);
            result[p] = values[lo] + (values[hi] - values[lo]) * (pos - lo);
        }
        return result;
    }
}
