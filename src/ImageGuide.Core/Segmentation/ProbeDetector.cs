using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>
/// Finds cryoprobes on CT: voxels above <see cref="IceBallSettings.MetalThresholdHu"/> are collected and straight runs of
/// them are extracted one after another by RANSAC line fitting. Each candidate line is scored by a truncated quadratic
/// kernel whose width is one probe radius plus half the largest voxel spacing (MSAC), so a line lying between two parallel
/// probes a few millimetres apart scores below a line along either of them; it is refined by a principal-axis fit weighted
/// by the same kernel (a neighbouring probe, beyond the kernel, has no weight), only the points within the kernel are
/// claimed, and a line that runs within one probe diameter of a probe already found is suppressed as the same shaft
/// (non-maximum suppression at the probe diameter). Converging probes that touch, and scattered bright streak voxels, do
/// not merge into one probe either. A line that crosses the whole field of view (both ends at the grid's border) is not a
/// probe whose tip can be placed; it is counted, not returned. Each line's tip is the end that lies in tissue rather than air or at the grid border,
/// placed at the half-maximum of the metal profile along the axis minus half a probe diameter. Deterministic.
/// </summary>
public static class ProbeDetector
{
    private const int Trials = 600;
    private const double GapMm = 10;
    private const int RefineIterations = 8;
    private const int MemberIterations = 2;
    private const double SparsestMm = 15;
    private const double MinShaftFraction = 0.6;

    /// <summary>Fraction of the segment a–b (sampled every 0.5 mm) that looks like shaft (<see cref="IsShaft"/>).</summary>
    private static double ShaftFraction(Volume<float> ct, Vec3 a, Vec3 b)
    {
        var u = (b - a).Normalized();
        var (e1, e2) = Perpendiculars(u);
        double len = Vec3.Distance(a, b);
        int bright = 0, total = 0;
        for (double t = 0; t <= len; t += 0.5, total++)
            if (IsShaft(ct, a + u * t, e1, e2)) bright++;
        return total == 0 ? 0 : (double)bright / total;
    }

    /// <summary>The probes found in <paramref name="ct"/> (HU), longest first; empty when there is no metal line.</summary>
    public static IReadOnlyList<ProbeAxis> Detect(Volume<float> ct, IceBallSettings? settings = null, CancellationToken cancellationToken = default) =>
        Detect(ct, out _, settings, cancellationToken);

