using System.Diagnostics;
using System.Numerics;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Registration.Spine;

/// <summary>One level of a per-vertebra registration.</summary>
/// <param name="Level">The vertebra (label and name).</param>
/// <param name="FixedToMoving">Its rigid motion, fixed → moving (LPS mm): the refined one, or the fallback.</param>
/// <param name="Verdict">How far it can be trusted: the local registration's verdict, failed when a motion bound was broken (then <paramref name="Fallback"/> says what was used instead).</param>
/// <param name="Fallback">Null when the level's own refinement is used; otherwise what replaced it (the neighbours' interpolation, one neighbour, or the global result); the verdict says why.</param>
/// <param name="RotationFromGlobalDeg">Rotation of the refined motion relative to the global result, degrees.</param>
/// <param name="ShiftFromGlobalMm">Distance between where the refined and the global motion put the vertebra's centroid, mm.</param>
/// <param name="CentroidMm">The vertebra's centroid in the fixed image, LPS mm.</param>
/// <param name="Voxels">The vertebra's voxels in the fixed label map.</param>
public sealed record VertebraResult(VertebraLevel Level, RigidTransform FixedToMoving, RegistrationVerdict Verdict, string? Fallback,
    double RotationFromGlobalDeg, double ShiftFromGlobalMm, Vec3 CentroidMm, long Voxels);

/// <summary>Outcome of a per-vertebra (piecewise-rigid) registration.</summary>
/// <param name="Global">The global rigid registration the levels started from.</param>
/// <param name="Vertebrae">The levels, cranial first.</param>
/// <param name="Field">The piecewise-rigid transform as a displacement field (fixed → moving): exactly each level's motion inside it, blended between (<see cref="PiecewiseRigidField"/>).</param>
/// <param name="WallTime">Time for the levels and the field (the global registration not included).</param>
public sealed record PerVertebraResult(RegistrationResult Global, IReadOnlyList<VertebraResult> Vertebrae, DisplacementField Field, TimeSpan WallTime);

/// <summary>
/// Piecewise-rigid spine fusion: after a global rigid registration, each vertebra of the fixed image's label map is
/// registered rigidly on its own — samples inside the vertebra dilated by a margin, starting from the global result,
/// on crops of both images around it — and checked: a level whose motion leaves the bounds of
/// <see cref="PerVertebraSettings"/> (relative to the global result, or to all its accepted neighbours) or whose local
/// verdict is failed is replaced by its neighbours' interpolation (or one neighbour, or the global result) and says so.
/// The levels together give a displacement field. Thread-safe: one instance may run several registrations at once.
/// </summary>
public sealed class PerVertebraRegistration
{

    /// <summary>Creates the method with <paramref name="settings"/>.</summary>
    /// <exception cref="RegistrationException">Invalid settings.</exception>
    public PerVertebraRegistration(PerVertebraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
    }

    /// <summary>The settings in use.</summary>
    public PerVertebraSettings Settings { get; }

    /// <summary>The local settings derived from the global ones: two levels, samples inside the mask, started from the given transform, no search; the verdict's null perturbations scaled to one vertebra and no inverse-consistency run (it would need the moving image's mask).</summary>
    public static RegistrationSettings LocalSettings(RegistrationSettings global)
    {
        ArgumentNullException.ThrowIfNull(global);
        return global with
        {
            Name = global.Name + " (per vertebra)",
            Levels = [new PyramidLevel(2, 1), new PyramidLevel(1, 0)],
            SampleCount = 20000,
            SampleFraction = null,
            Initializer = InitializerKind.GeometryCenter, // unused: every level is given its start
            TranslationSearch = null,
            RotationSearch = null,
            MultiStart = null,
            Optimizer = global.Optimizer with { MaximumStepMm = Math.Min(global.Optimizer.MaximumStepMm, 1.0) },
            Verdict = global.Verdict with { InverseConsistency = false, NullRotationDeg = 10, NullShiftMm = 10 },
        };
    }

