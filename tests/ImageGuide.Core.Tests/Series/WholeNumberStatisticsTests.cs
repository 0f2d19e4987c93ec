using ImageGuide.Dicom.Series;

namespace ImageGuide.Tests.Series;

/// <summary>The vectorised minimum, maximum and sum of 16-bit values against a plain loop, signed and unsigned.</summary>
public class WholeNumberStatisticsTests
{
    // lengths around the vector width and past the 2^14-step flush of the 32-bit lane sums
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(9)]
    [TestCase(1000)]
    [TestCase(8 << 14)]
    [TestCase((8 << 14) + 13)]
    [TestCase(3 * (8 << 14) + 5)]
    public void MinMaxSum_EqualsAPlainLoop(int length)
    {
        var rng = new Random(length);
        var signed = new short[length];
        var unsigned = new ushort[length];
        for (int i = 0; i < length; i++)
        {
            // extremes included: the sums must not overflow at full scale
            signed[i] = i % 5 == 0 ? short.MaxValue : i % 7 == 0 ? short.MinValue : (short)rng.Next(short.MinValue, short.MaxValue + 1);
            unsigned[i] = i % 5 == 0 ? ushort.MaxValue : i % 7 == 0 ? (ushort)0 : (ushort)rng.Next(0, ushort.MaxValue + 1);
        }
        Assert.That(WholeNumberVolume.MinMaxSum(signed), Is.EqualTo(Plain(signed.Select(v => (long)v))));
        Assert.That(WholeNumberVolume.MinMaxSum(unsigned), Is.EqualTo(Plain(unsigned.Select(v => (long)v))));
    }

    private static (long Min, long Max, long Sum) Plain(IEnumerable<long> values)
    {
        long min = int.MaxValue, max = int.MinValue, sum = 0;
        foreach (long v in values) { min = Math.Min(min, v); max = Math.Max(max, v); sum += v; }
        return (min, max, sum);
    }
}
