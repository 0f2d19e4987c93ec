using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Dicom.Registration;
using ImageGuide.Dicom.Writing;
using ImageGuide.Imaging;
using ImageGuide.IO;
using ImageGuide.Registration;
using ImageGuide.Registration.Spine;
using ImageGuide.Segmentation.Spine;
using ImageGuide.Workflows.Validation;

using ImageGuide.Model;
using ImageGuide.Workflows;
namespace ImageGuide.Cli.Commands;

/// <summary>
/// <c>imageguide register --fixed A --moving B --out T.tfm</c>: rigid Mattes-MI registration (fixed → moving). The
/// preset is chosen from the images unless given (<c>auto</c>); every result carries the registration's quality
/// verdict: a doubtful one is warned about, a failed one exits with <see cref="ExitCodes.QualityCheckFailed"/>, and
/// the transform file on disk records it (a <c>"verdict"</c> member in the .json form, a <c>.verdict.json</c> sidecar
/// beside a .tfm).
/// </summary>
internal static class RegisterCommand
{
    private const string AutoPreset = PresetSelection.AutoPresetName;

    /// <summary>The settings a registration runs with and where they came from.</summary>
    private sealed record PresetUse(RegistrationSettings Settings, string Name, bool Auto, string Reason);

    public static Command Create()
    {
        var fixedOpt = new Option<string>("--fixed") { Description = "Fixed image (e.g. intra-procedural CBCT/CT); DICOM folder or volume file", Required = true };
        var moving = new Option<string>("--moving") { Description = "Moving image (e.g. diagnostic MR)", Required = true };
        var output = new Option<string>("--out") { Description = "Transform file: .tfm (ITK VersorRigid3D) or .json (4×4)", Required = true };
        var resampled = new Option<string?>("--resampled") { Description = "Also write the moving image resampled onto the fixed grid (through the per-vertebra field with --per-vertebra): a volume file (.mha/.nii.gz/.nrrd), or a new folder (ending in / or without extension) for a DICOM series in the fixed frame of reference" };
        var regOut = new Option<string?>("--reg-out") { Description = "Also write a DICOM Spatial Registration object (.dcm) relating both series' frames of reference (both inputs must be DICOM series)" };
        var preset = new Option<string>("--preset") { Description = $"Settings preset: {PresetNames} (auto: chosen from the two images), or a preset JSON file", DefaultValueFactory = _ => AutoPreset };
        var fixedMask = new Option<string?>("--fixed-mask") { Description = "Mask of fixed voxels to sample (non-zero = use); for CBCT see --fov-mask" };
        var fovMask = new Option<bool>("--fov-mask") { Description = "Sample the fixed image only inside its reconstructed field of view (CBCT padding excluded)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (matrix, translation, versor, center, metric, iterations, seconds, preset, initializer, verdict)" };
        var force = OutputGuard.ForceOption();
        var start = new Option<string?>("--start") { Description = "Override the preset's start: auto (patient coordinates when both share a DICOM Frame of Reference, else a global search), patient (trust patient coordinates, e.g. two volume files of one session), global, moments, geometry" };
        var frameRelation = new Option<string[]>("--frame-relation") { Description = "A DICOM Spatial Registration object (.dcm) relating the two series' frames of reference: the auto start begins from it instead of a global search (REG objects inside the input folders are found without this option)", AllowMultipleArgumentsPerToken = false, Arity = ArgumentArity.ZeroOrMore };
        var perVertebra = new Option<string?>("--per-vertebra") { Description = "Also refine the fusion per vertebra (piecewise rigid) and write the levels' transforms, the displacement field and the labels used into this new folder; the vertebrae come from --fixed-labels, or are found on the fixed CT" };
        var fixedLabels = new Option<string?>("--fixed-labels") { Description = "Vertebra label map of the fixed image (TotalSegmentator or VerSe numbering, or a label table naming the levels)" };
        var labelTable = new Option<string?>("--label-table") { Description = "Label table of --fixed-labels (default NAME.json beside it when present)" };
        var labelScheme = new Option<string>("--label-scheme") { Description = "How --fixed-labels is numbered: auto, totalsegmentator, verse or table", DefaultValueFactory = _ => "auto" };
        var anchor = new Option<string?>("--anchor") { Description = "Without --fixed-labels: the level of the most caudal mobile vertebra in the fixed CT (e.g. L5), to name the vertebrae found automatically; without it the sacrum (or the last rib) is the guess, and the guess is stated" };
        var cmd = new Command("register", "Rigidly register a moving image to a fixed one (Mattes mutual information, multi-resolution)")
            { fixedOpt, moving, output, resampled, regOut, preset, start, frameRelation, perVertebra, fixedLabels, labelTable, labelScheme, anchor, fixedMask, fovMask, json, force };
        cmd.SetAction(async (parse, ct) =>
        {
            string presetName = parse.GetValue(preset)!;
            bool auto = string.Equals(presetName, AutoPreset, StringComparison.OrdinalIgnoreCase);
            if (!auto && !RegistrationPreset.TryGet(presetName, out _) && !File.Exists(presetName))
                throw new UsageException($"Unknown preset '{presetName}': use {PresetNames} or a preset JSON file.");
            PresetUse? given = auto ? null : Given(presetName);
            InitializerKind? startKind = parse.GetValue(start)?.ToLowerInvariant() switch
            {
                null => null,
                "auto" => InitializerKind.Auto,
                "patient" => InitializerKind.None,
                "global" => InitializerKind.Global,
                "moments" => InitializerKind.Moments,
                "geometry" => InitializerKind.GeometryCenter,
                var other => throw new UsageException($"--start {other}: use auto, patient, global, moments or geometry."),
            };
            string outPath = parse.GetValue(output)!;
            if (!outPath.EndsWith(".tfm", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--out {outPath}: write the transform as .tfm or .json.");
            string fixedPath = parse.GetValue(fixedOpt)!, movingPath = parse.GetValue(moving)!;
            string? resampledPath = parse.GetValue(resampled), regPath = parse.GetValue(regOut);
            string[] relationPaths = parse.GetValue(frameRelation) ?? [];
            string? perVertebraDir = parse.GetValue(perVertebra), labelsPath = parse.GetValue(fixedLabels), tablePath = parse.GetValue(labelTable);
            var scheme = ParseScheme(parse.GetValue(labelScheme)!);
            if (perVertebraDir is not null)
            {
                if (labelsPath is not null && !File.Exists(labelsPath)) throw new UsageException($"--fixed-labels {labelsPath}: no such file.");
                if (labelsPath is not null && parse.GetValue(anchor) is not null) throw new UsageException("--anchor names automatically found vertebrae; with --fixed-labels the labels name them.");
                if (tablePath is not null && !File.Exists(tablePath)) throw new UsageException($"--label-table {tablePath}: no such file.");
                if (Directory.Exists(perVertebraDir) && Directory.EnumerateFileSystemEntries(perVertebraDir).Any())
                    throw new UsageException($"--per-vertebra {perVertebraDir} exists and is not empty; give a new folder (nothing in it is ever overwritten).");
                if (File.Exists(perVertebraDir)) throw new UsageException($"--per-vertebra {perVertebraDir} is a file; give a new folder.");
            }
            else if (labelsPath is not null || parse.GetValue(anchor) is not null) throw new UsageException("--fixed-labels and --anchor are used with --per-vertebra DIR.");
            string? anchorName = parse.GetValue(anchor);
            foreach (string rp in relationPaths)
                if (!File.Exists(rp)) throw new UsageException($"--frame-relation {rp}: no such file; give a DICOM Spatial Registration object (.dcm).");
            bool resampledToDicom = resampledPath is not null && (resampledPath.EndsWith('/') || Path.GetExtension(resampledPath).Length == 0);
            string? sidecarPath = IsJson(outPath) ? null : outPath + ".verdict.json";
            foreach (var (option, path, folder) in new[] { ("--out", outPath, false), ("--out (verdict sidecar)", sidecarPath, false), ("--resampled", resampledPath, resampledToDicom), ("--reg-out", regPath, false), ("--per-vertebra", perVertebraDir, true) })
                if (path is not null) OutputGuard.Check(option, path, folder, [fixedPath, movingPath], parse.GetValue(force) && option != "--per-vertebra");
            if (regPath is not null && !regPath.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--reg-out {regPath}: a DICOM Spatial Registration object is written as a .dcm file.");
            if (regPath is not null && File.Exists(regPath))
                throw new UsageException($"--reg-out {regPath} exists; choose another name (it is never overwritten).");
            var (result, used, fixedLoaded, movingLoaded, perLevel) = await CliRunner.WithProgressAsync("Registering", p => Task.Run(() =>
            {
                var fl = VolumeReader.Read(fixedPath, cancellationToken: ct);
                var ml = VolumeReader.Read(movingPath, cancellationToken: ct);
                var f = fl.Volume;
                var m = ml.Volume;
                var use = given ?? Choose(f, m);
                if (startKind is { } k) use = use with { Settings = use.Settings with { Initializer = k } };
                Volume<byte>? mask = parse.GetValue(fixedMask) is { } mp ? VolumeReader.Read<byte>(mp, cancellationToken: ct)
                    : parse.GetValue(fovMask) ? FieldOfViewMask.FromFillValue(f) : null;
                int maxIter = use.Settings.Optimizer.MaximumIterations;
                var progress = new Progress<RegistrationProgress>(r => p.Report(r.Fraction(maxIter)));
                var relations = FrameRelations(relationPaths, [fixedPath, movingPath], f.Metadata.FrameOfReferenceUid, m.Metadata.FrameOfReferenceUid, ct);
                var global = new RigidRegistration(use.Settings) { FrameRelations = relations }.Execute(f, m, new RegistrationInputs { FixedMask = mask, Progress = progress }, ct);
                PerVertebraRun? levels = null;
                if (perVertebraDir is not null)
                {
                    Volume<byte> labels;
                    VertebraLabelSet set;
                    if (labelsPath is null)
                    {
                        // found on the fixed CT, TotalSegmentator numbering; the naming guess is stated
                        var found = VertebraFinder.Find(f, anchorName, null, ct);
                        Console.Error.WriteLine($"vertebrae found automatically on the fixed image: {string.Join(", ", found.Levels.Select(l => l.Name))}; {found.NamingReason}");
                        foreach (string w in found.Warnings) Console.Error.WriteLine($"warning: {w}");
                        labels = found.Labels;
                        set = VertebraLabelSet.From(labels, VertebraLabelScheme.TotalSegmentator);
                    }
                    else
                    {
                        (labels, set) = VertebraLabelSet.Read(labelsPath, tablePath, scheme, f.Geometry, ct);
                    }
                    foreach (string note in set.Notes) Console.Error.WriteLine($"note: {note}");
                    var r = new PerVertebraRegistration(new PerVertebraSettings()).Execute(f, m, labels, set.Levels, global, use.Settings, null, ct);
                    levels = new PerVertebraRun(r, set, labels);
                }
                return (global, use, fl, ml, levels);
            }, ct));
            var verdict = result.Verdict;
            if (sidecarPath is null) WriteJsonTransform(result.Transform, verdict, outPath);
            else
            {
                TransformIO.Write(result.Transform, outPath);
                WriteSidecar(sidecarPath, outPath, result, used);
            }
            if (resampledPath is not null)
            {
                // with --per-vertebra the moving image follows the piecewise-rigid field, marked failed when a level is
                ISpatialTransform through = perLevel is null ? result.Transform : perLevel.Result.Field;
                var marked = perLevel is not null && verdict.Status != VerdictStatus.Failed && perLevel.Result.Vertebrae.FirstOrDefault(v => v.Verdict.Status == VerdictStatus.Failed) is { } bad
                    ? bad.Verdict : verdict;
                WriteResampled(through, marked, fixedLoaded, movingLoaded, resampledPath, resampledToDicom, ct);
            }
            if (regPath is not null)
            {
                var fixedRef = Reference(fixedLoaded, fixedPath, ct);
                var movingRef = Reference(movingLoaded, movingPath, ct);
                var md = fixedLoaded.Volume.Metadata;
                DicomSpatialRegistrationWriter.Write(regPath, result.Transform, fixedRef, movingRef, new DicomSpatialRegistrationOptions
                {
                    PatientName = md.PatientName,
                    PatientId = md.PatientId,
                    ContentDescription = ContentDescription(used.Name, result),
                });
                Console.Error.WriteLine($"wrote {regPath} (DICOM REG: {movingRef.FrameOfReferenceUid} → {fixedRef.FrameOfReferenceUid})");
            }
            if (perLevel is not null)
            {
                PerVertebraOutput.Write(perVertebraDir!, perLevel.Result, perLevel.Set, perLevel.Labels, ct);
                foreach (var v in perLevel.Result.Vertebrae)
                    Console.Error.WriteLine(FormattableString.Invariant(
                        $"{v.Level.Name}: verdict {v.Verdict.StatusName}, {v.ShiftFromGlobalMm:0.0} mm / {v.RotationFromGlobalDeg:0.0}° from the global result{(v.Fallback is null ? "" : $"; replaced by {v.Fallback}: {Reasons(v.Verdict)}")}"));
                Console.Error.WriteLine($"wrote {perVertebraDir}: {perLevel.Result.Vertebrae.Count} level transforms, field.nii.gz, vertebrae.nii.gz, report.json");
            }
            if (parse.GetValue(json)) WriteJson(result, used, perLevel?.Result);
            else
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"wrote {outPath}{(sidecarPath is null ? "" : $" (+ {Path.GetFileName(sidecarPath)})")}: preset {used.Name}{(used.Auto ? " (auto)" : "")}, start {result.Start.Kind}, verdict {verdict.StatusName}, metric {result.FinalMetric:0.0000}, {result.TotalIterations} iterations, {result.WallTime.TotalSeconds:0.00} s"));
            if (perLevel is not null && verdict.Status != VerdictStatus.Failed && perLevel.Result.Vertebrae.Any(v => v.Verdict.Status == VerdictStatus.Failed))
            {
                var failed = perLevel.Result.Vertebrae.Where(v => v.Verdict.Status == VerdictStatus.Failed).Select(v => v.Level.Name);
                Console.Error.WriteLine($"error: level(s) {string.Join(", ", failed)} did not pass their quality check; their transforms are their neighbours' (see {Path.Combine(perVertebraDir!, "report.json")}): do not use them for guidance at those levels.");
                return ExitCodes.QualityCheckFailed;
            }
            switch (verdict.Status)
            {
                case VerdictStatus.Doubtful:
                    Console.Error.WriteLine($"warning: registration doubtful: {Reasons(verdict)}");
                    return ExitCodes.Success;
                case VerdictStatus.Failed:
                    Console.Error.WriteLine($"error: registration did not pass its quality check: {Reasons(verdict)}");
                    Console.Error.WriteLine($"{outPath} was still written, marked failed{(sidecarPath is null ? "" : $" in {sidecarPath}")}: do not use it for guidance.");
                    return ExitCodes.QualityCheckFailed;
                default:
                    return ExitCodes.Success;
            }
        });
        return cmd;
    }

    /// <summary>
    /// The relations between the two images' frames that the given REG files (each must relate them) and the REG
    /// objects inside the input folders give. A found object that relates the frames by a non-rigid matrix is
    /// reported and not used; a given one is an error.
    /// </summary>
    private static List<FrameRelation> FrameRelations(string[] given, string[] inputs, string? fixedFrame, string? movingFrame, CancellationToken ct)
    {
        var relations = new List<FrameRelation>();
        bool known = !string.IsNullOrWhiteSpace(fixedFrame) && !string.IsNullOrWhiteSpace(movingFrame) && fixedFrame != movingFrame;
        foreach (string path in given)
        {
            if (!DicomSpatialRegistrationReader.TryRead(path, out var reg, out var why))
                throw new UsageException($"--frame-relation {path}: {why}");
            if (!known)
                throw new UsageException($"--frame-relation {path}: both images must be DICOM series with different Frames of Reference for a spatial registration to relate them (fixed {fixedFrame ?? "none"}, moving {movingFrame ?? "none"}).");
            if (!reg.Relates(fixedFrame!, movingFrame!))
                throw new UsageException($"--frame-relation {path} does not relate the fixed frame {fixedFrame} to the moving frame {movingFrame} (it registers {string.Join(", ", reg.Frames.Select(x => x.FrameOfReferenceUid))} into {reg.RegistrationFrameOfReferenceUid}).");
            try { relations.Add(FrameRelation.FromSpatialRegistration(reg, fixedFrame!, movingFrame!)); }
            catch (RegistrationException e) { throw new UsageException($"--frame-relation {path}: {e.Message}"); }
        }
        if (!known || relations.Count > 0) return relations;
        foreach (string input in inputs)
        {
            if (!Directory.Exists(input)) continue;
            var found = DicomSpatialRegistrationReader.FindIn(input, out var problems, ct);
            foreach (string problem in problems) Console.Error.WriteLine($"warning: a spatial registration in {input} is not used: {problem}");
            foreach (var reg in found)
            {
                if (!reg.Relates(fixedFrame!, movingFrame!)) continue;
                try
                {
                    relations.Add(FrameRelation.FromSpatialRegistration(reg, fixedFrame!, movingFrame!));
                    Console.Error.WriteLine($"found {reg.SourcePath}: a spatial registration relating the two frames; the auto start begins from it");
                }
                catch (RegistrationException e) { Console.Error.WriteLine($"warning: {reg.SourcePath} not used: {e.Message}"); }
            }
        }
        return relations;
    }

    /// <summary>A per-vertebra refinement with the levels and labels it used.</summary>
    private sealed record PerVertebraRun(PerVertebraResult Result, VertebraLabelSet Set, Volume<byte> Labels);

    private static VertebraLabelScheme ParseScheme(string value) => VertebraLabelSet.TryParseScheme(value, out var scheme) ? scheme
        : throw new UsageException($"--label-scheme {value}: use auto, totalsegmentator, verse or table.");

    private static string PresetNames => $"{AutoPreset}, {string.Join(", ", RegistrationPreset.Names)}";

    private static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static string Reasons(RegistrationVerdict v) => v.Reasons.Count == 0 ? "no reason given" : string.Join("; ", v.Reasons);

    private static PresetUse Given(string nameOrFile)
    {
        var (settings, name) = RegistrationPreset.Resolve(nameOrFile);
        return new PresetUse(settings, name, false, RegistrationPreset.TryGet(nameOrFile, out _) ? "given on the command line" : $"given on the command line (file {nameOrFile})");
    }

    private static PresetUse Choose(Volume<float> fixedImage, Volume<float> movingImage)
    {
        var choice = PresetSelection.Choose(fixedImage, movingImage);
        return new PresetUse(choice.Settings, choice.PresetName, true, choice.Reason);
    }

    /// <summary>The REG's Content Description (LO: at most 64 characters): preset, verdict and metric.</summary>
    private static string ContentDescription(string preset, RegistrationResult r)
    {
        string tail = FormattableString.Invariant($", verdict {r.Verdict.StatusName}, -MI {r.FinalMetric:0.0000}");
        string head = "ImageGuide " + preset;
        if (head.Length + tail.Length > 64) head = head[..Math.Max(0, 64 - tail.Length)];
        return head + tail;
    }

    /// <summary>The transform in its JSON form (<see cref="RigidTransformJson"/>) plus the verdict, which readers of the transform ignore.</summary>
    private static void WriteJsonTransform(RigidTransform transform, RegistrationVerdict verdict, string path)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            RigidTransformJson.WriteMembers(w, transform);
            w.WriteString("verdict", verdict.StatusName);
            RegistrationVerdictJson.WriteReasons(w, "verdictReasons", verdict);
            RegistrationVerdictJson.WriteSignals(w, "verdictSignals", verdict.Signals);
            w.WriteEndObject();
        }
        ms.Write("\n"u8);
        File.WriteAllBytes(path, ms.ToArray());
    }

    /// <summary><c>T.tfm.verdict.json</c>: how far the transform beside it can be trusted.</summary>
    private static void WriteSidecar(string path, string transformPath, RegistrationResult r, PresetUse used)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("transform", Path.GetFileName(transformPath));
            RegistrationVerdictJson.WriteMembers(w, r.Verdict);
            WritePreset(w, used);
            WriteInitializer(w, r.Start);
            w.WriteEndObject();
        }
        ms.Write("\n"u8);
        File.WriteAllBytes(path, ms.ToArray());
    }

    private static void WritePreset(Utf8JsonWriter w, PresetUse used)
    {
        w.WriteStartObject("preset");
        w.WriteString("name", used.Name);
        w.WriteBoolean("auto", used.Auto);
        w.WriteString("reason", used.Reason);
        w.WriteEndObject();
    }

    private static void WriteInitializer(Utf8JsonWriter w, RegistrationStart start)
    {
        w.WriteStartObject("initializer");
        w.WriteString("kind", start.Kind);
        w.WriteString("reason", start.Reason);
        w.WriteEndObject();
    }

    /// <summary>
    /// The moving image on the fixed grid: a volume file, or a DICOM series (the moving modality) in the fixed
    /// image's frame of reference and study — its voxels now live in fixed-patient coordinates; the series
    /// description names a verdict other than good, so the series cannot pass for a trusted fusion.
    /// </summary>
    private static void WriteResampled(ISpatialTransform transform, RegistrationVerdict verdict, LoadedImage fixedImage, LoadedImage movingImage, string path, bool toDicom, CancellationToken ct)
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
            // a Long String is cut at 64 characters: the verdict goes first
            SeriesDescription = $"{(verdict.Status == VerdictStatus.Good ? "" : $"[verdict {verdict.StatusName}] ")}{mm.SeriesDescription ?? mm.Modality} registered",
        }, null, ct);
        Console.Error.WriteLine($"wrote {files.Count} DICOM files to {path}");
    }

    private static DicomSeriesReference Reference(LoadedImage image, string path, CancellationToken ct)
    {
        if (image.Series is { } series) return DicomSeriesReference.FromSeries(series, ct);
        return DicomSeriesReference.FromMetadata(image.Volume.Metadata)
            ?? throw new UsageException($"--reg-out: {path} has no DICOM Frame of Reference UID; a Spatial Registration object can only relate DICOM series. Give both images as DICOM folders.");
    }

    private static void WriteJson(RegistrationResult r, PresetUse used, PerVertebraResult? levels)
    {
        using var stdout = Console.OpenStandardOutput();
        using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var t = r.Transform;
        var m = t.ToMatrix4x4();
        w.WriteStartObject();
        w.WriteStartArray("matrix");
        for (int row = 0; row < 4; row++) w.WriteNumberArray(null, [m[row, 0], m[row, 1], m[row, 2], m[row, 3]]);
        w.WriteEndArray();
        w.WriteVec3("translation", t.Translation);
        w.WriteNumberArray("versor", [t.Rotation.X, t.Rotation.Y, t.Rotation.Z, t.Rotation.W]);
        w.WriteVec3("center", t.Center);
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
        WritePreset(w, used);
        WriteInitializer(w, r.Start);
        RegistrationVerdictJson.Write(w, "verdict", r.Verdict);
        if (levels is not null) PerVertebraOutput.WriteLevels(w, levels);
        w.WriteEndObject();
        w.Flush();
        stdout.Write("\n"u8);
    }
}
