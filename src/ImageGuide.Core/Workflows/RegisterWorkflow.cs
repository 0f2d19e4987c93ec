using System.Text.Json;
using ImageGuide.Dicom.Registration;
using ImageGuide.Dicom.Writing;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Registration;
using ImageGuide.Registration.Spine;
using ImageGuide.Segmentation.Spine;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Workflows;

/// <summary>The settings a registration ran with and where they came from (given, or chosen from the images).</summary>
/// <param name="Settings">The settings.</param>
/// <param name="Name">Preset name (or the file's name).</param>
/// <param name="Auto">True when chosen from the images (<c>auto</c>).</param>
/// <param name="Reason">Why these settings, in words.</param>
public sealed record PresetUse(RegistrationSettings Settings, string Name, bool Auto, string Reason);

/// <summary>A per-vertebra refinement with the levels and labels it used.</summary>
/// <param name="Result">Levels' transforms, verdicts and the piecewise-rigid field.</param>
/// <param name="Set">The levels and how they were named.</param>
/// <param name="Labels">The fixed-image label map the levels come from.</param>
public sealed record PerVertebraRun(PerVertebraResult Result, VertebraLabelSet Set, Volume<byte> Labels);

/// <summary>What the register workflow did: the result, the preset, the per-vertebra run, and what it noticed on the way.</summary>
/// <param name="Result">The global rigid registration with its verdict.</param>
/// <param name="Preset">The settings used and why.</param>
/// <param name="PerVertebra">The per-vertebra refinement, or null.</param>
/// <param name="Notes">What the user should read (e.g. how vertebrae were named, a spatial registration found), in order.</param>
/// <param name="Warnings">What was handled by policy or not used, in order.</param>
public sealed record RegisterOutcome(RegistrationResult Result, PresetUse Preset, PerVertebraRun? PerVertebra,
    IReadOnlyList<string> Notes, IReadOnlyList<string> Warnings)
{
    /// <summary>The levels whose own check failed (their transforms are their neighbours'), or none.</summary>
    public IReadOnlyList<VertebraResult> FailedLevels =>
        PerVertebra?.Result.Vertebrae.Where(v => v.Verdict.Status == VerdictStatus.Failed).ToArray() ?? [];
}

/// <summary>
/// The register workflow: read both images (<see cref="VolumeReader"/>), choose the preset, find relations between the
/// frames, register rigidly with a verdict (<see cref="RigidRegistration"/>), optionally refine per vertebra, and write
/// the transform with its verdict, the resampled moving image, a DICOM Spatial Registration object and the
/// per-vertebra folder. The CLI's <c>register</c> parses options into a <see cref="RegisterJob"/> and prints the outcome.
/// </summary>
public static class RegisterWorkflow
{
    /// <summary>Runs the job.</summary>
    /// <param name="job">Inputs, settings and outputs.</param>
    /// <param name="progress">Fraction of the registration's iterations done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels reading, registration and writing.</param>
    /// <exception cref="InvalidJobException">A given spatial registration does not relate the two frames, or an output cannot be made from these inputs.</exception>
    public static RegisterOutcome Run(RegisterJob job, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var ct = cancellationToken;
        var notes = new List<string>();
        var warnings = new List<string>();
        var fixedLoaded = VolumeReader.Read(job.Fixed, cancellationToken: ct);
        var movingLoaded = VolumeReader.Read(job.Moving, cancellationToken: ct);
        var f = fixedLoaded.Volume;
        var m = movingLoaded.Volume;
        var use = ResolvePreset(job.Preset, f, m);
        if (job.Start is { } k) use = use with { Settings = use.Settings with { Initializer = k } };
        Volume<byte>? mask = job.FixedMask is { } mp ? VolumeReader.Read<byte>(mp, cancellationToken: ct)
            : job.FieldOfViewMask ? FieldOfViewMask.FromFillValue(f) : null;
        int maxIter = use.Settings.Optimizer.MaximumIterations;
        var iterations = progress is null ? null : new Progress<RegistrationProgress>(r => progress.Report(r.Fraction(maxIter)));
        var relations = FrameRelations(job.FrameRelations, [job.Fixed, job.Moving], f.Metadata.FrameOfReferenceUid, m.Metadata.FrameOfReferenceUid, notes, warnings, ct);
        var result = new RigidRegistration(use.Settings) { FrameRelations = relations }
            .Execute(f, m, new RegistrationInputs { FixedMask = mask, Progress = iterations }, ct);
        var perVertebra = job.PerVertebra is { } pv ? RefinePerVertebra(pv, f, m, result, use.Settings, notes, warnings, ct) : null;
        var outcome = new RegisterOutcome(result, use, perVertebra, notes, warnings);

        if (job.VerdictSidecar is { } sidecar)
        {
            TransformIO.Write(result.Transform, job.Transform);
            WriteJsonFile(sidecar, w =>
            {
                w.WriteString("transform", Path.GetFileName(job.Transform));
                RegistrationVerdictJson.WriteMembers(w, result.Verdict);
                WritePreset(w, use);
                WriteInitializer(w, result.Start);
            });
        }
        else
        {
            WriteJsonFile(job.Transform, w =>
            {
                // the transform's own members, then the verdict, which readers of the transform ignore
                RigidTransformJson.WriteMembers(w, result.Transform);
                w.WriteString("verdict", result.Verdict.StatusName);
                RegistrationVerdictJson.WriteReasons(w, "verdictReasons", result.Verdict);
                RegistrationVerdictJson.WriteSignals(w, "verdictSignals", result.Verdict.Signals);
            });
        }
        if (job.Resampled is { } resampledPath)
        {
            // with a per-vertebra refinement the moving image follows the piecewise-rigid field, marked failed when a level is
            ISpatialTransform through = perVertebra is null ? result.Transform : perVertebra.Result.Field;
            var marked = result.Verdict.Status != VerdictStatus.Failed && outcome.FailedLevels.Count > 0 ? outcome.FailedLevels[0].Verdict : result.Verdict;
            notes.Add(WriteResampled(through, marked, fixedLoaded, movingLoaded, resampledPath, job.ResampledIsDicom, ct));
        }
        if (job.SpatialRegistration is { } regPath)
        {
            var fixedRef = Reference(fixedLoaded, job.Fixed, ct);
            var movingRef = Reference(movingLoaded, job.Moving, ct);
            var md = f.Metadata;
            DicomSpatialRegistrationWriter.Write(regPath, result.Transform, fixedRef, movingRef, new DicomSpatialRegistrationOptions
            {
                PatientName = md.PatientName,
                PatientId = md.PatientId,
                ContentDescription = ContentDescription(use.Name, result),
            });
            notes.Add($"wrote {regPath} (DICOM REG: {movingRef.FrameOfReferenceUid} → {fixedRef.FrameOfReferenceUid})");
        }
        if (perVertebra is not null) PerVertebraOutput.Write(job.PerVertebra!.Folder, perVertebra.Result, perVertebra.Set, perVertebra.Labels, ct);
        return outcome;
    }

