using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>
/// A cheap mutual-information score for exhaustive searches: samples of one image (positions relative to a centre,
/// intensity bins precomputed) looked up in the other image, whose voxels hold continuous bin coordinates, by
/// nearest neighbour (grid scoring) or trilinear interpolation (refinement). Plug-in MI from a joint histogram
/// minus the Miller–Madow bias ((occupied joint − occupied marginal bins + 1) / 2n), so placements with few
/// overlapping samples are not favoured by the estimator's upward bias. Lower scores are better (−MI).
/// Immutable after construction; every call uses its own scratch, so one instance serves many threads.
/// </summary>
internal sealed class CoarseMutualInformation
{
    private readonly float[] _px, _py, _pz;   // sample positions minus the centre, mm
    private readonly byte[] _sampleBin;
    private readonly float[] _target;         // bin coordinate per target voxel, in [0, bins − 1]
    private readonly byte[] _targetBin;       // the same rounded, for nearest-neighbour lookup
    private readonly int _nx, _ny, _nz;
    private readonly Mat3 _worldToIndex;
    private readonly Vec3 _targetOrigin;
    private readonly double[] _cLogC;         // c·ln c for every possible bin count c (no logarithm per bin in the hot loop)

    public CoarseMutualInformation(Volume<float> sampled, Volume<byte>? sampledMask, Volume<float> target, Vec3 center, int bins, int maxSamples)
    {
        Bins = bins;
        Center = center;
        var sg = sampled.Geometry;
        var (lo, hi) = Range(sampled);
        var (tlo, thi) = Range(target);
        var positions = new List<Vec3>();
        var sbins = new List<byte>();
        long voxels = sg.VoxelCount, kept = 0;
        var mask = sampledMask is not null && sampledMask.Geometry.ApproximatelyEquals(sg, 1e-3) ? sampledMask.Data : null;
        if (mask is not null) for (long n = 0; n < voxels; n++) if (mask[n] != 0) kept++;
        if (mask is null) kept = voxels;
        long stride = Math.Max(1, kept / maxSamples);
        long seen = 0;
        for (int k = 0; k < sg.Nz; k++)
            for (int j = 0; j < sg.Ny; j++)
                for (int i = 0; i < sg.Nx; i++)
                {
                    long n = sg.LinearIndex(i, j, k);
                    if (mask is not null && mask[n] == 0) continue;
                    if (seen++ % stride != 0) continue;
                    positions.Add(sg.IndexToPhysical(i, j, k) - center);
                    sbins.Add((byte)Math.Clamp((int)((sampled.Data[n] - lo) / (hi - lo) * bins), 0, bins - 1));
                }
        if (positions.Count < 50) throw new RegistrationException("Too few voxels to sample for the global search; the image or its mask is nearly empty.");
        _px = new float[positions.Count]; _py = new float[positions.Count]; _pz = new float[positions.Count];
        for (int s = 0; s < positions.Count; s++) { _px[s] = (float)positions[s].X; _py[s] = (float)positions[s].Y; _pz[s] = (float)positions[s].Z; }
        _sampleBin = [.. sbins];
        _cLogC = new double[positions.Count + 1];
        for (int c = 1; c < _cLogC.Length; c++) _cLogC[c] = c * Math.Log(c);
        var tg = target.Geometry;
        _nx = tg.Nx; _ny = tg.Ny; _nz = tg.Nz;
        _worldToIndex = tg.IndexToPhysicalMatrix.Inverse();
        _targetOrigin = tg.Origin;
        _target = new float[target.Data.Length];
        float scale = (float)((bins - 1) / (thi - tlo));
        _targetBin = new byte[_target.Length];
        for (long n = 0; n < _target.LongLength; n++)
        {
            _target[n] = Math.Clamp((target.Data[n] - (float)tlo) * scale, 0f, bins - 1);
            _targetBin[n] = (byte)(_target[n] + 0.5f);
        }
    }

    /// <summary>Histogram bins per image.</summary>
    public int Bins { get; }
    /// <summary>The centre the sample positions are relative to (the rotation centre of every placement).</summary>
    public Vec3 Center { get; }
    /// <summary>Number of samples.</summary>
    public int SampleCount => _px.Length;

    /// <summary>Scratch for one thread: a joint histogram and rotated sample positions.</summary>
    public sealed class Scratch(int bins, int samples)
    {
        internal readonly int[] Joint = new int[bins * bins];
        internal readonly int[] Fixed = new int[bins];
        internal readonly int[] Moving = new int[bins];
        internal readonly float[] Qx = new float[samples], Qy = new float[samples], Qz = new float[samples];
    }

    /// <summary>New scratch for one thread.</summary>
    public Scratch NewScratch() => new(Bins, SampleCount);

    /// <summary>
    /// Rotates the samples into target index space once, for any number of translations:
    /// index(p) = W·(R·(p − c) + c + t − origin) = (W·R)(p − c) + W·(c + t − origin).
    /// </summary>
    public void Rotate(Mat3 rotation, Scratch s)
    {
        var a = _worldToIndex * rotation;
        for (int n = 0; n < _px.Length; n++)
        {
            double x = _px[n], y = _py[n], z = _pz[n];
            s.Qx[n] = (float)(a.M00 * x + a.M01 * y + a.M02 * z);
            s.Qy[n] = (float)(a.M10 * x + a.M11 * y + a.M12 * z);
            s.Qz[n] = (float)(a.M20 * x + a.M21 * y + a.M22 * z);
        }
    }

