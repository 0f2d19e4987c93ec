using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// One series found by <see cref="DicomSeriesScanner"/>: identifiers, descriptions and the slice headers of its
/// image frames (headers only; pixels are decoded by <see cref="Load(CancellationToken)"/>). Immutable and thread-safe:
/// several threads may load the same series at once.
/// </summary>
public sealed class DicomSeriesInfo
{
    internal DicomSeriesInfo(IReadOnlyList<DicomSliceHeader> slices, IReadOnlyList<string> warnings)
    {
        Slices = slices;
        var f = slices[0];
        Warnings = !f.SeriesUidMissing ? warnings :
        [
            .. warnings,
            "The files have no Series Instance UID (0020,000E), as de-identified data often do: they are grouped as dcm2niix groups them (folder, Frame of Reference, Series Number, orientation, matrix); objects derived from them get fresh UIDs.",
        ];
        SeriesInstanceUid = f.SeriesInstanceUid;
        Modality = f.Modality;
        SeriesDescription = f.SeriesDescription;
        SeriesNumber = f.SeriesNumber;
        StudyInstanceUid = f.StudyInstanceUid;
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in slices) files.Add(s.SourcePath);
        FileCount = files.Count;
    }

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string SeriesInstanceUid { get; }

    /// <summary>False when the files carry no Series Instance UID and <see cref="SeriesInstanceUid"/> is a grouping key (see <see cref="DicomSliceHeader.SeriesUidMissing"/>).</summary>
    public bool HasSeriesInstanceUid => !Slices[0].SeriesUidMissing;

    /// <summary>Modality of the first frame (by file path), e.g. CT.</summary>
    public string? Modality { get; }

    /// <summary>Series Description (0008,103E) of the first frame.</summary>
    public string? SeriesDescription { get; }

    /// <summary>Series Number (0020,0011) of the first frame.</summary>
    public int? SeriesNumber { get; }

    /// <summary>Study Instance UID (0020,000D) of the first frame.</summary>
    public string? StudyInstanceUid { get; }

    /// <summary>Number of files contributing frames.</summary>
    public int FileCount { get; }

    /// <summary>Headers of every image frame of the series, ordered by file path then frame.</summary>
    public IReadOnlyList<DicomSliceHeader> Slices { get; }

    /// <summary>Scan warnings: files skipped in the scanned folder (not DICOM, no pixel data, no geometry) with counts.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The geometry the series would be assembled on (no pixels read).</summary>
    /// <exception cref="GeometryException">The policies refuse the series (message names the slices).</exception>
    public SeriesGeometryPlan Plan(SeriesAssemblyOptions? options = null) => new SeriesAssembler(options).Plan(Slices);

    /// <summary>Assembles the series with the default policies; warnings are in the volume's metadata.</summary>
    public Volume<float> Load(CancellationToken cancellationToken = default) => Assemble(null, null, cancellationToken).Volume;

    /// <summary>Assembles the series with the given policies and returns the volume and the assembly report.</summary>
    /// <param name="options">Policies and tolerances; null for <see cref="SeriesAssemblyOptions.Default"/>.</param>
    /// <param name="progress">Fraction done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between frames.</param>
    public SeriesAssemblyResult Assemble(SeriesAssemblyOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var result = new SeriesAssembler(options).Assemble(Slices, progress, cancellationToken);
        if (Warnings.Count == 0) return result;
        var all = new List<string>(Warnings);
        all.AddRange(result.Report.Warnings);
        var report = result.Report with { Warnings = all };
        var volume = result.Volume;
        volume = new Volume<float>(volume.Geometry, volume.Data, volume.Metadata with { Warnings = all });
        return new SeriesAssemblyResult(volume, report);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Modality} {SeriesDescription} ({SeriesInstanceUid}): {Slices.Count} frames in {FileCount} files";
}
