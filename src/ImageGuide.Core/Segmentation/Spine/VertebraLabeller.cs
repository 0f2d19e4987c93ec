using ImageGuide.Imaging;

namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Splits the spine's bone into one segment per vertebra. Bone is grown by hysteresis (seeds ≥
/// <see cref="VertebraFinderSettings.BoneSeedHu"/>, grown through ≥ <see cref="VertebraFinderSettings.BoneGrowHu"/>) within
/// <see cref="VertebraFinderSettings.SpineRadiusMm"/> of the canal axis; per slice, holes in it (the dark marrow of
/// osteoporotic bodies) are filled, except the canal. Soft voxels in front of the canal enclosed by bone along
/// most of 24 rays, or along all 8 in-plane ones (<see cref="MarrowFill"/>), are a body's marrow and bone too; the discs'
/// slabs are taken back out (<see cref="DiscSpaces"/>). The bodies (bone in front of the canal) go to the segment between
/// the planes through the disc centres perpendicular to the body line that enclose them; the rest of the bone (pedicles,
/// laminae, articular, transverse and spinous processes, which slope caudally past those planes) goes to the body it is
/// geodesically nearest to through the bone (<see cref="BoneGeodesics"/>), i.e. the one it is joined to by its pedicles.
/// </summary>
internal static class VertebraLabeller
{
    /// <summary>Ray length for the marrow enclosure (mm): half the width of a lumbar body (≈ 45–50 mm) with margin.</summary>
    public const double MarrowRayMm = 35;

    /// <summary>Of the 24 enclosure rays (of <see cref="MarrowRayMm"/>), how many must hit bone for soft tissue in front of the canal to count as a body's marrow.</summary>
    private const int MarrowMinRays = 16;

    /// <summary>
    /// Bone at least this far (mm) in front of the canal centre is body and keeps the plane cut (4: the canal's front wall
    /// lies ≈ 7–9 mm before its centre, so this takes the body's back wall and the pedicles' roots; 8 and 12 measured worse
    /// on L5 and the crop's L2).
    /// </summary>
    private const double BodySeedFrontMm = 4;

    /// <summary>Body seeds lie within this (mm) left and right of the canal centre: a lumbar body is ≤ 50 mm wide.</summary>
    private const double BodySeedHalfWidthMm = 30;

