namespace ImageGuide.Imaging;

/// <summary>
/// Descriptive information carried with a volume. Nothing here changes geometry or voxel values.
/// </summary>
public sealed record ImageMetadata
{
    /// <summary>No metadata.</summary>
    public static ImageMetadata Empty { get; } = new();

    /// <summary>DICOM modality (CT, MR, …) or null when unknown.</summary>
    public string? Modality { get; init; }
    /// <summary>Units of the voxel values, e.g. "HU" for rescaled CT; null for arbitrary units.</summary>
    public string? Units { get; init; }
    /// <summary>Patient name as decoded text.</summary>
    public string? PatientName { get; init; }
    /// <summary>Patient ID.</summary>
    public string? PatientId { get; init; }
    /// <summary>Study Instance UID.</summary>
    public string? StudyInstanceUid { get; init; }
    /// <summary>Series Instance UID.</summary>
    public string? SeriesInstanceUid { get; init; }
    /// <summary>Frame of Reference UID.</summary>
    public string? FrameOfReferenceUid { get; init; }
    /// <summary>Study description.</summary>
    public string? StudyDescription { get; init; }
    /// <summary>Series description.</summary>
    public string? SeriesDescription { get; init; }
    /// <summary>Series number.</summary>
    public int? SeriesNumber { get; init; }
    /// <summary>Default display window centre (first value of Window Center).</summary>
    public double? WindowCenter { get; init; }
    /// <summary>Default display window width (first value of Window Width).</summary>
    public double? WindowWidth { get; init; }
    /// <summary>Warnings raised while the volume was assembled (tilt, uneven spacing, …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