    /// <summary>
    /// Registers every level of <paramref name="levels"/> (labels of <paramref name="fixedLabels"/>) starting from
    /// <paramref name="global"/>'s transform.
    /// </summary>
    /// <param name="fixedImage">Fixed image (e.g. intra-procedural CT/CBCT).</param>
    /// <param name="movingImage">Moving image (e.g. diagnostic MR).</param>
    /// <param name="fixedLabels">Vertebra label map of the fixed image (any grid covering it).</param>
    /// <param name="levels">The levels to register (labels present in the map, names as <see cref="VertebraLevel.Rank"/> reads them or free).</param>
    /// <param name="global">The global rigid registration of the same pair (its settings give the local ones unless <see cref="PerVertebraSettings.Local"/> is set).</param>
    /// <param name="globalSettings">The settings the global registration ran with.</param>
    /// <param name="progress">Fraction of levels done.</param>
    /// <param name="cancellationToken">Cancels between levels and inside each registration.</param>
    /// <exception cref="RegistrationException">No levels, duplicate labels, or a level with fewer than <see cref="VertebraLabelSet.MinimumVoxels"/> voxels.</exception>
    public PerVertebraResult Execute<TF, TM>(Volume<TF> fixedImage, Volume<TM> movingImage, Volume<byte> fixedLabels, IReadOnlyList<VertebraLevel> levels,
        RegistrationResult global, RegistrationSettings globalSettings, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        where TF : unmanaged, INumberBase<TF> where TM : unmanaged, INumberBase<TM>
    {
        ArgumentNullException.ThrowIfNull(fixedImage);
        ArgumentNullException.ThrowIfNull(movingImage);
        ArgumentNullException.ThrowIfNull(fixedLabels);
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(globalSettings);
        var ct = cancellationToken;
        var clock = Stopwatch.StartNew();
        if (levels.Count == 0) throw new RegistrationException("No vertebra to register: give at least one level of the label map.");
        var fg = fixedImage.Geometry;
        var labels = fixedLabels.Geometry.ApproximatelyEquals(fg, 1e-4) ? fixedLabels : Resampler.Resample(fixedLabels, fg, null, InterpolationMode.Nearest, (byte)0, ct);
        var seen = new HashSet<byte>();
        foreach (var l in levels)
            if (l.Label == 0 || !seen.Add(l.Label)) throw new RegistrationException($"Level {l.Name}: label {l.Label} is the background or given twice.");
        var stats = LabelRegions.Of(labels, ct);
        foreach (var l in levels)
            if (stats[l.Label].Count < VertebraLabelSet.MinimumVoxels)
                throw new RegistrationException($"Level {l.Name} (label {l.Label}) has {stats[l.Label].Count} voxels on the fixed grid; a vertebra needs at least {VertebraLabelSet.MinimumVoxels} to be registered on its own. Check the label map and its label numbers.");

        // cranial first: by level name when every name is a level, else by the centroid's head-ward (LPS +z) position
        var ordered = levels.All(l => VertebraLevel.Rank(l.Name) is not null)
            ? levels.OrderBy(l => VertebraLevel.Rank(l.Name)).ToList()
            : levels.OrderByDescending(l => stats[l.Label].Centroid.Z).ToList();
        var local = Settings.Local ?? LocalSettings(globalSettings);
        // only read (cropped) below: a float image is used as it is, not copied
        var fixedF = fixedImage as Volume<float> ?? fixedImage.Convert(v => float.CreateTruncating(v));
        var movingF = movingImage as Volume<float> ?? movingImage.Convert(v => float.CreateTruncating(v));
        var g = global.Transform;

        var refined = new LevelOutcome[ordered.Count];
        for (int i = 0; i < ordered.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            refined[i] = RegisterLevel(fixedF, movingF, labels, ordered[i], stats[ordered[i].Label], g, g, local, ct);
            progress?.Report((i + 1.0) / (ordered.Count + 1));
        }

        // neighbour consistency: a level at odds with every accepted neighbour is rejected
        var problems = new string?[ordered.Count];
        for (int i = 0; i < ordered.Count; i++) problems[i] = OwnProblem(refined[i]);
        for (int i = 0; i < ordered.Count; i++)
            if (problems[i] is null) problems[i] = NeighbourProblem(i, refined[i].T, problems, refined, ordered, stats);
        // a rejected level is tried once more from the motion of its nearest accepted neighbour (the posture change
        // accumulates along the spine, so a neighbour is a closer start than the global result at the ends)
        for (int pass = 0; pass < ordered.Count && problems.Any(p => p is not null); pass++)
        {
            bool changed = false;
            for (int i = 0; i < ordered.Count; i++)
            {
                if (problems[i] is null || refined[i].Retried) continue;
                int j = i > 0 && problems[i - 1] is null ? i - 1 : i + 1 < ordered.Count && problems[i + 1] is null ? i + 1 : -1;
                if (j < 0) continue;
                var retry = RegisterLevel(fixedF, movingF, labels, ordered[i], stats[ordered[i].Label], g, refined[j].T, local, ct) with { Retried = true };
                string? problem = OwnProblem(retry) ?? NeighbourProblem(i, retry.T, problems, refined, ordered, stats);
                if (problem is null) { refined[i] = retry; problems[i] = null; changed = true; }
                else refined[i] = refined[i] with { Retried = true };
            }
            if (!changed) break;
        }

        var results = new VertebraResult[ordered.Count];
        for (int i = 0; i < ordered.Count; i++)
        {
            var level = ordered[i];
            var (centroid, count, _, _) = stats[level.Label];
            if (problems[i] is null)
            {
                results[i] = new VertebraResult(level, refined[i].T, refined[i].Verdict, null, refined[i].Rot, refined[i].Shift, centroid, count);
                continue;
            }
            int up = i - 1, down = i + 1;
            while (up >= 0 && problems[up] is not null) up--;
            while (down < ordered.Count && problems[down] is not null) down++;
            RigidTransform t;
            string how;
            if (up >= 0 && down < ordered.Count)
            {
                double toUp = (centroid - stats[ordered[up].Label].Centroid).Length;
                double toDown = (centroid - stats[ordered[down].Label].Centroid).Length;
                double f = toUp / Math.Max(1e-9, toUp + toDown); // 0 at the level above, 1 at the one below
                t = Interpolate(refined[up].T, refined[down].T, f, centroid);
                how = $"interpolated between {ordered[up].Name} and {ordered[down].Name}";
            }
            else if (up >= 0 || down < ordered.Count)
            {
                int j = up >= 0 ? up : down;
                t = refined[j].T.WithCenter(centroid);
                how = $"the motion of {ordered[j].Name}, its nearest accepted neighbour";
            }
            else
            {
                t = g.WithCenter(centroid);
                how = "the global result (no level was accepted)";
            }
            var verdict = new RegistrationVerdict(VerdictStatus.Failed, [$"level {level.Name} rejected: {problems[i]}"], refined[i].Verdict.Signals);
            results[i] = new VertebraResult(level, t, verdict, how, refined[i].Rot, refined[i].Shift, centroid, count);
        }

        ct.ThrowIfCancellationRequested();
        var fieldGrid = FieldGrid(fg, Settings.FieldSpacingMm);
        var field = PiecewiseRigidField.Build(labels, [.. results.Select(r => new RigidPiece(r.Level.Label, r.FixedToMoving))], fieldGrid, Settings.BlendPower, ct);
        progress?.Report(1);
        return new PerVertebraResult(global, results, field, clock.Elapsed);
    }

    /// <summary>One level's refinement: its motion, verdict, distance from the global result, and a bound it broke (null when none).</summary>
    private sealed record LevelOutcome(RigidTransform T, RegistrationVerdict Verdict, double Rot, double Shift, string? Problem, bool Retried = false);

    private static string? OwnProblem(LevelOutcome o) =>
        o.Problem ?? (o.Verdict.Status == VerdictStatus.Failed ? $"its registration failed ({string.Join("; ", o.Verdict.Reasons)})" : null);

    /// <summary>Why level <paramref name="i"/> with motion <paramref name="t"/> disagrees with every accepted adjacent level; null when it agrees with one (or has none).</summary>
    private string? NeighbourProblem(int i, RigidTransform t, string?[] problems, LevelOutcome[] refined, List<VertebraLevel> ordered,
        LabelRegion[] stats)
    {
        var odds = new List<string>();
        int neighbours = 0;
        var c = stats[ordered[i].Label].Centroid;
        foreach (int j in new[] { i - 1, i + 1 })
        {
            if (j < 0 || j >= ordered.Count || problems[j] is not null || OwnProblem(refined[j]) is not null) continue;
            neighbours++;
            double rot = RelativeAngleDeg(t, refined[j].T);
            double shift = (t.TransformPoint(c) - refined[j].T.TransformPoint(c)).Length;
            if (rot > Settings.MaximumNeighbourRotationDeg || shift > Settings.MaximumNeighbourShiftMm)
                odds.Add(FormattableString.Invariant($"{ordered[j].Name} ({rot:0.0}°, {shift:0.0} mm at the centroid)"));
        }
        return neighbours > 0 && odds.Count == neighbours ? $"its motion disagrees with every accepted neighbour: {string.Join(", ", odds)}" : null;
    }

    private LevelOutcome RegisterLevel(Volume<float> fixedF, Volume<float> movingF, Volume<byte> labels, VertebraLevel level, LabelRegion region,
        RigidTransform global, RigidTransform start, RegistrationSettings local, CancellationToken ct)
    {
        var fg = fixedF.Geometry;
        var (centroid, _, min, max) = region;
        // the fixed crop: the vertebra's box plus the margin plus a pyramid level's worth of context
        double context = Settings.MarginMm + 4 * Math.Max(fg.Spacing.X, Math.Max(fg.Spacing.Y, fg.Spacing.Z));
        var (i0, j0, k0) = (Math.Max(0, min.I - Pad(context, fg.Spacing.X)), Math.Max(0, min.J - Pad(context, fg.Spacing.Y)), Math.Max(0, min.K - Pad(context, fg.Spacing.Z)));
        var (i1, j1, k1) = (Math.Min(fg.Nx - 1, max.I + Pad(context, fg.Spacing.X)), Math.Min(fg.Ny - 1, max.J + Pad(context, fg.Spacing.Y)), Math.Min(fg.Nz - 1, max.K + Pad(context, fg.Spacing.Z)));
        var fixedCrop = Crop(fixedF, i0, j0, k0, i1, j1, k1);
        var labelCrop = Crop(labels, i0, j0, k0, i1, j1, k1);
        var flags = new bool[256];
        flags[level.Label] = true;
        var d2 = DistanceTransform.Squared(labelCrop, flags, ct);
        var mask = new Volume<byte>(labelCrop.Geometry);
        float limit = (float)(Settings.MarginMm * Settings.MarginMm);
        for (long n = 0; n < mask.Data.LongLength; n++) mask.Data[n] = d2.Data[n] <= limit ? (byte)1 : (byte)0;
        // the moving crop: where the global result puts the fixed crop, grown by the shift bound and some context
        var movingCrop = CropAround(movingF, fixedCrop.Geometry, start, Settings.MaximumShiftFromGlobalMm + context);
        RegistrationResult r;
        try
        {
            r = new RigidRegistration(local).Execute(fixedCrop, movingCrop ?? movingF, new RegistrationInputs { FixedMask = mask, InitialTransform = start.WithCenter(centroid) }, ct);
        }
        catch (RegistrationException e)
        {
            var none = new RegistrationVerdict(VerdictStatus.Failed, [e.Message], new RegistrationSignals(null, null, null, null, null, null, null, null, 0, false, false));
            return new LevelOutcome(start.WithCenter(centroid), none, 0, 0, $"its registration could not run ({e.Message})");
        }
        var t = r.Transform.WithCenter(centroid);
        double rot = RelativeAngleDeg(t, global);
        double shift = (t.TransformPoint(centroid) - global.TransformPoint(centroid)).Length;
        string? problem = null;
        double visible = VisibleFraction(labelCrop, level.Label, t, movingF.Geometry);
        if (visible < Settings.MinimumVisibleFraction)
            problem = FormattableString.Invariant($"only {100 * visible:0} % of the vertebra lies inside the moving image (at least {100 * Settings.MinimumVisibleFraction:0} % needed): a vertebra cut by the field of view cannot be registered on its own");
        else if (rot > Settings.MaximumRotationFromGlobalDeg || shift > Settings.MaximumShiftFromGlobalMm)
            problem = FormattableString.Invariant($"its motion left the bounds around the global result ({rot:0.0}° > {Settings.MaximumRotationFromGlobalDeg:0.#}° or {shift:0.0} mm > {Settings.MaximumShiftFromGlobalMm:0.#} mm at the centroid)");
        return new LevelOutcome(t, r.Verdict, rot, shift, problem);
    }

    /// <summary>Fraction of the level's voxels that <paramref name="t"/> maps inside the moving grid.</summary>
    private static double VisibleFraction(Volume<byte> labels, byte level, RigidTransform t, VolumeGeometry moving)
    {
        var g = labels.Geometry;
        long inside = 0, total = 0, n = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    if (labels.Data[n] != level) continue;
                    total++;
                    var c = moving.PhysicalToIndex(t.TransformPoint(g.IndexToPhysical(i, j, k)));
                    if (c.X >= -0.5 && c.Y >= -0.5 && c.Z >= -0.5 && c.X <= moving.Nx - 0.5 && c.Y <= moving.Ny - 0.5 && c.Z <= moving.Nz - 0.5) inside++;
                }
        return total == 0 ? 0 : inside / (double)total;
    }

