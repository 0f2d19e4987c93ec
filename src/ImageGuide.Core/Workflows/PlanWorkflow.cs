using ImageGuide.IO;
using System.Text;
using ImageGuide.Dicom.Writing;
using ImageGuide.Files;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Workflows;

/// <summary>What the plan workflow reads (paths, as <c>imageguide plan</c> takes them) and writes.</summary>
public sealed record PlanJob
{
    /// <summary>Label map of the structures (on the planning image, or on another image with <see cref="LabelsTransform"/>).</summary>
    public required string Labels { get; init; }
    /// <summary>
    /// Label table of <see cref="Labels"/>: a JSON file, or the name of a built-in table (<c>totalsegmentator</c>, see
    /// <see cref="PlanningLabels.TotalSegmentator"/>) when no file of that name exists; NAME.json beside the labels when null.
    /// </summary>
    public string? LabelTable { get; init; }
    /// <summary>
    /// Tell the body from the air by the planning image (<see cref="Image"/>, a CT in HU covering the labels' grid) at this
    /// threshold, for label maps whose 0 means "no class" rather than "outside the body" (<see cref="PlanningLabels.WithBodyFrom"/>); null keeps the labels' 0 as outside.
    /// </summary>
    public double? BodyThresholdHu { get; init; }
    /// <summary>Plan for a spherical target of this radius (mm) about <see cref="Target"/> (<see cref="PlanningLabels.WithTargetSphere"/>), for a lesion not outlined in the labels.</summary>
    public double? TargetRadiusMm { get; init; }
    /// <summary>Target point (LPS mm of the planning image); null aims at the Target labels' centroid (or <see cref="TargetLabel"/>'s).</summary>
    public Vec3? Target { get; init; }
    /// <summary>Aim at the centroid of this label value instead of the Target labels'.</summary>
    public int? TargetLabel { get; init; }
    /// <summary>Number of cryoprobes; null for the fewest that reach the coverage goal; 0 for trajectories only.</summary>
    public int? ProbeCount { get; init; }
    /// <summary>Also plan uni- and bipedicular cement access to the vertebral body at the target (<see cref="CementAccessPlanner"/>).</summary>
    public bool CementAccess { get; init; }
    /// <summary>Planning settings (probe model, layout, goals).</summary>
    public PlanningConstraints Constraints { get; init; } = PlanningConstraints.Default;
    /// <summary>Validation report.json whose p95 TRE (the treated level's, after a per-vertebra fusion) becomes the fusion uncertainty.</summary>
    public string? UncertaintyFrom { get; init; }
    /// <summary>Planning image (snapshot background; with <see cref="LabelsTransform"/> the grid the labels are mapped onto).</summary>
    public string? Image { get; init; }
    /// <summary>Fixed → moving transform (rigid file or a per-vertebra field.nii.gz) mapping <see cref="Labels"/> onto <see cref="Image"/>.</summary>
    public string? LabelsTransform { get; init; }
    /// <summary>Plan JSON to write (Slicer markups beside it as .mrk.json), or null.</summary>
    public string? Output { get; init; }
    /// <summary>Folder for the snapshots; beside <see cref="Output"/> when null, none when both are null.</summary>
    public string? Snapshots { get; init; }

    /// <summary>Every input file the job reads (the label table beside the map included), for output-safety checks.</summary>
    public IReadOnlyList<string> InputPaths
    {
        get
        {
            var inputs = new[] { Labels, LabelTable, UncertaintyFrom, Image, LabelsTransform }.OfType<string>().ToList();
            if (LabelTable is null) inputs.Add(LabelMap.DefaultTablePath(Labels));
            return inputs;
        }
    }
}

/// <summary>The level a target lies at after a per-vertebra fusion, and how that level's fusion fared.</summary>
/// <param name="Level">The treated level.</param>
/// <param name="Verdict">Its per-vertebra verdict (good, doubtful, failed).</param>
/// <param name="Fallback">What replaced its transform when its own check failed, or null.</param>
/// <param name="Why">Why this level: the target lies in it, or its centroid is nearest.</param>
public sealed record TreatedLevel(VertebraLevel Level, string Verdict, string? Fallback, string Why);

