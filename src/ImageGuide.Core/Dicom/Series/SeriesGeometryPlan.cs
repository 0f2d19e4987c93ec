using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// The geometry decided for one stack before any pixel is read: the frames in sorted order, the output grid and
/// the report (spacing, tilt, warnings). Produced by <see cref="SeriesAssembler.Plan"/>; immutable.
/// </summary>
public sealed class SeriesGeometryPlan
{
    internal SeriesGeometryPlan(IReadOnlyList<DicomSliceHeader> slices, VolumeGeometry geometry, SeriesAssemblyReport report,
        StackLayout layout)
    {
        Slices = slices;
        Geometry = geometry;
        Report = report;
        Layout = layout;
    }

    /// <summary>The frames that make up the volume, ascending along the slice normal.</summary>
    public IReadOnlyList<DicomSliceHeader> Slices { get; }

    /// <summary>The output grid: axes row cosine, column cosine, slice normal; origin at the first slice (or the union's corner for a tilted stack).</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>What was found (spacings, tilt, warnings) and whether values will be resampled.</summary>
    public SeriesAssemblyReport Report { get; }

    /// <summary>Per-slice placement relative to the output grid, used by the resampler.</summary>
    internal StackLayout Layout { get; }
}

/// <summary>
/// Placement of the sorted input slices in the output grid's frame: slice t lies at depth <see cref="Depth"/>[t]
/// (mm along the normal from the first slice) and its origin is shifted in-plane by
/// (<see cref="OffsetAlongRow"/>[t], <see cref="OffsetAlongColumn"/>[t]) mm from the first slice's origin. The
/// stacking direction is <c>n + ShearRow·r + ShearColumn·c</c>. The output grid's voxel (0,0) sits at in-plane
/// offset (<see cref="GridOffsetAlongRow"/>, <see cref="GridOffsetAlongColumn"/>) from the first slice origin.
/// </summary>
internal sealed record StackLayout(
    double[] Depth, double[] OffsetAlongRow, double[] OffsetAlongColumn,
    double ShearRow, double ShearColumn, double GridOffsetAlongRow, double GridOffsetAlongColumn,
    bool NeedsResampling);
