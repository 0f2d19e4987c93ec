namespace ImageGuide.Imaging;

/// <summary>One label value's region in a label map: voxel count, centroid (LPS mm) and index bounding box (inclusive).</summary>
internal readonly record struct LabelRegion(Vec3 Centroid, long Count, (int I, int J, int K) Min, (int I, int J, int K) Max);

/// <summary>Every label value's region of a label map in one pass.</summary>
internal static class LabelRegions
{
    /// <summary>The regions indexed by label value (0 … 255); a value that does not occur has count 0.</summary>
    public static LabelRegion[] Of(Volume<byte> labels, CancellationToken ct = default)
    {
        var g = labels.Geometry;
        var sum = new double[256, 3];
        var count = new long[256];
        var min = new int[256, 3];
        var max = new int[256, 3];
        for (int v = 0; v < 256; v++) { min[v, 0] = min[v, 1] = min[v, 2] = int.MaxValue; max[v, 0] = max[v, 1] = max[v, 2] = -1; }
        var d = labels.Data;
        long n = 0;
        for (int k = 0; k < g.Nz; k++)
        {
            ct.ThrowIfCancellationRequested();
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    int v = d[n];
                    if (v == 0) continue;
                    count[v]++;
                    sum[v, 0] += i; sum[v, 1] += j; sum[v, 2] += k;
                    if (i < min[v, 0]) min[v, 0] = i; if (j < min[v, 1]) min[v, 1] = j; if (k < min[v, 2]) min[v, 2] = k;
                    if (i > max[v, 0]) max[v, 0] = i; if (j > max[v, 1]) max[v, 1] = j; if (k > max[v, 2]) max[v, 2] = k;
                }
        }
        var result = new LabelRegion[256];
        for (int v = 1; v < 256; v++)
            result[v] = new LabelRegion(count[v] == 0 ? Vec3.Zero : g.IndexToPhysical(new Vec3(sum[v, 0] / count[v], sum[v, 1] / count[v], sum[v, 2] / count[v])),
                count[v], (min[v, 0], min[v, 1], min[v, 2]), (max[v, 0], max[v, 1], max[v, 2]));
        return result;
    }
}
