using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom;

/// <summary>Settings for reading DICOM files. Immutable; <see cref="Default"/> suits almost every use.</summary>
public sealed record DicomReadOptions
{
    /// <summary>The default settings.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>
    /// Codecs used to decode encapsulated pixel data — of single files and of whole series (the scanner reads every
    /// file with these options); null means the built-in codecs (<see cref="DicomCodecRegistry.CreateDefault"/>).
    /// </summary>
    public DicomCodecRegistry? Codecs { get; init; }

    /// <summary>
    /// Largest inflated size accepted for a Deflated Explicit VR Little Endian data set, in bytes; null means
    /// 64 × the file size + 16 MiB (capped at the largest array), which no honest file reaches. A data set that
    /// inflates beyond it is refused as a decompression bomb.
    /// </summary>
    public long? MaxInflatedBytes { get; init; }
}
