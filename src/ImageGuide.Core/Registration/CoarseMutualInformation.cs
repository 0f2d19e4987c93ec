using System.Numerics;
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
        /// <summary>Samples rotated by the last <see cref="Rotate"/> or <see cref="RotateStrided"/>, packed from the start.</summary>
        internal int Count;
        /// <summary>Their fixed-image bins (the instance's own array after <see cref="Rotate"/>, a packed copy after <see cref="RotateStrided"/>).</summary>
        internal byte[] Bin = [];
        internal readonly byte[] PackedBin = new byte[samples];
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
        s.Count = _px.Length;
        s.Bin = _sampleBin;
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
        if (trilinear && s.Count != SampleCount) throw new InvalidOperationException("Trilinear scoring needs every sample: rotate with Rotate, not RotateStrided.");
        var o = _worldToIndex * (Center + translation - _targetOrigin);
        float ox = (float)o.X, oy = (float)o.Y, oz = (float)o.Z;
        Array.Clear(s.Joint);
        int b = Bins, nx = _nx, ny = _ny, nz = _nz;
        var joint = s.Joint;
        valid = 0;
        if (!trilinear && stride == 1 && Vector.IsHardwareAccelerated)
            valid = NearestVector(s, ox, oy, oz);
        else if (!trilinear)
            valid = NearestScalar(s, ox, oy, oz, 0, stride);
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
    /// The nearest-neighbour joint histogram of every sample, the voxel index of a whole vector of samples at a time
    /// (the same float arithmetic as the scalar loop, so the same voxels); the histogram is filled lane by lane.
    /// </summary>
    private int NearestVector(Scratch s, float ox, float oy, float oz)
    {
        int b = Bins, nx = _nx, ny = _ny, nz = _nz, w = Vector<float>.Count;
        var joint = s.Joint;
        var bins = _targetBin;
        var sb = s.Bin;
        int count = s.Count, valid = 0, n = 0;
        var qx = s.Qx.AsSpan(0, count); var qy = s.Qy.AsSpan(0, count); var qz = s.Qz.AsSpan(0, count);
        var half = new Vector<float>(0.5f);
        var vox = new Vector<float>(ox); var voy = new Vector<float>(oy); var voz = new Vector<float>(oz);
        var vnx = new Vector<int>(nx); var vny = new Vector<int>(ny); var vnz = new Vector<int>(nz);
        var minusOne = new Vector<int>(-1);
        Span<int> voxel = stackalloc int[w];
        for (; n <= count - w; n += w)
        {
            // the scalar loop's arithmetic: x = q + o, index = (int)(x + 0.5), kept when x ≥ −0.5 (then x + 0.5 ≥ 0
            // exactly, so truncation is flooring) and the index is below the size (conversion saturates: huge x is out)
            var x = new Vector<float>(qx[n..]) + vox;
            var y = new Vector<float>(qy[n..]) + voy;
            var z = new Vector<float>(qz[n..]) + voz;
            var xh = x + half; var yh = y + half; var zh = z + half;
            var i = Vector.ConvertToInt32(xh); var j = Vector.ConvertToInt32(yh); var k = Vector.ConvertToInt32(zh);
            var inside = Vector.GreaterThanOrEqual(xh, Vector<float>.Zero) & Vector.GreaterThanOrEqual(yh, Vector<float>.Zero)
                & Vector.GreaterThanOrEqual(zh, Vector<float>.Zero) & Vector.LessThan(i, vnx) & Vector.LessThan(j, vny) & Vector.LessThan(k, vnz);
            Vector.ConditionalSelect(inside, (k * vny + j) * vnx + i, minusOne).CopyTo(voxel);
            for (int l = 0; l < w; l++)
            {
                int v = voxel[l];
                if (v < 0) continue;
                joint[sb[n + l] * b + bins[v]]++;
                valid++;
            }
        }
        return valid + NearestScalar(s, ox, oy, oz, n, 1);
    }

    /// <summary>
    /// The nearest-neighbour joint histogram of every <paramref name="stride"/>-th sample from <paramref name="start"/>,
    /// one at a time (the tail of <see cref="NearestVector"/>, and screening); returns how many fell inside the target.
    /// </summary>
    private int NearestScalar(Scratch s, float ox, float oy, float oz, int start, int stride)
    {
        int b = Bins, nx = _nx, ny = _ny, nz = _nz, valid = 0;
        var joint = s.Joint;
        var bins = _targetBin;
        var sb = s.Bin;
        var qx = s.Qx; var qy = s.Qy; var qz = s.Qz;
        for (int n = start; n < s.Count; n += stride)
        {
            float x = qx[n] + ox, y = qy[n] + oy, z = qz[n] + oz;
            int i = (int)(x + 0.5f), j = (int)(y + 0.5f), k = (int)(z + 0.5f);
            if (x < -0.5f || y < -0.5f || z < -0.5f || (uint)i >= (uint)nx || (uint)j >= (uint)ny || (uint)k >= (uint)nz) continue;
            joint[sb[n] * b + bins[(k * ny + j) * nx + i]]++;
            valid++;
        }
        return valid;
    }

    /// <summary>
    /// As <see cref="Rotate"/>, keeping only every <paramref name="stride"/>-th sample (from the first), packed at the
    /// start of the scratch: <see cref="OverlapCount"/> and nearest-neighbour <see cref="Score"/> then use just those
    /// (the same samples, in the same order, as a strided score). Returns how many were kept.
    /// </summary>
    public int RotateStrided(Mat3 rotation, Scratch s, int stride)
    {
        var a = _worldToIndex * rotation;
        int kept = 0;
        for (int n = 0; n < _px.Length; n += stride, kept++)
        {
            double x = _px[n], y = _py[n], z = _pz[n];
            s.Qx[kept] = (float)(a.M00 * x + a.M01 * y + a.M02 * z);
            s.Qy[kept] = (float)(a.M10 * x + a.M11 * y + a.M12 * z);
            s.Qz[kept] = (float)(a.M20 * x + a.M21 * y + a.M22 * z);
            s.PackedBin[kept] = _sampleBin[n];
        }
        s.Count = kept;
        s.Bin = s.PackedBin;
        return kept;
    }

    /// <summary>
    /// How many of the samples last rotated into <paramref name="s"/> fall inside the
    /// target by nearest-neighbour lookup at the placement of <see cref="Score"/>: a cheap estimate of the overlap, to
    /// skip placements that cannot keep enough of it before scoring them.
    /// </summary>
    public int OverlapCount(Vec3 translation, Scratch s)
    {
        int count = s.Count;
        var o = _worldToIndex * (Center + translation - _targetOrigin);
        float ox = (float)o.X + 0.5f, oy = (float)o.Y + 0.5f, oz = (float)o.Z + 0.5f;
        var qx = s.Qx.AsSpan(0, count); var qy = s.Qy.AsSpan(0, count); var qz = s.Qz.AsSpan(0, count);
        int n = 0, inside = 0;
        if (Vector.IsHardwareAccelerated && count >= Vector<float>.Count)
        {
            var vox = new Vector<float>(ox); var voy = new Vector<float>(oy); var voz = new Vector<float>(oz);
            var vnx = new Vector<float>(_nx); var vny = new Vector<float>(_ny); var vnz = new Vector<float>(_nz);
            var acc = Vector<int>.Zero;
            for (; n <= count - Vector<float>.Count; n += Vector<float>.Count)
            {
                var x = new Vector<float>(qx[n..]) + vox;
                var y = new Vector<float>(qy[n..]) + voy;
                var z = new Vector<float>(qz[n..]) + voz;
                // all-ones lanes (−1) where inside: subtracting counts them
                var inMask = Vector.GreaterThanOrEqual(x, Vector<float>.Zero) & Vector.GreaterThanOrEqual(y, Vector<float>.Zero)
                    & Vector.GreaterThanOrEqual(z, Vector<float>.Zero) & Vector.LessThan(x, vnx) & Vector.LessThan(y, vny) & Vector.LessThan(z, vnz);
                acc -= inMask;
            }
            inside = Vector.Sum(acc);
        }
        for (; n < count; n++)
        {
            float x = qx[n] + ox, y = qy[n] + oy, z = qz[n] + oz;
            if (x >= 0 && y >= 0 && z >= 0 && x < _nx && y < _ny && z < _nz) inside++;
        }
        return inside;
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
