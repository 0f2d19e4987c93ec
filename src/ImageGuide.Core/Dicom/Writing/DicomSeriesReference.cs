using ImageGuide.Dicom.Series;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Writing;

/// <summary>One referenced image: its SOP Class and SOP Instance UIDs.</summary>
/// <param name="SopClassUid">SOP Class UID (0008,0016) of the image.</param>
/// <param name="SopInstanceUid">SOP Instance UID (0008,0018) of the image.</param>
public sealed record DicomInstanceReference(string SopClassUid, string SopInstanceUid);

/// <summary>
/// What a DICOM object needs to reference a series: its Frame of Reference UID (required), and, when known, its
/// Study and Series Instance UIDs and its images (for the Common Instance Reference module).
/// </summary>
/// <param name="FrameOfReferenceUid">Frame of Reference UID (0020,0052) of the series' patient coordinate system.</param>
/// <param name="StudyInstanceUid">Study Instance UID, when known.</param>
/// <param name="SeriesInstanceUid">Series Instance UID, when known.</param>
/// <param name="Instances">The series' images (may be empty: the series is then referenced by its frame of reference only).</param>
public sealed record DicomSeriesReference(string FrameOfReferenceUid, string? StudyInstanceUid, string? SeriesInstanceUid,
    IReadOnlyList<DicomInstanceReference> Instances)
{
    /// <summary>
    /// The reference to a loaded DICOM series: UIDs from its slice headers, SOP Class UIDs read from the files'
    /// headers (each file once).
    /// </summary>
    /// <exception cref="ImageGuideException">The series has no Frame of Reference UID.</exception>
    public static DicomSeriesReference FromSeries(DicomSeriesInfo series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        string? forUid = series.Slices.Select(s => s.FrameOfReferenceUid).FirstOrDefault(u => !string.IsNullOrEmpty(u))
            ?? throw new ImageGuideException($"Series {series.SeriesInstanceUid} has no Frame of Reference UID (0020,0052); it cannot be referenced by a spatial registration.");
        var instances = new List<DicomInstanceReference>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in series.Slices)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrEmpty(slice.SopInstanceUid) || !seen.Add(slice.SopInstanceUid)) continue;
            var header = DicomFile.ReadHeader(slice.SourcePath, ct: cancellationToken);
            if (header.Dataset.TryGetString(DicomTags.SopClassUid, out var sopClass) && sopClass.Length > 0)
                instances.Add(new DicomInstanceReference(sopClass, slice.SopInstanceUid));
        }
        return new DicomSeriesReference(forUid, series.StudyInstanceUid, series.HasSeriesInstanceUid ? series.SeriesInstanceUid : null, instances);
    }

    /// <summary>The reference carried by a volume's metadata (no image list), or null when it has no Frame of Reference UID.</summary>
    public static DicomSeriesReference? FromMetadata(ImageMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return string.IsNullOrEmpty(metadata.FrameOfReferenceUid) ? null
            : new DicomSeriesReference(metadata.FrameOfReferenceUid, metadata.StudyInstanceUid, metadata.SeriesInstanceUid, []);
    }
}
