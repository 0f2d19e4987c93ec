using ImageGuide.Dicom;
using ImageGuide.Dicom.Series;

namespace ImageGuide.IO;

/// <summary>
/// How <see cref="VolumeReader"/> reads an image: which formats it knows, and for DICOM which series, which codecs and
/// which assembly policy. Immutable; <see cref="Default"/> suits almost every use.
/// </summary>
public sealed record VolumeReadOptions
{
    /// <summary>The default settings: every built-in format, the built-in codecs, the default assembly policy.</summary>
    public static VolumeReadOptions Default { get; } = new();

    /// <summary>The formats consulted, in order (<see cref="VolumeFormatRegistry.Default"/>: NIfTI, MetaImage, NRRD, then DICOM).</summary>
    public VolumeFormatRegistry Formats { get; init; } = VolumeFormatRegistry.Default;

    /// <summary>Which DICOM series, when a folder holds several; null accepts only a folder with one series.</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>DICOM file reading: the codec registry pixel data are decoded with, decompression limits.</summary>
    public DicomReadOptions Dicom { get; init; } = DicomReadOptions.Default;

    /// <summary>DICOM series assembly policy (tilt, uneven spacing, duplicates); null for <see cref="SeriesAssemblyOptions.Default"/>.</summary>
    public SeriesAssemblyOptions? Assembly { get; init; }
}
