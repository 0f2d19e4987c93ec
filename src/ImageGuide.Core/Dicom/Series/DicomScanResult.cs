namespace ImageGuide.Dicom.Series;

/// <summary>A file the scanner could not use, and why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">Not DICOM / unreadable (the reader's message), no pixel data, or no slice geometry.</param>
/// <param name="IsDicom">True when the file was read as DICOM but has no usable image (e.g. a DICOMDIR or a Philips DIRFILE).</param>
public readonly record struct SkippedFile(string Path, string Reason, bool IsDicom);

/// <summary>Everything a scan found: the series (sorted by Series Instance UID) and the files it skipped (sorted by path).</summary>
/// <param name="Series">The series with at least one image frame.</param>
/// <param name="Skipped">Files that contributed no frame.</param>
public sealed record DicomScanResult(IReadOnlyList<DicomSeriesInfo> Series, IReadOnlyList<SkippedFile> Skipped);