    /// <summary>
    /// Segment per canonical voxel, split by the disc <paramref name="planes"/> (<see cref="DiscPlanes"/>) (<paramref name="enclosure"/>: <see cref="SpinalCanal.Enclosure"/> with rays of <see cref="MarrowRayMm"/>): 0 no spine bone, k + 1 for the vertebra whose body lies between disc k − 1 and disc k
    /// (discs caudal first; segment 1 lies below the first disc, segment discs.Count + 1 above the last), with the posterior
    /// elements joined to that body.
    /// </summary>
    public static byte[] Assign(SpineGrid g, byte[] enclosure, SpinalCanal canal, BodyProfile profile, IReadOnlyList<int> discs,
        (Vec3[] Points, Vec3[] Normals) planes, VertebraFinderSettings s, CancellationToken cancellationToken)
    {
        var bone = SpineBone(g, enclosure, canal, s, cancellationToken);
        MarrowFill.Fill(g, bone, canal, cancellationToken);
        DiscSpaces.Clear(g, bone, canal, profile, discs, planes, s, cancellationToken);
        int nx = g.Nx, ny = g.Ny, plane = nx * ny;
        var (points, normals) = planes;
        var seg = new byte[g.Data.Length];
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            double zm = z * g.Sz;
            for (int y = 0; y < ny; y++)
            {
                double ym = y * g.Sy;
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++)
                {
                    if (bone[row + x] == 0) continue;
                    var p = new Vec3(x * g.Sx, ym, zm);
                    int count = 0;
                    for (int k = 0; k < points.Length; k++)
                        if (Vec3.Dot(p - points[k], normals[k]) > 0) count++;
                    seg[row + x] = (byte)(count + 1);
                }
            }
        });
        // Bodies keep the plane cut; the rest of the bone goes to the body it is joined to.
        double back = BodySeedFrontMm, half = BodySeedHalfWidthMm;
        var seed = new bool[seg.Length];
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            double cx = canal.X[z], yMax = canal.Y[z] - back;
            for (int y = 0; y < ny; y++)
            {
                if (y * g.Sy >= yMax) continue;
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++)
                    if (seg[row + x] != 0 && Math.Abs(x * g.Sx - cx) < half) seed[row + x] = true;
            }
        });
        int foreign = SeedForeignBone(g, bone, canal, s, seed, seg);
        BoneGeodesics.Grow(g, bone, seed, seg, s.BoneGrowHu, cancellationToken);
        if (foreign > 0)
            for (int i = 0; i < seg.Length; i++) if (seg[i] == ForeignLabel) seg[i] = 0;
        return seg;
    }

    /// <summary>Segment value, during the geodesic split only, of bone that belongs to no vertebra (ribs, ilia).</summary>
    private const byte ForeignLabel = 255;

    /// <summary>
    /// Spine bone that leaves the spine region sideways (a bone voxel on the region's rim, lateral of the canal by more
    /// than it is in front of or behind it, whose outward neighbour is bone too) is the root of a rib or an ilium, not
    /// of a vertebra: a lumbar transverse process ends ≈ 45 mm from the midline, well inside the 65 mm region, while the
    /// ribs and the iliac wings run on far beyond it. Those rim voxels become seeds of a foreign segment that competes in
    /// the geodesic split, so the rib up to its costovertebral joint and the ilium up to the sacro-iliac joint (valleys
    /// the geodesics pay for) go to neither vertebra. Returns how many foreign seeds were set.
    /// </summary>
    private static int SeedForeignBone(SpineGrid g, byte[] bone, SpinalCanal canal, VertebraFinderSettings s, bool[] seed, byte[] seg)
    {
        int nx = g.Nx, ny = g.Ny, count = 0;
        double r = s.SpineRadiusMm, rimIn = r - 1.5 * Math.Max(g.Sx, g.Sy), grow = s.BoneGrowHu;
        for (int z = 0; z < g.Nz; z++)
        {
            double cx = canal.X[z], cy = canal.Y[z];
            for (int y = 0; y < ny; y++)
            {
                double dy = y * g.Sy - cy;
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++)
                {
                    int i = row + x;
                    if (bone[i] == 0) continue;
                    double dx = x * g.Sx - cx, d = Math.Sqrt(dx * dx + dy * dy);
                    if (d < rimIn || Math.Abs(dx) < Math.Abs(dy)) continue;
                    // The bone carries on outward: the voxel one step further along the radius is bone-bright.
                    double ox = dx / d, oy = dy / d;
                    int xo = (int)Math.Round(x + 1.5 * ox), yo = (int)Math.Round(y + 1.5 * oy); // 1.5 voxels further out
                    if ((uint)xo >= (uint)nx || (uint)yo >= (uint)ny || g.Data[(z * ny + yo) * nx + xo] < grow) continue;
                    seed[i] = true; seg[i] = ForeignLabel; count++;
                }
            }
        }
        return count;
    }

    /// <summary>Hysteresis bone near the canal axis with per-slice holes filled (the canal kept open): 1 bone, 0 not.</summary>
    internal static byte[] SpineBone(SpineGrid g, byte[] enclosure, SpinalCanal canal, VertebraFinderSettings s, CancellationToken cancellationToken)
    {
        int nx = g.Nx, ny = g.Ny, nz = g.Nz, plane = nx * ny;
        var d = g.Data;
        // 0 outside the spine region or soft, 1 grow-level bone, 2 seed-level bone.
        var m = new byte[d.Length];
        float seed = (float)s.BoneSeedHu, grow = (float)s.BoneGrowHu;
        double r2 = s.SpineRadiusMm * s.SpineRadiusMm;
        var po = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, nz, po, z =>
        {
            double cx = canal.X[z], cy = canal.Y[z];
            for (int y = 0; y < ny; y++)
            {
                double dy = y * g.Sy - cy;
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++)
                {
                    double dx = x * g.Sx - cx;
                    if (dx * dx + dy * dy > r2) continue;
                    float v = d[row + x];
                    m[row + x] = v >= seed ? (byte)2 : v >= grow ? (byte)1 : (byte)0;
                }
            }
        });
        // Hysteresis: keep grow-level bone 6-connected to a seed.
        var bone = new byte[d.Length];
        var queue = new Queue<int>();
        for (int i = 0; i < m.Length; i++)
            if (m[i] == 2) { bone[i] = 1; queue.Enqueue(i); }
        while (queue.Count > 0)
        {
            int i = queue.Dequeue();
            int x = i % nx, y = i / nx % ny, z = i / plane;
            void Visit(int j) { if (m[j] != 0 && bone[j] == 0) { bone[j] = 1; queue.Enqueue(j); } }
            if (x > 0) Visit(i - 1);
            if (x < nx - 1) Visit(i + 1);
            if (y > 0) Visit(i - nx);
            if (y < ny - 1) Visit(i + nx);
            if (z > 0) Visit(i - plane);
            if (z < nz - 1) Visit(i + plane);
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Per-slice hole filling: soft voxels not reachable from the slice border or the canal centre become bone. On thin
        // slices the reach runs through soft tissue opened by r voxels, so that narrow gaps (the basivertebral foramen in a
        // body's back wall, partial-volume breaks of the cortex) do not let the outside into the marrow; the reached region
        // is grown back by r within soft tissue afterwards.
        int rOpen = (int)Math.Round(1.5 / Math.Min(g.Sx, g.Sy), MidpointRounding.ToZero);
        Parallel.For(0, nz, po, () => (Reach: new byte[plane], Open: new bool[plane], Stack: new Stack<int>(), Next: new List<int>()), (z, _, buf) =>
        {
            var reach = buf.Reach;
            var open = buf.Open;
            var stack = buf.Stack;
            Array.Clear(reach);
            int off = z * plane;
            for (int i = 0; i < plane; i++)
            {
                if (bone[off + i] != 0) { open[i] = false; continue; }
                bool ok = true;
                int x = i % nx, y = i / nx;
                for (int dy = -rOpen; dy <= rOpen && ok; dy++)
                for (int dx = -rOpen; dx <= rOpen; dx++)
                {
                    int xx = x + dx, yy = y + dy;
                    if ((uint)xx < (uint)nx && (uint)yy < (uint)ny && bone[off + yy * nx + xx] != 0) { ok = false; break; }
                }
                open[i] = ok;
            }
            void Push(int i) { if (open[i] && reach[i] == 0) { reach[i] = 1; stack.Push(i); } }
            for (int x = 0; x < nx; x++) { Push(x); Push((ny - 1) * nx + x); }
            for (int y = 0; y < ny; y++) { Push(y * nx); Push(y * nx + nx - 1); }
            int ccx = (int)Math.Round(canal.X[z] / g.Sx), ccy = (int)Math.Round(canal.Y[z] / g.Sy);
            int rc = Math.Max(1, (int)Math.Round(3 / Math.Min(g.Sx, g.Sy)));
            for (int y = ccy - rc; y <= ccy + rc; y++)
            for (int x = ccx - rc; x <= ccx + rc; x++)
                if ((uint)x < (uint)nx && (uint)y < (uint)ny) Push(y * nx + x);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                int x = i % nx, y = i / nx;
                if (x > 0) Push(i - 1);
                if (x < nx - 1) Push(i + 1);
                if (y > 0) Push(i - nx);
                if (y < ny - 1) Push(i + nx);
            }
            // Grow the reached region back by rOpen within soft tissue.
            var next = buf.Next;
            for (int step = 0; step < rOpen; step++)
            {
                next.Clear();
                for (int i = 0; i < plane; i++)
                {
                    if (reach[i] != 0 || bone[off + i] != 0) continue;
                    int x = i % nx, y = i / nx;
                    if ((x > 0 && reach[i - 1] != 0) || (x < nx - 1 && reach[i + 1] != 0) || (y > 0 && reach[i - nx] != 0) || (y < ny - 1 && reach[i + nx] != 0)
                        || (x > 0 && y > 0 && reach[i - nx - 1] != 0) || (x < nx - 1 && y > 0 && reach[i - nx + 1] != 0)
                        || (x > 0 && y < ny - 1 && reach[i + nx - 1] != 0) || (x < nx - 1 && y < ny - 1 && reach[i + nx + 1] != 0))
                        next.Add(i);
                }
                foreach (int i in next) reach[i] = 1;
            }
            double cx = canal.X[z], cy = canal.Y[z];
            for (int i = 0; i < plane; i++)
            {
                if (bone[off + i] != 0) continue;
                // Soft tissue walled in by bone in most directions (in 3-D) and ≥ 10 mm in front of the canal centre (past
                // the canal's front edge) is a body's marrow even where the cortex has a gap (the basivertebral foramen
                // opens the back wall onto the canal; osteoporotic marrow can be as dark as CSF).
                if (reach[i] != 0 && !(enclosure[off + i] >= MarrowMinRays && i / nx * g.Sy < cy - 10)) continue;
                double dx = i % nx * g.Sx - cx, dy = i / nx * g.Sy - cy;
                if (dx * dx + dy * dy <= r2) bone[off + i] = 1;
            }
            return buf;
        }, _ => { });
        return bone;
    }
}
