using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Generator that moves a real image by a known rigid transform (used by the tests, the benchmarks and the capture
/// sweeps): the moving copy shows the real anatomy on
/// another scanner's grid (other spacing, axes tilted, its own origin), with MR-like contrast (a non-monotonic
/// remap of the intensities), noise, and optionally only a slab of it (partial overlap). The truth maps fixed
/// points to moving points (ITK convention), so TRE is measured against it at the fixed image's foreground.
/// </summary>
public static class KnownMotion
{
    /// <summary>A seeded truth: each Euler angle in ±<paramref name="maxDeg"/>, each shift in ±<paramref name="maxShiftMm"/>, about <paramref name="center"/>; optionally turned 180° about the long (z) axis first.</summary>
    public static RigidTransform RandomTruth(int seed, double maxDeg, double maxShiftMm, Vec3 center, bool turnAboutLongAxis = false)
    {
        var rng = new Random(seed);
        double U(double m) => (2 * rng.NextDouble() - 1) * m;
        double d = Math.PI / 180;
        var q = Versor.FromAxisAngle(new Vec3(0, 0, 1), U(maxDeg) * d) * Versor.FromAxisAngle(new Vec3(0, 1, 0), U(maxDeg) * d)
              * Versor.FromAxisAngle(new Vec3(1, 0, 0), U(maxDeg) * d);
        if (turnAboutLongAxis) q = q * Versor.FromAxisAngle(new Vec3(0, 0, 1), Math.PI);
        return new RigidTransform(q.Normalized(), new Vec3(U(maxShiftMm), U(maxShiftMm), U(maxShiftMm)), center);
    }

    /// <summary>
    /// The moving copy of <paramref name="image"/> under <paramref name="truth"/>: grid of <paramref name="spacingScale"/>
    /// × the spacing, axes tilted 7° about z, centred on the moved anatomy (or on the slab's part of it), intensities
    /// through <paramref name="contrast"/> plus Gaussian noise of <paramref name="noise"/> × the contrast's range.
    /// </summary>
    /// <param name="image">The real image (the fixed one).</param>
    /// <param name="truth">Fixed → moving motion of the copy.</param>
    /// <param name="seed">Seeds the noise.</param>
    /// <param name="contrast">Intensity remap of the copy (e.g. <see cref="CtToMr"/>).</param>
    /// <param name="spacingScale">The copy's voxel spacing over the image's, per axis.</param>
    /// <param name="noise">Gaussian noise σ as a fraction of the remapped intensity range.</param>
    /// <param name="slabFraction">1: the whole field of view; less: only this fraction of it along z, centred at <paramref name="slabCenter"/> (0..1 along z).</param>
    /// <param name="slabCenter">Where the slab sits along z, 0..1.</param>
    public static Volume<float> MovedCopy(Volume<float> image, RigidTransform truth, int seed, Func<float, float> contrast, Vec3 spacingScale,
        double noise = 0.03, double slabFraction = 1, double slabCenter = 0.5)
    {
        var g = image.Geometry;
        var spacing = new Vec3(g.Spacing.X * spacingScale.X, g.Spacing.Y * spacingScale.Y, g.Spacing.Z * spacingScale.Z);
        var e = g.Extent;
        int nx = Math.Max(4, (int)(e.X / spacing.X)), ny = Math.Max(4, (int)(e.Y / spacing.Y)), nz = Math.Max(4, (int)(e.Z * slabFraction / spacing.Z));
        var dir = Versor.FromAxisAngle(new Vec3(0, 0, 1), 7 * Math.PI / 180).ToMatrix() * truth.Matrix * g.Direction;
        var center = g.IndexToPhysical(new Vec3((g.Nx - 1) / 2.0, (g.Ny - 1) / 2.0, slabCenter * (g.Nz - 1)));
        var half = new Vec3((nx - 1) * spacing.X / 2, (ny - 1) * spacing.Y / 2, (nz - 1) * spacing.Z / 2);
        var grid = new VolumeGeometry(nx, ny, nz, spacing, truth.TransformPoint(center) - dir * half, dir);
        float low = (float)VolumeStatistics.Percentiles(image, [0.5])[0];
        var moved = Resampler.Resample(image, grid, truth.Inverse(), InterpolationMode.Linear, low);
        var rng = new Random(seed);
        var d = moved.Data;
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        for (long n = 0; n < d.LongLength; n++) { d[n] = contrast(d[n]); lo = Math.Min(lo, d[n]); hi = Math.Max(hi, d[n]); }
        double sigma = noise * Math.Max(hi - lo, 1e-6);
        for (long n = 0; n < d.LongLength; n++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            d[n] = (float)(d[n] + sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return moved;
    }

    /// <summary>Non-monotonic HU → "MR" table: air dark, fat bright, fluid darker, soft tissue bright, bone dark again.</summary>
    public static float CtToMr(float hu) => hu switch
    {
        < -500 => 0,
        < -50 => 0 + (hu + 500) / 450f * 250,
        < 20 => 250 - (hu + 50) / 70f * 120,
        < 80 => 130 + (hu - 20) / 60f * 270,
        < 400 => 400 - (hu - 80) / 320f * 350,
        _ => 50,
    };

    /// <summary>A non-monotonic remap of an MR's own scale (a T1 → T2-like contrast change): given its 99th percentile.</summary>
    public static Func<float, float> MrToOtherContrast(float p99) => v =>
    {
        float x = Math.Clamp(v / p99, 0, 1.2f);
        return x < 0.1f ? 0 : x < 0.45f ? 400 * (x - 0.1f) / 0.35f : x < 0.8f ? 400 - 300 * (x - 0.45f) / 0.35f : 100 + 200 * (x - 0.8f);
    };

    /// <summary>Random foreground points (value above <paramref name="threshold"/>) of <paramref name="image"/>.</summary>
    public static Vec3[] ForegroundPoints(Volume<float> image, float threshold, int count, int seed)
    {
        var mask = new Volume<byte>(image.Geometry);
        for (long n = 0; n < mask.Data.LongLength; n++) mask.Data[n] = (byte)(image.Data[n] > threshold ? 1 : 0);
        return MaskSampling.RandomPoints(mask, count, seed);
    }
}
