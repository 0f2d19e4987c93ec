namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Fills a body's marrow where the per-slice hole filling leaks through gaps in a thin cortex (osteoporotic bodies on thin
/// slices, vertebrae cut by the edge of the field of view, where the tilted enclosure rays leave the volume): a non-bone
/// voxel in front of the canal that sees bone along all 8 in-plane directions within <see cref="RayMm"/> is marrow.
/// Discs, walled in-plane only by the rim of the end plates, are taken back out afterwards by <see cref="DiscSpaces"/>.
/// </summary>
internal static class MarrowFill
{
    /// <summary>Ray length (mm): a lumbar body is ≈ 45–50 mm wide and 35 mm deep, so any point of its marrow sees its cortex within this.</summary>
    public const double RayMm = 30;

    /// <summary>Lowest HU taken for marrow (fatty marrow of old spines reaches down to ≈ 0 HU; fat is ≈ −100).</summary>
    public const double MinHu = -20;

    /// <summary>Marks as bone the in-plane enclosed soft voxels in front of the canal (≥ 5 mm before its centre).</summary>
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
            double yMax = canal.Y[z] - 5;
            for (int y = 0; y < ny && y * g.Sy < yMax; y++)
            for (int x = 0; x < nx; x++)
            {
                int i = off + y * nx + x;
                if (bone[i] != 0 || d[i] < minHu) continue;
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
}
