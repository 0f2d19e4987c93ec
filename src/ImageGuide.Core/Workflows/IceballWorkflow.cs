using ImageGuide.Dicom.Writing;
using ImageGuide.Files;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;
using ImageGuide.Segmentation;

namespace ImageGuide.Workflows;

/// <summary>What the ice-ball workflow reads (paths, as <c>imageguide iceball</c> takes them) and where it writes.</summary>
public sealed record IceballJob
{
    /// <summary>Intra-procedural CT (DICOM folder or file, or a volume file), in HU.</summary>
    public required string Ct { get; init; }
    /// <summary>Pre-freeze CT with the probes in place (enables subtraction), or null.</summary>
    public string? PreFreezeCt { get; init; }
    /// <summary>Transform mapping CT points to pre-freeze CT points (fixed → moving); identity when null.</summary>
    public string? PreFreezeTransform { get; init; }
    /// <summary>Label map with the tumour (Target) and critical structures (Critical), or null.</summary>
    public string? Labels { get; init; }
    /// <summary>Label table of <see cref="Labels"/>; NAME.json beside the map when null.</summary>
    public string? LabelTable { get; init; }
    /// <summary>Transform (rigid file or displacement field) mapping CT points to label-map and plan points; identity when null.</summary>
    public string? LabelsTransform { get; init; }
    /// <summary>Plan JSON (<c>imageguide plan</c>) whose modelled temperature the ice is compared with, or null.</summary>
    public string? Plan { get; init; }
    /// <summary>Probe tips and axes JSON; probes are detected on the CT when null.</summary>
    public string? Probes { get; init; }
    /// <summary>Ice-ball mask of an earlier scan (same patient space), for the growth, or null.</summary>
    public string? PreviousIceBall { get; init; }
    /// <summary>Output folder; its files appear together once all are written.</summary>
    public required string OutputFolder { get; init; }
    /// <summary>Whether files of the same names in an existing output folder are replaced.</summary>
    public bool Overwrite { get; init; }
    /// <summary>Segmentation and analysis settings.</summary>
    public IceBallSettings Settings { get; init; } = IceBallSettings.Default;

    /// <summary>Every input file the job reads (the label table beside the map included), for output-safety checks.</summary>
    public IReadOnlyList<string> InputPaths
    {
        get
        {
            var inputs = new[] { Ct, PreFreezeCt, PreFreezeTransform, Labels, LabelTable, LabelsTransform, Plan, Probes, PreviousIceBall }.OfType<string>().ToList();
            if (Labels is not null && LabelTable is null) inputs.Add(LabelMap.DefaultTablePath(Labels));
            return inputs;
        }
    }
}

/// <summary>What the ice-ball workflow produced: the analysis and who and which study the CT belongs to (for reports).</summary>
/// <param name="Analysis">Masks and every measurement.</param>
/// <param name="Identity">Patient and study of the intra-procedural CT, or null when it records none.</param>
public sealed record IceballOutcome(IceBallAnalysis Analysis, StudyIdentity? Identity);

/// <summary>
/// The ice-ball workflow: read the CT and what is given beside it, segment and analyse the ice ball
/// (<see cref="IceBallSegmenter"/>), and write the mask, lethal zone, report, DICOM label series and snapshots.
/// </summary>
public static class IceballWorkflow
{
    /// <summary>Names of the files and folders written into the output folder.</summary>
    public const string MaskFile = "iceball.nii.gz", LethalFile = "lethal.nii.gz", ReportFile = "report.json", DicomFolder = "iceball-dicom",
        SegmentationFile = "iceball.seg.dcm", SnapshotFolder = "snapshots";

    /// <summary>Every name the workflow writes inside its output folder.</summary>
    public static IReadOnlyList<string> OutputNames { get; } = [MaskFile, LethalFile, ReportFile, DicomFolder, SegmentationFile, SnapshotFolder];

