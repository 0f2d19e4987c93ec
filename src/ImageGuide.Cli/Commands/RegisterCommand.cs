using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Model;
using ImageGuide.Registration;
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
            if (!auto) RegistrationPreset.Resolve(presetName); // a bad preset file is refused before any image is read
            InitializerKind? startKind = StartKind(parse.GetValue(start));
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
            var job = new RegisterJob
            {
                Fixed = fixedPath,
                Moving = movingPath,
                Preset = presetName,
                Start = startKind,
                FixedMask = parse.GetValue(fixedMask),
                FieldOfViewMask = parse.GetValue(fovMask),
                FrameRelations = relationPaths,
                PerVertebra = perVertebraDir is null ? null
                    : new PerVertebraJob { Folder = perVertebraDir, Labels = labelsPath, LabelTable = tablePath, Scheme = scheme, Anchor = anchorName },
                Transform = outPath,
                Resampled = resampledPath,
                SpatialRegistration = regPath,
            };
            string? sidecarPath = job.VerdictSidecar;
            foreach (var (option, path, folder) in new[] { ("--out", outPath, false), ("--out (verdict sidecar)", sidecarPath, false), ("--resampled", resampledPath, job.ResampledIsDicom), ("--reg-out", regPath, false), ("--per-vertebra", perVertebraDir, true) })
                if (path is not null) OutputGuard.Check(option, path, folder, [fixedPath, movingPath], parse.GetValue(force) && option != "--per-vertebra");
            if (regPath is not null && !regPath.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--reg-out {regPath}: a DICOM Spatial Registration object is written as a .dcm file.");
            if (regPath is not null && File.Exists(regPath))
                throw new UsageException($"--reg-out {regPath} exists; choose another name (it is never overwritten).");
            var outcome = await CliRunner.WithProgressAsync("Registering", p => Task.Run(() => RegisterWorkflow.Run(job, p, ct), ct));
            var result = outcome.Result;
            var verdict = result.Verdict;
            var perLevel = outcome.PerVertebra;
            foreach (string note in outcome.Notes) Console.Error.WriteLine(note);
            foreach (string w in outcome.Warnings) Console.Error.WriteLine($"warning: {w}");
            if (perLevel is not null)
            {
                foreach (var v in perLevel.Result.Vertebrae)
                    Console.Error.WriteLine(FormattableString.Invariant(
                        $"{v.Level.Name}: verdict {v.Verdict.StatusName}, {v.ShiftFromGlobalMm:0.0} mm / {v.RotationFromGlobalDeg:0.0}° from the global result{(v.Fallback is null ? "" : $"; replaced by {v.Fallback}: {Reasons(v.Verdict)}")}"));
                Console.Error.WriteLine($"wrote {perVertebraDir}: {perLevel.Result.Vertebrae.Count} level transforms, field.nii.gz, vertebrae.nii.gz, report.json");
            }
            if (parse.GetValue(json)) WriteJson(outcome);
            else
                Console.Error.WriteLine(FormattableString.Invariant(
                    $"wrote {outPath}{(sidecarPath is null ? "" : $" (+ {Path.GetFileName(sidecarPath)})")}: preset {outcome.Preset.Name}{(outcome.Preset.Auto ? " (auto)" : "")}, start {result.Start.Kind}, verdict {verdict.StatusName}, metric {result.FinalMetric:0.0000}, {result.TotalIterations} iterations, {result.WallTime.TotalSeconds:0.00} s"));
            if (verdict.Status != VerdictStatus.Failed && outcome.FailedLevels.Count > 0)
            {
                var failed = outcome.FailedLevels.Select(v => v.Level.Name);
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

    private static VertebraLabelScheme ParseScheme(string value) => VertebraLabelSet.TryParseScheme(value, out var scheme) ? scheme
        : throw new UsageException($"--label-scheme {value}: use auto, totalsegmentator, verse or table.");

    private static string PresetNames => $"{AutoPreset}, {string.Join(", ", RegistrationPreset.Names)}";

    private static string Reasons(RegistrationVerdict v) => v.Reasons.Count == 0 ? "no reason given" : string.Join("; ", v.Reasons);

    private static void WriteJson(RegisterOutcome outcome)
    {
        using var stdout = Console.OpenStandardOutput();
        using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        RegisterWorkflow.WriteMembers(w, outcome);
        w.WriteEndObject();
        w.Flush();
        stdout.Write("\n"u8);
    }

    /// <summary>Parses <c>--start</c> (shared with <c>listen --fuse-start</c>).</summary>
    internal static InitializerKind? StartKind(string? value) => value?.ToLowerInvariant() switch
    {
        null => null,
        "auto" => InitializerKind.Auto,
        "patient" => InitializerKind.None,
        "global" => InitializerKind.Global,
        "moments" => InitializerKind.Moments,
        "geometry" => InitializerKind.GeometryCenter,
        var other => throw new UsageException($"--start {other}: use auto, patient, global, moments or geometry."),
    };
}