    private static int Pad(double mm, double spacing) => (int)Math.Ceiling(mm / spacing);

    /// <summary>Angle of the rotation between two motions, degrees.</summary>
    private static double RelativeAngleDeg(RigidTransform a, RigidTransform b) =>
        (b.Rotation.Conjugate() * a.Rotation).Normalized().AngleRad * 180 / Math.PI;

    /// <summary>A motion between two others: rotation by slerp at <paramref name="f"/>, translation so that <paramref name="at"/> goes to the blend of where the two put it.</summary>
    private static RigidTransform Interpolate(RigidTransform a, RigidTransform b, double f, Vec3 at)
    {
        var q = Versor.Slerp(a.Rotation, b.Rotation, f);
        var target = a.TransformPoint(at) * (1 - f) + b.TransformPoint(at) * f;
        return new RigidTransform(q, target - at, at);
    }

    /// <summary>The voxels [i0, i1] × [j0, j1] × [k0, k1] (inclusive) as a volume on the same axes.</summary>
    internal static Volume<T> Crop<T>(Volume<T> v, int i0, int j0, int k0, int i1, int j1, int k1) where T : unmanaged, INumberBase<T>
    {
        var g = v.Geometry;
        int nx = i1 - i0 + 1, ny = j1 - j0 + 1, nz = k1 - k0 + 1;
        var cg = new VolumeGeometry(nx, ny, nz, g.Spacing, g.IndexToPhysical(i0, j0, k0), g.Direction);
        var c = new Volume<T>(cg, v.Metadata);
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                Array.Copy(v.Data, g.LinearIndex(i0, j0 + j, k0 + k), c.Data, cg.LinearIndex(0, j, k), nx);
        return c;
    }

