using System.Runtime.CompilerServices;
using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>
/// Mattes mutual information (Mattes et al. 2003, as in ITK's <c>MattesMutualInformationImageToImageMetricv4</c>)
/// between a fixed image, seen only through pre-drawn samples, and a moving image read with trilinear
/// interpolation through a rigid transform (fixed → moving). The joint histogram uses a zero-order (box) Parzen
/// window for the fixed image and a cubic B-spline window for the moving image, so the metric is smooth in the
/// transform parameters and its gradient is analytic.
/// <para>
/// The value is <b>−MI</b> (lower is better). The gradient is taken with respect to
/// <see cref="RigidParameters"/> (left rotation vector, translation). Samples that map outside the moving image
/// (or outside the moving mask) are left out, as in ITK. Work is split into blocks whose size depends only on the
/// sample count; each block builds its own partial histogram and the partials are summed in block order, so the
/// result is bit-identical for any number of threads.
/// </para>
/// <para>An instance holds scratch buffers: use it from one thread at a time (it parallelises internally).</para>
/// </summary>
public sealed class MattesMutualInformation
{
    private const int Padding = 2;
    private const int MaxBlocks = 64;
    private const int MinBlockSize = 512;

    private readonly FixedSamples _samples;
    private readonly int[] _fixedBin;
    private readonly float[] _moving;
    private readonly VolumeGeometry _mg;
    private readonly Volume<byte>? _movingMask;
    private readonly bool _movingMaskOnGrid;
    private readonly int _bins;
    private readonly double _movingMin, _movingBinSize;
    private readonly int _blockSize, _blockCount;
    private readonly double[] _blockHist;
    private readonly int[] _blockValid;
    private readonly double[] _blockGrad;
    private readonly double[] _term;     // moving Parzen term per sample (NaN: not valid)
    private readonly double[] _deriv;    // ∂m/∂μ per sample, 6 each
    private readonly double[] _joint;
    private readonly double[] _log;      // log(p(i,j) / p_m(j))
    private readonly ParallelOptions _po;

    /// <summary>
    /// Creates the metric for one resolution level.
    /// </summary>
    /// <param name="fixedImage">Fixed image at this level (sampled once, here).</param>
    /// <param name="movingImage">Moving image at this level; at least 2 voxels along every axis.</param>
    /// <param name="fixedMask">Optional: samples are drawn only where it is non-zero (any grid, nearest lookup).</param>
    /// <param name="movingMask">Optional: samples mapping where it is zero are left out.</param>
    /// <param name="histogramBins">Histogram bins per image, 8–256 (32–64 is usual).</param>
    /// <param name="strategy">Random or regular sampling.</param>
    /// <param name="sampleCount">Requested number of samples.</param>
    /// <param name="seed">Seed for random sampling.</param>
    /// <param name="maxDegreeOfParallelism">Thread limit (−1: no limit); the result does not depend on it.</param>
    /// <param name="overlapTransform">
    /// Optional: draw samples only where this transform maps them inside the moving image, so that with a large
    /// fixed field of view (CT) and a small moving one (MR, CBCT) the samples are not wasted outside the overlap.
    /// </param>
    public MattesMutualInformation(Volume<float> fixedImage, Volume<float> movingImage, Volume<byte>? fixedMask, Volume<byte>? movingMask,
        int histogramBins = 32, SamplingStrategy strategy = SamplingStrategy.Random, int sampleCount = 10000, ulong seed = 1,
        int maxDegreeOfParallelism = -1, RigidTransform? overlapTransform = null)
        : this(fixedImage, movingImage, fixedMask, movingMask, histogramBins, strategy, sampleCount, seed, maxDegreeOfParallelism,
            overlapTransform is null ? null : [overlapTransform])
    {
    }

    /// <summary>As the public constructor, with samples drawn only where every one of <paramref name="overlapTransforms"/> maps inside the moving image.</summary>
    internal MattesMutualInformation(Volume<float> fixedImage, Volume<float> movingImage, Volume<byte>? fixedMask, Volume<byte>? movingMask,
        int histogramBins, SamplingStrategy strategy, int sampleCount, ulong seed, int maxDegreeOfParallelism,
        IReadOnlyList<RigidTransform>? overlapTransforms)
    {
        ArgumentNullException.ThrowIfNull(fixedImage);
        ArgumentNullException.ThrowIfNull(movingImage);
        if (histogramBins < 8 || histogramBins > 256)
            throw new ArgumentOutOfRangeException(nameof(histogramBins), histogramBins, "Histogram bins must lie in 8..256.");
        _mg = movingImage.Geometry;
        if (_mg.Nx < 2 || _mg.Ny < 2 || _mg.Nz < 2)
            throw new RegistrationException($"The moving image ({_mg.Nx}×{_mg.Ny}×{_mg.Nz} at this level) needs at least 2 voxels along every axis; use smaller shrink factors.");
        _bins = histogramBins;
        _moving = movingImage.Data;
        _movingMask = movingMask;
        _movingMaskOnGrid = movingMask is not null && movingMask.Geometry.Equals(_mg);
        _samples = FixedSamples.Draw(fixedImage, fixedMask, strategy, sampleCount, seed,
            overlapTransforms is null ? null : (overlapTransforms, _mg));
        _po = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };

