using ImageGuide.Imaging;

namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// The plane of each intervertebral disc, fitted to the disc. The body line's tangent is smoothed over ±10 mm, so at the
/// strongly tilted, wedge-shaped lumbosacral disc (and wherever the curvature changes fast) the plane perpendicular to it
/// cuts through an end plate rather than along the disc. Each disc's plane is therefore searched around the profile's
/// estimate — shifted by up to ±<see cref="ShiftMm"/> along the line and tilted by up to ±<see cref="TiltDeg"/> about
/// both axes across it — for the thin slab darkest against the brighter bone on both sides, measured as in
/// <see cref="DiscFinder"/>: the mean HU over a disc-shaped patch against the brightest parallel patch 3–7 mm either side
/// (the lower of the two).
/// </summary>
internal static class DiscPlanes
{
    /// <summary>Largest shift of a disc's centre along the body line from the profile's dip (mm).</summary>
    public const double ShiftMm = 4;

    /// <summary>Largest tilt of a disc's plane from perpendicular to the body line (degrees): the lumbosacral disc is ≈ 15° more wedged than its neighbours.</summary>
    public const double TiltDeg = 20;

    /// <summary>Fitted centre and unit normal (pointing cranially) of each disc of <paramref name="discs"/> (profile indices, caudal first).</summary>
    public static (Vec3[] Points, Vec3[] Normals) Fit(SpineGrid g, BodyProfile profile, IReadOnlyList<int> discs, CancellationToken cancellationToken)
    {
        int n = discs.Count;
        var points = new Vec3[n];
        var normals = new Vec3[n];
        double radius = Math.Clamp(0.3 * profile.BodyDepthMm, 5, 14);
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            var c = profile.Points[discs[k]];
            var t = profile.Tangents[discs[k]];
            var u = Vec3.Cross(t, new Vec3(0, 1, 0));
            if (u.Length < 1e-3) u = Vec3.Cross(t, new Vec3(1, 0, 0));
            u = u.Normalized();
            var v = Vec3.Cross(t, u);
            double bestScore = Score(g, c, t, radius), bestA = 0, bestB = 0, bestS = 0;
            // Coarse to fine over (tilt about u, tilt about v, shift along the tilted normal).
            double step = 5, shiftStep = 1;
            for (int round = 0; round < 3; round++)
            {
                double a0 = bestA, b0 = bestB, s0 = bestS;
                for (int ia = -2; ia <= 2; ia++)
                for (int ib = -2; ib <= 2; ib++)
                for (int iS = -2; iS <= 2; iS++)
                {
                    double a = a0 + ia * step, b = b0 + ib * step, sh = s0 + iS * shiftStep;
                    if (Math.Abs(a) > TiltDeg || Math.Abs(b) > TiltDeg || Math.Abs(sh) > ShiftMm) continue;
                    var normal = Tilted(t, u, v, a, b);
                    double score = Score(g, c + normal * sh, normal, radius);
                    if (score > bestScore) { bestScore = score; bestA = a; bestB = b; bestS = sh; }
                }
                step /= 2; shiftStep /= 2;
            }
            var best = Tilted(t, u, v, bestA, bestB);
            points[k] = c + best * bestS;
            normals[k] = best;
        });
        return (points, normals);
    }

    private static Vec3 Tilted(Vec3 t, Vec3 u, Vec3 v, double aDeg, double bDeg)
    {
        double a = aDeg * Math.PI / 180, b = bDeg * Math.PI / 180;
        return (t + u * Math.Tan(a) + v * Math.Tan(b)).Normalized();
    }

    /// <summary>Depth of the dip at the plane (c, normal): the lower of the brightest parallel patch 3–7 mm on each side, minus the patch at c.</summary>
    private static double Score(SpineGrid g, Vec3 c, Vec3 normal, double radius)
    {
        double centre = BodyProfile.PatchMean(g, c, normal, radius);
        if (double.IsNaN(centre)) return double.MinValue;
        double up = double.MinValue, down = double.MinValue;
        for (int d = 3; d <= 7; d++)
        {
            double a = BodyProfile.PatchMean(g, c + normal * d, normal, radius), b = BodyProfile.PatchMean(g, c - normal * d, normal, radius);
            if (!double.IsNaN(a)) up = Math.Max(up, a);
            if (!double.IsNaN(b)) down = Math.Max(down, b);
        }
        if (up == double.MinValue || down == double.MinValue) return double.MinValue;
        return Math.Min(up, down) - centre;
    }
}