    /// <summary>Runs the job; the output folder's files appear together when all are written (a kill leaves the old state or nothing).</summary>
    /// <param name="job">Inputs, output folder and settings.</param>
    /// <param name="progress">Fraction done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels reading, analysis and writing.</param>
    public static IceballOutcome Run(IceballJob job, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var loaded = VolumeReader.Read(job.Ct, cancellationToken: cancellationToken);
        var intra = loaded.Volume;
        // the SEG references the CT's series when it can be referenced (a DICOM series with a Frame of Reference)
        DicomSeriesReference? source = null;
        try { source = loaded.Series is { } series ? DicomSeriesReference.FromSeries(series, cancellationToken) : DicomSeriesReference.FromMetadata(intra.Metadata); }
        catch (ImageGuideException) { }
        progress?.Report(0.1);
        var labels = job.Labels is { } lp ? LabelMap.Read(lp, job.LabelTable, cancellationToken) : null;
        var toLabels = job.LabelsTransform is { } t ? TransformIO.ReadAny(t, cancellationToken) : null;
        var input = new IceBallInputs
        {
            IntraOpCt = intra,
            PreFreezeCt = job.PreFreezeCt is { } pp ? VolumeReader.Read(pp, cancellationToken: cancellationToken).Volume : null,
            IntraOpToPreFreeze = job.PreFreezeTransform is { } pt ? TransformIO.Read(pt) : null,
            Probes = job.Probes is { } pr ? ProbeFile.Read(pr) : null,
            Labels = labels,
            IntraOpToLabels = toLabels,
            PlannedTemperature = job.Plan is { } plan ? PlanFile.Read(plan).ProbeField : null,
            PreviousIceBall = job.PreviousIceBall is { } prev ? VolumeReader.Read<byte>(prev, cancellationToken: cancellationToken) : null,
        };
        progress?.Report(0.2);
        var result = new IceBallSegmenter(job.Settings).Analyze(input, progress is null ? null : new Scaled(progress, 0.2, 0.6), cancellationToken);
        AtomicFolder.Write(job.OutputFolder, job.Overwrite, temp => Write(temp, intra, result, labels, toLabels, cancellationToken, source));
        progress?.Report(1);
        return new IceballOutcome(result, StudyIdentity.From(intra.Metadata));
    }

    /// <summary>
    /// Writes the mask, lethal zone, report, DICOM label series, DICOM SEG (ice ball and lethal zone, referencing
    /// <paramref name="source"/>, the CT's series when it was DICOM) and snapshots of <paramref name="analysis"/> into <paramref name="outDir"/>.
    /// </summary>
    public static void Write(string outDir, Volume<float> ct, IceBallAnalysis analysis, LabelMap? labels, ISpatialTransform? ctToLabels,
        CancellationToken cancellationToken, DicomSeriesReference? source = null)
    {
        ArgumentNullException.ThrowIfNull(ct);
        ArgumentNullException.ThrowIfNull(analysis);
        Directory.CreateDirectory(outDir);
        VolumeIO.Write(analysis.IceBall, Path.Combine(outDir, MaskFile), cancellationToken);
        VolumeIO.Write(analysis.LethalZone, Path.Combine(outDir, LethalFile), cancellationToken);
        File.WriteAllText(Path.Combine(outDir, ReportFile), IceBallJson.Serialize(analysis));
        var md = ct.Metadata;
        DicomSeriesWriter.WriteLabels(analysis.IceBall, Path.Combine(outDir, DicomFolder), new DicomSeriesWriterOptions
        {
            Overwrite = true,
            PatientName = md.PatientName,
            PatientId = md.PatientId,
            StudyInstanceUid = md.StudyInstanceUid,
            FrameOfReferenceUid = md.FrameOfReferenceUid,
            SeriesDescription = "Ice ball (0 °C edge) segmented by ImageGuide",
        }, null, cancellationToken);
        if (analysis.IceBall.Data.AsSpan().IndexOfAnyExcept((byte)0) >= 0)
            DicomSegmentationWriter.Write(
            [
                (analysis.IceBall, new LabelDefinition(1, "Ice ball (0 °C edge)", LabelRole.Other)),
                (analysis.LethalZone, new LabelDefinition(2, "Lethal zone", LabelRole.Other)),
            ], Path.Combine(outDir, SegmentationFile), new DicomSegmentationOptions
            {
                Source = source,
                PatientName = md.PatientName,
                PatientId = md.PatientId,
                StudyInstanceUid = md.StudyInstanceUid,
                FrameOfReferenceUid = md.FrameOfReferenceUid,
                SeriesDescription = "Ice ball and lethal zone segmented by ImageGuide",
                Overwrite = true,
            }, cancellationToken);
        IceballSnapshots.Write(Path.Combine(outDir, SnapshotFolder), ct, analysis, labels, ctToLabels);
    }

    private sealed class Scaled(IProgress<double> inner, double start, double span) : IProgress<double>
    {
        public void Report(double value) => inner.Report(start + span * value);
    }
}
