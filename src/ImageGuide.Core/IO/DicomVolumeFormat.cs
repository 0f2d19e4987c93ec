using ImageGuide.Dicom.Series;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// DICOM as an <see cref="IVolumeFormat"/>: a folder (searched recursively) or a file holding one image series, read by
/// scanning headers (<see cref="DicomSeriesScanner"/>, with the options' codec registry), choosing the series
/// (<see cref="VolumeReadOptions.SeriesInstanceUid"/>) and assembling it (<see cref="VolumeReadOptions.Assembly"/>).
/// It reads whatever the file formats before it in the registry do not claim, so it comes last. Read-only.
/// </summary>
public sealed class DicomVolumeFormat : IVolumeFormat
{
    /// <inheritdoc />
    public string Name => "DICOM";
    /// <inheritdoc />
    public IReadOnlyList<string> Extensions { get; } = [".dcm"];
    /// <inheritdoc />
    public bool CanRead(string path) => Directory.Exists(path) || File.Exists(path);
    /// <inheritdoc />
    public bool CanWrite(string path) => false;

    /// <inheritdoc />
    public LoadedVolume Read(string path, VolumeReadOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scan = DicomSeriesScanner.ScanDetailed(path, options.Dicom, new ScaledProgress(progress, 0, 0.3), cancellationToken);
        var series = VolumeReader.SelectSeries(path, scan.Series, options.SeriesInstanceUid, scan.Skipped);
        var result = series.Assemble(options.Assembly, new ScaledProgress(progress, 0.3, 0.7), cancellationToken);
        return new LoadedVolume<float>(result.Volume, path) { Series = series };
    }

    /// <summary>
    /// As <see cref="Read"/>, but a series of whole numbers (Rescale Slope 1, an integer intercept, not resampled) comes
    /// back in its stored 16-bit integers (<see cref="ExactAssembly.WholeNumbers"/>), for <c>convert</c> and <c>info</c>.
    /// </summary>
    internal ExactAssembly ReadExact(string path, VolumeReadOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var scan = DicomSeriesScanner.ScanDetailed(path, options.Dicom, new ScaledProgress(progress, 0, 0.3), cancellationToken);
        var series = VolumeReader.SelectSeries(path, scan.Series, options.SeriesInstanceUid, scan.Skipped);
        return series.AssembleExact(options.Assembly, new ScaledProgress(progress, 0.3, 0.7), cancellationToken);
    }

    /// <summary>DICOM series are written with <c>DicomSeriesWriter</c> (a folder of files), not through the registry.</summary>
    /// <exception cref="UnsupportedFormatException">Always.</exception>
    public void Write<T>(Volume<T> volume, string path, CancellationToken cancellationToken) where T : unmanaged =>
        throw new UnsupportedFormatException($"{path}: DICOM series are written with DicomSeriesWriter (imageguide convert IN OUT_FOLDER/), not as one volume file.");

    private sealed class ScaledProgress(IProgress<double>? inner, double start, double span) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(start + span * value);
    }
}
