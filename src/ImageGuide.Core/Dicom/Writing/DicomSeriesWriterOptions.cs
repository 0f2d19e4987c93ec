namespace ImageGuide.Dicom.Writing;

/// <summary>
/// Settings of <see cref="DicomSeriesWriter"/>. Every text left null is taken from the volume's
/// <see cref="Imaging.ImageMetadata"/>; identifiers missing there are generated (UIDs) or left empty.
/// </summary>
public sealed record DicomSeriesWriterOptions
{
    /// <summary>Defaults: refuse a non-empty folder, ids and descriptions from the metadata.</summary>
    public static DicomSeriesWriterOptions Default { get; } = new();

    /// <summary>
    /// Allow writing into a folder that already holds files: files with the same names are replaced, other files
    /// are left as they are. Default false: a non-empty folder is refused.
    /// </summary>
    public bool Overwrite { get; init; }

    /// <summary>"CT" or "MR" (selects CT or MR Image Storage); null: the metadata's modality. Ignored for label volumes.</summary>
    public string? Modality { get; init; }

    /// <summary>Patient's Name; null: metadata.</summary>
    public string? PatientName { get; init; }

    /// <summary>Patient ID; null: metadata.</summary>
    public string? PatientId { get; init; }

    /// <summary>Study Instance UID; null: metadata, else a fresh one (keeping the metadata's groups the new series with its source study).</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Frame of Reference UID; null: metadata (same patient space as the source), else a fresh one.</summary>
    public string? FrameOfReferenceUid { get; init; }

    /// <summary>
    /// Series Instance UID to use (e.g. seeded, for reproducible files); a fresh 2.25 UID when null. When set, each
    /// SOP Instance UID is this UID followed by ".k" (k = 1-based slice number), so the whole series is reproducible.
    /// </summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>Study Description; null: metadata.</summary>
    public string? StudyDescription { get; init; }

    /// <summary>Series Description; null: metadata.</summary>
    public string? SeriesDescription { get; init; }

    /// <summary>Series Number; null: metadata, else 1.</summary>
    public int? SeriesNumber { get; init; }

    /// <summary>File name prefix; files are named prefix + 1-based slice number (4 digits or more) + ".dcm".</summary>
    public string FilePrefix { get; init; } = "IM";
}
