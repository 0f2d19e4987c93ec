namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Cues that tell which vertebra is which without an anchor: how wide the bone connected to a body is (the sacrum's alae
/// and the ilia it joins make the bone below L5 ≥ 11 cm wide, a lumbar vertebra with its transverse processes is ≤ 9 cm) and
/// whether ribs lie beside a vertebra (bone 55–110 mm to each side of the canal, level with it or behind).
/// </summary>
internal static class SpineLandmarks
{
    /// <summary>Width (mm, left–right) of the widest in-plane bone component that holds the body's back wall, over slices z0…z1.</summary>
    public static double MaxBoneWidthMm(SpineGrid g, SpinalCanal canal, VertebraFinderSettings s, int z0, int z1)
    {
        int nx = g.Nx, ny = g.Ny, plane = nx * ny;
        double best = 0;
        var seen = new byte[plane];
        var stack = new Stack<int>();
        float grow = (float)s.BoneGrowHu;
        for (int z = Math.Max(0, z0); z <= Math.Min(g.Nz - 1, z1); z++)
        {
            int off = z * plane;
            int cx = (int)Math.Round(canal.X[z] / g.Sx), cy = (int)Math.Round(canal.Y[z] / g.Sy);
            if ((uint)cx >= (uint)nx) continue;
            int start = -1;
            for (int y = Math.Min(cy, ny - 1); y >= Math.Max(0, cy - (int)Math.Ceiling(40 / g.Sy)); y--)
                if (g.Data[off + y * nx + cx] >= grow) { start = y * nx + cx; break; }
            if (start < 0) continue;
            Array.Clear(seen);
            seen[start] = 1; stack.Push(start);
            int xMin = cx, xMax = cx;
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                int x = i % nx, y = i / nx;
                if (x < xMin) xMin = x;
                if (x > xMax) xMax = x;
                void Visit(int j) { if (seen[j] == 0 && g.Data[off + j] >= grow) { seen[j] = 1; stack.Push(j); } }
                if (x > 0) Visit(i - 1);
                if (x < nx - 1) Visit(i + 1);
                if (y > 0) Visit(i - nx);
                if (y < ny - 1) Visit(i + nx);
            }
            best = Math.Max(best, (xMax - xMin + 1) * g.Sx);
        }
        return best;
    }

    /// <summary>
    /// Fraction of slices z0…z1 with bone (≥ <see cref="VertebraFinderSettings.BoneSeedHu"/>) on both sides of the canal
    /// 55–110 mm out, from 20 mm before to 40 mm behind the canal centre: where ribs (and, low down, the iliac crests) are.
    /// </summary>
    public static double LateralBoneFraction(SpineGrid g, SpinalCanal canal, VertebraFinderSettings s, int z0, int z1)
    {
        int hits = 0, slices = 0;
        float seed = (float)s.BoneSeedHu;
        for (int z = Math.Max(0, z0); z <= Math.Min(g.Nz - 1, z1); z++)
        {
            slices++;
            double cx = canal.X[z], cy = canal.Y[z];
            int yLo = Math.Max(0, (int)Math.Floor((cy - 20) / g.Sy)), yHi = Math.Min(g.Ny - 1, (int)Math.Ceiling((cy + 40) / g.Sy));
            bool left = false, right = false;
            for (int side = -1; side <= 1; side += 2)
            {
                int xa = (int)Math.Round((cx + side * 55) / g.Sx), xb = (int)Math.Round((cx + side * 110) / g.Sx);
                int lo = Math.Max(0, Math.Min(xa, xb)), hi = Math.Min(g.Nx - 1, Math.Max(xa, xb));
                int n = 0;
                for (int y = yLo; y <= yHi; y++)
                for (int x = lo; x <= hi; x++)
                    if (g.Data[g.Index(x, y, z)] >= seed) n++;
                bool has = n * g.Sx * g.Sy >= 20; // ≥ 20 mm² of bone: a rib's cross-section is ≈ 50–100 mm²
                if (side < 0) right = has; else left = has;
            }
            if (left && right) hits++;
        }
        return slices > 0 ? hits / (double)slices : 0;
    }
}
