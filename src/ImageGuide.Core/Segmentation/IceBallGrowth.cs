using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>
/// Change of the ice ball since an earlier intra-procedural scan ("the ice ball keeps growing for minutes after a cycle
/// stops", 004).
/// </summary>
/// <param name="PreviousVolumeMl">Volume of the earlier ice ball, mL.</param>
/// <param name="VolumeChangeMl">Current minus earlier volume, mL.</param>
/// <param name="MeanEdgeGrowthMm">Mean signed distance of the current edge from the earlier edge (positive = grown), mm.</param>
/// <param name="MaxEdgeGrowthMm">Largest distance of current ice beyond the earlier ice ball, mm.</param>
public sealed record IceBallGrowth(double PreviousVolumeMl, double VolumeChangeMl, double MeanEdgeGrowthMm, double MaxEdgeGrowthMm)
{
    /// <summary>Compares two masks on the same grid (non-zero = ice).</summary>
    public static IceBallGrowth Compute(Volume<byte> previous, Volume<byte> current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        IceBallMeasures.RequireSameGrid(previous, current);
        double before = IceBallMeasures.VolumeMl(previous), now = IceBallMeasures.VolumeMl(current);
        var g = current.Geometry;
        var a = GridBox.OfNonZero(previous, 0);
        var b = GridBox.OfNonZero(current, 0);
        if (a.IsEmpty || b.IsEmpty) return new IceBallGrowth(before, now - before, 0, 0);
        var box = new GridBox(Math.Min(a.I0, b.I0), Math.Min(a.J0, b.J0), Math.Min(a.K0, b.K0), Math.Max(a.I1, b.I1), Math.Max(a.J1, b.J1), Math.Max(a.K1, b.K1))
            .Grow(g, 2 * Math.Max(g.Spacing.X, Math.Max(g.Spacing.Y, g.Spacing.Z)));
        var sd = DistanceTransform.Signed(box.Crop(previous), cancellationToken);
        var cur = box.Crop(current);
        var surface = IceBallMeasures.Surface(cur);
        double half = IceBallMeasures.HalfVoxel(g), sum = 0, max = 0;
        long count = 0;
        for (long n = 0; n < cur.Data.LongLength; n++)
        {
            if (cur.Data[n] != 0 && sd.Data[n] > 0) max = Math.Max(max, sd.Data[n]);
            if (surface.Data[n] == 0) continue;
            sum += IceBallMeasures.EdgeDistance(sd.Data[n], half) + half;
            count++;
        }
        return new IceBallGrowth(before, now - before, count == 0 ? 0 : sum / count, max);
    }
}
