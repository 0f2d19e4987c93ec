using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Dicom.Writing;
using ImageGuide.Imaging;
using ImageGuide.IO;
using ImageGuide.Registration;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide register --fixed A --moving B --out T.tfm</c>: rigid Mattes-MI registration (fixed → moving).</summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var fixedOpt = new Option<string>("--fixed") { Description = "Fixed image (e.g. intra-procedural CBCT/CT); DICOM folder or volume file", Required = true };
        var moving = new Option<string>("--moving") { Description = "Moving image (e.g. diagnostic MR)", Required = true };
        var output = new Option<string>("--out") { Description = "Transform file: .tfm (ITK VersorRigid3D) or .json (4×4)", Required = true };
        var resampled = new Option<string?>("--resampled") { Description = "Also write the moving image resampled onto the fixed grid: a volume file (.mha/.nii.gz/.nrrd), or a new folder (ending in / or without extension) for a DICOM series in the fixed frame of reference" };
        var regOut = new Option<string?>("--reg-out") { Description = "Also write a DICOM Spatial Registration object (.dcm) relating both series' frames of reference (both inputs must be DICOM series)" };
        var preset = new Option<string>("--preset") { Description = $"Settings preset: {string.Join(", ", RegistrationPreset.Names)}, or a preset JSON file", DefaultValueFactory = _ => "ct-mr" };
        var fixedMask = new Option<string?>("--fixed-mask") { Description = "Mask of fixed voxels to sample (non-zero = use); for CBCT see --fov-mask" };
        var fovMask = new Option<bool>("--fov-mask") { Description = "Sample the fixed image only inside its reconstructed field of view (CBCT padding excluded)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (matrix, translation, versor, center, metric, iterations, seconds)" };
        var cmd = new Command("register", "Rigidly register a moving image to a fixed one (Mattes mutual information, multi-resolution)")
            { fixedOpt, moving, output, resampled, regOut, preset, fixedMask, fovMask, json };
        cmd.SetAction(async (parse, ct) =>
        {
            string presetName = parse.GetValue(preset)!;
            var settings = RegistrationPreset.TryGet(presetName, out var s) ? s
                : File.Exists(presetName) ? RegistrationPreset.FromJson(File.ReadAllText(presetName), presetName)
                : throw new UsageException($"Unknown preset '{presetName}': use {string.Join(", ", RegistrationPreset.Names)} or a preset JSON file.");
            string outPath = parse.GetValue(output)!;
            if (!outPath.EndsWith(".tfm", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--out {outPath}: write the transform as .tfm or .json.");
            string fixedPath = parse.GetValue(fixedOpt)!, movingPath = parse.GetValue(moving)!;
            string? resampledPath = parse.GetValue(resampled), regPath = parse.GetValue(regOut);
            bool resampledToDicom = resampledPath is not null && (resampledPath.EndsWith('/') || Path.GetExtension(resampledPath).Length == 0);
            foreach (var (option, path, folder) in new[] { ("--out", outPath, false), ("--resampled", resampledPath, resampledToDicom), ("--reg-out", regPath, false) })
                if (path is not null) OutputGuard.RefuseOverwritingInputs(option, path, folder, [fixedPath, movingPath]);
            if (regPath is not null && !regPath.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--reg-out {regPath}: a DICOM Spatial Registration object is written as a .dcm file.");
            if (regPath is not null && File.Exists(regPath))
                throw new UsageException($"--reg-out {regPath} exists; choose another name (it is never overwritten).");
            var (result, fixedLoaded, movingLoaded) = await CliRunner.WithProgressAsync("Registering", p => Task.Run(() =>
            {
                var fl = VolumeReader.Read(fixedPath, cancellationToken: ct);
                var ml = VolumeReader.Read(movingPath, cancellationToken: ct);
                var f = fl.Volume;
                var m = ml.Volume;
                Volume<byte>? mask = parse.GetValue(fixedMask) is { } mp ? VolumeIO.Read<byte>(mp, ct)
                    : parse.GetValue(fovMask) ? FieldOfViewMask.FromFillValue(f) : null;
                int maxIter = settings.Optimizer.MaximumIterations;
                var progress = new Progress<RegistrationProgress>(r => p.Report(r.Fraction(maxIter)));
                return (new RigidRegistration(settings).Execute(f, m, mask, null, null, progress, ct), fl, ml);
            }, ct));
            TransformIO.Write(result.Transform, outPath);
            if (resampledPath is not null) WriteResampled(result.Transform, fixedLoaded, movingLoaded, resampledPath, resampledToDicom, ct);
            if (regPath is not null)
            {
                var fixedRef = Reference(fixedLoaded, fixedPath, ct);
                var movingRef = Reference(movingLoaded, movingPath, ct);
                var md = fixedLoaded.Volume.Metadata;
                DicomSpatialRegistrationWriter.Write(regPath, result.Transform, fixedRef, movingRef, new DicomSpatialRegistrationOptions
                {
                    PatientName = md.PatientName,
                    PatientId = md.PatientId,
                    ContentDescription = $"ImageGuide {settings.Name}, -MI {result.FinalMetric:0.0000}",
                });
                Console.Error.WriteLine($"wrote {regPath} (DICOM REG: {movingRef.FrameOfReferenceUid} → {fixedRef.FrameOfReferenceUid})");
            }
            if (parse.GetValue(json)) WriteJson(result);
            else Console.Error.WriteLine($"wrote {outPath}: metric {result.FinalMetric:0.0000}, {result.TotalIterations} iterations, {result.WallTime.TotalSeconds:0.00} s");
            return ExitCodes.Success;
        });
        return cmd;
    }

    /// <summary>
    /// The moving image on the fixed grid: a volume file, or a DICOM series (the moving modality) in the fixed
    /// image's frame of reference and study — its voxels now live in fixed-patient coordinates.
    /// </summary>
    private static void WriteResampled(RigidTransform transform, LoadedImage fixedImage, LoadedImage movingImage, string path, bool toDicom, CancellationToken ct)
    {
        var resampled = Resampler.Resample(movingImage.Volume, fixedImage.Volume.Geometry, transform, InterpolationMode.Linear, 0f, ct);
        if (!toDicom)
        {
            VolumeIO.Write(resampled, path, ct);
            Console.Error.WriteLine($"wrote {path}");
            return;
        }
        var fm = fixedImage.Volume.Metadata;
        var mm = movingImage.Volume.Metadata;
        string? modality = mm.Modality?.Trim().ToUpperInvariant();
        if (modality is not ("CT" or "MR"))
            throw new UsageException($"--resampled {path}: a DICOM series needs the moving image's modality (CT or MR), and it records {mm.Modality ?? "none"}; write a .mha or .nii.gz file instead.");
        var files = DicomSeriesWriter.Write(resampled, path, new DicomSeriesWriterOptions
        {
            Modality = modality,
            FrameOfReferenceUid = fm.FrameOfReferenceUid ?? DicomUid.Generate(),
            StudyInstanceUid = fm.StudyInstanceUid ?? mm.StudyInstanceUid,
            PatientName = fm.PatientName ?? mm.PatientName,
            PatientId = fm.PatientId ?? mm.PatientId,
            SeriesDescription = $"{mm.SeriesDescription ?? mm.Modality} registered",
        }, null, ct);
        Console.Error.WriteLine($"wrote {files.Count} DICOM files to {path}");
    }

    private static DicomSeriesReference Reference(LoadedImage image, string path, CancellationToken ct)
    {
        if (image.Series is { } series) return DicomSeriesReference.FromSeries(series, ct);
        return DicomSeriesReference.FromMetadata(image.Volume.Metadata)
            ?? throw new UsageException($"--reg-out: {path} has no DICOM Frame of Reference UID; a Spatial Registration object can only relate DICOM series. Give both images as DICOM folders.");
    }

    private static void WriteJson(RegistrationResult r)
    {
        using var stdout = Console.OpenStandardOutput();
        using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var t = r.Transform;
        var m = t.ToMatrix4x4();
        w.WriteStartObject();
        w.WriteStartArray("matrix");
        for (int row = 0; row < 4; row++) JsonOut.Array(w, null, m[row, 0], m[row, 1], m[row, 2], m[row, 3]);
        w.WriteEndArray();
        JsonOut.Vector(w, "translation", t.Translation);
        JsonOut.Array(w, "versor", t.Rotation.X, t.Rotation.Y, t.Rotation.Z, t.Rotation.W);
        JsonOut.Vector(w, "center", t.Center);
        w.WriteNumber("metric", r.FinalMetric);
        w.WriteNumber("iterations", r.TotalIterations);
        w.WriteNumber("seconds", Math.Round(r.WallTime.TotalSeconds, 3));
        w.WriteStartArray("levels");
        foreach (var l in r.Levels)
        {
            w.WriteStartObject();
            w.WriteNumber("shrink", l.ShrinkFactor);
            w.WriteNumber("iterations", l.Iterations);
            w.WriteString("stopReason", l.StopReason.ToString());
            w.WriteNumber("metric", l.FinalMetric);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stdout.Write("\n"u8);
    }
}
