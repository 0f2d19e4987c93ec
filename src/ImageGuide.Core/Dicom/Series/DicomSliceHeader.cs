using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Reads the stored (not yet rescaled) values of one frame into <paramref name="destination"/>, row by row,
/// <c>Rows × Columns</c> values, column index fastest. Must be safe to call from several threads at once.
/// </summary>
/// <param name="destination">Receives exactly <c>Rows × Columns</c> stored values.</param>
/// <param name="cancellationToken">Cancels a long decode.</param>
public delegate void DicomFrameLoader(Span<int> destination, CancellationToken cancellationToken);

/// <summary>
/// Everything series assembly needs to know about one 2-D frame: identity, geometry, value transform and a way
/// to load its stored values. Built from a single-frame file, from one frame of an enhanced multi-frame file or
/// by hand (tests, other formats). Geometry is in LPS millimetres as written in DICOM.
/// </summary>
public sealed record DicomSliceHeader
{
    /// <summary>File the frame comes from (used in messages); any label for synthetic headers.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Zero-based frame number inside a multi-frame file; 0 for single-frame files.</summary>
    public int FrameIndex { get; init; }

    /// <summary>SOP Instance UID (0008,0018) of the file.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>
    /// Series Instance UID (0020,000E); frames are grouped into series by this value. When the file has none (blanked
    /// by de-identification), a key made as dcm2niix groups such files (see <see cref="SeriesUidMissing"/>).
    /// </summary>
    public required string SeriesInstanceUid { get; init; }

    /// <summary>
    /// True when the file has no (or an empty) Series Instance UID: <see cref="SeriesInstanceUid"/> is then a grouping
    /// key from the folder, Frame of Reference, Series Number, orientation and matrix, not a UID, and objects derived from
    /// the series get fresh UIDs.
    /// </summary>
    public bool SeriesUidMissing { get; init; }

    /// <summary>Modality (0008,0060), e.g. CT or MR.</summary>
    public string? Modality { get; init; }

    /// <summary>Instance Number (0020,0013), used only to break ties and in messages.</summary>
    public int? InstanceNumber { get; init; }

    /// <summary>Image Position (Patient) (0020,0032): centre of the first transmitted pixel, LPS mm.</summary>
    public required Vec3 ImagePositionPatient { get; init; }

    /// <summary>First three values of Image Orientation (Patient) (0020,0037): direction of increasing column index.</summary>
    public required Vec3 RowDirection { get; init; }

    /// <summary>Last three values of Image Orientation (Patient): direction of increasing row index.</summary>
    public required Vec3 ColumnDirection { get; init; }

    /// <summary>
    /// First value of Pixel Spacing (0028,0030): distance between the centres of adjacent rows, i.e. the step
    /// along <see cref="ColumnDirection"/> (mm).
    /// </summary>
    public required double RowSpacing { get; init; }

    /// <summary>Second value of Pixel Spacing: distance between adjacent columns, the step along <see cref="RowDirection"/> (mm).</summary>
    public required double ColumnSpacing { get; init; }

    /// <summary>Rows (0028,0010).</summary>
    public required int Rows { get; init; }

    /// <summary>Columns (0028,0011).</summary>
    public required int Columns { get; init; }

    /// <summary>Rescale Slope (0028,1053) of this frame; 1 when absent.</summary>
    public double RescaleSlope { get; init; } = 1;

    /// <summary>Rescale Intercept (0028,1052) of this frame; 0 when absent.</summary>
    public double RescaleIntercept { get; init; }

    /// <summary>Rescale Type (0028,1054) when present, e.g. "HU".</summary>
    public string? RescaleType { get; init; }

    /// <summary>Bits Allocated (0028,0100).</summary>
    public int BitsAllocated { get; init; } = 16;

    /// <summary>Bits Stored (0028,0101).</summary>
    public int BitsStored { get; init; } = 16;

    /// <summary>True when Pixel Representation (0028,0103) is 1 (two's complement).</summary>
    public bool IsSigned { get; init; }

    /// <summary>Samples per Pixel (0028,0002); series assembly supports only 1 (grey-scale).</summary>
    public int SamplesPerPixel { get; init; } = 1;

    /// <summary>Gantry/Detector Tilt (0018,1120) in degrees as written, for reports only (geometry comes from positions).</summary>
    public double? GantryDetectorTilt { get; init; }

    /// <summary>Slice Thickness (0018,0050); reported, never used as spacing.</summary>
    public double? SliceThickness { get; init; }

    /// <summary>Pixel Padding Value (0028,0120) as a stored value, when present.</summary>
    public int? PixelPaddingValue { get; init; }

    /// <summary>First value of Window Center (0028,1050).</summary>
    public double? WindowCenter { get; init; }

    /// <summary>First value of Window Width (0028,1051).</summary>
    public double? WindowWidth { get; init; }

    /// <summary>Series Description (0008,103E).</summary>
    public string? SeriesDescription { get; init; }

    /// <summary>Series Number (0020,0011).</summary>
    public int? SeriesNumber { get; init; }

    /// <summary>Study Instance UID (0020,000D).</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Study Description (0008,1030).</summary>
    public string? StudyDescription { get; init; }

    /// <summary>Frame of Reference UID (0020,0052).</summary>
    public string? FrameOfReferenceUid { get; init; }

    /// <summary>Patient's Name (0010,0010) as decoded text.</summary>
    public string? PatientName { get; init; }

    /// <summary>Patient ID (0010,0020).</summary>
    public string? PatientId { get; init; }

    /// <summary>Loads the frame's stored values; null for geometry-only headers (planning without pixels).</summary>
    public DicomFrameLoader? Loader { get; init; }

    /// <summary>
    /// The pixel data and frame behind <see cref="Loader"/> when the scanner made the header: series assembly decodes
    /// 16-bit frames through it straight into a 16-bit volume. Trusted only while <see cref="Loader"/> is still
    /// <see cref="FramePixels.Loader"/> (a header copied with another loader uses that loader).
    /// </summary>
    internal FramePixels? Pixels { get; init; }

    /// <summary>True when the header describes one frame of a multi-frame object.</summary>
    public bool IsFromMultiFrame { get; init; }

    /// <summary>"path" for a single-frame file, "path frame N" (1-based) for a frame of a multi-frame object.</summary>
    public string DisplayName => IsFromMultiFrame ? $"{SourcePath} frame {FrameIndex + 1}" : SourcePath;
}

/// <summary>One frame of a file's pixel data, decoded on demand (thread-safe: the pixel data is created once).</summary>
internal sealed class FramePixels
{
    private readonly Lazy<DicomPixelData> _pixels;
    private readonly int _frame;

    public FramePixels(Lazy<DicomPixelData> pixels, int frame)
    {
        _pixels = pixels;
        _frame = frame;
        Loader = (destination, _) => _pixels.Value.DecodeFrameStoredValues(_frame, destination);
    }

    /// <summary>Stored values as 32-bit integers (<see cref="DicomPixelData.DecodeFrameStoredValues"/>).</summary>
    public DicomFrameLoader Loader { get; }

    /// <summary>Stored values of a 16-bit grey-scale frame as 16-bit patterns (<see cref="DicomPixelData.DecodeFrameStored16"/>).</summary>
    public void DecodeStored16(Span<ushort> destination) => _pixels.Value.DecodeFrameStored16(_frame, destination);
}
