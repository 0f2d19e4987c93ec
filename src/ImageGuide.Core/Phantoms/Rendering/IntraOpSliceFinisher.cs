using System.Buffers;
using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Pre-freeze and intra-procedural CT on one grid (probes in place in both): channel 0 is the pre-freeze HU,
/// channel 1 the same with ice; both receive the same metal streaks and independent Gaussian noise. Writes the
/// ice-ball, lethal-zone and metal-artefact masks (artefact: metal in the voxel or |streak| &gt; 1 HU).
/// </summary>
internal sealed class IntraOpSliceFinisher : ISliceFinisher
{
    /// <summary>Streak value (HU) above which a voxel counts as artefact-affected.</summary>
    public const float ArtifactThresholdHu = 1f;

    private readonly IntraOpOutputs _out;
    private readonly VolumeGeometry _grid;
    private readonly IReadOnlyList<Capsule> _shafts; // frame coordinates
    private readonly StreakLine[][] _streakTemplates; // per probe, centred at the origin
    private readonly double _sigma;
    private readonly ulong _seed;

    public IntraOpSliceFinisher(IntraOpOutputs outputs, VolumeGeometry grid, IReadOnlyList<Capsule> shaftsInFrame, double sigma, double streakHu, ulong seed)
    {
        _out = outputs;
        _grid = grid;
        _shafts = shaftsInFrame;
        _sigma = sigma;
        _seed = seed;
        var rng = PhantomRandom.ForStream(seed, 7);
        _streakTemplates = new StreakLine[shaftsInFrame.Count][];
        for (int p = 0; p < shaftsInFrame.Count; p++)
        {
            const int lines = 6;
            double phase = rng.Uniform(0, Math.PI);
            _streakTemplates[p] = new StreakLine[lines];
            for (int m = 0; m < lines; m++)
                _streakTemplates[p][m] = new StreakLine(0, 0, phase + m * Math.PI / lines, streakHu * (m % 2 == 0 ? 1 : -1) * rng.Uniform(0.6, 1), 0.8, 50);
        }
    }

    public void Finish(int k, float[][] channels, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> flags)
    {
        int nx = _grid.Nx, ny = _grid.Ny, plane = nx * ny;
        var streak = ArrayPool<float>.Shared.Rent(plane);
        try
        {
            var s = streak.AsSpan(0, plane);
            s.Clear();
            AddStreaks(k, s);
            var pre = _out.PreFreeze.AsSpan(k * plane, plane);
            var intra = _out.IntraOp.AsSpan(k * plane, plane);
            var ice = _out.IceBall.AsSpan(k * plane, plane);
            var lethal = _out.LethalZone.AsSpan(k * plane, plane);
            var artifact = _out.MetalArtifact.AsSpan(k * plane, plane);
            var rngPre = PhantomRandom.ForStream(_seed, SliceNoise.PreFreezeCt, (ulong)k);
            var rngIntra = PhantomRandom.ForStream(_seed, SliceNoise.IntraOpCt, (ulong)k);
            float[] c0 = channels[0], c1 = channels[1];
            for (int n = 0; n < plane; n++)
            {
                pre[n] = SliceNoise.ToShort(c0[n] + s[n] + _sigma * rngPre.NextGaussian());
                intra[n] = SliceNoise.ToShort(c1[n] + s[n] + _sigma * rngIntra.NextGaussian());
                int f = flags[n];
                ice[n] = (byte)(f & RasterScene.IceBit);
                lethal[n] = (byte)((f & RasterScene.LethalBit) >> 1);
                artifact[n] = (byte)((f & RasterScene.MetalBit) != 0 || Math.Abs(s[n]) > ArtifactThresholdHu ? 1 : 0);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(streak);
        }
    }

    /// <summary>Streaks radiate from the middle of each shaft's part inside this slice's slab.</summary>
    private void AddStreaks(int k, Span<float> plane)
    {
        var sp = _grid.Spacing;
        var o = _grid.Origin;
        double z = o.Z + k * sp.Z, zLo = z - sp.Z / 2, zHi = z + sp.Z / 2;
        for (int p = 0; p < _shafts.Count; p++)
        {
            Vec3 a = _shafts[p].A, b = _shafts[p].B;
            double t0 = 0, t1 = 1, dz = b.Z - a.Z;
            if (Math.Abs(dz) < 1e-9)
            {
                if (a.Z < zLo || a.Z > zHi) continue;
            }
            else
            {
                double ta = (zLo - a.Z) / dz, tb = (zHi - a.Z) / dz;
                t0 = Math.Max(0, Math.Min(ta, tb));
                t1 = Math.Min(1, Math.Max(ta, tb));
                if (t0 > t1) continue;
            }
            var mid = a + (b - a) * ((t0 + t1) / 2);
            foreach (var line in _streakTemplates[p])
                (line with { X = mid.X, Y = mid.Y }).AddTo(plane, _grid.Nx, _grid.Ny, o.X, o.Y, sp.X, sp.Y);
        }
    }
}

/// <summary>Output buffers of the intra-procedural rendering (one grid).</summary>
internal sealed record IntraOpOutputs(short[] PreFreeze, short[] IntraOp, byte[] IceBall, byte[] LethalZone, byte[] MetalArtifact);
