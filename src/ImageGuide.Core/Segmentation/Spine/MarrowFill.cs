namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Fills a body's marrow where the per-slice hole filling leaks through gaps in a thin cortex (osteoporotic bodies on thin
/// slices, vertebrae cut by the edge of the field of view, where the tilted enclosure rays leave the volume): a non-bone
/// voxel in front of the canal's front wall that sees bone along all 8 in-plane directions within <see cref="RayMm"/> is marrow.
/// Discs, walled in-plane only by the rim of the end plates, are taken back out afterwards by <see cref="DiscSpaces"/>.
/// </summary>
internal static class MarrowFill
{
    /// <summary>
    /// Ray length (mm, 55): every one of the 8 rays must meet the cortex, so the ray must cross the whole body, not only
    /// reach the nearest wall — a lumbar body is ≈ 45–50 mm wide (up to ≈ 55 mm at L5). With 30 mm only a central band of
    /// a wide body was filled: on the 1.5 mm TPTBox crop, whose marrow is fatty (≈ 0 HU), L2/L4 Dice rose from 0.72 to
    /// 0.78/0.81 at 55 mm. Bone beyond the spine region is not in the mask, so rays from soft tissue outside the body
    /// still miss forward and it is never filled.
    /// </summary>
    public const double RayMm = 55;

    /// <summary>
    /// Lowest HU taken for marrow: fatty marrow of old spines reaches down to ≈ 0 HU and noise spreads it further; fat is
    /// ≈ −100. The test is made on the mean of the voxel's in-plane 3 × 3 neighbourhood, so that noise does not punch holes.
    /// </summary>
    public const double MinHu = -50;

    /// <summary>How far forward from the canal centre its front wall (the back of the body) is looked for (mm): the canal is ≤ 25 mm deep.</summary>
    public const double WallSearchMm = 25;

    /// <summary>
    /// Marks as bone the in-plane enclosed soft voxels in front of the canal's front wall (the first bone met going forward
    /// from the canal centre), so that the canal itself, also walled in on all sides, is never filled.
    /// </summary>
    public static void Fill(SpineGrid g, byte[] bone, SpinalCanal canal, CancellationToken cancellationToken)
    {
        int nx = g.Nx, ny = g.Ny, plane = nx * ny;
        var d = g.Data;
        int[] ddx = [1, -1, 0, 0, 1, 1, -1, -1], ddy = [0, 0, 1, -1, 1, -1, 1, -1];
        var steps = new int[8];
        for (int r = 0; r < 8; r++) steps[r] = (int)Math.Floor(RayMm / Math.Sqrt(ddx[r] * ddx[r] * g.Sx * g.Sx + ddy[r] * ddy[r] * g.Sy * g.Sy));
        var add = new byte[bone.Length];
        float minHu = (float)MinHu;
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            int off = z * plane;
            int yWall = FrontWall(g, bone, canal, z);
            for (int y = 0; y < yWall; y++)
            for (int x = 0; x < nx; x++)
            {
                int i = off + y * nx + x;
                if (bone[i] != 0 || LocalMean(d, off, x, y, nx, ny) < minHu) continue;
                bool all = true;
                for (int r = 0; r < 8 && all; r++)
                {
                    bool hit = false;
                    int xx = x, yy = y;
                    for (int m = 0; m < steps[r]; m++)
                    {
                        xx += ddx[r]; yy += ddy[r];
                        if ((uint)xx >= (uint)nx || (uint)yy >= (uint)ny) break;
                        if (bone[off + yy * nx + xx] != 0) { hit = true; break; }
                    }
                    all = hit;
                }
                if (all) add[i] = 1;
            }
        });
        for (int i = 0; i < bone.Length; i++) if (add[i] != 0) bone[i] = 1;
    }

    /// <summary>Row (y index) of the canal's front wall in slice <paramref name="z"/>: the first bone met going forward from the canal centre, less one voxel; the centre's row less 5 mm when none is met.</summary>
    internal static int FrontWall(SpineGrid g, byte[] bone, SpinalCanal canal, int z)
    {
        int nx = g.Nx, ny = g.Ny, off = z * nx * ny;
        int cx = Math.Clamp((int)Math.Round(canal.X[z] / g.Sx), 0, nx - 1), cy = Math.Clamp((int)Math.Round(canal.Y[z] / g.Sy), 0, ny - 1);
        int steps = (int)Math.Round(WallSearchMm / g.Sy);
        for (int m = 0; m <= steps && cy - m >= 0; m++)
            if (bone[off + (cy - m) * nx + cx] != 0) return Math.Max(0, cy - m);
        return Math.Max(0, (int)Math.Floor((canal.Y[z] - 5) / g.Sy));
    }

    private static float LocalMean(float[] d, int off, int x, int y, int nx, int ny)
    {
        float sum = 0;
        int n = 0;
        for (int yy = Math.Max(0, y - 1); yy <= Math.Min(ny - 1, y + 1); yy++)
        for (int xx = Math.Max(0, x - 1); xx <= Math.Min(nx - 1, x + 1); xx++) { sum += d[off + yy * nx + xx]; n++; }
        return sum / n;
    }
}