/// <summary>What the plan workflow produced: the plan JSON, what the user must know, and whether to trust it.</summary>
/// <param name="Json">The plan JSON (as written to <see cref="PlanJob.Output"/>).</param>
/// <param name="Notes">What was done on the way (treated level, fusion uncertainty taken from a report), in order.</param>
/// <param name="Warnings">Why the plan cannot be trusted as it stands (also in the JSON's <c>warnings</c>).</param>
/// <param name="Treated">The treated level after a per-vertebra fusion, or null.</param>
/// <param name="Untrustworthy">True when the target lies outside the anatomy, no trajectory exists, or the treated level's fusion failed.</param>
public sealed record PlanOutcome(string Json, IReadOnlyList<string> Notes, IReadOnlyList<string> Warnings, TreatedLevel? Treated, bool Untrustworthy)
{
    /// <summary>The planning image's patient and study identifiers, or null when it has none (or no image was given).</summary>
    public StudyIdentity? Identity { get; init; }

    /// <summary>The snapshot PNGs written (needle, bull's-eye, axial); empty when none were.</summary>
    public IReadOnlyList<string> Snapshots { get; init; } = [];
}

/// <summary>
/// The plan workflow: read the labels (mapping them onto the planning image through a registration when given), find
/// the target, take the fusion uncertainty from a validation report, plan needle trajectories
/// (<see cref="TrajectoryPlanner"/>) and cryoprobes (<see cref="CryoPlanner"/>), and write the plan JSON, Slicer markups
/// and snapshots. The CLI's <c>plan</c> parses options into a <see cref="PlanJob"/> and prints the outcome.
/// </summary>
public static class PlanWorkflow
{
    /// <summary>Runs the job.</summary>
    /// <param name="job">Inputs, settings and outputs.</param>
    /// <param name="progress">Fraction done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels reading, planning and writing.</param>
    /// <exception cref="InvalidJobException">The target label is not in the label table.</exception>
    public static PlanOutcome Run(PlanJob job, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var ct = cancellationToken;
        var constraints = job.Constraints;
        var notes = new List<string>();
        var warnings = new List<string>();
        bool untrustworthy = false;
        var map = ReadLabels(job, ct);
        var planningImage = job.Image is null ? null : VolumeReader.Read(job.Image, cancellationToken: ct);
        var background = planningImage?.Volume;
        PerVertebraLevels? levels = null;
        if (job.LabelsTransform is { } transformPath)
        {
            if (background is null) throw new InvalidJobException("--labels-transform maps --labels onto the planning image: give that image (the registration's fixed image) with --image.");
            // the structures drawn on the moving image, mapped onto the planning grid: label(p) = moving label(T(p))
            var through = TransformIO.ReadAny(transformPath, ct);
            map = new LabelMap(Resampler.Resample(map.Volume, background.Geometry, through, InterpolationMode.Nearest, (byte)0, ct), map.Table);
            levels = through is DisplacementField ? PerVertebraLevels.Of(Path.GetDirectoryName(Path.GetFullPath(transformPath))!, ct) : null;
        }
        if (job.BodyThresholdHu is { } hu)
        {
            if (background is null) throw new InvalidJobException("--body-threshold tells the body from the air by the planning CT: give it with --image.");
            map = PlanningLabels.WithBodyFrom(map, background, hu, ct);
            notes.Add(FormattableString.Invariant($"body told from the air by the planning image at {hu:0.#} HU: {map.VoxelCount(map.Table.Labels[^1].Name)} unlabelled voxels inside it are '{map.Table.Labels[^1].Name}'"));
        }
        if (job.TargetRadiusMm is { } radius)
        {
            if (job.Target is not { } centre) throw new InvalidJobException("--target-radius draws a spherical target about --target: give the point with --target.");
            map = PlanningLabels.WithTargetSphere(map, centre, radius);
            var sphere = map.Table.Labels[^1];
            notes.Add(FormattableString.Invariant($"target: a sphere of {radius:0.#} mm about the target point, {map.VoxelCount(sphere.Name)} voxels outside critical structures ('{sphere.Name}')"));
        }
        // distance maps only over the region the paths and ice for the target can reach (unless aiming at a non-target label)
        var anatomyProgress = new Progress<double>(v => progress?.Report(0.5 * v));
        var anatomy = job.TargetLabel is null
            ? PlanningAnatomy.Create(map, constraints, job.Target is { } g ? [g] : null, anatomyProgress, ct)
            : PlanningAnatomy.Create(map, anatomyProgress, ct);
        var point = job.Target ?? (job.TargetLabel is { } value ? anatomy.TargetCentroid(TargetName(map.Table, value)) : anatomy.TargetCentroid());
        if (TargetPlace(map.Volume, point) is { } where)
        {
            warnings.Add($"The target {where}; no path to it means anything — check --target (LPS mm, the planning image's frame).");
            untrustworthy = true;
        }
        var treated = levels?.At(point);
        if (treated is not null)
        {
            notes.Add($"treated level {treated.Level.Name} ({treated.Why}): per-vertebra verdict {treated.Verdict}{(treated.Fallback is { } fb ? $", replaced by {fb}" : "")}");
            if (treated.Verdict == "failed" || treated.Fallback is not null)
            {
                warnings.Add($"The fusion at the treated level {treated.Level.Name} did not pass its quality check; the MR structures there may be misplaced — check the fusion before trusting any clearance.");
                untrustworthy = true;
            }
        }
        if (job.UncertaintyFrom is { } report)
        {
            var (mm, source) = ValidationReportFile.ReadUncertainty(report, treated?.Level.Name);
            constraints = constraints with { Goals = constraints.Goals with { FusionUncertaintyMm = mm, FusionUncertaintySource = source } };
            notes.Add(FormattableString.Invariant($"fusion uncertainty {mm:0.##} mm added to every clearance: {source}"));
        }
        var paths = new TrajectoryPlanner(anatomy, constraints);
        var plan = paths.Plan(point, (Volume<byte>?)null, null, ct);
        progress?.Report(0.7);
        if (plan.Ranked.Count == 0 && !untrustworthy)
        {
            warnings.Add("No trajectory to the target was found (no skin entry within the needle's reach and angles).");
            untrustworthy = true;
        }
        var cryo = job.ProbeCount == 0 ? null : new CryoPlanner(paths).PlanWithDissection(job.ProbeCount, new Progress<double>(v => progress?.Report(0.7 + 0.3 * v)), ct);
        var cement = job.CementAccess ? new CementAccessPlanner(paths).Plan(point, ct) : null;
        if (cement is not null)
            foreach (var c in cement)
                notes.Add(c.Feasible
                    ? FormattableString.Invariant($"cement access, {c.Approach}: {string.Join("; ", c.Trajectories.Select(t => $"{t.Side} pedicle, {t.Path!.LengthMm:0.0} mm"))}")
                    : $"cement access, {c.Approach}: {c.Reason}");
        string json = PlanJson.Serialize(plan, cryo, warnings: warnings, cement: cement);
        if (job.Output is { } outPath)
        {
            WriteText(outPath, json);
            WriteText(Path.ChangeExtension(outPath, null) + ".mrk.json", PlanMarkups.Format(plan.Ranked.Take(3), cryo?.Probes));
            WriteSegmentation(SegmentationPath(outPath), map, planningImage, ct);
        }
        IReadOnlyList<string> snapshots = [];
        if ((job.Snapshots ?? (job.Output is { } o ? Path.GetDirectoryName(Path.GetFullPath(o)) : null)) is { } dir)
            snapshots = PlanSnapshots.Write(dir, job.Output is { } named ? Path.GetFileNameWithoutExtension(named) : "plan", background, map, plan, cryo, cement);
        return new PlanOutcome(json, notes, warnings, treated, untrustworthy)
        {
            Identity = StudyIdentity.From(planningImage?.Volume.Metadata),
            Snapshots = snapshots,
        };
    }

