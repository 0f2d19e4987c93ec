using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Segmentation.Spine;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// The vertebrae of a per-vertebra validation case (labels on the fixed grid) and the level each evaluation point
/// belongs to (<see cref="VertebraLabelSet.LevelAt"/>: the label at the point, or — for a landmark on the bone's
/// surface — the nearest within <see cref="ValidationCaseData.LevelSearchRadiusMm"/>); 0 for a point in no vertebra.
/// </summary>
/// <param name="Labels">Vertebra labels on the fixed image's grid.</param>
/// <param name="Levels">The levels, cranial first.</param>
/// <param name="Source">Where the labels came from (the file and its numbering, or the automatic finder and its naming), in words.</param>
/// <param name="PointLabels">Per evaluation point (the case's fixed points, in order): its level's label, or 0.</param>
public sealed record CaseVertebrae(Volume<byte> Labels, IReadOnlyList<VertebraLevel> Levels, string Source, IReadOnlyList<byte> PointLabels)
{
    /// <summary>Reads the case's label map onto <paramref name="grid"/> and assigns <paramref name="points"/> to levels.</summary>
    /// <exception cref="ImageGuideException">Unreadable map or table, or no level in it.</exception>
    public static CaseVertebrae Read(string labelsPath, string? tablePath, VertebraLabelScheme scheme, VolumeGeometry grid, IReadOnlyList<Vec3> points,
        CancellationToken cancellationToken)
    {
        var (labels, set) = VertebraLabelSet.Read(labelsPath, tablePath, scheme, grid, cancellationToken);
        return new CaseVertebrae(labels, set.Levels, $"{Path.GetFileName(labelsPath)} ({set.Scheme} numbering)", Assign(labels, set, points));
    }

    /// <summary>Finds the vertebrae on the fixed CT (<see cref="VertebraFinder"/>) and assigns <paramref name="points"/> to levels.</summary>
    /// <exception cref="ImageGuideException">No spine found.</exception>
    public static CaseVertebrae Find(Volume<float> ct, string? anchor, IReadOnlyList<Vec3> points, CancellationToken cancellationToken)
    {
        var found = VertebraFinder.Find(ct, anchor, null, cancellationToken);
        return new CaseVertebrae(found.Labels, found.Levels, $"found automatically on the fixed CT; {found.NamingReason}", Assign(found.Labels, new VertebraLabelSet(found.Levels, VertebraLabelScheme.TotalSegmentator, []), points));
    }

    /// <summary>Per point: the label of its level (<see cref="VertebraLabelSet.LevelAt"/> within the search radius), or 0.</summary>
    private static byte[] Assign(Volume<byte> labels, VertebraLabelSet set, IReadOnlyList<Vec3> points)
    {
        var result = new byte[points.Count];
        for (int p = 0; p < points.Count; p++) result[p] = set.LevelAt(labels, points[p], ValidationCaseData.LevelSearchRadiusMm)?.Label ?? 0;
        return result;
    }
}
