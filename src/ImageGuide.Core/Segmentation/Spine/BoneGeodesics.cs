namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Hands bone voxels to the segment geodesically nearest through the bone: a multi-source Dijkstra from seed voxels over
/// bone voxels (26-neighbourhood, steps of their physical length), so that a posterior element goes with the body it is
/// joined to through its pedicle rather than with whatever lies beside it in space. A step costs more in dim bone (each
/// HU below <see cref="BrightHu"/> adds up to <see cref="DimCost"/> times its length) and in a valley between two brighter
/// walls (a joint space, up to <see cref="ValleyCost"/> times), so that a path through the dim, partial-volume bridge of a
/// facet joint or a disc's rim loses against one through solid cortex.
/// </summary>
internal static class BoneGeodesics
{
    /// <summary>HU from which bone costs only its length (≈ cortex; trabecular bone and partial-volume joint bridges lie below).</summary>
    public const double BrightHu = 400;

    /// <summary>
    /// Extra cost factor of a step through bone at <see cref="VertebraFinderSettings.BoneGrowHu"/> (default 10; measured on
    /// the TotalSegmentator example CT: 0 → L5 Dice 0.83, L2 0.86; 10 → 0.83, 0.88 before the marrow and disc fixes).
    /// </summary>
    public const double DimCost = 10;

    /// <summary>
    /// Half-width of the valley test (mm): a joint space between two cortices, blurred by the 1 mm smoothing, is ≈ 3–5 mm
    /// wide, so its walls lie ≈ 3 mm either side (on the 1.5 mm crop, 3 mm raised L2–L4 Dice by up to 0.05 over 1.5 mm).
    /// </summary>
    public const double ValleyReachMm = 3;

    /// <summary>Depth (HU) of a valley at which its extra cost is full.</summary>
    public const double ValleyScaleHu = 200;

    /// <summary>Extra cost factor of a step into a full valley (5; 5 and 20 measured alike, within ±0.01 Dice).</summary>
    public const double ValleyCost = 5;

    /// <summary>
    /// Grows the labels of <paramref name="seg"/> at voxels where <paramref name="seed"/> is set through voxels where
    /// <paramref name="bone"/> is set; every reached bone voxel takes the label of its nearest seed, unreached ones keep
    /// theirs. Deterministic (single-threaded, ties broken by the heap's fixed order).
    /// </summary>
    public static void Grow(SpineGrid g, byte[] bone, bool[] seed, byte[] seg, double growHu, CancellationToken cancellationToken)
    {
        int nx = g.Nx, ny = g.Ny, nz = g.Nz, plane = nx * ny;
        var d = g.Data;
        var dist = new float[bone.Length];
        Array.Fill(dist, float.PositiveInfinity);
        var queue = new PriorityQueue<int, float>();
        for (int i = 0; i < bone.Length; i++)
            if (seed[i] && bone[i] != 0 && seg[i] != 0) { dist[i] = 0; queue.Enqueue(i, 0); }
        var offs = new int[26];
        var dxs = new int[26]; var dys = new int[26]; var dzs = new int[26];
        var len = new float[26];
        int k = 0;
        for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
        {
            if (dx == 0 && dy == 0 && dz == 0) continue;
            dxs[k] = dx; dys[k] = dy; dzs[k] = dz;
            offs[k] = dz * plane + dy * nx + dx;
            len[k] = (float)Math.Sqrt(dx * dx * g.Sx * g.Sx + dy * dy * g.Sy * g.Sy + dz * dz * g.Sz * g.Sz);
            k++;
        }
        var valley = Valleys(g, bone, ValleyReachMm, cancellationToken);
        float vCost = (float)ValleyCost, vScale = (float)ValleyScaleHu;
        float bright = (float)BrightHu, span = (float)Math.Max(1, bright - growHu), extra = (float)DimCost;
        int popped = 0;
        while (queue.TryDequeue(out int i, out float di))
        {
            if (di > dist[i]) continue;
            if ((++popped & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            int x = i % nx, y = i / nx % ny, z = i / plane;
            byte lab = seg[i];
            for (int n = 0; n < 26; n++)
            {
                int xx = x + dxs[n], yy = y + dys[n], zz = z + dzs[n];
                if ((uint)xx >= (uint)nx || (uint)yy >= (uint)ny || (uint)zz >= (uint)nz) continue;
                int j = i + offs[n];
                if (bone[j] == 0 || seed[j]) continue;
                float dim = Math.Clamp((bright - d[j]) / span, 0, 1);
                float dj = di + len[n] * (1 + extra * dim + vCost * Math.Clamp(valley[j] / vScale, 0, 1));
                if (dj < dist[j]) { dist[j] = dj; seg[j] = lab; queue.Enqueue(j, dj); }
            }
        }
    }

    /// <summary>Per bone voxel, how far (HU) it lies below the mean of its two neighbours ≈ <paramref name="reachMm"/> away along the most valley-like of 13 axes: high in a joint space between two cortices.</summary>
    private static float[] Valleys(SpineGrid g, byte[] bone, double reachMm, CancellationToken cancellationToken)
    {
        int nx = g.Nx, ny = g.Ny, nz = g.Nz, plane = nx * ny;
        int sx = Math.Max(1, (int)Math.Round(reachMm / g.Sx)), sy = Math.Max(1, (int)Math.Round(reachMm / g.Sy)), sz = Math.Max(1, (int)Math.Round(reachMm / g.Sz));
        var dirs = new List<(int X, int Y, int Z)>();
        for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
        {
            if (dz < 0 || (dz == 0 && dy < 0) || (dz == 0 && dy == 0 && dx <= 0)) continue;
            dirs.Add((dx * sx, dy * sy, dz * sz));
        }
        var d = g.Data;
        var v = new float[bone.Length];
        Parallel.For(0, nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                int i = (z * ny + y) * nx + x;
                if (bone[i] == 0) continue;
                float best = 0;
                foreach (var (ox, oy, oz) in dirs)
                {
                    int x1 = x + ox, y1 = y + oy, z1 = z + oz, x2 = x - ox, y2 = y - oy, z2 = z - oz;
                    if ((uint)x1 >= (uint)nx || (uint)y1 >= (uint)ny || (uint)z1 >= (uint)nz || (uint)x2 >= (uint)nx || (uint)y2 >= (uint)ny || (uint)z2 >= (uint)nz) continue;
                    float a = d[(z1 * ny + y1) * nx + x1], b = d[(z2 * ny + y2) * nx + x2];
                    float val = Math.Min(a, b) - d[i];
                    if (val > best) best = val;
                }
                v[i] = best;
            }
        });
        return v;
    }
}
