using ImageGuide.Dicom.Series;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// An immutable list of <see cref="IVolumeFormat"/>s consulted in order: the first whose <c>CanRead</c>/<c>CanWrite</c>
/// accepts a path handles it. <see cref="Default"/> knows NIfTI, MetaImage and NRRD files and, last, DICOM folders and
/// files; add a source with <see cref="With"/> (it is consulted first) and pass the new registry in
/// <see cref="VolumeReadOptions.Formats"/> — nothing global is modified. Thread-safe.
/// </summary>
public sealed class VolumeFormatRegistry
{
    private readonly IVolumeFormat[] _formats;

    private VolumeFormatRegistry(IVolumeFormat[] formats) => _formats = formats;

    /// <summary>NIfTI-1, MetaImage, NRRD, then DICOM (whatever the file formats do not claim).</summary>
    public static VolumeFormatRegistry Default { get; } =
        new([new NiftiVolumeFormat(), new MetaImageVolumeFormat(), new NrrdVolumeFormat(), new DicomVolumeFormat()]);

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

    /// <summary>The format that reads <paramref name="path"/>, or null when none does.</summary>
    public IVolumeFormat? ReaderFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var f in _formats) if (f.CanRead(path)) return f;
        return null;
    }

    /// <summary>
    /// Reads a volume in its stored voxel type — the step under <see cref="VolumeReader"/>, for callers that need the
    /// stored buffer (<see cref="LoadedVolume{T}.Stored"/>).
    /// </summary>
    /// <exception cref="UnsupportedFormatException">No format reads this path; the message lists the supported ones.</exception>
    public LoadedVolume Read(string path, VolumeReadOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var format = ReaderFor(path)
            ?? throw new UnsupportedFormatException($"{path}: no such file or folder, and no reader for its name; give a DICOM folder or file, or one of {string.Join(", ", SupportedExtensions)}.");
        var loaded = format.Read(path, options ?? VolumeReadOptions.Default, progress, cancellationToken);
        progress?.Report(1);
        return loaded;
    }

    /// <summary>
    /// Writes real values in the smallest voxel type that holds every one exactly (<see cref="ExactVoxelType"/>):
    /// whole numbers within 8 or 16 bits as uint8/int8/int16/uint16, anything else as float32 — as dcm2niix and ITK keep
    /// a CT's integers. Reading the file back gives the same floats. Returns the type written.
    /// </summary>
    /// <exception cref="UnsupportedFormatException">No format writes this extension.</exception>
    public VoxelType WriteExact(Volume<float> volume, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var f in _formats)
        {
            if (!f.CanWrite(path)) continue;
            var type = ExactVoxelType.Of(volume.Data);
            if (f is NiftiVolumeFormat)
            {
                // NIfTI converts chunk by chunk as it writes: no second copy of the volume
                NiftiFormat.WriteExact(volume, type, path, cancellationToken);
                return type;
            }
            switch (type)
            {
                case VoxelType.UInt8: f.Write(ExactVoxelType.Narrow<byte>(volume), path, cancellationToken); break;
                case VoxelType.Int8: f.Write(ExactVoxelType.Narrow<sbyte>(volume), path, cancellationToken); break;
                case VoxelType.Int16: f.Write(ExactVoxelType.Narrow<short>(volume), path, cancellationToken); break;
                case VoxelType.UInt16: f.Write(ExactVoxelType.Narrow<ushort>(volume), path, cancellationToken); break;
                default: f.Write(volume, path, cancellationToken); break;
            }
            return type;
        }
        throw new UnsupportedFormatException($"{path}: cannot write this extension; supported are {string.Join(", ", VolumeIO.SupportedExtensions)}.");
    }

    /// <summary>
    /// <see cref="WriteExact(Volume{float}, string, CancellationToken)"/> for whole numbers kept in their stored integers:
    /// the same type and values, chosen from the range measured while loading (no scan), converted from the integers
    /// (NIfTI chunk by chunk as it writes; the stored buffer itself when it already holds the real values).
    /// </summary>
    /// <exception cref="UnsupportedFormatException">No format writes this extension.</exception>
    internal VoxelType WriteExact(WholeNumberVolume volume, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var f in _formats)
        {
            if (!f.CanWrite(path)) continue;
            var type = ExactVoxelType.Of(volume);
            if (f is NiftiVolumeFormat)
            {
                NiftiFormat.WriteExact(volume, type, path, cancellationToken);
                return type;
            }
            switch (type)
            {
                case VoxelType.UInt8: f.Write(volume.ToVolume<byte>(), path, cancellationToken); break;
                case VoxelType.Int8: f.Write(volume.ToVolume<sbyte>(), path, cancellationToken); break;
                case VoxelType.Int16: f.Write(Stored<short>(volume), path, cancellationToken); break;
                case VoxelType.UInt16: f.Write(Stored<ushort>(volume), path, cancellationToken); break;
                default: f.Write(volume.ToVolume<float>(), path, cancellationToken); break;
            }
            return type;
        }
        throw new UnsupportedFormatException($"{path}: cannot write this extension; supported are {string.Join(", ", VolumeIO.SupportedExtensions)}.");

        static Volume<T> Stored<T>(WholeNumberVolume v) where T : unmanaged, System.Numerics.INumber<T> =>
            v.StoredAs<T>() is { } data ? new Volume<T>(v.Geometry, data, v.Metadata) : v.ToVolume<T>();
    }

    /// <summary>Writes a volume in the format chosen by the path's extension.</summary>
    /// <exception cref="UnsupportedFormatException">No format writes this extension, or T is not a supported voxel type.</exception>
    public void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var f in _formats)
            if (f.CanWrite(path)) { f.Write(volume, path, cancellationToken); return; }
        throw new UnsupportedFormatException($"{path}: cannot write this extension; supported are {string.Join(", ", VolumeIO.SupportedExtensions)}.");
    }
}

/// <summary>
/// Writing volumes by file name with the built-in formats (<see cref="VolumeFormatRegistry.Default"/>): .nii, .nii.gz,
/// .mha, .mhd, .nrrd, .nhdr. Geometry is always LPS millimetres. Reading goes through <see cref="VolumeReader"/>.
/// </summary>
public static class VolumeIO
{
    /// <summary>Writes a volume in the format chosen by the path's extension (temporary file, then move).</summary>
    public static void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken = default) where T : unmanaged =>
        VolumeFormatRegistry.Default.Write(volume, path, cancellationToken);

    /// <summary>
    /// Writes real values in the smallest exact voxel type (whole numbers within 8 or 16 bits as integers, else float32;
    /// see <see cref="VolumeFormatRegistry.WriteExact(Volume{float}, string, CancellationToken)"/>) in the format chosen by the path's extension. Returns the type written.
    /// </summary>
    public static VoxelType WriteExact(Volume<float> volume, string path, CancellationToken cancellationToken = default) =>
        VolumeFormatRegistry.Default.WriteExact(volume, path, cancellationToken);

    /// <summary>Whole numbers kept in their stored integers, written as <see cref="WriteExact(Volume{float}, string, CancellationToken)"/> would write their floats.</summary>
    internal static VoxelType WriteExact(WholeNumberVolume volume, string path, CancellationToken cancellationToken = default) =>
        VolumeFormatRegistry.Default.WriteExact(volume, path, cancellationToken);

    /// <summary>The extensions of the volume files the built-in formats write (and read).</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } =
        VolumeFormatRegistry.Default.Formats.Where(f => f is not DicomVolumeFormat).SelectMany(f => f.Extensions).Distinct().ToArray();
}
