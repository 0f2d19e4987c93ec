using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Workflows.Validation;

/// <summary>A checkerboard and an alpha-fusion snapshot of a registered case, through the centre of its evaluation points.</summary>
public static class CaseSnapshots
{
    /// <summary>File name of a case's snapshot of <paramref name="kind"/> ("checkerboard" or "fusion").</summary>
    public static string FileName(string caseId, string tool, string kind) => $"{caseId}-{tool}-{kind}.png";

    /// <summary>Renders both snapshots (axial, 384 pixels across the fixed image's in-plane field of view) into <paramref name="folder"/>.</summary>
    public static void Write(ValidationCaseData data, RigidTransform fixedToMoving, string folder, string tool)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fixedToMoving);
        var g = data.Fixed.Geometry;
        var center = Vec3.Zero;
        foreach (var p in data.FixedPoints) center += p;
        center /= Math.Max(1, data.FixedPoints.Count);
        double extent = Math.Max(g.Extent.X, g.Extent.Y);
        double spacing = extent / 384;
        var plane = SlicePlane.Axial(g, center, spacing);
        var checker = new SnapshotRequest
        {
            Image = data.Fixed, Plane = plane, Overlay = data.Moving, ImageToOverlay = fixedToMoving, Mode = FusionMode.Checkerboard, TilePixels = 48,
            Title = $"{tool} · checkerboard",
        };
        FusionSnapshot.Write(checker, Path.Combine(folder, FileName(data.Case.Id, tool, "checkerboard")));
        FusionSnapshot.Write(checker with { Mode = FusionMode.Alpha, Opacity = 0.45, Title = $"{tool} · fusion" },
            Path.Combine(folder, FileName(data.Case.Id, tool, "fusion")));
    }
}
