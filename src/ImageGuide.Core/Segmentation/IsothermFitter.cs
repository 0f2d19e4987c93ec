using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>
/// Fits <see cref="FittedIsotherm"/> (one radial and one axial semi-axis of the single-probe 0 °C ellipsoid and a centre
/// offset shared by all probes, their cooling summed) to the
/// observable voxels' unfiltered evidence (noise averages out; filtering would bias curved edges inwards): it maximises
/// the agreement Σ evidence · clamp(−d / 0.35 mm, −1, 1), d the distance to the model's surface (a narrow ramp: a wide one
/// favours the larger outer shell of a convex surface and shrinks the fit), by a multi-start
/// coarse-to-fine pattern search.
/// </summary>
internal static class IsothermFitter
{
    private const int MaxSamples = 25_000;
    private const float MinEvidence = 0.25f;
    private const double Softness = 0.35;

    /// <summary>Pattern-search moves: each parameter alone and each pair together (radii and centre are correlated).</summary>
    private static readonly int[][] Moves = BuildMoves();

    private static int[][] BuildMoves()
    {
        var moves = new List<int[]>();
        for (int a = -1; a <= 1; a++)
            for (int b = -1; b <= 1; b++)
                for (int c = -1; c <= 1; c++)
                    if ((a != 0 ? 1 : 0) + (b != 0 ? 1 : 0) + (c != 0 ? 1 : 0) is 1 or 2) moves.Add([a, b, c]);
        return [.. moves];
    }

    public static FittedIsotherm? Fit(VolumeGeometry g, float[] logit, byte[] kind, IReadOnlyList<ProbeAxis> probes, IceBallSettings s, CancellationToken ct)
    {
        int p = probes.Count;
        long total = g.VoxelCount;
        int stride = (int)Math.Max(1, total / (MaxSamples * 3));
        var along = new List<float>();
        var across = new List<float>();
        var weight = new List<float>();
        double frozenVolume = 0, voxelMm3 = g.Spacing.X * g.Spacing.Y * g.Spacing.Z;
        for (long n = 0; n < total; n += stride)
        {
            float l = logit[n];
            var kd = (VoxelKind)kind[n];
            if (kd == VoxelKind.Bone || kd == VoxelKind.Metal || kd == VoxelKind.Observable && Math.Abs(l) < MinEvidence) continue;
            int i = (int)(n % g.Nx), j = (int)(n / g.Nx % g.Ny), k = (int)(n / ((long)g.Nx * g.Ny));
            var x = g.IndexToPhysical(i, j, k);
            bool near = false;
            foreach (var probe in probes) near |= probe.DistanceToSegment(x, s.FreezingSegmentMm) <= s.SearchRadiusMm;
            if (!near) continue;
            bool isIce = kd == VoxelKind.Observable && l > 0;
            foreach (var probe in probes)
            {
                var d = x - probe.Tip;
                double a = Vec3.Dot(d, probe.Axis);
                along.Add((float)a);
                across.Add((float)Math.Max(0, Vec3.Dot(d, d) - a * a));
            }
            weight.Add(kd == VoxelKind.Air ? -MinEvidence : l);
            if (isIce) frozenVolume += voxelMm3 * stride;
        }
        ct.ThrowIfCancellationRequested();
        if (frozenVolume <= 0) return null;

        var al = along.ToArray();
        var ac = across.ToArray();
        var w = weight.ToArray();
        // Smooth disagreement: −Σ evidence · clamp(−d/τ, −1, 1), d the signed distance to the 0 °C surface of the probes'
        // summed cooling (FittedIsotherm.DistanceFromCooling); noise averages out instead of making the cost rugged.
        double lethalC = s.Goals.LethalIsothermC;
        double Cost(double ra, double rb, double c)
        {
            var model = new FittedIsotherm(new ProbeZone(ra, rb, c), 0, s.LethalInsetMm, lethalC);
            var cooling = model.Cooling;
            const int chunks = 16;
            var partial = new double[chunks];
            Parallel.For(0, chunks, part =>
            {
                double sum = 0;
                int end = (int)((long)w.Length * (part + 1) / chunks);
                for (int n = (int)((long)w.Length * part / chunks); n < end; n++)
                {
                    double theta = 0;
                    for (int q = 0, b = n * p; q < p; q++) theta += cooling.Cooling(Math.Sqrt(ac[b + q]), al[b + q] + c);
                    sum -= w[n] * Math.Clamp(-model.DistanceFromCooling(theta) / Softness, -1, 1);
                }
                partial[part] = sum;
            });
            double total = 0;
            foreach (double v in partial) total += v;
            return total;
        }

        // multi-start: sphere-like to elongated, centred at the tip or behind it; the best start seeds the pattern search
        double[] x0 = [4, 4, 0];
        double best = double.PositiveInfinity;
        foreach (double r in new[] { 4.0, 7, 11, 16, 22 })
            foreach (double elong in new[] { 1.0, 1.4 })
                foreach (double back in new[] { 0.0, 0.35 })
                {
                    double c = Cost(r, r * elong, r * elong * back);
                    if (c < best) { best = c; x0 = [r, r * elong, r * elong * back]; }
                }
        foreach (double step in new[] { 2.0, 1, 0.5, 0.25, 0.1 })
        {
            bool improved = true;
            for (int round = 0; improved && round < 40; round++)
            {
                ct.ThrowIfCancellationRequested();
                improved = false;
            foreach (var move in Moves)
                {
                    var cand = (double[])x0.Clone();
                    for (int dim = 0; dim < 3; dim++) cand[dim] += move[dim] * step;
                    if (cand[0] < 1 || cand[1] < 1 || cand[0] > s.SearchRadiusMm || cand[1] > s.SearchRadiusMm + s.FreezingSegmentMm ||
                        Math.Abs(cand[2]) >= cand[1]) continue;
                    double c = Cost(cand[0], cand[1], cand[2]);
                    if (c < best) { best = c; x0 = cand; improved = true; }
                }
            }
        }
        double totalWeight = 0;
        foreach (float v in w) totalWeight += Math.Abs(v);
        return new FittedIsotherm(new ProbeZone(x0[0], x0[1], x0[2]), totalWeight > 0 ? (1 - best / totalWeight) / 2 : 0, s.LethalInsetMm, lethalC);
    }
}