    /// <summary>
    /// The outcome as JSON members: the transform (matrix, translation, versor, center), metric, iterations, seconds,
    /// levels, preset, initializer, verdict and, after a per-vertebra refinement, the vertebrae.
    /// </summary>
    public static void WriteMembers(Utf8JsonWriter w, RegisterOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(outcome);
        var r = outcome.Result;
        RigidTransformJson.WriteMembers(w, r.Transform);
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
        WritePreset(w, outcome.Preset);
        WriteInitializer(w, r.Start);
        RegistrationVerdictJson.Write(w, "verdict", r.Verdict);
        if (outcome.PerVertebra is { } pv) PerVertebraOutput.WriteLevels(w, pv.Result);
    }

    /// <summary>The preset given by name or file, or chosen from the images for <c>auto</c>.</summary>
    public static PresetUse ResolvePreset(string nameOrFile, Volume<float> fixedImage, Volume<float> movingImage)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrFile);
        if (string.Equals(nameOrFile, PresetSelection.AutoPresetName, StringComparison.OrdinalIgnoreCase))
        {
            var choice = PresetSelection.Choose(fixedImage, movingImage);
            return new PresetUse(choice.Settings, choice.PresetName, true, choice.Reason);
        }
        var (settings, name) = RegistrationPreset.Resolve(nameOrFile);
        return new PresetUse(settings, name, false, RegistrationPreset.TryGet(nameOrFile, out _) ? "given on the command line" : $"given on the command line (file {nameOrFile})");
    }

    private static PerVertebraRun RefinePerVertebra(PerVertebraJob job, Volume<float> f, Volume<float> m, RegistrationResult global,
        RegistrationSettings settings, List<string> notes, List<string> warnings, CancellationToken ct)
    {
        Volume<byte> labels;
        VertebraLabelSet set;
        if (job.Labels is null)
        {
            // found on the fixed CT, TotalSegmentator numbering; the naming guess is stated
            var found = VertebraFinder.Find(f, job.Anchor, null, ct);
            notes.Add($"vertebrae found automatically on the fixed image: {string.Join(", ", found.Levels.Select(l => l.Name))}; {found.NamingReason}");
            warnings.AddRange(found.Warnings);
            labels = found.Labels;
            set = VertebraLabelSet.From(labels, VertebraLabelScheme.TotalSegmentator);
        }
        else (labels, set) = VertebraLabelSet.Read(job.Labels, job.LabelTable, job.Scheme, f.Geometry, ct);
        notes.AddRange(set.Notes);
        var r = new PerVertebraRegistration(new PerVertebraSettings()).Execute(f, m, labels, set.Levels, global, settings, null, ct);
        return new PerVertebraRun(r, set, labels);
    }

    /// <summary>
    /// The relations between the two images' frames that the given REG files (each must relate them) and the REG
    /// objects inside the input folders give. A found object that relates the frames by a non-rigid matrix is
    /// reported and not used; a given one is an error.
    /// </summary>
    private static List<FrameRelation> FrameRelations(IReadOnlyList<string> given, string[] inputs, string? fixedFrame, string? movingFrame,
        List<string> notes, List<string> warnings, CancellationToken ct)
    {
        var relations = new List<FrameRelation>();
        bool known = !string.IsNullOrWhiteSpace(fixedFrame) && !string.IsNullOrWhiteSpace(movingFrame) && fixedFrame != movingFrame;
        foreach (string path in given)
        {
            if (!DicomSpatialRegistrationReader.TryRead(path, out var reg, out var why))
                throw new InvalidJobException($"--frame-relation {path}: {why}");
            if (!known)
                throw new InvalidJobException($"--frame-relation {path}: both images must be DICOM series with different Frames of Reference for a spatial registration to relate them (fixed {fixedFrame ?? "none"}, moving {movingFrame ?? "none"}).");
            if (!reg.Relates(fixedFrame!, movingFrame!))
                throw new InvalidJobException($"--frame-relation {path} does not relate the fixed frame {fixedFrame} to the moving frame {movingFrame} (it registers {string.Join(", ", reg.Frames.Select(x => x.FrameOfReferenceUid))} into {reg.RegistrationFrameOfReferenceUid}).");
            try { relations.Add(FrameRelation.FromSpatialRegistration(reg, fixedFrame!, movingFrame!)); }
            catch (RegistrationException e) { throw new InvalidJobException($"--frame-relation {path}: {e.Message}"); }
        }
        if (!known || relations.Count > 0) return relations;
        foreach (string input in inputs)
        {
            if (!Directory.Exists(input)) continue;
            var found = DicomSpatialRegistrationReader.FindIn(input, out var problems, ct);
            foreach (string problem in problems) warnings.Add($"a spatial registration in {input} is not used: {problem}");
            foreach (var reg in found)
            {
                if (!reg.Relates(fixedFrame!, movingFrame!)) continue;
                try
                {
                    relations.Add(FrameRelation.FromSpatialRegistration(reg, fixedFrame!, movingFrame!));
                    notes.Add($"found {reg.SourcePath}: a spatial registration relating the two frames; the auto start begins from it");
                }
                catch (RegistrationException e) { warnings.Add($"{reg.SourcePath} not used: {e.Message}"); }
            }
        }
        return relations;
    }

    /// <summary>The REG's Content Description (LO: at most 64 characters): preset, verdict and metric.</summary>
    private static string ContentDescription(string preset, RegistrationResult r)
    {
        string tail = FormattableString.Invariant($", verdict {r.Verdict.StatusName}, -MI {r.FinalMetric:0.0000}");
        string head = "ImageGuide " + preset;
        if (head.Length + tail.Length > 64) head = head[..Math.Max(0, 64 - tail.Length)];
        return head + tail;
    }

    /// <summary>One JSON object written atomically (temporary file, then move).</summary>
    private static void WriteJsonFile(string path, Action<Utf8JsonWriter> members) => JsonOutput.WriteFile(path, w =>
    {
        w.WriteStartObject();
        members(w);
        w.WriteEndObject();
    });

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
    private static string WriteResampled(ISpatialTransform transform, RegistrationVerdict verdict, LoadedImage fixedImage, LoadedImage movingImage, string path, bool toDicom, CancellationToken ct)
    {
        var fm = fixedImage.Volume.Metadata;
        var mm = movingImage.Volume.Metadata;
        string? modality = mm.Modality?.Trim().ToUpperInvariant();
        if (toDicom && modality is not ("CT" or "MR"))
            throw new InvalidJobException($"--resampled {path}: a DICOM series needs the moving image's modality (CT or MR), and it records {mm.Modality ?? "none"}; write a .mha or .nii.gz file instead.");
        var resampled = Resampler.Resample(movingImage.Volume, fixedImage.Volume.Geometry, transform, InterpolationMode.Linear, 0f, ct);
        if (!toDicom)
        {
            VolumeIO.Write(resampled, path, ct);
            return $"wrote {path}";
        }
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
        return $"wrote {files.Count} DICOM files to {path}";
    }

    private static DicomSeriesReference Reference(LoadedImage image, string path, CancellationToken ct)
    {
        if (image.Series is { } series) return DicomSeriesReference.FromSeries(series, ct);
        return DicomSeriesReference.FromMetadata(image.Volume.Metadata)
            ?? throw new InvalidJobException($"--reg-out: {path} has no DICOM Frame of Reference UID; a Spatial Registration object can only relate DICOM series. Give both images as DICOM folders.");
    }
}
