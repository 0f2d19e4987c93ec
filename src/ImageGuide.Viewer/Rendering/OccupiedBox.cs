using ImageGuide.Imaging;

namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// The index-space bounding box of the voxels that can be visible in the 3-D pane (value above a transfer function's
/// threshold, or a coloured label), used to skip the empty part of every ray. Inclusive voxel indices.
/// </summary>
internal readonly record struct OccupiedBox(int MinI, int MinJ, int MinK, int MaxI, int MaxJ, int MaxK)
{
    /// <summary>Voxels whose value exceeds <paramref name="threshold"/>; null when there are none.</summary>
    public static OccupiedBox? Above(Volume<float> volume, float threshold) => Find(volume, v => v > threshold);

    /// <summary>Voxels whose label is flagged in <paramref name="visible"/> (256 entries); null when there are none.</summary>
    public static OccupiedBox? Labelled(Volume<byte> labels, bool[] visible) => Find(labels, v => visible[v]);

    private static OccupiedBox? Find<T>(Volume<T> volume, Func<T, bool> occupied) where T : unmanaged
    {
        var g = volume.Geometry;
        var gate = new object();
        OccupiedBox? result = null;
        Parallel.For(0, g.Nz, () => (OccupiedBox?)null, (k, _, local) =>
        {
            var slice = volume.Slice(k);
            for (int j = 0; j < g.Ny; j++)
            {
                var row = slice.Slice(j * g.Nx, g.Nx);
                int first = -1, last = -1;
                for (int i = 0; i < row.Length; i++)
                {
                    if (!occupied(row[i])) continue;
                    if (first < 0) first = i;
                    last = i;
                }
                if (first >= 0) local = Union(local, new OccupiedBox(first, j, k, last, j, k));
            }
            return local;
        }, local =>
        {
            if (local is null) return;
            lock (gate) result = Union(result, local.Value);
        });
        return result;
    }

    private static OccupiedBox Union(OccupiedBox? a, OccupiedBox b) => a is not { } x ? b : new OccupiedBox(
        Math.Min(x.MinI, b.MinI), Math.Min(x.MinJ, b.MinJ), Math.Min(x.MinK, b.MinK),
        Math.Max(x.MaxI, b.MaxI), Math.Max(x.MaxJ, b.MaxJ), Math.Max(x.MaxK, b.MaxK));

    /// <summary>
    /// The box grown by one voxel (trilinear samples reach that far), mapped through <paramref name="toTarget"/>
    /// (a point map from this volume's index space) and bounded: min and max corners in the target's index space.
    /// </summary>
    public (Vec3 Min, Vec3 Max) Enclose(Func<Vec3, Vec3> toTarget)
    {
        var min = new Vec3(double.MaxValue, double.MaxValue, double.MaxValue);
        var max = new Vec3(double.MinValue, double.MinValue, double.MinValue);
        for (int c = 0; c < 8; c++)
        {
            var corner = new Vec3((c & 1) == 0 ? MinI - 1 : MaxI + 1, (c & 2) == 0 ? MinJ - 1 : MaxJ + 1, (c & 4) == 0 ? MinK - 1 : MaxK + 1);
            var p = toTarget(corner);
            min = new Vec3(Math.Min(min.X, p.X), Math.Min(min.Y, p.Y), Math.Min(min.Z, p.Z));
            max = new Vec3(Math.Max(max.X, p.X), Math.Max(max.Y, p.Y), Math.Max(max.Z, p.Z));
        }
        return (min, max);
    }
}
