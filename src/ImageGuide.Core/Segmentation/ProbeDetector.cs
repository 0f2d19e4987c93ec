using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>
/// Finds cryoprobes on CT: voxels above <see cref="IceBallSettings.MetalThresholdHu"/> are collected, straight runs of
/// them are extracted one after another by RANSAC line fitting with a principal-axis refinement (so converging probes
/// that touch, and scattered bright streak voxels, do not merge into one probe), and each line's tip is the end that lies
/// in tissue rather than air or at the grid border, placed at the half-maximum of the metal profile along the axis minus
/// half a probe diameter. Deterministic.
/// </summary>
public static class ProbeDetector
{
    private const int Trials = 400;
    private const double GapMm = 10;

    /// <summary>The probes found in <paramref name="ct"/> (HU), longest first; empty when there is no metal line.</summary>
    public static IReadOnlyList<ProbeAxis> Detect(Volume<float> ct, IceBallSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ct);
        settings ??= IceBallSettings.Default;
        var g = ct.Geometry;
        var points = MetalPoints(ct, (float)settings.MetalThresholdHu, cancellationToken);
        double maxSpacing = Math.Max(g.Spacing.X, Math.Max(g.Spacing.Y, g.Spacing.Z));
        double tol = settings.ProbeDiameterMm / 2 + 0.75 * maxSpacing;
        int minCount = Math.Max(3, (int)(settings.MinProbeLengthMm / maxSpacing / 2));
        var rng = new Random(20240611);
        var claimed = new bool[points.Count];
        var found = new List<ProbeAxis>();
        while (found.Count < settings.MaxProbes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!TryBestLine(points, claimed, tol, minCount, rng, out var centre, out var dir)) break;
            for (int refine = 0; refine < 3; refine++)
            {
                var inliers = Inliers(points, centre, dir, tol);
                if (inliers.Count < 2) break;
                var (c, cov) = SymmetricEigen3.Moments(inliers);
                centre = c;
                dir = SymmetricEigen3.Decompose(cov).Vectors[0];
            }
            var (tLo, tHi) = LongestRun(points, centre, dir, tol);
            int fresh = 0;
            for (int n = 0; n < points.Count; n++)
            {
                if (Vec3.Distance(points[n], centre + dir * Math.Clamp(Vec3.Dot(points[n] - centre, dir), tLo, tHi)) > tol) continue;
                if (!claimed[n]) fresh++;
                claimed[n] = true;
            }
            if (tHi - tLo < settings.MinProbeLengthMm || fresh < minCount) break;
            found.Add(Orient(ct, centre + dir * tLo, centre + dir * tHi, settings));
        }
        return found;
    }

    /// <summary>
    /// Metal points: voxels above the threshold, and pairs of 6-neighbours whose sum exceeds twice the threshold less
    /// 500 HU (a thin shaft split over two voxels by partial volume; cortical bone pairs stay below), the latter at their
    /// value-weighted centre.
    /// </summary>
    private static List<Vec3> MetalPoints(Volume<float> ct, float threshold, CancellationToken cancellationToken)
    {
        var g = ct.Geometry;
        var perSlice = new List<Vec3>?[g.Nz];
        var d = ct.Data;
        float pairThreshold = 2 * threshold - 500, floor = pairThreshold - threshold;
        long nx = g.Nx, plane = nx * g.Ny;
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            List<Vec3>? list = null;
            long n = g.LinearIndex(0, 0, k);
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    float v = d[n];
                    if (v <= floor) continue;
                    if (v > threshold) { (list ??= []).Add(g.IndexToPhysical(i, j, k)); continue; }
                    float best = float.MinValue;
                    long bn = -1;
                    if (i > 0 && d[n - 1] > best) { best = d[n - 1]; bn = n - 1; }
                    if (i < g.Nx - 1 && d[n + 1] > best) { best = d[n + 1]; bn = n + 1; }
                    if (j > 0 && d[n - nx] > best) { best = d[n - nx]; bn = n - nx; }
                    if (j < g.Ny - 1 && d[n + nx] > best) { best = d[n + nx]; bn = n + nx; }
                    if (k > 0 && d[n - plane] > best) { best = d[n - plane]; bn = n - plane; }
                    if (k < g.Nz - 1 && d[n + plane] > best) { best = d[n + plane]; bn = n + plane; }
                    if (bn < 0 || best > threshold || best > v || v + best <= pairThreshold) continue;
                    var other = g.IndexToPhysical((int)(bn % nx), (int)(bn / nx % g.Ny), (int)(bn / plane));
                    (list ??= []).Add((g.IndexToPhysical(i, j, k) * v + other * best) / (v + best));
                }
            perSlice[k] = list;
        });
        var all = new List<Vec3>();
        foreach (var l in perSlice) if (l is not null) all.AddRange(l);
        const int cap = 200_000;
        if (all.Count <= cap) return all;
        int stride = (all.Count + cap - 1) / cap;
        var thinned = new List<Vec3>(cap);
        for (int n = 0; n < all.Count; n += stride) thinned.Add(all[n]);
        return thinned;
    }

    /// <summary>RANSAC: the line through two unclaimed points with the most unclaimed points within <paramref name="tol"/>.</summary>
    private static bool TryBestLine(List<Vec3> points, bool[] claimed, double tol, int minCount, Random rng, out Vec3 centre, out Vec3 dir)
    {
        var free = new List<Vec3>();
        for (int n = 0; n < points.Count; n++) if (!claimed[n]) free.Add(points[n]);
        int best = 0;
        centre = default;
        dir = default;
        if (free.Count < minCount) return false;
        double tol2 = tol * tol;
        for (int trial = 0; trial < Trials; trial++)
        {
            var a = free[rng.Next(free.Count)];
            var b = free[rng.Next(free.Count)];
            var ab = b - a;
            double len = ab.Length;
            if (len < 4 * tol) continue;
            var u = ab / len;
            int count = 0;
            foreach (var p in free)
            {
                var ap = p - a;
                double along = Vec3.Dot(ap, u);
                if (Vec3.Dot(ap, ap) - along * along <= tol2) count++;
            }
            if (count > best) { best = count; centre = a; dir = u; }
        }
        return best >= minCount;
    }

    private static List<Vec3> Inliers(List<Vec3> points, Vec3 centre, Vec3 dir, double tol)
    {
        var result = new List<Vec3>();
        double tol2 = tol * tol;
        foreach (var p in points)
        {
            var d = p - centre;
            double along = Vec3.Dot(d, dir);
            if (Vec3.Dot(d, d) - along * along <= tol2) result.Add(p);
        }
        return result;
    }

    /// <summary>The longest stretch of inlier projections without a gap wider than <see cref="GapMm"/>.</summary>
    private static (double Lo, double Hi) LongestRun(List<Vec3> points, Vec3 centre, Vec3 dir, double tol)
    {
        var t = Inliers(points, centre, dir, tol).Select(p => Vec3.Dot(p - centre, dir)).OrderBy(x => x).ToArray();
        if (t.Length == 0) return (0, 0);
        double bestLo = t[0], bestHi = t[0], lo = t[0];
        for (int n = 1; n <= t.Length; n++)
        {
            if (n < t.Length && t[n] - t[n - 1] <= GapMm) continue;
            if (t[n - 1] - lo > bestHi - bestLo) { bestLo = lo; bestHi = t[n - 1]; }
            if (n < t.Length) lo = t[n];
        }
        return (bestLo, bestHi);
    }

    /// <summary>
    /// Decides which end is the tip — the end deeper in the body: an end at the grid border, or one from which the line
    /// outward reaches air sooner, is the outer end — and places the tip at the half-maximum of the metal profile.
    /// </summary>
    private static ProbeAxis Orient(Volume<float> ct, Vec3 endA, Vec3 endB, IceBallSettings s)
    {
        var u = (endB - endA).Normalized();
        bool aBorder = AtBorder(ct.Geometry, endA), bBorder = AtBorder(ct.Geometry, endB);
        bool tipIsB = aBorder != bBorder ? aBorder : DepthMm(ct, endB, u, s) >= DepthMm(ct, endA, -u, s);
        var (end, axis) = tipIsB ? (endB, u) : (endA, -u);
        end = Follow(ct, end, axis);
        return new ProbeAxis(RefineTip(ct, end, axis) - axis * (s.ProbeDiameterMm / 2), axis);
    }

    private static bool AtBorder(VolumeGeometry g, Vec3 p)
    {
        var x = g.PhysicalToIndex(p);
        const double m = 1.5;
        return x.X < m || x.Y < m || x.Z < m || x.X > g.Nx - 1 - m || x.Y > g.Ny - 1 - m || x.Z > g.Nz - 1 - m;
    }

    /// <summary>Distance (mm) from an end outward along the line to the first air (or to the grid's edge, which counts as air).</summary>
    private static double DepthMm(Volume<float> ct, Vec3 end, Vec3 outward, IceBallSettings s)
    {
        const double step = 1, limit = 300;
        for (double t = s.ProbeDiameterMm; t < limit; t += step)
            if (Interpolator.SampleAtPoint(ct, end + outward * t, InterpolationMode.Linear, -1000) < s.AirThresholdHu) return t;
        return limit;
    }

    /// <summary>
    /// Follows the axis beyond the thresholded metal while the line stays much brighter than a ring 4 mm around it: thin
    /// shafts lying between voxel centres fall below the threshold by partial volume but keep that contrast.
    /// </summary>
    private static Vec3 Follow(Volume<float> ct, Vec3 end, Vec3 axis)
    {
        const double step = 0.5, maxGap = 3, limit = 80, minContrast = 400;
        var helper = Math.Abs(axis.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        var e1 = Vec3.Cross(helper, axis).Normalized();
        var e2 = Vec3.Cross(axis, e1);
        double Contrast(double t)
        {
            var c = end + axis * t;
            double ring = 0;
            for (int n = 0; n < 8; n++)
            {
                double a = n * Math.PI / 4;
                ring += Interpolator.SampleAtPoint(ct, c + (e1 * Math.Cos(a) + e2 * Math.Sin(a)) * 4, InterpolationMode.Linear, -1000);
            }
            return Interpolator.SampleAtPoint(ct, c, InterpolationMode.Linear, -1000) - ring / 8;
        }
        double last = 0;
        for (double t = step; t <= limit && t - last <= maxGap; t += step)
            if (Contrast(t) >= minContrast) last = t;
        return end + axis * last;
    }

    /// <summary>The point on the axis near <paramref name="end"/> where the profile falls to halfway between metal and tissue.</summary>
    private static Vec3 RefineTip(Volume<float> ct, Vec3 end, Vec3 axis)
    {
        const double step = 0.2;
        double Sample(double t) => Interpolator.SampleAtPoint(ct, end + axis * t, InterpolationMode.Linear, -1000);
        static double Median(List<double> v) { v.Sort(); return v[v.Count / 2]; }
        var high = new List<double>();
        for (double t = -10; t <= -4; t += step) high.Add(Sample(t));
        var low = new List<double>();
        for (double t = 3; t <= 6; t += step) low.Add(Sample(t));
        double half = (Median(high) + Median(low)) / 2;
        double prev = Sample(-4);
        for (double t = -4 + step; t <= 4; t += step)
        {
            double v = Sample(t);
            if (prev >= half && v < half) return end + axis * (t - step + step * (prev - half) / (prev - v));
            prev = v;
        }
        return end;
    }
}
