namespace ImageGuide.Dicom.Series;

/// <summary>What to do with a stack whose slices are not evenly spaced along the slice normal.</summary>
public enum UnevenSpacingPolicy
{
    /// <summary>Resample linearly onto a uniform grid along the normal and add a warning naming the slabs and gaps.</summary>
    Resample,
    /// <summary>Refuse with a <see cref="GeometryException"/> naming the slices around each irregular gap.</summary>
    Strict,
}

/// <summary>What to do with a sheared stack (CT gantry tilt: slice origins not on the slice normal).</summary>
public enum GantryTiltPolicy
{
    /// <summary>Resample onto an orthogonal grid and add a warning stating the tilt angle.</summary>
    Resample,
    /// <summary>Refuse with a <see cref="GeometryException"/> stating the tilt angle.</summary>
    Strict,
}

/// <summary>What to do with two or more frames at the same position along the slice normal.</summary>
public enum DuplicatePositionPolicy
{
    /// <summary>
    /// Refuse with a <see cref="GeometryException"/> naming the files (several echoes, phases or acquisitions
    /// usually share a series UID and need a choice the library cannot make). Frames that repeat the same SOP
    /// Instance UID and frame number are the same image (a copied file) and are always dropped with a warning.
    /// </summary>
    Refuse,
    /// <summary>Keep the frame with the lowest Instance Number (then file name) at each position; warn naming the dropped ones.</summary>
    KeepFirst,
}

/// <summary>Settings of <see cref="SeriesAssembler"/>. Immutable; <see cref="Default"/> suits clinical CT and MR.</summary>
public sealed record SeriesAssemblyOptions
{
    /// <summary>Resample uneven and tilted stacks, refuse duplicate positions, 0.01 mm tolerance.</summary>
    public static SeriesAssemblyOptions Default { get; } = new();

    /// <summary>
    /// Largest deviation (mm) of a slice position from the uniform grid through the first and last slice that is
    /// still treated as evenly spaced, and of a slice origin from the slice normal that is not yet a shear.
    /// Default 0.01 mm (10 µm): far below any reconstruction spacing, far above the rounding of positions
    /// written with six or more decimals.
    /// </summary>
    public double SpacingToleranceMm { get; init; } = 0.01;

    /// <summary>
    /// Largest difference between the Image Orientation (Patient) cosines of two frames that still belong to the
    /// same stack (dimensionless, per component). Default 1e-4.
    /// </summary>
    public double OrientationTolerance { get; init; } = 1e-4;

    /// <summary>Policy for uneven spacing, missing slices and mixed slabs. Default <see cref="UnevenSpacingPolicy.Resample"/>.</summary>
    public UnevenSpacingPolicy UnevenSpacing { get; init; } = UnevenSpacingPolicy.Resample;

    /// <summary>Policy for sheared (gantry-tilted) stacks. Default <see cref="GantryTiltPolicy.Resample"/>.</summary>
    public GantryTiltPolicy GantryTilt { get; init; } = GantryTiltPolicy.Resample;

    /// <summary>Policy for frames sharing one position. Default <see cref="DuplicatePositionPolicy.Refuse"/>.</summary>
    public DuplicatePositionPolicy DuplicatePositions { get; init; } = DuplicatePositionPolicy.Refuse;

    /// <summary>
    /// Value (after rescale) given to resampled voxels that no input slice covers (the corners of a tilted stack's
    /// bounding grid). Null (default): the rescaled Pixel Padding Value when the series has one, otherwise the
    /// smallest rescaled value of the series.
    /// </summary>
    public double? OutsideValue { get; init; }

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> for nonsense.</summary>
    internal void Validate()
    {
        if (!(SpacingToleranceMm > 0 && SpacingToleranceMm < 1))
            throw new ArgumentOutOfRangeException(nameof(SpacingToleranceMm), SpacingToleranceMm, "Spacing tolerance must lie in (0, 1) mm.");
        if (!(OrientationTolerance > 0 && OrientationTolerance < 0.1))
            throw new ArgumentOutOfRangeException(nameof(OrientationTolerance), OrientationTolerance, "Orientation tolerance must lie in (0, 0.1).");
        if (OutsideValue is { } v && !double.IsFinite(v))
            throw new ArgumentOutOfRangeException(nameof(OutsideValue), v, "Outside value must be finite.");
    }
}
