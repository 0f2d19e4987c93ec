using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// A box of the label grid — first voxel (I0, J0, K0) and size per axis — over which a <see cref="PlanningAnatomy"/> keeps
/// its distance maps. Inside it the maps equal the whole-volume ones; outside, the planner bounds distances from the
/// box's faces (distance is 1-Lipschitz), which keeps clearances conservative for paths that leave it.
/// </summary>
/// <param name="I0">First voxel index along i.</param>
/// <param name="J0">First voxel index along j.</param>
/// <param name="K0">First voxel index along k.</param>
/// <param name="Nx">Voxels along i.</param>
/// <param name="Ny">Voxels along j.</param>
/// <param name="Nz">Voxels along k.</param>
public readonly record struct PlanningRegion(int I0, int J0, int K0, int Nx, int Ny, int Nz)
{
    /// <summary>The whole grid.</summary>
    public static PlanningRegion Whole(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return new PlanningRegion(0, 0, 0, geometry.Nx, geometry.Ny, geometry.Nz);
    }

    /// <summary>Number of voxels in the box.</summary>
    public long VoxelCount => (long)Nx * Ny * Nz;

    /// <summary>True when voxel (i, j, k) of the label grid lies in the box.</summary>
    public bool Contains(int i, int j, int k) =>
        (uint)(i - I0) < (uint)Nx && (uint)(j - J0) < (uint)Ny && (uint)(k - K0) < (uint)Nz;

    /// <summary>
    /// The region in which planning under <paramref name="constraints"/> can look at distances: around every target
    /// (the voxels of Target structures and the given <paramref name="targets"/>, LPS mm), the box that holds every point
    /// within the needle length horizontally and within needle length × sin(maximum angle from the axial plane) along the
    /// patient's axis, since every assessed path and probe lies there; at least the tumour margin plus 10 mm around the
    /// targets (the ice and margin measures); cut to the bounding box of the body (labels ≠ 0), which holds every path
    /// from a skin entry, plus one voxel for interpolation. The whole grid when there is no target.
    /// </summary>
    public static PlanningRegion Around(Volume<byte> labels, LabelTable table, PlanningConstraints constraints, IEnumerable<Vec3>? targets = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(constraints);
        var g = labels.Geometry;
        var isTarget = new bool[256];
        foreach (var s in table.Labels) if (s.Role == LabelRole.Target) isTarget[s.Value] = true;

        // Bounding boxes (indices) of the body and of the target voxels.
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        var d = labels.Data;
        int bi0 = nx, bi1 = -1, bj0 = ny, bj1 = -1, bk0 = nz, bk1 = -1;
        int ti0 = nx, ti1 = -1, tj0 = ny, tj1 = -1, tk0 = nz, tk1 = -1;
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
            {
                long row = ((long)k * ny + j) * nx;
                for (int i = 0; i < nx; i++)
                {
                    byte v = d[row + i];
                    if (v == 0) continue;
                    if (i < bi0) bi0 = i; if (i > bi1) bi1 = i; if (j < bj0) bj0 = j; if (j > bj1) bj1 = j; if (k < bk0) bk0 = k; if (k > bk1) bk1 = k;
                    if (!isTarget[v]) continue;
                    if (i < ti0) ti0 = i; if (i > ti1) ti1 = i; if (j < tj0) tj0 = j; if (j > tj1) tj1 = j; if (k < tk0) tk0 = k; if (k > tk1) tk1 = k;
                }
            }

        var points = new List<Vec3>();
        if (ti1 >= 0)
            for (int c = 0; c < 8; c++)
                points.Add(g.IndexToPhysical((c & 1) == 0 ? ti0 : ti1, (c & 2) == 0 ? tj0 : tj1, (c & 4) == 0 ? tk0 : tk1));
        if (targets is not null) points.AddRange(targets);
        if (points.Count == 0 || bi1 < 0) return Whole(g);

        double horizontal = Math.Max(constraints.NeedleLengthMm, constraints.Goals.TumourMarginMm + 10);
        double vertical = Math.Max(constraints.NeedleLengthMm * Math.Sin(constraints.MaxAngleFromAxialDeg * Math.PI / 180), constraints.Goals.TumourMarginMm + 10);
        double lo0 = double.MaxValue, lo1 = double.MaxValue, lo2 = double.MaxValue, hi0 = double.MinValue, hi1 = double.MinValue, hi2 = double.MinValue;
        foreach (var p in points)
            for (int c = 0; c < 8; c++)
            {
                var corner = new Vec3(p.X + ((c & 1) == 0 ? -horizontal : horizontal), p.Y + ((c & 2) == 0 ? -horizontal : horizontal),
                    p.Z + ((c & 4) == 0 ? -vertical : vertical));
                var idx = g.PhysicalToIndex(corner);
                lo0 = Math.Min(lo0, idx.X); hi0 = Math.Max(hi0, idx.X);
                lo1 = Math.Min(lo1, idx.Y); hi1 = Math.Max(hi1, idx.Y);
                lo2 = Math.Min(lo2, idx.Z); hi2 = Math.Max(hi2, idx.Z);
            }
        static int Lo(double reach, int body) => (int)Math.Max(Math.Max(Math.Floor(reach), body) - 1, 0);
        static int Hi(double reach, int body, int n) => (int)Math.Min(Math.Min(Math.Ceiling(reach), body) + 1, n - 1);
        int i0 = Lo(lo0, bi0), i1 = Hi(hi0, bi1, nx), j0 = Lo(lo1, bj0), j1 = Hi(hi1, bj1, ny), k0 = Lo(lo2, bk0), k1 = Hi(hi2, bk1, nz);
        if (i1 < i0 || j1 < j0 || k1 < k0) return Whole(g);
        return new PlanningRegion(i0, j0, k0, i1 - i0 + 1, j1 - j0 + 1, k1 - k0 + 1);
    }
}
