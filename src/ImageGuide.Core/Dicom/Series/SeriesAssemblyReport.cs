namespace ImageGuide.Dicom.Series;

/// <summary>A run of consecutive slices (1-based, in sorted order) with one spacing along the normal.</summary>
/// <param name="FirstSlice">1-based sorted index of the first slice of the run.</param>
/// <param name="LastSlice">1-based sorted index of the last slice of the run.</param>
/// <param name="SpacingMm">Mean distance between neighbours along the slice normal inside the run (mm).</param>
public readonly record struct SpacingSlab(int FirstSlice, int LastSlice, double SpacingMm)
{
    /// <summary>Number of gaps inside the run.</summary>
    public int GapCount => LastSlice - FirstSlice;
}

/// <summary>Facts established while a stack of frames became a volume. Immutable.</summary>
public sealed record SeriesAssemblyReport
{
    /// <summary>Series Instance UID of the assembled stack.</summary>
    public required string SeriesInstanceUid { get; init; }

    /// <summary>Human-readable warnings (tilt, uneven spacing, split stacks, padding, dropped duplicates).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>
    /// Angle (degrees) between the stacking direction (line through the slice origins) and the slice normal;
    /// 0 for an orthogonal stack. Measured from positions, never taken from Gantry/Detector Tilt.
    /// </summary>
    public double GantryTiltDegrees { get; init; }

    /// <summary>Gantry/Detector Tilt (0018,1120) as written in the first slice, when present.</summary>
    public double? GantryTiltAttributeDegrees { get; init; }

    /// <summary>Distinct gaps between neighbouring slices along the normal (rounded to 1e-4 mm), ascending.</summary>
    public required IReadOnlyList<double> UniqueSpacingsMm { get; init; }

    /// <summary>Runs of equal spacing in sorted order; one entry for an even stack.</summary>
    public required IReadOnlyList<SpacingSlab> Slabs { get; init; }

    /// <summary>Spacing of the output grid along the normal (mm).</summary>
    public double OutputSpacingMm { get; init; }

    /// <summary>True when voxel values were interpolated (tilt or uneven spacing), false when copied.</summary>
    public bool Resampled { get; init; }

    /// <summary>Display names of the frames in sorted order (ascending along the slice normal).</summary>
    public required IReadOnlyList<string> SliceOrder { get; init; }

    /// <summary>Number of frames in the assembled stack.</summary>
    public int SliceCount => SliceOrder.Count;

    /// <summary>
    /// Rescaled Pixel Padding Value when the series declares one. Padded voxels keep this value (they are not
    /// masked), so statistics of the volume include them.
    /// </summary>
    public double? PixelPaddingValue { get; init; }

    /// <summary>Units of the voxel values ("HU" for rescaled CT, null otherwise).</summary>
    public string? Units { get; init; }
}
