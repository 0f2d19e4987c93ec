using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// One image format known to a <see cref="VolumeFormatRegistry"/>: implement it and add it with
/// <see cref="VolumeFormatRegistry.With"/> to plug another source into <see cref="VolumeReader"/> (reading) and
/// <see cref="VolumeIO"/> (writing). Implementations must be thread-safe.
/// </summary>
public interface IVolumeFormat
{
    /// <summary>Short name for messages, e.g. "NIfTI-1".</summary>
    string Name { get; }

    /// <summary>Extensions (with dot, lower case) this format writes and reads, for messages and listings.</summary>
    IReadOnlyList<string> Extensions { get; }

    /// <summary>True when this format should read <paramref name="path"/> (a file or folder).</summary>
    bool CanRead(string path);

    /// <summary>True when this format can write a file at <paramref name="path"/>.</summary>
    bool CanWrite(string path);

    /// <summary>Reads the volume at <paramref name="path"/>, honouring what of <paramref name="options"/> concerns this format.</summary>
    LoadedVolume Read(string path, VolumeReadOptions options, IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="volume"/> to <paramref name="path"/> atomically (temporary file, then move).</summary>
    void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken) where T : unmanaged;
}

/// <summary>NIfTI-1 (.nii, .nii.gz) as an <see cref="IVolumeFormat"/>.</summary>
public sealed class NiftiVolumeFormat : IVolumeFormat
{
    /// <inheritdoc />
    public string Name => "NIfTI-1";
    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".nii", ".nii.gz"];
    /// <inheritdoc />
    public bool CanRead(string path) => NiftiFormat.HasExtension(path);
    /// <inheritdoc />
    public bool CanWrite(string path) => NiftiFormat.HasExtension(path);
    /// <inheritdoc />
    public LoadedVolume Read(string path, VolumeReadOptions options, IProgress<double>? progress, CancellationToken cancellationToken) => NiftiFormat.Read(path, cancellationToken);
    /// <inheritdoc />
    public void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken) where T : unmanaged =>
        NiftiFormat.Write(volume, path, NiftiXformCode.ScannerAnatomical, cancellationToken);
}

/// <summary>MetaImage (.mha, .mhd) as an <see cref="IVolumeFormat"/>; writes uncompressed unless <see cref="Compress"/>.</summary>
public sealed class MetaImageVolumeFormat : IVolumeFormat
{
    /// <summary>Whether written files are zlib-compressed.</summary>
    public bool Compress { get; init; }
    /// <inheritdoc />
    public string Name => "MetaImage";
    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".mha", ".mhd"];
    /// <inheritdoc />
    public bool CanRead(string path) => MetaImageFormat.HasExtension(path);
    /// <inheritdoc />
    public bool CanWrite(string path) => MetaImageFormat.HasExtension(path);
    /// <inheritdoc />
    public LoadedVolume Read(string path, VolumeReadOptions options, IProgress<double>? progress, CancellationToken cancellationToken) => MetaImageFormat.Read(path, cancellationToken);
    /// <inheritdoc />
    public void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken) where T : unmanaged =>
        MetaImageFormat.Write(volume, path, Compress, cancellationToken);
}

/// <summary>NRRD (.nrrd, .nhdr) as an <see cref="IVolumeFormat"/>; writes gzip-encoded data unless <see cref="Gzip"/> is false.</summary>
public sealed class NrrdVolumeFormat : IVolumeFormat
{
    /// <summary>Whether written data are gzip-encoded (default true).</summary>
    public bool Gzip { get; init; } = true;
    /// <inheritdoc />
    public string Name => "NRRD";
    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".nrrd", ".nhdr"];
    /// <inheritdoc />
    public bool CanRead(string path) => NrrdFormat.HasExtension(path);
    /// <inheritdoc />
    public bool CanWrite(string path) => NrrdFormat.HasExtension(path);
    /// <inheritdoc />
    public LoadedVolume Read(string path, VolumeReadOptions options, IProgress<double>? progress, CancellationToken cancellationToken) => NrrdFormat.Read(path, cancellationToken);
    /// <inheritdoc />
    public void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken) where T : unmanaged =>
        NrrdFormat.Write(volume, path, Gzip, cancellationToken);
}
