using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

public class PhantomRandomTests
{
    [Test]
    public void Xoshiro256StarStarMatchesAnIndependentImplementationOfThePublishedAlgorithm()
    {
        // Reference values from a separate Python implementation of SplitMix64 seeding + xoshiro256** (Vigna).
        var rng = new PhantomRandom(42);
        ulong[] expected = [1546998764402558742UL, 6990951692964543102UL, 12544586762248559009UL, 17057574109182124193UL, 18295552978065317476UL];
        foreach (var e in expected) Assert.That(rng.NextUInt64(), Is.EqualTo(e));
    }

    [Test]
    public void GaussianDeviatesHaveZeroMeanAndUnitVariance()
    {
        var rng = PhantomRandom.ForStream(5, 1);
        const int n = 200_000;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; i++)
        {
            double g = rng.NextGaussian();
            sum += g;
            sum2 += g * g;
        }
        double mean = sum / n, variance = sum2 / n - mean * mean;
        Assert.That(mean, Is.EqualTo(0).Within(4 / Math.Sqrt(n)));
        Assert.That(variance, Is.EqualTo(1).Within(4 * Math.Sqrt(2.0 / n)));
    }

    [Test]
    public void StreamsDifferByEveryKeyComponent()
    {
        ulong a = PhantomRandom.ForStream(1, 2, 3).NextUInt64();
        Assert.That(PhantomRandom.ForStream(1, 2, 3).NextUInt64(), Is.EqualTo(a));
        Assert.That(PhantomRandom.ForStream(2, 2, 3).NextUInt64(), Is.Not.EqualTo(a));
        Assert.That(PhantomRandom.ForStream(1, 3, 3).NextUInt64(), Is.Not.EqualTo(a));
        Assert.That(PhantomRandom.ForStream(1, 2, 4).NextUInt64(), Is.Not.EqualTo(a));
    }
}
