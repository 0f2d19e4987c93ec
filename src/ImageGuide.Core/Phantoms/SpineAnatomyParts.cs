using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>The pieces a <see cref="SpineAnatomyBuilder"/> assembles, handed to <see cref="SpineAnatomy"/>.</summary>
internal sealed class SpineAnatomyParts
{
    public required ulong Seed { get; init; }
    public required SpineCurve Curve { get; init; }
    public required List<PaintedShape> Shapes { get; init; }
    public required IReadOnlyList<VertebralLevel> Levels { get; init; }
    public required int TumourLevelIndex { get; init; }
    public required int TumourSide { get; init; }
    public required PaintedShape Tumour { get; init; }
    public required (double X, double Y) BodySemiAxes { get; init; }

    /// <summary>Candidate landmarks in straight spine coordinates.</summary>
    public required List<(string Name, LandmarkKind Kind, Vec3 Straight)> LandmarkCandidates { get; init; }

    /// <summary>
    /// Radius (mm) around a landmark that must hold a single label; larger than the half-diagonal of the
    /// coarsest grid (2 × 2 × 4 mm MR in small size → 2.45 mm) so the nearest voxel of every frame carries it.
    /// </summary>
    public const double LandmarkClearanceMm = 2.6;

    /// <summary>Curves each candidate, labels it, and keeps those whose neighbourhood holds one label only.</summary>
    public IReadOnlyList<Landmark> BuildLandmarks(SpineAnatomy anatomy)
    {
        var result = new List<Landmark>();
        foreach (var (name, kind, straight) in LandmarkCandidates)
        {
            var p = anatomy.Curve.ToCurved(straight);
            byte label = anatomy.LabelAt(p);
            if (label != SpineLabels.Background && IsUniform(anatomy, p, label)) result.Add(new Landmark(name, kind, p, label));
        }
        return result;
    }

    private static bool IsUniform(SpineAnatomy anatomy, Vec3 p, byte label)
    {
        double r = LandmarkClearanceMm;
        for (int dx = -1; dx <= 1; dx++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dz = -1; dz <= 1; dz++)
                {
                    if (dx == 0 && dy == 0 && dz == 0) continue;
                    var d = new Vec3(dx, dy, dz).Normalized();
                    for (int step = 1; step <= 2; step++)
                        if (anatomy.LabelAt(p + d * (r * step / 2)) != label) return false;
                }
        return true;
    }
}