    /// <summary>
    /// The probes found in <paramref name="ct"/> (HU), longest first, and how many straight metal-bright lines were set aside
    /// because they cross the whole field of view (both ends at the grid's border): a probe has its tip inside the image, so
    /// such a line is a long bone's cortex along the scan axis (a humerus beside the trunk), a catheter, or a probe whose tip
    /// lies outside the image — never a probe whose tip can be placed.
    /// </summary>
    public static IReadOnlyList<ProbeAxis> Detect(Volume<float> ct, out int crossingLines, IceBallSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ct);
        crossingLines = 0;
        settings ??= IceBallSettings.Default;
        var g = ct.Geometry;
        var points = MetalPoints(ct, (float)settings.MetalThresholdHu, cancellationToken);
        double maxSpacing = Math.Max(g.Spacing.X, Math.Max(g.Spacing.Y, g.Spacing.Z));
        // wide: a whole probe and its partial-volume fringe, to find a direction; tight: a voxel reads as metal when the shaft
        // fills about half of it, so its centre lies within the radius plus about half a voxel of the axis, and a parallel
        // probe one diameter or more farther away falls outside
        double wide = settings.ProbeDiameterMm / 2 + 0.75 * maxSpacing;
        double tight = settings.ProbeDiameterMm / 2 + 0.5 * maxSpacing;
        double bundleRadius = 4 * settings.ProbeDiameterMm + maxSpacing;
        int minCount = Math.Max(3, (int)(settings.MinProbeLengthMm / maxSpacing / 2));
        var rng = new Random(20240611);
        var claimed = new bool[points.Count];
        var found = new List<(ProbeAxis Probe, double Length)>();
        var segments = new List<(Vec3 A, Vec3 B)>();
        int rounds = 0;
        while (found.Count < settings.MaxProbes && rounds++ < 4 * settings.MaxProbes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!TryBestLine(points, claimed, wide, minCount, rng, out var centre, out var dir)) break;
            (centre, dir) = Refine(points, claimed, null, centre, dir, wide);
            // the bundle: unclaimed metal within a few diameters of the line, seen in the plane across it; parallel probes a
            // few millimetres apart are separate clusters there
            var bundle = new List<int>();
            for (int n = 0; n < points.Count; n++)
            {
                if (claimed[n]) continue;
                var d = points[n] - centre;
                double along = Vec3.Dot(d, dir);
                if (Vec3.Dot(d, d) - along * along <= bundleRadius * bundleRadius) bundle.Add(n);
            }
            int before = found.Count;
            // one probe per round, from the largest cluster: the next round's search starts afresh without its points
            foreach (var cluster in CrossSectionClusters(g, points, bundle, centre, dir, settings.ProbeDiameterMm, minCount))
            {
                if (found.Count > before) break;
                var (c, u) = PrincipalAxis(points, cluster);
                var member = new bool[points.Count];
                foreach (int n in cluster) member[n] = true;
                (c, u) = Refine(points, claimed, member, c, u, tight);
                var (tLo, tHi) = LongestRun(ct, points, claimed, c, u, tight);
                int fresh = 0;
                for (int n = 0; n < points.Count; n++)
                {
                    if (claimed[n] || Vec3.Distance(points[n], c + u * Math.Clamp(Vec3.Dot(points[n] - c, u), tLo, tHi)) > tight) continue;
                    fresh++;
                    claimed[n] = true;
                }
                var a = c + u * tLo;
                var b = c + u * tHi;
                // too short or too sparse for a probe (a metal point every 15 mm at least), not a bright line in the image over
                // most of its length (fringe points of two shafts joined across tissue), or the fringe of a shaft already
                // found: its points stay claimed
                if (fresh < Math.Max(minCount, (tHi - tLo) / SparsestMm) || tHi - tLo < settings.MinProbeLengthMm ||
                    ShaftFraction(ct, a, b) < MinShaftFraction || Duplicates(segments, a, b, settings.ProbeDiameterMm)) continue;
                if (AtBorder(g, a) && AtBorder(g, b))
                {
                    crossingLines++;
                    segments.Add((a, b)); // its fringe is not a probe either
                    break;
                }
                segments.Add((a, b));
                found.Add((Orient(ct, a, b, settings), tHi - tLo));
            }
            if (found.Count == before)
            {
                // nothing in this bundle is a probe: set its core aside so that the search moves on
                int set = 0;
                for (int n = 0; n < points.Count; n++)
                {
                    if (claimed[n]) continue;
                    var d = points[n] - centre;
                    double along = Vec3.Dot(d, dir);
                    if (Vec3.Dot(d, d) - along * along <= wide * wide) { claimed[n] = true; set++; }
                }
                if (set == 0) break;
            }
        }
        found.Sort((x, y) => y.Length.CompareTo(x.Length));
        var result = new List<ProbeAxis>(found.Count);
        foreach (var (probe, _) in found) result.Add(probe);
        return result;
    }

    /// <summary>
    /// Splits the bundle's points by their position in the plane across the line (<paramref name="centre"/>,
    /// <paramref name="dir"/>): a cluster is halved (two-means along its widest direction) while each half holds
    /// <paramref name="minCount"/> points and their centres lie farther apart than one probe can spread: its
    /// <paramref name="diameter"/>, and one voxel step plus 0.5 mm along the split (a shaft lying between two rows of voxel
    /// centres lights both rows). A cross-section wider than that holds several probes. Largest cluster first.
    /// </summary>
    private static List<List<int>> CrossSectionClusters(VolumeGeometry g, List<Vec3> points, List<int> bundle, Vec3 centre, Vec3 dir, double diameter, int minCount)
    {
        var (e1, e2) = Perpendiculars(dir);
        var x = new double[points.Count];
        var y = new double[points.Count];
        foreach (int n in bundle)
        {
            var d = points[n] - centre;
            x[n] = Vec3.Dot(d, e1);
            y[n] = Vec3.Dot(d, e2);
        }
        var done = new List<List<int>>();
        var pending = new Stack<List<int>>();
        pending.Push(bundle);
        while (pending.Count > 0)
        {
            var c = pending.Pop();
            if (c.Count >= 2 * minCount && TrySplit(g, e1, e2, c, x, y, diameter, minCount) is { } halves)
            {
                pending.Push(halves.A);
                pending.Push(halves.B);
            }
            else if (c.Count > 0) done.Add(c);
        }
        done.Sort((a, b) => b.Count.CompareTo(a.Count));
        return done;
    }

    /// <summary>Two-means in the cross-section plane, started by cutting at the mean across the widest direction; null when the halves are one probe.</summary>
    private static (List<int> A, List<int> B)? TrySplit(VolumeGeometry g, Vec3 e1, Vec3 e2, List<int> c, double[] x, double[] y, double diameter, int minCount)
    {
        double mx = 0, my = 0;
        foreach (int n in c) { mx += x[n]; my += y[n]; }
        mx /= c.Count; my /= c.Count;
        double sxx = 0, sxy = 0, syy = 0;
        foreach (int n in c)
        {
            double dx = x[n] - mx, dy = y[n] - my;
            sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
        }
        // widest direction of the 2 × 2 scatter
        double angle = 0.5 * Math.Atan2(2 * sxy, sxx - syy);
        double ux = Math.Cos(angle), uy = Math.Sin(angle);
        double ax = 0, ay = 0, bx = 0, by = 0;
        int na = 0, nb = 0;
        foreach (int n in c)
        {
            if ((x[n] - mx) * ux + (y[n] - my) * uy < 0) { ax += x[n]; ay += y[n]; na++; }
            else { bx += x[n]; by += y[n]; nb++; }
        }
        if (na == 0 || nb == 0) return null;
        ax /= na; ay /= na; bx /= nb; by /= nb;
        var sideA = new List<int>();
        var sideB = new List<int>();
        for (int it = 0; it < 20; it++)
        {
            sideA.Clear();
            sideB.Clear();
            double sax = 0, say = 0, sbx = 0, sby = 0;
            foreach (int n in c)
            {
                double da = (x[n] - ax) * (x[n] - ax) + (y[n] - ay) * (y[n] - ay);
                double db = (x[n] - bx) * (x[n] - bx) + (y[n] - by) * (y[n] - by);
                if (da <= db) { sideA.Add(n); sax += x[n]; say += y[n]; }
                else { sideB.Add(n); sbx += x[n]; sby += y[n]; }
            }
            if (sideA.Count == 0 || sideB.Count == 0) return null;
            double nax = sax / sideA.Count, nay = say / sideA.Count, nbx = sbx / sideB.Count, nby = sby / sideB.Count;
            bool settled = Math.Abs(nax - ax) + Math.Abs(nay - ay) + Math.Abs(nbx - bx) + Math.Abs(nby - by) < 1e-6;
            (ax, ay, bx, by) = (nax, nay, nbx, nby);
            if (settled) break;
        }
        double separation = Math.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
        if (separation < 1e-9) return null;
        // the largest distance along the split between neighbouring voxel centres (26-neighbours): Σ spacing_i · |axis_i · w|
        var w = (e1 * (bx - ax) + e2 * (by - ay)) / separation;
        var step = g.PhysicalVectorToIndex(w);
        double voxelStep = g.Spacing.X * g.Spacing.X * Math.Abs(step.X) + g.Spacing.Y * g.Spacing.Y * Math.Abs(step.Y) + g.Spacing.Z * g.Spacing.Z * Math.Abs(step.Z);
        if (separation < Math.Max(diameter, voxelStep + 0.5) || sideA.Count < minCount || sideB.Count < minCount) return null;
        return ([.. sideA], [.. sideB]);
    }

    /// <summary>Centroid and principal direction of the points <paramref name="members"/>.</summary>
    private static (Vec3 Centre, Vec3 Dir) PrincipalAxis(List<Vec3> points, List<int> members)
    {
        var list = new List<Vec3>(members.Count);
        foreach (int n in members) list.Add(points[n]);
        var (c, cov) = SymmetricEigen3.Moments(list);
        return (c, SymmetricEigen3.Decompose(cov).Vectors[0]);
    }

    /// <summary>
    /// True when the segment a–b runs within <paramref name="diameter"/> of an accepted probe's axis over at least half of
    /// its length: the same shaft seen again (a fragment of it, or its fringe), not a second probe. The accepted axis counts
    /// from its deep end outwards without limit (a straight shaft continues to the handle even where the metal points
    /// thin out), and half a diameter beyond the deep end.
    /// </summary>
    private static bool Duplicates(List<(Vec3 A, Vec3 B)> accepted, Vec3 a, Vec3 b, double diameter)
    {
        const int samples = 11;
        foreach (var (p, q) in accepted)
        {
            var u = (q - p).Normalized();
            int near = 0;
            for (int s = 0; s < samples; s++)
            {
                var x = a + (b - a) * (s / (samples - 1.0));
                double t = Vec3.Dot(x - p, u), len = Vec3.Distance(p, q);
                // both ends are open here: which end is the tip is decided later, and a fragment lies beyond either
                if (Vec3.Distance(x, p + u * t) < diameter && t > -len - 200 && t < len + 200) near++;
            }
            if (2 * near >= samples) return true;
        }
        return false;
    }

    private static double DistanceToSegment(Vec3 x, Vec3 a, Vec3 b)
    {
        var ab = b - a;
        double len2 = Vec3.Dot(ab, ab);
        double t = len2 < 1e-12 ? 0 : Math.Clamp(Vec3.Dot(x - a, ab) / len2, 0, 1);
        return Vec3.Distance(x, a + ab * t);
    }

    /// <summary>Kernel weight 1 − d²/tol² of a point at squared distance <paramref name="d2"/> from a line; 0 beyond tol.</summary>
    private static double Kernel(double d2, double tol2) => d2 >= tol2 ? 0 : 1 - d2 / tol2;

    /// <summary>
    /// Principal-axis fit to the unclaimed points weighted by the kernel around the current line, repeated until it
    /// settles: points of a neighbouring parallel probe, beyond the kernel, never pull the axis towards it. The first
    /// iterations use only <paramref name="members"/> (one cross-section cluster) when given; then every unclaimed point
    /// counts, so a cluster holding only the stretch of a crossing probe near the crossing grows to the whole probe.
    /// </summary>
    private static (Vec3 Centre, Vec3 Dir) Refine(List<Vec3> points, bool[] claimed, bool[]? members, Vec3 centre, Vec3 dir, double tol)
    {
        double tol2 = tol * tol;
        var weights = new double[points.Count];
        for (int it = 0; it < RefineIterations; it++)
        {
            double w = 0, cx = 0, cy = 0, cz = 0;
            for (int n = 0; n < points.Count; n++)
            {
                weights[n] = 0;
                if (claimed[n] || it < MemberIterations && members is not null && !members[n]) continue;
                var d = points[n] - centre;
                double along = Vec3.Dot(d, dir);
                double k = Kernel(Math.Max(0, Vec3.Dot(d, d) - along * along), tol2);
                if (k <= 0) continue;
                weights[n] = k;
                w += k; cx += k * points[n].X; cy += k * points[n].Y; cz += k * points[n].Z;
            }
            if (w <= 0) break;
            var c = new Vec3(cx / w, cy / w, cz / w);
            double xx = 0, xy = 0, xz = 0, yy = 0, yz = 0, zz = 0;
            for (int n = 0; n < points.Count; n++)
            {
                double k = weights[n];
                if (k <= 0) continue;
                var e = points[n] - c;
                xx += k * e.X * e.X; xy += k * e.X * e.Y; xz += k * e.X * e.Z;
                yy += k * e.Y * e.Y; yz += k * e.Y * e.Z; zz += k * e.Z * e.Z;
            }
            var next = SymmetricEigen3.Decompose(new[,] { { xx, xy, xz }, { xy, yy, yz }, { xz, yz, zz } }).Vectors[0];
            if (Vec3.Dot(next, dir) < 0) next = -next;
            double change = Vec3.Distance(c, centre + dir * Vec3.Dot(c - centre, dir)) + Vec3.Distance(next, dir);
            centre = c;
            dir = next;
            if (change < 1e-5) break;
        }
        return (centre, dir);
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
                    if (v > threshold) { (list ??= []).Add(Centroid(ct, i, j, k, CentroidFloorHu)); continue; }
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

    /// <summary>
    /// Floor of the centroid weights (HU): the top of cortical bone's 800–1200 HU (docs/CLINICAL.md), so only metal weighs.
    /// A floor below cortex (300 HU was tried) lets the cortex beside a shaft in bone pull its points off the axis (0.47 mm
    /// and 0.36° on IceBallAccuracyTests seed 14, enough to move the inferred ice in bone); a voxel the shaft fills to
    /// about 40 % still weighs, which keeps the sub-voxel centring.
    /// </summary>
    private const float CentroidFloorHu = 1200;

    /// <summary>
    /// Where the shaft crosses a metal voxel: the centroid of the 3 × 3 × 3 neighbourhood weighted by the values above
    /// <paramref name="floor"/>. Partial-volume metal in the neighbours pulls the point towards the axis (voxel averaging
    /// keeps the first moment of the shaft's cross-section), so a shaft lying between two rows of voxel centres is seen
    /// between them.
    /// </summary>
    private static Vec3 Centroid(Volume<float> ct, int i, int j, int k, float floor)
    {
        var g = ct.Geometry;
        double w = 0, si = 0, sj = 0, sk = 0;
        for (int kk = Math.Max(0, k - 1); kk <= Math.Min(g.Nz - 1, k + 1); kk++)
            for (int jj = Math.Max(0, j - 1); jj <= Math.Min(g.Ny - 1, j + 1); jj++)
                for (int ii = Math.Max(0, i - 1); ii <= Math.Min(g.Nx - 1, i + 1); ii++)
                {
                    double v = ct.Data[g.LinearIndex(ii, jj, kk)] - floor;
                    if (v <= 0) continue;
                    w += v; si += v * ii; sj += v * jj; sk += v * kk;
                }
        return w <= 0 ? g.IndexToPhysical(i, j, k) : g.IndexToPhysical(new Vec3(si / w, sj / w, sk / w));
    }

    /// <summary>
    /// RANSAC with MSAC scoring: the line through two unclaimed points with the largest sum of kernel weights over the
    /// unclaimed points, at least <paramref name="minCount"/> of them inside the kernel of width <paramref name="tol"/>.
    /// </summary>
    private static bool TryBestLine(List<Vec3> points, bool[] claimed, double tol, int minCount, Random rng, out Vec3 centre, out Vec3 dir)
    {
        var free = new List<Vec3>();
        for (int n = 0; n < points.Count; n++) if (!claimed[n]) free.Add(points[n]);
        double best = 0;
        int bestCount = 0;
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
            double score = 0;
            int count = 0;
            foreach (var p in free)
            {
                var ap = p - a;
                double along = Vec3.Dot(ap, u);
                double k = Kernel(Math.Max(0, Vec3.Dot(ap, ap) - along * along), tol2);
                if (k <= 0) continue;
                score += k;
                count++;
            }
            if (score > best) { best = score; bestCount = count; centre = a; dir = u; }
        }
        return bestCount >= minCount;
    }

    /// <summary>
    /// The longest stretch of unclaimed points within <paramref name="tol"/> of the line whose gaps are at most
    /// <see cref="GapMm"/>, or longer but bridged by the image: a shaft lying between voxel centres falls below the metal
    /// threshold by partial volume over a stretch, yet its axis stays much brighter than the tissue around it
    /// (<see cref="IsShaft"/> along the whole gap but for holes of up to 3 mm).
    /// </summary>
    private static (double Lo, double Hi) LongestRun(Volume<float> ct, List<Vec3> points, bool[] claimed, Vec3 centre, Vec3 dir, double tol)
    {
        double tol2 = tol * tol;
        var along = new List<double>();
        for (int n = 0; n < points.Count; n++)
        {
            if (claimed[n]) continue;
            var d = points[n] - centre;
            double t = Vec3.Dot(d, dir);
            if (Vec3.Dot(d, d) - t * t <= tol2) along.Add(t);
        }
        if (along.Count == 0) return (0, 0);
        along.Sort();
        var (e1, e2) = Perpendiculars(dir);
        bool Bridged(double from, double to)
        {
            const double step = 0.5, maxHole = 3;
            double lastGood = from;
            for (double t = from + step; t < to; t += step)
            {
                if (IsShaft(ct, centre + dir * t, e1, e2)) lastGood = t;
                else if (t - lastGood > maxHole) return false;
            }
            return true;
        }
        double bestLo = along[0], bestHi = along[0], lo = along[0];
        for (int n = 1; n <= along.Count; n++)
        {
            if (n < along.Count && (along[n] - along[n - 1] <= GapMm || Bridged(along[n - 1], along[n]))) continue;
            if (along[n - 1] - lo > bestHi - bestLo) { bestLo = lo; bestHi = along[n - 1]; }
            if (n < along.Count) lo = along[n];
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
        // the half-mass point is placed against tissue sampled 5–9 mm beyond the current end: when the end fell short (the
        // contrast test stops early next to cortex or a neighbouring shaft) that may still be metal, so repeat until it settles
        for (int it = 0; it < 4; it++)
        {
            var next = RefineTip(ct, end, axis);
            bool settled = Vec3.Distance(next, end) < 0.05;
            end = next;
            if (settled) break;
        }
        // the half-mass point of a hemispherical end lies r/√2 beyond the centre of its cap, which is the tip
        return new ProbeAxis(end - axis * (s.ProbeDiameterMm / 2 / Math.Sqrt(2)), axis);
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
        const double step = 0.5, maxGap = 3, limit = 80;
        var (e1, e2) = Perpendiculars(axis);
        double last = 0;
        for (double t = step; t <= limit && t - last <= maxGap; t += step)
            if (Contrast(ct, end + axis * t, e1, e2) >= MinContrastHu) last = t;
        return end + axis * last;
    }

    /// <summary>Axis value less the mean of a ring 4 mm around it (HU): high along a metal shaft, even one thinned by partial volume.</summary>
    private static double Contrast(Volume<float> ct, Vec3 c, Vec3 e1, Vec3 e2)
    {
        double ring = 0;
        for (int n = 0; n < 8; n++)
        {
            double a = n * Math.PI / 4;
            ring += Interpolator.SampleAtPoint(ct, c + (e1 * Math.Cos(a) + e2 * Math.Sin(a)) * 4, InterpolationMode.Linear, -1000);
        }
        return Interpolator.SampleAtPoint(ct, c, InterpolationMode.Linear, -1000) - ring / 8;
    }

    /// <summary>Contrast (HU) above which a point of the axis is taken as shaft by <see cref="Follow"/> and by gap bridging.</summary>
    private const double MinContrastHu = 400;

    /// <summary>
    /// Lowest axis value (HU) of a shaft for <see cref="IsShaft"/>: the ripple an oblique 2.4 mm shaft leaves in the
    /// interpolated axis profile of 2 mm voxels goes down to ≈ 600 HU; skin and cortex seen against air or fat would pass the
    /// contrast test alone.
    /// </summary>
    private const double MinShaftHu = 600;

    /// <summary>A point of the axis is shaft when its value reaches <see cref="MinShaftHu"/> and exceeds the ring 4 mm around it by <see cref="MinContrastHu"/>.</summary>
    private static bool IsShaft(Volume<float> ct, Vec3 c, Vec3 e1, Vec3 e2) =>
        Interpolator.SampleAtPoint(ct, c, InterpolationMode.Linear, -1000) >= MinShaftHu && Contrast(ct, c, e1, e2) >= MinContrastHu;

    /// <summary>Two unit vectors perpendicular to <paramref name="axis"/> and to each other.</summary>
    private static (Vec3 E1, Vec3 E2) Perpendiculars(Vec3 axis)
    {
        var helper = Math.Abs(axis.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        var e1 = Vec3.Cross(helper, axis).Normalized();
        return (e1, Vec3.Cross(axis, e1));
    }

    /// <summary>
    /// The point on the axis near <paramref name="end"/> where the shaft's cross-sectional mass — the sum of CT values over
    /// a disc of 1.5 mm radius across the axis, which voxel averaging keeps free of the ripples an oblique thin shaft leaves
    /// in the axis profile itself, less the same disc of the local background (the median of a ring 4 mm from the axis, so
    /// a neighbouring shaft or cortex in the ring does not count) — falls to halfway between the metal behind (5–15 mm) and
    /// the tissue beyond (5–9 mm), found scanning back from the tissue side so that a partial-volume dip inside the shaft is
    /// never taken for its end. Without the background the tissue 5–9 mm beyond (often bone, or unfrozen tissue) set the
    /// half level higher than the ice at the tip, and tips came out short (mean −0.45 mm, SD 0.52 on the ten probes of
    /// IceBallAccuracyTests; with it −0.17 mm, SD 0.42).
    /// </summary>
    private static Vec3 RefineTip(Volume<float> ct, Vec3 end, Vec3 axis)
    {
        const int RingSamples = 16;
        const double RingMm = 4;
        var ringValues = new double[RingSamples];
        const double step = 0.25, discMm = 1.5, discStep = 0.75;
        var (e1, e2) = Perpendiculars(axis);
        double Mass(double t)
        {
            var c = end + axis * t;
            double sum = 0;
            int count = 0;
            for (double a = -discMm; a <= discMm + 1e-9; a += discStep)
                for (double b = -discMm; b <= discMm + 1e-9; b += discStep)
                    if (a * a + b * b <= discMm * discMm + 1e-9)
                    {
                        sum += Interpolator.SampleAtPoint(ct, c + e1 * a + e2 * b, InterpolationMode.Linear, -1000);
                        count++;
                    }
            for (int n = 0; n < RingSamples; n++)
            {
                double angle = n * 2 * Math.PI / RingSamples;
                ringValues[n] = Interpolator.SampleAtPoint(ct, c + (e1 * Math.Cos(angle) + e2 * Math.Sin(angle)) * RingMm, InterpolationMode.Linear, -1000);
            }
            Array.Sort(ringValues);
            return sum - count * (ringValues[RingSamples / 2 - 1] + ringValues[RingSamples / 2]) / 2;
        }
        static double Median(List<double> v) { v.Sort(); return v[v.Count / 2]; }
        var high = new List<double>();
        for (double t = -15; t <= -5; t += step) high.Add(Mass(t));
        var low = new List<double>();
        for (double t = 5; t <= 9; t += step) low.Add(Mass(t));
        double half = (Median(high) + Median(low)) / 2;
        double next = Mass(5);
        for (double t = 5 - step; t >= -5; t -= step)
        {
            double v = Mass(t);
            if (v >= half) return end + axis * (t + step * (v - half) / (v - next));
            next = v;
        }
        return end;
    }
}
