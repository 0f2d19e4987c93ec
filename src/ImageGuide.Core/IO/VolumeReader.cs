using ImageGuide.Imaging;
using ImageGuide.Dicom.Series;

namespace ImageGuide.IO;

/// <summary>A volume read from disk with what was noticed on the way.</summary>
/// <param name="Volume">Voxels as real values (rescale applied; HU for CT), geometry in LPS mm.</param>
/// <param name="Warnings">Everything the reader handled by policy (tilt, uneven spacing, skipped files, …).</param>
/// <param name="Series">The DICOM series it came from, or null for NIfTI/MetaImage/NRRD files.</param>
public sealed record LoadedImage(Volume<float> Volume, IReadOnlyList<string> Warnings, DicomSeriesInfo? Series);

/// <summary>
/// Reads one volume from any supported source: a DICOM folder (recursive) or file, or a .nii/.nii.gz/.mha/.mhd/
/// .nrrd/.nhdr file. A folder with several series needs the Series Instance UID of the one wanted.
/// </summary>
public static class VolumeReader
{
    /// <summary>Reads the volume at <paramref name="path"/>.</summary>
    /// <param name="path">DICOM folder or file, or a volume file.</param>
    /// <param name="seriesInstanceUid">Which DICOM series, when the folder holds several.</param>
    /// <param name="options">DICOM series assembly policy (tilt, uneven spacing); defaults when null.</param>
    /// <param name="progress">Fraction done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ImageGuideException">Nothing readable, an ambiguous folder, or invalid data.</exception>
    public static LoadedImage Read(string path, string? seriesInstanceUid = null, SeriesAssemblyOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path) && VolumeFormatRegistry.Default.CanRead(path))
        {
            var loaded = VolumeIO.Read(path, cancellationToken);
            progress?.Report(1);
            return new LoadedImage(loaded.ToFloat(), loaded.Metadata.Warnings, null);
        }
        var scan = DicomSeriesScanner.ScanDetailed(path, new ScaledProgress(progress, 0, 0.3), cancellationToken);
        var series = SelectSeries(path, scan.Series, seriesInstanceUid, scan.Skipped);
        var result = series.Assemble(options, new ScaledProgress(progress, 0.3, 0.7), cancellationToken);
        return new LoadedImage(result.Volume, result.Report.Warnings, series);
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

    private sealed class ScaledProgress(IProgress<double>? inner, double start, double span) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(start + span * value);
    }
}
