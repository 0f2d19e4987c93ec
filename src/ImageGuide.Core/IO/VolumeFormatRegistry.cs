using System.Numerics;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// An immutable list of <see cref="IVolumeFormat"/>s consulted in order: the first whose <c>CanRead</c>/<c>CanWrite</c>
/// accepts a path handles it. <see cref="Default"/> knows NIfTI, MetaImage and NRRD; add a source such as DICOM
/// folders with <see cref="With"/> (it is consulted first) and pass the new registry where it is needed —
/// nothing global is modified. Thread-safe.
/// </summary>
public sealed class VolumeFormatRegistry
{
    private readonly IVolumeFormat[] _formats;

    private VolumeFormatRegistry(IVolumeFormat[] formats) => _formats = formats;

    /// <summary>NIfTI-1, MetaImage and NRRD.</summary>
    public static VolumeFormatRegistry Default { get; } =
        new([new NiftiVolumeFormat(), new MetaImageVolumeFormat(), new NrrdVolumeFormat()]);

    /// <summary>The formats in the order they are consulted.</summary>
    public IReadOnlyList<IVolumeFormat> Formats => _formats;

    /// <summary>A registry that consults <paramref name="format"/> before the formats of this one.</summary>
    public VolumeFormatRegistry With(IVolumeFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return new VolumeFormatRegistry([format, .. _formats]);
    }

    /// <summary>Every extension known to the registry, e.g. for help text.</summary>
    public IReadOnlyList<string> SupportedExtensions => _formats.SelectMany(f => f.Extensions).Distinct().ToArray();

    /// <summary>True when one of the formats reads <paramref name="path"/> (decided by its name).</summary>
    public bool CanRead(string path)
    {
        foreach (var f in _formats) if (f.CanRead(path)) return true;
        return false;
    }

    /// <summary>Reads a volume in its stored voxel type.</summary>
    /// <exception cref="UnsupportedFormatException">No format reads this path; the message lists the supported ones.</exception>
    public LoadedVolume Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var f in _formats)
            if (f.CanRead(path)) return f.Read(path, cancellationToken);
        throw new UnsupportedFormatException($"{path}: no reader for this file; supported are {string.Join(", ", SupportedExtensions)}.");
    }

    /// <summary>Reads a volume as real values in float (rescale applied).</summary>
    public Volume<float> ReadFloat(string path, CancellationToken cancellationToken = default) => Read(path, cancellationToken).ToFloat();

    /// <summary>Reads a volume converted exactly to <typeparamref name="T"/> (see <see cref="LoadedVolume.ToVolume{TOut}"/>).</summary>
    public Volume<T> Read<T>(string path, CancellationToken cancellationToken = default) where T : unmanaged, INumber<T> =>
        Read(path, cancellationToken).ToVolume<T>();

    /// <summary>Writes a volume in the format chosen by the path's extension.</summary>
    /// <exception cref="UnsupportedFormatException">No format writes this extension, or T is not a supported voxel type.</exception>
    public void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var f in _formats)
            if (f.CanWrite(path)) { f.Write(volume, path, cancellationToken); return; }
        throw new UnsupportedFormatException($"{path}: cannot write this extension; supported are {string.Join(", ", SupportedExtensions)}.");
    }
}

/// <summary>
/// Reading and writing volumes by file name with the built-in formats (<see cref="VolumeFormatRegistry.Default"/>):
/// .nii, .nii.gz, .mha, .mhd, .nrrd, .nhdr. Geometry is always LPS millimetres.
/// </summary>
public static class VolumeIO
{
    /// <summary>Reads a volume in its stored voxel type.</summary>
    public static LoadedVolume Read(string path, CancellationToken cancellationToken = default) =>
        VolumeFormatRegistry.Default.Read(path, cancellationToken);

    /// <summary>Reads a volume as real values in float (rescale applied).</summary>
    public static Volume<float> ReadFloat(string path, CancellationToken cancellationToken = default) =>
        VolumeFormatRegistry.Default.ReadFloat(path, cancellationToken);

    /// <summary>Reads a volume converted exactly to <typeparamref name="T"/>.</summary>
    public static Volume<T> Read<T>(string path, CancellationToken cancellationToken = default) where T : unmanaged, INumber<T> =>
        VolumeFormatRegistry.Default.Read<T>(path, cancellationToken);

    /// <summary>Writes a volume in the format chosen by the path's extension (temporary file, then move).</summary>
    public static void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken = default) where T : unmanaged =>
        VolumeFormatRegistry.Default.Write(volume, path, cancellationToken);

    /// <summary>The extensions the built-in formats handle.</summary>
    public static IReadOnlyList<string> SupportedExtensions => VolumeFormatRegistry.Default.SupportedExtensions;
}
