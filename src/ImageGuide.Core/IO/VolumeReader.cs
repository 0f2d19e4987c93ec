using System.Numerics;
using ImageGuide.Dicom.Series;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>A volume read from disk with what was noticed on the way.</summary>
/// <param name="Volume">Voxels as real values (rescale applied; HU for CT), geometry in LPS mm.</param>
/// <param name="Warnings">Everything the reader handled by policy (tilt, uneven spacing, skipped files, …).</param>
/// <param name="Series">The DICOM series it came from, or null for NIfTI/MetaImage/NRRD files.</param>
public sealed record LoadedImage(Volume<float> Volume, IReadOnlyList<string> Warnings, DicomSeriesInfo? Series);

/// <summary>An image read by <see cref="VolumeReader.ReadExact"/>: exactly one of the two volumes is set.</summary>
/// <param name="WholeNumbers">Whole numbers in their stored integers, when the DICOM series qualified.</param>
/// <param name="Float">Real values as floats otherwise.</param>
/// <param name="Warnings">Everything the reader handled by policy.</param>
internal sealed record ExactImage(WholeNumberVolume? WholeNumbers, Volume<float>? Float, IReadOnlyList<string> Warnings);

/// <summary>
/// The one way to read an image: a DICOM folder (recursive) or file, or a .nii/.nii.gz/.mha/.mhd/.nrrd/.nhdr file —
/// whatever format of <see cref="VolumeReadOptions.Formats"/> claims the path. A folder with several series needs the
/// Series Instance UID of the one wanted (<see cref="VolumeReadOptions.SeriesInstanceUid"/>). Every command, the
/// validation runner and the viewer read through here.
/// </summary>
public static class VolumeReader
{
    /// <summary>Reads the image at <paramref name="path"/> as real values (rescale applied; HU for CT).</summary>
    /// <param name="path">DICOM folder or file, or a volume file.</param>
    /// <param name="options">Formats, DICOM series, codecs and assembly policy; <see cref="VolumeReadOptions.Default"/> when null.</param>
    /// <param name="progress">Fraction done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ImageGuideException">Nothing readable, an ambiguous folder, or invalid data.</exception>
    public static LoadedImage Read(string path, VolumeReadOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var loaded = (options ?? VolumeReadOptions.Default).Formats.Read(path, options, progress, cancellationToken);
        return new LoadedImage(loaded.ToFloat(), loaded.Metadata.Warnings, loaded.Series);
    }

    /// <summary>
    /// As <see cref="Read"/> for a reader that writes or summarises the values and can take whole numbers as they were
    /// stored (<c>imageguide convert</c> to a volume file, <c>info</c>): a DICOM series with Rescale Slope 1 and an integer
    /// intercept, not resampled, comes back in its 16-bit stored integers with the range of its values
    /// (<see cref="ExactImage.WholeNumbers"/>) and no float volume is built; anything else as <see cref="Read"/> reads it.
    /// </summary>
    internal static ExactImage ReadExact(string path, VolumeReadOptions? options = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= VolumeReadOptions.Default;
        if (options.Formats.ReaderFor(path) is not DicomVolumeFormat dicom)
        {
            var image = Read(path, options, progress, cancellationToken);
            return new ExactImage(null, image.Volume, image.Warnings);
        }
        var series = dicom.ReadExact(path, options, progress, cancellationToken);
        progress?.Report(1);
        return new ExactImage(series.WholeNumbers, series.Float, series.Report.Warnings);
    }

    /// <summary>
    /// Reads the image at <paramref name="path"/> converted exactly to <typeparamref name="T"/> — masks and label maps as
    /// <c>byte</c>: a value that is not an integer or out of range is refused naming the voxel, never rounded or wrapped.
    /// </summary>
    /// <exception cref="ImageGuideException">Nothing readable, an ambiguous folder, invalid data, or a value <typeparamref name="T"/> cannot hold.</exception>
    public static Volume<T> Read<T>(string path, VolumeReadOptions? options = null, CancellationToken cancellationToken = default)
        where T : unmanaged, INumber<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return (options ?? VolumeReadOptions.Default).Formats.Read(path, options, null, cancellationToken).ToVolume<T>();
    }

    /// <summary>
    /// Picks the series with the given UID, or the only one; otherwise explains the choice to make — or, when there is
    /// none, what was wrong with the <paramref name="skipped"/> files (the reader's reason, with its tag and offset).
    /// </summary>
    public static DicomSeriesInfo SelectSeries(string path, IReadOnlyList<DicomSeriesInfo> series, string? seriesInstanceUid,
        IReadOnlyList<SkippedFile>? skipped = null)
    {
        if (series.Count == 0 && skipped is { Count: > 0 })
        {
            var first = skipped.Where(x => x.IsDicom).Concat(skipped.Where(x => !x.IsDicom)).Take(3)
                .Select(x => x.Reason.Contains(Path.GetFileName(x.Path), StringComparison.Ordinal) ? x.Reason : $"{Path.GetFileName(x.Path)}: {x.Reason}");
            throw new UnsupportedFormatException(
                $"{path}: no DICOM image series; {skipped.Count} file(s) could not be read as one — {string.Join("; ", first)}{(skipped.Count > 3 ? "; …" : "")}");
        }
        if (seriesInstanceUid is not null)
        {
            foreach (var s in series) if (s.SeriesInstanceUid == seriesInstanceUid) return s;
            throw new ImageGuideException($"{path}: no series with Series Instance UID {seriesInstanceUid}; found {Describe(series)}.");
        }
        return series.Count switch
        {
            0 => throw new UnsupportedFormatException(
                $"{path}: no DICOM image series and no supported volume file found (volume files: {string.Join(", ", VolumeIO.SupportedExtensions)})."),
            1 => series[0],
            _ => throw new ImageGuideException($"{path} holds {series.Count} series: {Describe(series)}. Choose one by its Series Instance UID (--series UID)."),
        };
    }

    private static string Describe(IReadOnlyList<DicomSeriesInfo> series) =>
        series.Count == 0 ? "none" : string.Join("; ", series.Select(s => $"{s.SeriesInstanceUid} ({s.Modality}, {s.Slices.Count} frames, '{s.SeriesDescription}')"));
}
