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
        CancellationToken cancellationToken = default) =>
        WithScanWarnings(new SeriesAssembler(options).Assemble(Slices, progress, cancellationToken));

    /// <summary>The scan's warnings ahead of the assembly's, in the report and the volume's metadata.</summary>
    private SeriesAssemblyResult WithScanWarnings(SeriesAssemblyResult result)
    {
        if (Warnings.Count == 0) return result;
        var all = new List<string>(Warnings);
        all.AddRange(result.Report.Warnings);
        var report = result.Report with { Warnings = all };
        var volume = result.Volume;
        volume = new Volume<float>(volume.Geometry, volume.Data, volume.Metadata with { Warnings = all });
        return new SeriesAssemblyResult(volume, report);
    }

    /// <summary>
    /// Assembles the series for a reader that can take whole numbers in their stored integers (<c>imageguide convert</c>
    /// to a volume file, <c>info</c>): those when the series qualifies (<see cref="SeriesAssembler.LoadWholeNumbers"/>),
    /// else the float volume <see cref="Assemble"/> gives. Same warnings either way.
    /// </summary>
    internal ExactAssembly AssembleExact(SeriesAssemblyOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var assembler = new SeriesAssembler(options);
        var plan = assembler.Plan(Slices);
        var whole = assembler.LoadWholeNumbers(plan, progress, cancellationToken);
        var result = whole is null ? WithScanWarnings(assembler.Load(plan, progress, cancellationToken)) : null;
        if (result is not null) return new ExactAssembly(result.Report, null, result.Volume);
        if (Warnings.Count == 0) return new ExactAssembly(plan.Report, whole, null);
        var all = new List<string>(Warnings);
        all.AddRange(plan.Report.Warnings);
        return new ExactAssembly(plan.Report with { Warnings = all }, whole!.WithWarnings(all), null);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Modality} {SeriesDescription} ({SeriesInstanceUid}): {Slices.Count} frames in {FileCount} files";
}

/// <summary>A series assembled by <see cref="DicomSeriesInfo.AssembleExact"/>: exactly one of the two volumes is set.</summary>
/// <param name="Report">Spacing, tilt, order and warnings (the scan's first).</param>
/// <param name="WholeNumbers">The stored integers and their offset, when the series qualified.</param>
/// <param name="Float">The rescaled float volume otherwise.</param>
internal sealed record ExactAssembly(SeriesAssemblyReport Report, WholeNumberVolume? WholeNumbers, Volume<float>? Float)
{
    /// <summary>Geometry of whichever volume is set.</summary>
    public VolumeGeometry Geometry => WholeNumbers?.Geometry ?? Float!.Geometry;
}