        // Fixed bins (box window): range of the sample values.
        float fMin = float.PositiveInfinity, fMax = float.NegativeInfinity;
        foreach (var v in _samples.Values) { fMin = Math.Min(fMin, v); fMax = Math.Max(fMax, v); }
        double fBin = Math.Max(fMax - fMin, 1e-12) / (_bins - 2 * Padding);
        _fixedBin = new int[_samples.Count];
        for (int s = 0; s < _fixedBin.Length; s++)
            _fixedBin[s] = Math.Clamp((int)((_samples.Values[s] - fMin) / fBin) + Padding, Padding, _bins - Padding - 1);

        // Moving bins (cubic B-spline window): range of the moving image, which bounds every trilinear value.
        float mMin = float.PositiveInfinity, mMax = float.NegativeInfinity;
        foreach (var v in _moving) { mMin = Math.Min(mMin, v); mMax = Math.Max(mMax, v); }
        if (!float.IsFinite(mMin) || !float.IsFinite(mMax) || !float.IsFinite(fMin) || !float.IsFinite(fMax))
            throw new RegistrationException("The images contain NaN or infinite voxel values; replace them before registering.");
        _movingMin = mMin;
        _movingBinSize = Math.Max(mMax - mMin, 1e-12) / (_bins - 2 * Padding);