    /// <summary>The label map with its table: the file, a built-in table by name, or NAME.json beside the labels.</summary>
    private static LabelMap ReadLabels(PlanJob job, CancellationToken ct) =>
        job.LabelTable is { } name && !File.Exists(name) && PlanningLabels.TryGetBuiltIn(name, out var builtIn)
            ? new LabelMap(VolumeReader.Read<byte>(job.Labels, cancellationToken: ct), builtIn)
            : LabelMap.Read(job.Labels, job.LabelTable, ct);

    /// <summary>Where the structures planned against are written as DICOM SEG: <c>NAME.seg.dcm</c> beside the plan.</summary>
    public static string SegmentationPath(string planPath) => Path.ChangeExtension(planPath, null) + ".seg.dcm";

    /// <summary>The label map the plan used, as DICOM SEG referencing the planning image's series when it is DICOM.</summary>
    private static void WriteSegmentation(string path, LabelMap map, LoadedImage? image, CancellationToken ct)
    {
        if (map.Volume.Data.AsSpan().IndexOfAnyExcept((byte)0) < 0) return;
        DicomSeriesReference? source = null;
        try { source = image?.Series is { } s ? DicomSeriesReference.FromSeries(s, ct) : image is null ? null : DicomSeriesReference.FromMetadata(image.Volume.Metadata); }
        catch (ImageGuideException) { } // a series without a Frame of Reference cannot be referenced
        var md = image?.Volume.Metadata;
        DicomSegmentationWriter.Write(map, path, new DicomSegmentationOptions
        {
            Source = source,
            PatientName = md?.PatientName,
            PatientId = md?.PatientId,
            StudyInstanceUid = md?.StudyInstanceUid,
            FrameOfReferenceUid = md?.FrameOfReferenceUid,
            SeriesDescription = "Structures planned against (ImageGuide)",
            AlgorithmType = "MANUAL",
            Overwrite = true,
        }, ct);
    }