    /// <summary>The moving image cropped to where <paramref name="fixedToMoving"/> puts <paramref name="box"/>, grown by <paramref name="marginMm"/>; null when that is (nearly) all of it.</summary>
    private static Volume<float>? CropAround(Volume<float> moving, VolumeGeometry box, RigidTransform fixedToMoving, double marginMm)
    {
        var mg = moving.Geometry;
        double lo0 = double.MaxValue, lo1 = double.MaxValue, lo2 = double.MaxValue, hi0 = double.MinValue, hi1 = double.MinValue, hi2 = double.MinValue;
        for (int c = 0; c < 8; c++)
        {
            var corner = box.IndexToPhysical(new Vec3((c & 1) == 0 ? 0 : box.Nx - 1, (c & 2) == 0 ? 0 : box.Ny - 1, (c & 4) == 0 ? 0 : box.Nz - 1));
            var x = mg.PhysicalToIndex(fixedToMoving.TransformPoint(corner));
            lo0 = Math.Min(lo0, x.X); lo1 = Math.Min(lo1, x.Y); lo2 = Math.Min(lo2, x.Z);
            hi0 = Math.Max(hi0, x.X); hi1 = Math.Max(hi1, x.Y); hi2 = Math.Max(hi2, x.Z);
        }
        int i0 = Clip(Math.Floor(lo0 - marginMm / mg.Spacing.X), mg.Nx), j0 = Clip(Math.Floor(lo1 - marginMm / mg.Spacing.Y), mg.Ny), k0 = Clip(Math.Floor(lo2 - marginMm / mg.Spacing.Z), mg.Nz);
        int i1 = Clip(Math.Ceiling(hi0 + marginMm / mg.Spacing.X), mg.Nx), j1 = Clip(Math.Ceiling(hi1 + marginMm / mg.Spacing.Y), mg.Ny), k1 = Clip(Math.Ceiling(hi2 + marginMm / mg.Spacing.Z), mg.Nz);
        if (i1 - i0 < 3 || j1 - j0 < 3 || k1 - k0 < 3) return null; // mostly outside: let the registration report it
        long kept = (long)(i1 - i0 + 1) * (j1 - j0 + 1) * (k1 - k0 + 1);
        return kept > 0.8 * mg.VoxelCount ? null : Crop(moving, i0, j0, k0, i1, j1, k1);

        static int Clip(double v, int n) => (int)Math.Clamp(v, 0, n - 1);
    }