    /// <summary>
    /// −MI (bias-corrected) of the placement p ↦ R·(p − c) + c + t, R as last given to <see cref="Rotate"/>;
    /// <paramref name="valid"/> = samples inside the target. Returns +∞ with fewer than max(50, <paramref name="minimumValid"/>) valid samples.
    /// </summary>
    /// <remarks>With <paramref name="stride"/> &gt; 1 (nearest-neighbour lookup only) every stride-th sample from the first
    /// is scored: a cheaper, noisier score to screen placements with.</remarks>
    public double Score(Vec3 translation, Scratch s, bool trilinear, out int valid, int minimumValid = 50, int stride = 1)
    {
        if (trilinear && stride != 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Screening uses nearest-neighbour lookup.");
        var o = _worldToIndex * (Center + translation - _targetOrigin);
        float ox = (float)o.X, oy = (float)o.Y, oz = (float)o.Z;
        Array.Clear(s.Joint);
        int b = Bins, nx = _nx, ny = _ny, nz = _nz;
        var joint = s.Joint;
        valid = 0;
        if (!trilinear)
        {
            var bins = _targetBin;
            var sb = _sampleBin;
            var qx = s.Qx; var qy = s.Qy; var qz = s.Qz;
            for (int n = 0; n < qx.Length; n += stride)
            {
                float x = qx[n] + ox, y = qy[n] + oy, z = qz[n] + oz;
                int i = (int)(x + 0.5f), j = (int)(y + 0.5f), k = (int)(z + 0.5f);
                if (x < -0.5f || y < -0.5f || z < -0.5f || (uint)i >= (uint)nx || (uint)j >= (uint)ny || (uint)k >= (uint)nz) continue;
                joint[sb[n] * b + bins[(k * ny + j) * nx + i]]++;
                valid++;
            }
        }
        else
        {
            var t = _target;
            for (int n = 0; n < _px.Length; n++)
            {
                float x = s.Qx[n] + ox, y = s.Qy[n] + oy, z = s.Qz[n] + oz;
                if (!(x >= 0 && y >= 0 && z >= 0 && x <= nx - 1 && y <= ny - 1 && z <= nz - 1)) continue;
                int i = Math.Min((int)x, nx - 2), j = Math.Min((int)y, ny - 2), k = Math.Min((int)z, nz - 2);
                float fx = x - i, fy = y - j, fz = z - k;
                long p = ((long)k * ny + j) * nx + i, row = nx, slice = (long)nx * ny;
                float c00 = t[p] + fx * (t[p + 1] - t[p]), c10 = t[p + row] + fx * (t[p + row + 1] - t[p + row]);
                float c01 = t[p + slice] + fx * (t[p + slice + 1] - t[p + slice]);
                float c11 = t[p + slice + row] + fx * (t[p + slice + row + 1] - t[p + slice + row]);
                float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
                float value = c0 + fz * (c1 - c0);
                joint[_sampleBin[n] * b + (int)(value + 0.5f)]++;
                valid++;
            }
        }
        if (valid < Math.Max(50, minimumValid)) return double.PositiveInfinity;
        return -MutualInformation(s, valid);
    }

    /// <summary>
    /// Samples (every <paramref name="stride"/>-th, from the first) of the placement of <see cref="Score"/> that fall
    /// inside the target by nearest-neighbour lookup: a cheap estimate of the overlap, to skip placements that
    /// cannot keep enough of it before scoring them.
    /// </summary>
    public int OverlapCount(Vec3 translation, Scratch s, int stride)
    {
        var o = _worldToIndex * (Center + translation - _targetOrigin);
        float ox = (float)o.X + 0.5f, oy = (float)o.Y + 0.5f, oz = (float)o.Z + 0.5f;
        int count = 0;
        var qx = s.Qx; var qy = s.Qy; var qz = s.Qz;
        for (int n = 0; n < qx.Length; n += stride)
        {
            float x = qx[n] + ox, y = qy[n] + oy, z = qz[n] + oz;
            if (x >= 0 && y >= 0 && z >= 0 && x < _nx && y < _ny && z < _nz) count++;
        }
        return count;
    }

    private double MutualInformation(Scratch s, int count)
    {
        int b = Bins;
        Array.Clear(s.Moving);
        var joint = s.Joint;
        var cLogC = _cLogC;
        // one pass, without branches (empty bins are common and unpredictable): marginals, Σ c·ln c and occupied bins
        int occupied = 0;
        double sj = 0;
        for (int f = 0; f < b; f++)
        {
            int row = 0;
            for (int m = 0; m < b; m++)
            {
                int c = joint[f * b + m];
                row += c;
                s.Moving[m] += c;
                sj += cLogC[c];
                occupied += c != 0 ? 1 : 0;
            }
            s.Fixed[f] = row;
        }
        // Miller–Madow-corrected entropies (H + (occupied − 1) / 2n): small overlaps are not favoured by the bias;
        // H = ln n − Σ c·ln c / n, so MI = ln n − (Σ_f + Σ_m − Σ_joint) c·ln c / n, the c·ln c read from a table
        double sf = 0, sm = 0;
        int of = 0, om = 0;
        for (int q = 0; q < b; q++)
        {
            if (s.Fixed[q] != 0) { of++; sf += cLogC[s.Fixed[q]]; }
            if (s.Moving[q] != 0) { om++; sm += cLogC[s.Moving[q]]; }
        }
        double n = count, logN = Math.Log(n);
        double hj = logN - sj / n + (occupied - 1) / (2 * n);
        double hf = logN - sf / n + (of - 1) / (2 * n);
        double hm = logN - sm / n + (om - 1) / (2 * n);
        return hf + hm - hj;
    }

    /// <summary>The 0.5th and 99.5th percentiles (a range of at least 1e-6).</summary>
    private static (double Lo, double Hi) Range(Volume<float> v)
    {
        var p = VolumeStatistics.Percentiles(v, [0.5, 99.5]);
        return (p[0], Math.Max(p[1], p[0] + 1e-6));
    }
}
