using System.Buffers;
using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Cone-beam CT in arbitrary grey units (not HU): grey = <see cref="Gain"/>·(HU + 1000) + <see cref="Offset"/>,
/// minus a parabolic cupping depression, plus bone streaks through the spine and Gaussian noise, inside a
/// cylindrical field of view along the slice axis; voxels outside the cylinder are 0.
/// </summary>
internal sealed class CbctSliceFinisher : ISliceFinisher
{
    /// <summary>Grey units per HU.</summary>
    public const double Gain = 0.8;
    /// <summary>Grey value of air (−1000 HU).</summary>
    public const double Offset = 100;

    private readonly short[] _output;
    private readonly VolumeGeometry _grid;
    private readonly double _radius, _sigma, _cupping;
    private readonly Vec3 _spineAxisPoint, _spineAxisDir; // frame coordinates
    private readonly StreakLine[] _streaks;
    private readonly ulong _seed;

    public CbctSliceFinisher(short[] output, VolumeGeometry grid, double fovRadiusMm, double sigma, double cupping,
        Vec3 spineAxisPoint, Vec3 spineAxisDirection, ulong seed)
    {
        _output = output;
        _grid = grid;
        _radius = fovRadiusMm;
        _sigma = sigma;
        _cupping = cupping;
        _spineAxisPoint = spineAxisPoint;
        _spineAxisDir = spineAxisDirection;
        _seed = seed;
        var rng = PhantomRandom.ForStream(seed, 9);
        double phase = rng.Uniform(0, Math.PI);
        _streaks = new StreakLine[4];
        for (int m = 0; m < _streaks.Length; m++)
            _streaks[m] = new StreakLine(0, 0, phase + m * Math.PI / _streaks.Length, 40 * (m % 2 == 0 ? 1 : -1) * rng.Uniform(0.6, 1), 1.2, 70);
    }

    public void Finish(int k, float[][] channels, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> flags)
    {
        int nx = _grid.Nx, ny = _grid.Ny, plane = nx * ny;
        var sp = _grid.Spacing;
        var o = _grid.Origin;
        var c = _grid.Center;
        double z = o.Z + k * sp.Z;
        var streak = ArrayPool<float>.Shared.Rent(plane);
        try
        {
            var s = streak.AsSpan(0, plane);
            s.Clear();
            if (Math.Abs(_spineAxisDir.Z) > 1e-6)
            {
                var hit = _spineAxisPoint + _spineAxisDir * ((z - _spineAxisPoint.Z) / _spineAxisDir.Z);
                foreach (var line in _streaks) (line with { X = hit.X, Y = hit.Y }).AddTo(s, nx, ny, o.X, o.Y, sp.X, sp.Y);
            }
            var rng = PhantomRandom.ForStream(_seed, SliceNoise.Cbct, (ulong)k);
            var dst = _output.AsSpan(k * plane, plane);
            var hu = channels[0];
            double r2max = _radius * _radius;
            for (int j = 0, n = 0; j < ny; j++)
            {
                double dy = o.Y + j * sp.Y - c.Y;
                for (int i = 0; i < nx; i++, n++)
                {
                    double g = rng.NextGaussian();
                    double dx = o.X + i * sp.X - c.X, r2 = dx * dx + dy * dy;
                    if (r2 > r2max)
                    {
                        dst[n] = 0;
                        continue;
                    }
                    double grey = Gain * (hu[n] + 1000) + Offset - _cupping * (1 - r2 / r2max) + s[n] + _sigma * g;
                    dst[n] = SliceNoise.ToShort(Math.Max(0, grey));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(streak);
        }
    }
}
