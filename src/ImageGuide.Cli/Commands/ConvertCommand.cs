using System.CommandLine;
using ImageGuide.Dicom.Writing;
using ImageGuide.IO;
using ImageGuide.Model;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide convert PATH OUT [--series UID]</c>: any readable image to a volume file or a DICOM series.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("path") { Description = "DICOM file or folder, or a volume file" };
        var output = new Argument<string>("out") { Description = ".nii/.nii.gz/.mha/.mhd/.nrrd/.nhdr file, or a new folder (ending in / or without extension) for a DICOM series" };
        var series = new Option<string?>("--series") { Description = "Series Instance UID when the folder holds several series" };
        var force = OutputGuard.ForceOption();
        var modality = new Option<string?>("--modality") { Description = "CT or MR, for a DICOM output from a file that does not record it (NIfTI, NRRD)" };
        modality.AcceptOnlyFromAmong("CT", "MR");
        var reference = new Option<string?>("--reference") { Description = "For an RT Structure Set input: the image whose grid the contours are filled on (the one they were drawn on)" };
        var cmd = new Command("convert", "Convert between DICOM series and NIfTI / MetaImage / NRRD (geometry kept in LPS); DICOM SEG ↔ label maps; RT Structure Sets → label maps") { input, output, series, force, modality, reference };
        cmd.SetAction(async (parse, ct) =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            bool toDicom = outPath.EndsWith('/') || Path.GetExtension(outPath).Length == 0;
            OutputGuard.Check("output", outPath, toDicom, [inPath], parse.GetValue(force));
            // a header's detached data file counts too: out.mhd writes out.raw, which may be what in.mhd reads
            foreach (string written in ImageFiles.WrittenFor(outPath))
                OutputGuard.RefuseOverwritingInputs("output", written, false, ImageFiles.Of(inPath));
            if (outPath.EndsWith(".seg.dcm", StringComparison.OrdinalIgnoreCase))
            {
                // a label volume and its table (NAME.json beside it) become one DICOM SEG, a segment per label
                var map = LabelMap.Read(inPath, null, ct);
                DicomSegmentationWriter.Write(map, outPath, new DicomSegmentationOptions
                {
                    PatientName = map.Volume.Metadata.PatientName,
                    PatientId = map.Volume.Metadata.PatientId,
                    StudyInstanceUid = map.Volume.Metadata.StudyInstanceUid,
                    FrameOfReferenceUid = map.Volume.Metadata.FrameOfReferenceUid,
                    Overwrite = parse.GetValue(force),
                }, ct);
                Console.Error.WriteLine($"wrote {outPath}: {string.Join(", ", map.Table.Labels.Select(l => $"{l.Name} ({l.Role})"))}");
                return ExitCodes.Success;
            }
            if (RtStructureSet.IsStructureSet(inPath))
            {
                // contours become labels on the grid of the image they were drawn on
                string refPath = parse.GetValue(reference) ?? throw new UsageException($"{inPath} is an RT Structure Set: give the image its contours were drawn on with --reference IMAGE (a DICOM folder or volume file).");
                if (toDicom) throw new UsageException("An RT Structure Set converts to a label volume (.nii.gz, .nrrd, .mha) or, through one, to DICOM SEG.");
                OutputGuard.Check("output (label table)", LabelMap.DefaultTablePath(outPath), false, [inPath, refPath], parse.GetValue(force));
                var grid = VolumeReader.Read(refPath, cancellationToken: ct).Volume.Geometry;
                var (rois, notes) = RtStructureSet.Read(inPath, grid, ct);
                foreach (var w in notes) Console.Error.WriteLine($"warning: {w}");
                rois.Write(outPath, ct);
                Console.Error.WriteLine($"wrote {outPath} and {LabelMap.DefaultTablePath(outPath)}: {string.Join(", ", rois.Table.Labels.Select(l => $"{l.Value} {l.Name} ({l.Role})"))}");
                return ExitCodes.Success;
            }
            if (DicomSegmentation.IsSegmentation(inPath))
            {
                // a DICOM SEG becomes a label map and its table (NAME.json beside it), as plan and iceball read them
                if (toDicom) throw new UsageException($"{inPath} is already a DICOM Segmentation; convert it to a label volume (.nii.gz, .nrrd, .mha).");
                OutputGuard.Check("output (label table)", LabelMap.DefaultTablePath(outPath), false, [inPath], parse.GetValue(force));
                var (labels, notes) = DicomSegmentation.Read(inPath, ct);
                foreach (var w in notes) Console.Error.WriteLine($"warning: {w}");
                labels.Write(outPath, ct);
                Console.Error.WriteLine($"wrote {outPath} and {LabelMap.DefaultTablePath(outPath)}: {string.Join(", ", labels.Table.Labels.Select(l => $"{l.Value} {l.Name} ({l.Role})"))}");
                return ExitCodes.Success;
            }
            var readOptions = new VolumeReadOptions { SeriesInstanceUid = parse.GetValue(series) };
            if (!toDicom)
            {
                // whole-number values (a CT's HU) in the smallest exact integer type, as dcm2niix does; float32 otherwise.
                // A DICOM series of whole numbers stays in its stored integers from decoding to writing (no float volume).
                var exact = await CliRunner.WithProgressAsync("Reading", p => Task.Run(() => VolumeReader.ReadExact(inPath, readOptions, p, ct), ct));
                foreach (var w in exact.Warnings) Console.Error.WriteLine($"warning: {w}");
                var type = exact.WholeNumbers is { } whole ? VolumeIO.WriteExact(whole, outPath, ct) : VolumeIO.WriteExact(exact.Float!, outPath, ct);
                Console.Error.WriteLine($"wrote {outPath} ({type.ToString().ToLowerInvariant()})");
                return ExitCodes.Success;
            }
            var image = await CliRunner.WithProgressAsync("Reading", p => Task.Run(() => VolumeReader.Read(inPath, readOptions, p, ct), ct));
            foreach (var w in image.Warnings) Console.Error.WriteLine($"warning: {w}");
            string? mod = parse.GetValue(modality) ?? image.Volume.Metadata.Modality;
            if (mod is not ("CT" or "MR"))
                throw new UsageException($"{inPath} does not say whether it is CT or MR ({mod ?? "no modality recorded"}); pass --modality CT or --modality MR.");
            var files = DicomSeriesWriter.Write(image.Volume, outPath, DicomSeriesWriterOptions.Default with { Modality = mod, Overwrite = parse.GetValue(force) }, null, ct);
            Console.Error.WriteLine($"wrote {files.Count} DICOM files to {outPath}");
            return ExitCodes.Success;
        });
        return cmd;
    }
}
