using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>An index box [I0, I1) × [J0, J1) × [K0, K1) of a grid, with crop and paste helpers.</summary>
internal readonly record struct GridBox(int I0, int J0, int K0, int I1, int J1, int K1)
{
    public int Nx => I1 - I0;
    public int Ny => J1 - J0;
    public int Nz => K1 - K0;
    public bool IsEmpty => Nx <= 0 || Ny <= 0 || Nz <= 0;

    /// <summary>Box of the voxels whose centres lie within the physical box [min, max] expanded by <paramref name="marginMm"/>, clipped to the grid.</summary>
    public static GridBox Around(VolumeGeometry g, Vec3 min, Vec3 max, double marginMm)
    {
        double lo0 = double.MaxValue, lo1 = double.MaxValue, lo2 = double.MaxValue, hi0 = double.MinValue, hi1 = double.MinValue, hi2 = double.MinValue;
        for (int c = 0; c < 8; c++)
        {
            var p = new Vec3((c & 1) == 0 ? min.X - marginMm : max.X + marginMm, (c & 2) == 0 ? min.Y - marginMm : max.Y + marginMm,
                (c & 4) == 0 ? min.Z - marginMm : max.Z + marginMm);
            var x = g.PhysicalToIndex(p);
            lo0 = Math.Min(lo0, x.X); lo1 = Math.Min(lo1, x.Y); lo2 = Math.Min(lo2, x.Z);
            hi0 = Math.Max(hi0, x.X); hi1 = Math.Max(hi1, x.Y); hi2 = Math.Max(hi2, x.Z);
        }
        return new GridBox(Clip(Math.Floor(lo0), g.Nx), Clip(Math.Floor(lo1), g.Ny), Clip(Math.Floor(lo2), g.Nz),
            Clip(Math.Ceiling(hi0) + 1, g.Nx), Clip(Math.Ceiling(hi1) + 1, g.Ny), Clip(Math.Ceiling(hi2) + 1, g.Nz));
    }

    private static int Clip(double v, int n) => (int)Math.Clamp(v, 0, n);

    /// <summary>Bounding box of the non-zero voxels, grown by <paramref name="pad"/> voxels per side and clipped; empty when none.</summary>
    public static GridBox OfNonZero(Volume<byte> mask, int pad)
    {
        var g = mask.Geometry;
        var d = mask.Data;
        var perSlice = new (int I0, int J0, int I1, int J1)[g.Nz];
        Parallel.For(0, g.Nz, k =>
        {
            int i0 = int.MaxValue, j0 = int.MaxValue, i1 = -1, j1 = -1;
            for (int j = 0; j < g.Ny; j++)
            {
                var row = d.AsSpan((int)g.LinearIndex(0, j, k), g.Nx);
                int first = row.IndexOfAnyExcept((byte)0);
                if (first < 0) continue;
                int last = row.LastIndexOfAnyExcept((byte)0);
                i0 = Math.Min(i0, first); i1 = Math.Max(i1, last);
                j0 = Math.Min(j0, j); j1 = j;
            }
            perSlice[k] = (i0, j0, i1, j1);
        });
        int bi0 = int.MaxValue, bj0 = int.MaxValue, bk0 = int.MaxValue, bi1 = -1, bj1 = -1, bk1 = -1;
        for (int k = 0; k < g.Nz; k++)
        {
            var (i0, j0, i1, j1) = perSlice[k];
            if (i1 < 0) continue;
            bi0 = Math.Min(bi0, i0); bj0 = Math.Min(bj0, j0); bi1 = Math.Max(bi1, i1); bj1 = Math.Max(bj1, j1);
            bk0 = Math.Min(bk0, k); bk1 = k;
        }
        if (bi1 < 0) return default;
        return new GridBox(Math.Max(0, bi0 - pad), Math.Max(0, bj0 - pad), Math.Max(0, bk0 - pad),
            Math.Min(g.Nx, bi1 + 1 + pad), Math.Min(g.Ny, bj1 + 1 + pad), Math.Min(g.Nz, bk1 + 1 + pad));
    }

    /// <summary>This box grown by a physical margin per side, clipped to the grid.</summary>
    public GridBox Grow(VolumeGeometry g, double marginMm) => new(
        Math.Max(0, I0 - (int)Math.Ceiling(marginMm / g.Spacing.X)), Math.Max(0, J0 - (int)Math.Ceiling(marginMm / g.Spacing.Y)),
        Math.Max(0, K0 - (int)Math.Ceiling(marginMm / g.Spacing.Z)), Math.Min(g.Nx, I1 + (int)Math.Ceiling(marginMm / g.Spacing.X)),
        Math.Min(g.Ny, J1 + (int)Math.Ceiling(marginMm / g.Spacing.Y)), Math.Min(g.Nz, K1 + (int)Math.Ceiling(marginMm / g.Spacing.Z)));

    /// <summary>Geometry of the box's voxels (same spacing and axes, origin at the box's first voxel).</summary>
    public VolumeGeometry Geometry(VolumeGeometry g) =>
        new(Nx, Ny, Nz, g.Spacing, g.IndexToPhysical(I0, J0, K0), g.Direction);

    /// <summary>Copies the box out of a volume.</summary>
    public Volume<T> Crop<T>(Volume<T> source) where T : unmanaged
    {
        var g = source.Geometry;
        var result = Volume<T>.CreateUninitialized(Geometry(g), source.Metadata);
        var box = this;
        var src = source.Data;
        var dst = result.Data;
        Parallel.For(K0, K1, k =>
        {
            for (int j = box.J0; j < box.J1; j++)
                Array.Copy(src, g.LinearIndex(box.I0, j, k), dst, ((long)(k - box.K0) * box.Ny + (j - box.J0)) * box.Nx, box.Nx);
        });
        return result;
    }

    /// <summary>Writes a box-sized volume into <paramref name="target"/> at the box's place.</summary>
    public void Paste<T>(Volume<T> boxVolume, Volume<T> target) where T : unmanaged
    {
        var g = target.Geometry;
        var box = this;
        var src = boxVolume.Data;
        var dst = target.Data;
        Parallel.For(K0, K1, k =>
        {
            for (int j = box.J0; j < box.J1; j++)
                Array.Copy(src, ((long)(k - box.K0) * box.Ny + (j - box.J0)) * box.Nx, dst, g.LinearIndex(box.I0, j, k), box.Nx);
        });
    }
}
