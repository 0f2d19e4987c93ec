using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// MR T1 (channel 0) and T2 (channel 1): signal × smooth multiplicative bias field, then Rician noise
/// (magnitude of the complex signal with Gaussian noise of σ on both parts), rounded to short.
/// The bias field is 1 + amplitude·tanh(Σ cᵢ·basisᵢ) over the normalised coordinates (x, y, z, x², y², xy),
/// so it stays within 1 ± amplitude; coefficients are drawn from the seed.
/// </summary>
internal sealed class MrSliceFinisher : ISliceFinisher
{
    private readonly short[] _t1, _t2;
    private readonly VolumeGeometry _grid;
    private readonly double _sigma, _amplitude;
    private readonly double[] _c = new double[6];
    private readonly ulong _seed;

    public MrSliceFinisher(short[] t1, short[] t2, VolumeGeometry grid, double sigma, double biasAmplitude, ulong seed)
    {
        _t1 = t1;
        _t2 = t2;
        _grid = grid;
        _sigma = sigma;
        _amplitude = biasAmplitude;
        _seed = seed;
        var rng = PhantomRandom.ForStream(seed, 8);
        for (int n = 0; n < _c.Length; n++) _c[n] = rng.Uniform(-0.7, 0.7);
    }

    /// <summary>Gain of the bias field at a voxel index.</summary>
    public double Bias(int i, int j, int k)
    {
        double x = 2.0 * i / Math.Max(1, _grid.Nx - 1) - 1, y = 2.0 * j / Math.Max(1, _grid.Ny - 1) - 1, z = 2.0 * k / Math.Max(1, _grid.Nz - 1) - 1;
        return 1 + _amplitude * Math.Tanh(_c[0] * x + _c[1] * y + _c[2] * z + _c[3] * x * x + _c[4] * y * y + _c[5] * x * y);
    }

    public void Finish(int k, float[][] channels, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> flags)
    {
        int nx = _grid.Nx, plane = nx * _grid.Ny;
        var r1 = PhantomRandom.ForStream(_seed, SliceNoise.MrT1, (ulong)k);
        var r2 = PhantomRandom.ForStream(_seed, SliceNoise.MrT2, (ulong)k);
        var t1 = _t1.AsSpan(k * plane, plane);
        var t2 = _t2.AsSpan(k * plane, plane);
        float[] c0 = channels[0], c1 = channels[1];
        for (int n = 0; n < plane; n++)
        {
            double g = Bias(n % nx, n / nx, k);
            t1[n] = SliceNoise.ToShort(Rician(c0[n] * g, r1));
            t2[n] = SliceNoise.ToShort(Rician(c1[n] * g, r2));
        }
    }

    private double Rician(double signal, PhantomRandom rng)
    {
        double re = signal + _sigma * rng.NextGaussian(), im = _sigma * rng.NextGaussian();
        return Math.Sqrt(re * re + im * im);
    }
}
