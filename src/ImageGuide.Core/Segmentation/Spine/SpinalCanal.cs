namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// The spinal canal's centreline on a <see cref="SpineGrid"/>: per axial slice, soft-tissue voxels enclosed by bone (in-plane
/// rays along the axes and diagonals that hit bone within <see cref="VertebraFinderSettings.CanalRayMm"/>) form candidate
/// blobs; the canal is the longest chain of blobs linked from slice to slice (gaps at the discs, where the canal is open,
/// are bridged). The centre is interpolated over the gaps, smoothed, and extended straight beyond the chain's ends.
/// </summary>
/// <param name="X">Canal centre per slice z (mm, canonical x); defined for every slice.</param>
/// <param name="Y">Canal centre per slice z (mm, canonical y).</param>
/// <param name="First">First slice of the traced chain.</param>
/// <param name="Last">Last slice of the traced chain.</param>
/// <param name="FoundSlices">Slices in which the canal was seen (the rest are bridged).</param>
internal sealed record SpinalCanal(double[] X, double[] Y, int First, int Last, int FoundSlices)
{
    internal readonly record struct Blob(int Z, double X, double Y, double AreaMm2, double MeanHu);

    /// <summary>Traces the canal (<paramref name="enclosure"/> from <see cref="Enclosure"/>); null when no chain of at least <paramref name="minLengthMm"/> is found.</summary>
    public static SpinalCanal? Trace(SpineGrid g, byte[] enclosure, VertebraFinderSettings s, double minLengthMm, CancellationToken cancellationToken)
    {
        var perSlice = new List<Blob>[g.Nz];
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = cancellationToken },
            () => (Count: new byte[g.Nx * g.Ny], Stack: new Stack<int>()),
            (z, _, buf) => { perSlice[z] = SliceBlobs(g, s, enclosure, z, buf.Count, buf.Stack); return buf; }, _ => { });

        // Longest chain: dynamic programming over blobs ordered by slice.
        var blobs = new List<Blob>();
        var sliceStart = new int[g.Nz + 1];
        for (int z = 0; z < g.Nz; z++) { sliceStart[z] = blobs.Count; blobs.AddRange(perSlice[z]); }
        sliceStart[g.Nz] = blobs.Count;
        if (blobs.Count == 0) return null;
        int maxGap = Math.Max(1, (int)Math.Ceiling(16 / g.Sz));
        var score = new double[blobs.Count];
        var prev = new int[blobs.Count];
        int best = -1;
        for (int b = 0; b < blobs.Count; b++)
        {
            var cur = blobs[b];
            // A blob's worth grows with its area up to a typical canal's; shifts and skipped slices cost.
            // Pockets of fat (between laminae and muscles) are enclosed too; CSF and cord are 0–50 HU, so negative blobs count less.
            double w = (0.2 + Math.Min(cur.AreaMm2, 400) / 150) * Math.Clamp(1 + cur.MeanHu / 60, 0.2, 1);
            score[b] = w; prev[b] = -1;
            for (int z = Math.Max(0, cur.Z - maxGap); z < cur.Z; z++)
            {
                double dz = (cur.Z - z) * g.Sz;
                // The canal drifts little sideways (scoliosis aside) but up to ≈ 1 mm/mm front-to-back (lordosis, sacrum).
                double maxShift = 6 + 0.8 * dz, softX = 3 + 0.25 * dz, softY = 4 + 0.8 * dz, penalty = (cur.Z - z - 1) * 0.4;
                for (int p = sliceStart[z]; p < sliceStart[z + 1]; p++)
                {
                    double dx = blobs[p].X - cur.X, dy = blobs[p].Y - cur.Y, d2 = dx * dx + dy * dy;
                    if (d2 > maxShift * maxShift) continue;
                    double sc = score[p] + w - penalty - 0.5 * (dx * dx / (softX * softX) + dy * dy / (softY * softY));
                    if (sc > score[b]) { score[b] = sc; prev[b] = p; }
                }
            }
            if (best < 0 || score[b] > score[best]) best = b;
        }
        var chain = new List<Blob>();
        for (int b = best; b >= 0; b = prev[b]) chain.Add(blobs[b]);
        chain.Reverse();
        int first = chain[0].Z, last = chain[^1].Z;
        if ((last - first + 1) * g.Sz < minLengthMm) return null;

        // Per-slice centre: blob centres, linear over gaps, smoothed, straight beyond the ends.
        var x = new double[g.Nz];
        var y = new double[g.Nz];
        var known = new bool[g.Nz];
        foreach (var c in chain) { x[c.Z] = c.X; y[c.Z] = c.Y; known[c.Z] = true; }
        int prevK = first;
        for (int z = first + 1; z <= last; z++)
        {
            if (!known[z]) continue;
            for (int m = prevK + 1; m < z; m++)
            {
                double t = (m - prevK) / (double)(z - prevK);
                x[m] = x[prevK] + t * (x[z] - x[prevK]);
                y[m] = y[prevK] + t * (y[z] - y[prevK]);
            }
            prevK = z;
        }
        Smooth(x, first, last, 5 / g.Sz);
        Smooth(y, first, last, 5 / g.Sz);
        Extend(x, y, first, last, g.Sz);
        return new SpinalCanal(x, y, first, last, chain.Count);
    }

    /// <summary>
    /// Per voxel, how many of 24 rays (the 8 in-plane directions, and the same tilted 45° up and down) hit bone within
    /// <see cref="VertebraFinderSettings.CanalRayMm"/>; 0 on bone, air and fat below <see cref="VertebraFinderSettings.CanalMinHu"/>.
    /// Tilted rays see the laminae above and below where the canal is open behind (between the arches).
    /// </summary>
    internal static byte[] Enclosure(SpineGrid g, VertebraFinderSettings s, CancellationToken cancellationToken)
    {
        int nx = g.Nx, ny = g.Ny, nz = g.Nz, plane = nx * ny;
        var d = g.Data;
        float bone = (float)s.BoneSeedHu;
        var count = new byte[d.Length];
        var dist = new ushort[d.Length];
        const ushort Far = ushort.MaxValue;
        var po = new ParallelOptions { CancellationToken = cancellationToken };
        for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
        {
            if (dx == 0 && dy == 0) continue;
            double stepMm = Math.Sqrt(dx * dx * g.Sx * g.Sx + dy * dy * g.Sy * g.Sy + dz * dz * g.Sz * g.Sz);
            int maxSteps = Math.Min(Far - 1, (int)Math.Floor(s.CanalRayMm / stepMm));
            int ddx = dx, ddy = dy, ddz = dz;
            // dist(p) = 0 on bone, else dist(p + d) + 1, so p + d must be done first: walk against d.
            void Row(int z, int y)
            {
                int z2 = z + ddz, y2 = y + ddy;
                bool rowIn = (uint)z2 < (uint)nz && (uint)y2 < (uint)ny;
                int rowOff = (z * ny + y) * nx, row2 = (z2 * ny + y2) * nx;
                for (int xx = 0; xx < nx; xx++)
                {
                    int x = ddx > 0 ? nx - 1 - xx : xx;
                    int i = rowOff + x;
                    if (d[i] >= bone) { dist[i] = 0; continue; }
                    int x2 = x + ddx;
                    dist[i] = rowIn && (uint)x2 < (uint)nx ? (ushort)Math.Min(Far, dist[row2 + x2] + 1) : Far;
                }
            }
            if (dz == 0)
                Parallel.For(0, nz, po, z =>
                {
                    for (int yy = 0; yy < ny; yy++) Row(z, ddy > 0 ? ny - 1 - yy : yy);
                });
            else
                for (int zz = 0; zz < nz; zz++)
                {
                    int z = ddz > 0 ? nz - 1 - zz : zz;
                    Parallel.For(0, ny, po, y => Row(z, y)); // rows of one slice depend only on the slice done before
                }
            Parallel.For(0, nz, po, z =>
            {
                for (int i = z * plane, e = i + plane; i < e; i++)
                    if (dist[i] > 0 && dist[i] <= maxSteps) count[i]++;
            });
        }
        float lo = (float)s.CanalMinHu, hi = (float)s.BoneGrowHu;
        Parallel.For(0, nz, po, z =>
        {
            for (int i = z * plane, e = i + plane; i < e; i++)
                if (d[i] < lo || d[i] >= hi) count[i] = 0;
        });
        return count;
    }

    internal static List<Blob> SliceBlobs(SpineGrid g, VertebraFinderSettings s, byte[] enclosure, int z, byte[] count, Stack<int> stack)
    {
        int nx = g.Nx, ny = g.Ny, plane = nx * ny, off = z * plane;
        for (int i = 0; i < plane; i++) count[i] = enclosure[off + i] >= s.CanalMinRays ? (byte)1 : (byte)0;

        var result = new List<Blob>();
        double voxelArea = g.Sx * g.Sy;
        for (int seed = 0; seed < plane; seed++)
        {
            if (count[seed] != 1) continue;
            count[seed] = 2;
            stack.Push(seed);
            long n = 0; double sx = 0, sy = 0, sv = 0;
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                int x = i % nx, y = i / nx;
                n++; sx += x; sy += y; sv += g.Data[off + i];
                if (x > 0 && count[i - 1] == 1) { count[i - 1] = 2; stack.Push(i - 1); }
                if (x < nx - 1 && count[i + 1] == 1) { count[i + 1] = 2; stack.Push(i + 1); }
                if (y > 0 && count[i - nx] == 1) { count[i - nx] = 2; stack.Push(i - nx); }
                if (y < ny - 1 && count[i + nx] == 1) { count[i + nx] = 2; stack.Push(i + nx); }
            }
            double area = n * voxelArea;
            // A canal blob: less than a body-sized cavity (adult canal ≈ 150–400 mm²), darker than trabecular bone.
            if (area < Math.Max(30, 1.5 * voxelArea) || area > 900 || sv / n >= s.CanalMaxHu) continue;
            result.Add(new Blob(z, sx / n * g.Sx, sy / n * g.Sy, area, sv / n));
        }
        return result;
    }

    private static void Smooth(double[] v, int first, int last, double sigma)
    {
        if (sigma < 0.5 || last <= first) return;
        int r = (int)Math.Ceiling(2.5 * sigma);
        var src = (double[])v.Clone();
        for (int z = first; z <= last; z++)
        {
            double sum = 0, w = 0;
            for (int m = Math.Max(first, z - r); m <= Math.Min(last, z + r); m++)
            {
                double k = Math.Exp(-0.5 * (m - z) * (m - z) / (sigma * sigma));
                sum += k * src[m]; w += k;
            }
            v[z] = sum / w;
        }
    }

    private static void Extend(double[] x, double[] y, int first, int last, double sz)
    {
        int span = Math.Min(last - first, Math.Max(1, (int)Math.Round(15 / sz)));
        double gx0 = span > 0 ? (x[first + span] - x[first]) / span : 0, gy0 = span > 0 ? (y[first + span] - y[first]) / span : 0;
        double gx1 = span > 0 ? (x[last] - x[last - span]) / span : 0, gy1 = span > 0 ? (y[last] - y[last - span]) / span : 0;
        for (int z = first - 1; z >= 0; z--) { x[z] = x[first] + gx0 * (z - first); y[z] = y[first] + gy0 * (z - first); }
        for (int z = last + 1; z < x.Length; z++) { x[z] = x[last] + gx1 * (z - last); y[z] = y[last] + gy1 * (z - last); }
    }
}