        int n = _samples.Count;
        _blockSize = Math.Max(MinBlockSize, (n + MaxBlocks - 1) / MaxBlocks);
        _blockCount = (n + _blockSize - 1) / _blockSize;
        _blockHist = new double[_blockCount * _bins * _bins];
        _blockValid = new int[_blockCount];
        _blockGrad = new double[_blockCount * RigidParameters.Count];
        _term = new double[n];
        _deriv = new double[n * RigidParameters.Count];
        _joint = new double[_bins * _bins];
        _log = new double[_bins * _bins];
    }

    /// <summary>Number of fixed-image samples drawn.</summary>
    public int SampleCount => _samples.Count;

    /// <summary>Samples that mapped inside the moving image at the last evaluation.</summary>
    public int ValidSampleCount { get; private set; }

    /// <summary>Histogram bins per image.</summary>
    public int HistogramBins => _bins;

    /// <summary>Physical positions of the fixed samples (LPS mm), e.g. to estimate parameter scales.</summary>
    public IEnumerable<Vec3> SamplePoints()
    {
        for (int s = 0; s < _samples.Count; s++) yield return new Vec3(_samples.X[s], _samples.Y[s], _samples.Z[s]);
    }

    /// <summary>The metric value (−MI) alone.</summary>
    public double GetValue(RigidTransform transform) => Evaluate(transform, Span<double>.Empty);

    /// <summary>
    /// The metric value (−MI) and, when <paramref name="gradient"/> has 6 elements, its derivative with respect to
    /// <see cref="RigidParameters"/>. Returns 0 (no information) when fewer than 16 samples map inside.
    /// </summary>
    public double Evaluate(RigidTransform transform, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(transform);
        bool wantGradient = gradient.Length == RigidParameters.Count;
        if (!wantGradient && !gradient.IsEmpty) throw new ArgumentException($"The gradient span must be empty or hold {RigidParameters.Count} values.", nameof(gradient));

        var rot = transform.Matrix;
        var a = _mg.PhysicalVectorToIndex(rot.Column(0));
        var b = _mg.PhysicalVectorToIndex(rot.Column(1));
        var c = _mg.PhysicalVectorToIndex(rot.Column(2));
        var o = _mg.PhysicalToIndex(transform.Offset);
        var w2i = _mg.PhysicalVectorToIndex(new Vec3(1, 0, 0)); // columns of the world→index matrix
        var w2j = _mg.PhysicalVectorToIndex(new Vec3(0, 1, 0));
        var w2k = _mg.PhysicalVectorToIndex(new Vec3(0, 0, 1));
        var ctx = new PassContext(a, b, c, o, rot, transform.Center, w2i, w2j, w2k, wantGradient);

        Array.Clear(_blockHist);
        Parallel.For(0, _blockCount, _po, blk => AccumulateBlock(blk, in ctx));

        int nValid = 0;
        for (int blk = 0; blk < _blockCount; blk++) nValid += _blockValid[blk];
        ValidSampleCount = nValid;
        if (nValid < 16)
        {
            if (wantGradient) gradient.Clear();
            return 0;
        }
        Array.Clear(_joint);
        int bb = _bins * _bins;
        for (int blk = 0; blk < _blockCount; blk++)
        {
            var part = _blockHist.AsSpan(blk * bb, bb);
            for (int q = 0; q < bb; q++) _joint[q] += part[q];
        }

        double inv = 1.0 / nValid;
        Span<double> pf = stackalloc double[_bins];
        Span<double> pm = stackalloc double[_bins];
        pf.Clear(); pm.Clear();
        for (int i = 0; i < _bins; i++)
            for (int j = 0; j < _bins; j++)
            {
                double p = _joint[i * _bins + j] * inv;
                pf[i] += p; pm[j] += p;
            }
        double mi = 0;
        for (int i = 0; i < _bins; i++)
            for (int j = 0; j < _bins; j++)
            {
                double p = _joint[i * _bins + j] * inv;
                if (p > 1e-16 && pf[i] > 1e-16 && pm[j] > 1e-16)
                {
                    mi += p * Math.Log(p / (pf[i] * pm[j]));
                    _log[i * _bins + j] = Math.Log(p / pm[j]);
                }
                else _log[i * _bins + j] = 0;
            }

        if (wantGradient)
        {
            Parallel.For(0, _blockCount, _po, GradientBlock);
            Span<double> g = stackalloc double[RigidParameters.Count];
            g.Clear();
            for (int blk = 0; blk < _blockCount; blk++)
                for (int p = 0; p < RigidParameters.Count; p++) g[p] += _blockGrad[blk * RigidParameters.Count + p];
            // d(MI)/dμ = −Σ B₃′·log(p/p_m)·∂m/∂μ / (N·binSize), so d(−MI)/dμ = +g / (N·binSize)
            double scale = inv / _movingBinSize;
            for (int p = 0; p < RigidParameters.Count; p++) gradient[p] = g[p] * scale;
        }
        return -mi;
    }

    private readonly record struct PassContext(Vec3 A, Vec3 B, Vec3 C, Vec3 O, Mat3 R, Vec3 Center, Vec3 W2I, Vec3 W2J, Vec3 W2K, bool Gradient);

    private void AccumulateBlock(int blk, in PassContext ctx)
    {
        int start = blk * _blockSize, end = Math.Min(start + _blockSize, _samples.Count);
        var hist = _blockHist.AsSpan(blk * _bins * _bins, _bins * _bins);
        var sx = _samples.X; var sy = _samples.Y; var sz = _samples.Z;
        int nx = _mg.Nx, ny = _mg.Ny, nz = _mg.Nz;
        long plane = (long)nx * ny;
        var d = _moving;
        int valid = 0;
        for (int s = start; s < end; s++)
        {
            double px = sx[s], py = sy[s], pz = sz[s];
            double x = ctx.O.X + ctx.A.X * px + ctx.B.X * py + ctx.C.X * pz;
            double y = ctx.O.Y + ctx.A.Y * px + ctx.B.Y * py + ctx.C.Y * pz;
            double z = ctx.O.Z + ctx.A.Z * px + ctx.B.Z * py + ctx.C.Z * pz;
            if (!(x >= 0 && y >= 0 && z >= 0 && x <= nx - 1 && y <= ny - 1 && z <= nz - 1)
                || (_movingMask is not null && !InMovingMask(x, y, z)))
            {
                _term[s] = double.NaN;
                continue;
            }
            int i0 = Math.Min((int)x, nx - 2), j0 = Math.Min((int)y, ny - 2), k0 = Math.Min((int)z, nz - 2);
            double fx = x - i0, fy = y - j0, fz = z - k0;
            long n0 = k0 * plane + (long)j0 * nx + i0;
            double c000 = d[n0], c100 = d[n0 + 1], c010 = d[n0 + nx], c110 = d[n0 + nx + 1];
            long n1 = n0 + plane;
            double c001 = d[n1], c101 = d[n1 + 1], c011 = d[n1 + nx], c111 = d[n1 + nx + 1];
            double c00 = c000 + (c100 - c000) * fx, c10 = c010 + (c110 - c010) * fx;
            double c01 = c001 + (c101 - c001) * fx, c11 = c011 + (c111 - c011) * fx;
            double c0 = c00 + (c10 - c00) * fy, c1 = c01 + (c11 - c01) * fy;
            double value = c0 + (c1 - c0) * fz;

            double mt = (value - _movingMin) / _movingBinSize + Padding;
            _term[s] = mt;
            int fb = _fixedBin[s];
            int j = Math.Clamp((int)mt - 1, 0, _bins - 4);
            int row = fb * _bins;
            for (int t = 0; t < 4; t++) hist[row + j + t] += CubicBSpline(j + t - mt);
            valid++;

            if (!ctx.Gradient) continue;
            // exact derivative of the trilinear interpolant, in index units
            double dx = ((1 - fz) * ((1 - fy) * (c100 - c000) + fy * (c110 - c010)) + fz * ((1 - fy) * (c101 - c001) + fy * (c111 - c011)));
            double dy = (1 - fz) * (c10 - c00) + fz * (c11 - c01);
            double dz = c1 - c0;
            // physical gradient = (world→index)ᵀ · index gradient
            double gx = ctx.W2I.X * dx + ctx.W2I.Y * dy + ctx.W2I.Z * dz;
            double gy = ctx.W2J.X * dx + ctx.W2J.Y * dy + ctx.W2J.Z * dz;
            double gz = ctx.W2K.X * dx + ctx.W2K.Y * dy + ctx.W2K.Z * dz;
            // q = R·(p − c); ∂m/∂ω = q × ∇m, ∂m/∂t = ∇m
            double rx = px - ctx.Center.X, ry = py - ctx.Center.Y, rz = pz - ctx.Center.Z;
            var r = ctx.R;
            double qx = r.M00 * rx + r.M01 * ry + r.M02 * rz;
            double qy = r.M10 * rx + r.M11 * ry + r.M12 * rz;
            double qz = r.M20 * rx + r.M21 * ry + r.M22 * rz;
            int o6 = s * RigidParameters.Count;
            _deriv[o6] = qy * gz - qz * gy;
            _deriv[o6 + 1] = qz * gx - qx * gz;
            _deriv[o6 + 2] = qx * gy - qy * gx;
            _deriv[o6 + 3] = gx;
            _deriv[o6 + 4] = gy;
            _deriv[o6 + 5] = gz;
        }
        _blockValid[blk] = valid;
    }

    private void GradientBlock(int blk)
    {
        int start = blk * _blockSize, end = Math.Min(start + _blockSize, _samples.Count);
        double g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0;
        for (int s = start; s < end; s++)
        {
            double mt = _term[s];
            if (double.IsNaN(mt)) continue;
            int j = Math.Clamp((int)mt - 1, 0, _bins - 4);
            int row = _fixedBin[s] * _bins;
            double w = 0;
            for (int t = 0; t < 4; t++) w += CubicBSplineDerivative(j + t - mt) * _log[row + j + t];
            int o6 = s * RigidParameters.Count;
            g0 += w * _deriv[o6]; g1 += w * _deriv[o6 + 1]; g2 += w * _deriv[o6 + 2];
            g3 += w * _deriv[o6 + 3]; g4 += w * _deriv[o6 + 4]; g5 += w * _deriv[o6 + 5];
        }
        int b6 = blk * RigidParameters.Count;
        _blockGrad[b6] = g0; _blockGrad[b6 + 1] = g1; _blockGrad[b6 + 2] = g2;
        _blockGrad[b6 + 3] = g3; _blockGrad[b6 + 4] = g4; _blockGrad[b6 + 5] = g5;
    }

    private bool InMovingMask(double x, double y, double z) => _movingMaskOnGrid
        ? Interpolator.SampleNearest(_movingMask!, x, y, z, 0) != 0
        : Interpolator.SampleAtPoint(_movingMask!, _mg.IndexToPhysical(new Vec3(x, y, z)), InterpolationMode.Nearest, 0) != 0;

    /// <summary>Cubic B-spline B₃(u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double CubicBSpline(double u)
    {
        u = Math.Abs(u);
        if (u < 1) return (4 - 6 * u * u + 3 * u * u * u) / 6;
        if (u < 2) { double t = 2 - u; return t * t * t / 6; }
        return 0;
    }

    /// <summary>Derivative B₃′(u).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double CubicBSplineDerivative(double u)
    {
        double a = Math.Abs(u);
        if (a < 1) return -2 * u + 1.5 * u * a;
        if (a < 2) { double t = 2 - a; return -0.5 * t * t * Math.Sign(u); }
        return 0;
    }
}
