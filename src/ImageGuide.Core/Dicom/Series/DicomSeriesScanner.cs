using System.Globalization;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Finds DICOM image series in a folder (recursively) or a single file by reading headers only (no pixel
/// decoding), in parallel. Files that are not DICOM, DICOM files without pixel data (DICOMDIR, Philips DIRFILE,
/// structured reports) and images without slice geometry are skipped and counted in each series' warnings.
/// Results are deterministic: series sorted by Series Instance UID (ordinal), frames by file path.
/// </summary>
public static class DicomSeriesScanner
{
    /// <summary>Scans and returns the series found.</summary>
    /// <param name="path">A folder (searched recursively; symbolic links are not followed) or one file.</param>
    /// <param name="progress">Fraction of files read, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <exception cref="ImageGuideException">The path does not exist.</exception>
    public static IReadOnlyList<DicomSeriesInfo> Scan(string path, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        ScanDetailed(path, null, progress, cancellationToken).Series;

    /// <summary>Scans and returns the series and the skipped files with reasons.</summary>
    /// <param name="path">A folder (searched recursively; symbolic links are not followed) or one file.</param>
    /// <param name="options">File reading options (codec registry, limits) every file is read with, so that the pixel
    /// data are later decoded by the same codecs; <see cref="DicomReadOptions.Default"/> when null.</param>
    /// <param name="progress">Fraction of files read, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <exception cref="ImageGuideException">The path does not exist.</exception>
    public static DicomScanResult ScanDetailed(string path, DicomReadOptions? options = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string[] files = FilesUnder(path) ?? throw new ImageGuideException($"{path} is neither a file nor a folder; give the path of a DICOM file or of a folder holding a series.");

        var frames = new List<DicomSliceHeader>?[files.Length];
        var skipped = new SkippedFile?[files.Length];
        int done = 0;
        Parallel.For(0, files.Length, new ParallelOptions { CancellationToken = cancellationToken }, n =>
        {
            string file = files[n];
            if (!DicomFile.TryReadHeader(file, options, out DicomFile? dicom, out string? why))
                skipped[n] = new SkippedFile(file, why, false);
            else if (!SliceHeaderFactory.TryCreate(dicom, file, out var slices, out string? reason))
                skipped[n] = new SkippedFile(file, reason!, true);
            else frames[n] = slices;
            progress?.Report((double)Interlocked.Increment(ref done) / files.Length);
        });

        var skippedList = new List<SkippedFile>();
        foreach (var s in skipped) if (s is { } v) skippedList.Add(v);
        var warnings = Summarize(skippedList);
        var bySeries = new SortedDictionary<string, List<DicomSliceHeader>>(StringComparer.Ordinal);
        foreach (var list in frames)
        {
            if (list is null) continue;
            foreach (var h in list)
            {
                if (!bySeries.TryGetValue(h.SeriesInstanceUid, out var group)) bySeries[h.SeriesInstanceUid] = group = [];
                group.Add(h);
            }
        }
        var series = new List<DicomSeriesInfo>(bySeries.Count);
        foreach (var group in bySeries.Values) series.Add(new DicomSeriesInfo(group, warnings));
        return new DicomScanResult(series, skippedList);
    }

    /// <summary>
    /// The file itself, or every file below the folder (searched recursively, symbolic links not followed, inaccessible
    /// entries passed over), sorted by path; null when the path is neither.
    /// </summary>
    internal static string[]? FilesUnder(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) return null;
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var files = Directory.EnumerateFiles(path, "*", options).ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static List<string> Summarize(List<SkippedFile> skipped)
    {
        var warnings = new List<string>();
        void Add(string what, List<SkippedFile> items, bool withReasons = true)
        {
            if (items.Count == 0) return;
            var names = items.Take(3).Select(s => Path.GetFileName(s.Path) + (withReasons ? " (" + s.Reason + ")" : ""));
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Skipped {items.Count} {what}: {string.Join("; ", names)}{(items.Count > 3 ? "; …" : "")}."));
        }
        // files that are plainly not DICOM (text, images) are only named; damaged DICOM files carry the reader's reason
        Add("file(s) that are not DICOM", skipped.Where(s => !s.IsDicom && s.Reason.Contains(": not a DICOM file", StringComparison.Ordinal)).ToList(), withReasons: false);
        Add("file(s) that are not readable DICOM", skipped.Where(s => !s.IsDicom && !s.Reason.Contains(": not a DICOM file", StringComparison.Ordinal)).ToList());
        Add("DICOM file(s) without pixel data (e.g. DICOMDIR, DIRFILE)", skipped.Where(s => s.IsDicom && s.Reason == SliceHeaderFactory.NoPixelData).ToList());
        Add("DICOM image(s) that cannot be placed in a volume", skipped.Where(s => s.IsDicom && s.Reason != SliceHeaderFactory.NoPixelData).ToList());
        return warnings;
    }
}
