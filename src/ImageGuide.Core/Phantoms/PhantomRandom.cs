using ImageGuide.Imaging;
namespace ImageGuide.Phantoms;

/// <summary>
/// The phantom generator's own pseudo-random generator: xoshiro256** seeded through SplitMix64, with
/// Gaussian deviates from Marsaglia's polar method. Its algorithm is fixed here (unlike
/// <see cref="System.Random"/>), so a seed reproduces the same phantom on every runtime. Independent streams
/// are derived from (seed, stream, index, …) so parallel rendering stays deterministic. Not thread-safe:
/// one instance per stream.
/// </summary>
internal sealed class PhantomRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Creates a generator whose state is expanded from <paramref name="seed"/> by SplitMix64.</summary>
    public PhantomRandom(ulong seed)
    {
        var expand = new SplitMix64(seed);
        _s0 = expand.NextUInt64();
        _s1 = expand.NextUInt64();
        _s2 = expand.NextUInt64();
        _s3 = expand.NextUInt64();
    }

    /// <summary>A generator for an independent stream identified by (seed, stream, a, b).</summary>
    public static PhantomRandom ForStream(ulong seed, ulong stream, ulong a = 0, ulong b = 0)
    {
        ulong h = Mix(seed ^ SplitMix64.Golden);
        h = Mix(h ^ (stream * 0xD1B54A32D192ED03UL + 1));
        h = Mix(h ^ (a * 0x8CB92BA72F3D8DD7UL + 2));
        h = Mix(h ^ (b * 0xABC98388FB8FAC03UL + 3));
        return new PhantomRandom(h);
    }

    private static ulong Mix(ulong z) => SplitMix64.Mix(z);

    /// <summary>Next 64 random bits (xoshiro256**).</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => (int)((NextUInt64() >> 33) * (ulong)count >> 31);

    /// <summary>−1 or +1 with equal probability.</summary>
    public int NextSign() => (NextUInt64() >> 63) == 0 ? -1 : 1;

    /// <summary>Standard normal deviate (Marsaglia polar method; uses only sqrt and log).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spare = v * f;
        _hasSpare = true;
        return u * f;
    }
}