    /// <summary>The fixed grid coarsened (whole factors per axis) to a spacing of at least <paramref name="spacingMm"/>, covering the same region.</summary>
    internal static VolumeGeometry FieldGrid(VolumeGeometry g, double spacingMm)
    {
        int fx = Math.Max(1, (int)Math.Floor(spacingMm / g.Spacing.X)), fy = Math.Max(1, (int)Math.Floor(spacingMm / g.Spacing.Y)), fz = Math.Max(1, (int)Math.Floor(spacingMm / g.Spacing.Z));
        if (fx == 1 && fy == 1 && fz == 1) return g;
        int nx = (g.Nx - 1) / fx + 1, ny = (g.Ny - 1) / fy + 1, nz = (g.Nz - 1) / fz + 1;
        // nodes on fixed voxel centres 0, f, 2f, …: the first node is the first voxel; one more node when the last voxel is not on the lattice
        if ((g.Nx - 1) % fx != 0) nx++;
        if ((g.Ny - 1) % fy != 0) ny++;
        if ((g.Nz - 1) % fz != 0) nz++;
        return new VolumeGeometry(nx, ny, nz, new Vec3(g.Spacing.X * fx, g.Spacing.Y * fy, g.Spacing.Z * fz), g.Origin, g.Direction);
    }
}