    private static void WriteText(string path, string text) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>The per-vertebra fusion a plan's labels came through: which level a target lies at, and how that level fared.</summary>
    private sealed class PerVertebraLevels(VertebraLabelSet set, Volume<byte> labels, IReadOnlyList<PerVertebraOutput.WrittenLevel> levels)
    {
        /// <summary>The levels of the per-vertebra folder <paramref name="dir"/> (the field's), or null when the field lies elsewhere.</summary>
        public static PerVertebraLevels? Of(string dir, CancellationToken ct) =>
            PerVertebraOutput.TryRead(dir, ct) is { } read ? new PerVertebraLevels(read.Set, read.Labels, read.Levels) : null;

        /// <summary>The level the target lies in (or on, within <see cref="VertebraLabelSet.SurfaceToleranceMm"/>), else the one whose centroid is nearest, with why.</summary>
        public TreatedLevel? At(Vec3 target)
        {
            if (levels.Count == 0) return null;
            if (set.LevelAt(labels, target, VertebraLabelSet.SurfaceToleranceMm) is { } inside)
            {
                var w = levels.First(l => l.Level.Label == inside.Label);
                return new TreatedLevel(w.Level, w.Verdict, w.Fallback, "the target lies in it");
            }
            var nearest = levels.MinBy(l => Vec3.Distance(l.Centroid, target))!;
            return new TreatedLevel(nearest.Level, nearest.Verdict, nearest.Fallback,
                FormattableString.Invariant($"the target lies in no vertebra; its centroid is nearest, {Vec3.Distance(nearest.Centroid, target):0} mm away"));
        }
    }

    /// <summary>Null when <paramref name="target"/> lies in a labelled voxel of the planning grid; else where it lies instead, in words.</summary>
    private static string? TargetPlace(Volume<byte> labels, Vec3 target)
    {
        var g = labels.Geometry;
        var x = g.PhysicalToIndex(target);
        int i = (int)Math.Round(x.X), j = (int)Math.Round(x.Y), k = (int)Math.Round(x.Z);
        if (!g.Contains(i, j, k)) return FormattableString.Invariant($"({target.X:0.#}, {target.Y:0.#}, {target.Z:0.#}) lies outside the planning image");
        return labels.Data[g.LinearIndex(i, j, k)] == 0
            ? FormattableString.Invariant($"({target.X:0.#}, {target.Y:0.#}, {target.Z:0.#}) lies in no labelled structure (air or background, outside the body)")
            : null;
    }

    private static string TargetName(LabelTable table, int value) =>
        value is >= 1 and <= 255 && table.TryGet((byte)value, out var d) ? d.Name
            : throw new InvalidJobException($"--target-label {value} is not in the label table.");
}
