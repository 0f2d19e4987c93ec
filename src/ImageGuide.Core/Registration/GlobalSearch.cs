using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>One start found by the global search.</summary>
/// <param name="Transform">Fixed → moving start.</param>
/// <param name="Score">Coarse −MI (bias-corrected) after local refinement; lower is better.</param>
/// <param name="Description">Posture hypothesis, extra rotation and shift, in words.</param>
public sealed record GlobalStart(RigidTransform Transform, double Score, string Description);

/// <summary>What the global search did and found.</summary>
/// <param name="Starts">Distinct starts, best first.</param>
/// <param name="Evaluations">Metric evaluations in the exhaustive grid and the refinement.</param>
/// <param name="TranslationRangeMm">Half-widths of the searched translation box along x, y, z (LPS), mm, around the centre-of-mass alignment.</param>
/// <param name="Rotations">Rotations tried (posture turns × extra rotations).</param>
/// <param name="BestAtBoundary">The best start's grid placement lay on the edge of the translation box.</param>
/// <param name="Seconds">Time taken.</param>
public sealed record GlobalSearchResult(IReadOnlyList<GlobalStart> Starts, long Evaluations, Vec3 TranslationRangeMm, int Rotations,
    bool BestAtBoundary, double Seconds);

/// <summary>
/// Global initialisation for images whose patient frames are unrelated. Both images are smoothed and resampled to
/// a coarse isotropic grid; the one with the smaller field of view is sampled and looked up in the other. For every
/// rotation — the posture hypotheses (identity, 180° about the long axis, ±90° about it, each also turned 180°
/// about the antero-posterior axis for feet-first) composed with a grid of extra rotations about each axis — every
/// translation of a grid covering all placements of the sampled image's centre of mass inside the other image is
/// scored by bias-corrected MI with nearest-neighbour lookup (the centre-of-mass alignment is a grid node). The
/// local minima of each translation grid that keep enough overlap, and the patient-coordinate start, are refined by
/// a pattern search with trilinear lookup; the best distinct ones are the starts.
/// </summary>
internal static class GlobalSearch
{
    private const string PatientCoordinates = "patient coordinates";
    /// <summary>The overlap pre-pass skips a placement when its sub-sampled overlap is below this share of the overlap rule's threshold.</summary>
    private const double CullShare = 0.7;
    /// <summary>The pre-pass runs only when its eighth of the samples holds at least this many.</summary>
    private const int CullMinimumSamples = 64;
    /// <summary>The screening pass keeps at least this many placements per rotation for full scoring.</summary>
    private const int ScreenKeepMinimum = 32;

    public static GlobalSearchResult Run(Volume<float> fixedF, Volume<float> movingF, Volume<byte>? fixedMask, Volume<byte>? movingMask,
        GlobalSearchSettings gs, int maxDop, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // small fields of view (a spine crop) get a finer grid and step, in proportion: ≥ 16 voxels across the smaller
        double smallest = Math.Min(MinExtent(fixedF.Geometry), MinExtent(movingF.Geometry));
        double spacing = Math.Min(gs.SpacingMm, Math.Max(1, smallest / 16));
        double scale = spacing / gs.SpacingMm;
        var fc = Coarse(fixedF, spacing, maxDop, ct);
        var mc = Coarse(movingF, spacing, maxDop, ct);
        var fm = CoarseMask(fixedMask, fc.Geometry);
        var mm = CoarseMask(movingMask, mc.Geometry);
        double fixedSize = FieldSize(fc.Geometry), movingSize = FieldSize(mc.Geometry);
        bool sampleFixed = fixedSize <= movingSize;
        var (sampled, sampledMask, target, targetMask) = sampleFixed ? (fc, fm, mc, mm) : (mc, mm, fc, fm);
        var cS = RegistrationInitializer.CenterOfMass(sampled, sampledMask, "sampled");
        var cT = RegistrationInitializer.CenterOfMass(target, targetMask, "target");
        var gridMi = new CoarseMutualInformation(sampled, sampledMask, target, cS, gs.HistogramBins, gs.GridSampleCount);
        var mi = new CoarseMutualInformation(sampled, sampledMask, target, cS, gs.HistogramBins, gs.SampleCount);

        // translation grid: nodes cT − cS + k·step, covering every position of cS inside the target's bounding box
        var (tmin, tmax) = target.Geometry.PhysicalBounds();
        var t0 = cT - cS;
        double step = gs.TranslationStepMm * scale;
        // at least ±MinimumTranslationRangeMm, but no farther than the larger image is long (beyond it nothing overlaps)
        double largest = Math.Max(MaxExtent(fixedF.Geometry), MaxExtent(movingF.Geometry));
        (int Lo, int Hi) Axis(double lo, double hi, double c)
        {
            double range = Math.Min(gs.MinimumTranslationRangeMm, largest);
            double a = Math.Max(Math.Min(lo - c, -range), -gs.MaximumTranslationRangeMm);
            double b = Math.Min(Math.Max(hi - c, range), gs.MaximumTranslationRangeMm);
            return ((int)Math.Floor(a / step), (int)Math.Ceiling(b / step));
        }
        var ax = Axis(tmin.X, tmax.X, cT.X);
        var ay = Axis(tmin.Y, tmax.Y, cT.Y);
        var az = Axis(tmin.Z, tmax.Z, cT.Z);
        int nx = ax.Hi - ax.Lo + 1, ny = ay.Hi - ay.Lo + 1, nz = az.Hi - az.Lo + 1;
        var rotations = Rotations(gs);
        if (gs.PrincipalAxes) rotations.AddRange(PrincipalAxesRotations(sampled, sampledMask, cS, target, targetMask, cT));
        var po = new ParallelOptions { MaxDegreeOfParallelism = maxDop, CancellationToken = ct };
        Vec3 Node(int a, int b, int c) => t0 + new Vec3(ax.Lo + a, ay.Lo + b, az.Lo + c) * step;
        int nodes = nx * ny * nz;

        // a cheap pass first: the overlap of every placement on a regular eighth of the samples; placements keeping
        // well under the overlap rule's share of the largest are not scored (most of the box, for a slab)
        int cullStride = gridMi.SampleCount >= 8 * CullMinimumSamples ? 8 : 1;
        var overlaps = new int[rotations.Count][];
        Parallel.For(0, rotations.Count, po, () => gridMi.NewScratch(), (r, _, scratch) =>
        {
            gridMi.RotateStrided(rotations[r].Rotation.ToMatrix(), scratch, cullStride);
            var ov = new int[nodes];
            for (int c = 0; c < nz; c++)
                for (int b = 0; b < ny; b++)
                    for (int a = 0; a < nx; a++) ov[a + nx * (b + ny * c)] = gridMi.OverlapCount(Node(a, b, c), scratch);
            overlaps[r] = ov;
            return scratch;
        }, _ => { });
        int maxOverlap = 0;
        foreach (var ov in overlaps) foreach (int v in ov) maxOverlap = Math.Max(maxOverlap, v);
        int cull = cullStride == 1 ? 0 : (int)Math.Floor(CullShare * gs.MinimumRelativeOverlap * maxOverlap);

        // then a screening pass on a quarter of the samples; each rotation's best share of placements is scored on all
        int screenStride = gs.ScreenKeepFraction < 1 && gridMi.SampleCount >= 4 * CullMinimumSamples ? 4 : 1;
        var scores = new double[rotations.Count][];
        var valids = new int[rotations.Count][];
        long[] scored = new long[rotations.Count];
        Parallel.For(0, rotations.Count, po, () => gridMi.NewScratch(), (r, _, scratch) =>
        {
            // screening on every screenStride-th sample, packed (the same samples in the same order as a strided score)
            var rotation = rotations[r].Rotation.ToMatrix();
            gridMi.RotateStrided(rotation, scratch, screenStride);
            var sc = new double[nodes];
            var va = new int[nodes];
            var ov = overlaps[r];
            var keep = new bool[nodes];
            var screened = new List<(double Score, int Index)>(nodes);
            for (int c = 0; c < nz; c++)
            {
                ct.ThrowIfCancellationRequested();
                for (int b = 0; b < ny; b++)
                    for (int a = 0; a < nx; a++)
                    {
                        int idx = a + nx * (b + ny * c);
                        if (ov[idx] < cull || ov[idx] == 0) continue;
                        if (screenStride == 1) { keep[idx] = true; continue; }
                        double v = gridMi.Score(Node(a, b, c), scratch, false, out int _, 50 / screenStride);
                        scored[r]++;
                        if (double.IsFinite(v)) screened.Add((v, idx));
                    }
            }
            if (screenStride > 1)
            {
                screened.Sort();
                int kept = Math.Min(screened.Count, Math.Max(ScreenKeepMinimum, (int)Math.Ceiling(gs.ScreenKeepFraction * screened.Count)));
                for (int q = 0; q < kept; q++) keep[screened[q].Index] = true;
            }
            gridMi.Rotate(rotation, scratch);
            for (int idx = 0; idx < nodes; idx++)
            {
                if (!keep[idx]) { sc[idx] = double.PositiveInfinity; continue; }
                int a = idx % nx, b = idx / nx % ny, c = idx / (nx * ny);
                sc[idx] = gridMi.Score(Node(a, b, c), scratch, false, out va[idx]);
                scored[r]++;
            }
            scores[r] = sc;
            valids[r] = va;
            return scratch;
        }, _ => { });
        long evaluations = scored.Sum();

        int maxValid = 0;
        foreach (var va in valids) foreach (int v in va) maxValid = Math.Max(maxValid, v);
        int minValid = (int)Math.Ceiling(gs.MinimumRelativeOverlap * maxValid);
        var minima = new List<(double Score, int Rotation, int A, int B, int C)>();
        for (int r = 0; r < rotations.Count; r++)
        {
            var sc = scores[r];
            var va = valids[r];
            for (int c = 0; c < nz; c++)
                for (int b = 0; b < ny; b++)
                    for (int a = 0; a < nx; a++)
                    {
                        int idx = a + nx * (b + ny * c);
                        if (va[idx] < minValid || !double.IsFinite(sc[idx])) continue;
                        if (IsLocalMinimum(sc, va, minValid, nx, ny, nz, a, b, c)) minima.Add((sc[idx], r, a, b, c));
                    }
        }
        minima.Sort((x, y) => x.Score != y.Score ? x.Score.CompareTo(y.Score) : (x.Rotation, x.A, x.B, x.C).CompareTo((y.Rotation, y.A, y.B, y.C)));

        // refine the best grid minima (and the patient-coordinate start) by a pattern search with trilinear lookup
        double radius = SampledRadius(sampled.Geometry);
        var seeds = new List<(Versor Rotation, Vec3 Translation, string Description, bool Edge)>();
        foreach (var m in minima)
        {
            if (seeds.Count >= 6 * gs.Candidates) break;
            var rot = rotations[m.Rotation];
            var tr = Node(m.A, m.B, m.C);
            bool edge = m.A == 0 || m.B == 0 || m.C == 0 || m.A == nx - 1 || m.B == ny - 1 || m.C == nz - 1;
            if (seeds.TrueForAll(s => Distance(s.Rotation, s.Translation, rot.Rotation, tr, cS, radius) >= gs.MergeDistanceMm * scale))
                seeds.Add((rot.Rotation, tr, rot.Description, edge));
        }
        // patient coordinates: the identity (fixed → moving, or its inverse when the moving image is sampled)
        seeds.Add((Versor.Identity, Vec3.Zero, PatientCoordinates, false));

        // the refinement keeps the grid's overlap rule: small overlaps inflate MI even after the bias correction
        int refineMinValid = (int)Math.Ceiling(minValid * (double)mi.SampleCount / gridMi.SampleCount);
        var refined = new (Versor Rotation, Vec3 Translation, double Score, string Description, bool Edge)[seeds.Count];
        long[] refineEvaluations = new long[seeds.Count];
        Parallel.For(0, seeds.Count, po, () => mi.NewScratch(), (i, _, scratch) =>
        {
            // the patient-coordinate start is scored but not moved: the multi-resolution refinement takes it as it is
            // (on a repetitive spine the coarse pattern search drifts it to a neighbouring level)
            var (rot, tr, score, n) = i == seeds.Count - 1 ? (seeds[i].Rotation, seeds[i].Translation, Scored(mi, scratch, seeds[i].Rotation, seeds[i].Translation), 1L)
                : Refine(mi, scratch, seeds[i].Rotation, seeds[i].Translation, refineMinValid, scale, ct);
            refined[i] = (rot, tr, score, seeds[i].Description, seeds[i].Edge);
            refineEvaluations[i] = n;
            return scratch;
        }, _ => { });
        foreach (long n in refineEvaluations) evaluations += n;

        var order = Enumerable.Range(0, refined.Length).Where(i => double.IsFinite(refined[i].Score))
            .OrderBy(i => refined[i].Score).ThenBy(i => i).ToList();
        var starts = new List<GlobalStart>(gs.Candidates);
        var kept = new List<(Versor R, Vec3 T)>();
        bool bestAtBoundary = false;
        // the patient-coordinate start always goes on (scanners' frames are often nearly right, and a small field of
        // view makes the coarse score least reliable exactly there); the rest by coarse score
        int patient = seeds.Count - 1;
        if (double.IsFinite(refined[patient].Score)) { order.Remove(patient); order.Insert(Math.Min(order.Count, gs.Candidates - 1), patient); }
        foreach (int i in order)
        {
            if (starts.Count >= gs.Candidates) break;
            var x = refined[i];
            if (!kept.TrueForAll(k => Distance(k.R, k.T, x.Rotation, x.Translation, cS, radius) >= gs.MergeDistanceMm * scale)) continue;
            if (starts.Count == 0) bestAtBoundary = x.Edge;
            kept.Add((x.Rotation, x.Translation));
            var sToT = new RigidTransform(x.Rotation, x.Translation, cS);
            // about the sampled image's centre of mass, as placed in the fixed frame
            var fixedToMoving = sampleFixed ? sToT : sToT.Inverse().WithCenter(sToT.TransformPoint(cS));
            starts.Add(new GlobalStart(fixedToMoving, x.Score, x.Description == PatientCoordinates ? PatientCoordinates : Describe(x.Description, x.Translation - t0)));
        }
        if (starts.Count == 0)
            throw new RegistrationException("The global search found no placement where the images overlap; check that both images show the same anatomy.");
        return new GlobalSearchResult(starts, evaluations, new Vec3(Math.Max(-ax.Lo, ax.Hi), Math.Max(-ay.Lo, ay.Hi), Math.Max(-az.Lo, az.Hi)) * step,
            rotations.Count, bestAtBoundary, clock.Elapsed.TotalSeconds);
    }

    private static string Describe(string rotation, Vec3 shift) =>
        FormattableString.Invariant($"{rotation}, shift ({shift.X:0}, {shift.Y:0}, {shift.Z:0}) mm from the centre-of-mass alignment");

    private static double Scored(CoarseMutualInformation mi, CoarseMutualInformation.Scratch s, Versor rotation, Vec3 translation)
    {
        mi.Rotate(rotation.ToMatrix(), s);
        double v = mi.Score(translation, s, true, out _);
        return double.IsFinite(v) ? v : 0; // no overlap at patient coordinates: still handed on, last
    }

    /// <summary>Coordinate pattern search over the 6 rigid parameters, steps 8 mm / 8° halved down to 1 mm / 1° (mm scaled with the grid).</summary>
    private static (Versor Rotation, Vec3 Translation, double Score, long Evaluations) Refine(CoarseMutualInformation mi,
        CoarseMutualInformation.Scratch s, Versor rotation, Vec3 translation, int minValid, double scale, CancellationToken ct)
    {
        long n = 0;
        double Eval(Versor r, Vec3 t)
        {
            mi.Rotate(r.ToMatrix(), s);
            n++;
            return mi.Score(t, s, true, out _, minValid);
        }
        double best = Eval(rotation, translation);
        double stepMm = 8 * scale, stepRad = 8 * Math.PI / 180;
        while (stepMm >= scale - 1e-9)
        {
            ct.ThrowIfCancellationRequested();
            bool improved = false;
            for (int p = 0; p < 6; p++)
                for (int sign = -1; sign <= 1; sign += 2)
                {
                    Versor r = rotation;
                    Vec3 t = translation;
                    if (p < 3)
                    {
                        var axis = new Vec3(p == 0 ? 1 : 0, p == 1 ? 1 : 0, p == 2 ? 1 : 0);
                        r = (Versor.FromAxisAngle(axis, sign * stepRad) * rotation).Normalized();
                    }
                    else t = translation + new Vec3(p == 3 ? sign * stepMm : 0, p == 4 ? sign * stepMm : 0, p == 5 ? sign * stepMm : 0);
                    double v = Eval(r, t);
                    if (v < best) { best = v; rotation = r; translation = t; improved = true; }
                }
            if (!improved) { stepMm /= 2; stepRad /= 2; }
        }
        return (rotation, translation, best, n);
    }

    private static bool IsLocalMinimum(double[] sc, int[] va, int minValid, int nx, int ny, int nz, int a, int b, int c)
    {
        double v = sc[a + nx * (b + ny * c)];
        for (int dc = -1; dc <= 1; dc++)
            for (int db = -1; db <= 1; db++)
                for (int da = -1; da <= 1; da++)
                {
                    int x = a + da, y = b + db, z = c + dc;
                    if ((da | db | dc) == 0 || x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
                    int idx = x + nx * (y + ny * z);
                    if (va[idx] >= minValid && sc[idx] < v) return false;
                }
        return true;
    }

    /// <summary>Posture turns (about the LPS z = long axis, and feet-first about y) composed with extra rotations about x, y, z.</summary>
    internal static List<(Versor Rotation, string Description)> Rotations(GlobalSearchSettings gs)
    {
        var postures = new List<(Versor, string)> { (Versor.Identity, "no turn") };
        if (gs.PostureHypotheses)
        {
            var z = new Vec3(0, 0, 1);
            var ff = Versor.FromAxisAngle(new Vec3(0, 1, 0), Math.PI);
            postures.Add((Versor.FromAxisAngle(z, Math.PI), "180° about the long axis (supine ↔ prone)"));
            postures.Add((Versor.FromAxisAngle(z, Math.PI / 2), "+90° about the long axis (decubitus)"));
            postures.Add((Versor.FromAxisAngle(z, -Math.PI / 2), "−90° about the long axis (decubitus)"));
            int count = postures.Count;
            for (int i = 0; i < count; i++)
                postures.Add(((ff * postures[i].Item1).Normalized(), postures[i].Item2 + " + 180° about the antero-posterior axis (feet-first)"));
        }
        int steps = (int)Math.Floor(gs.MaximumRotationDeg / gs.RotationStepDeg + 1e-9);
        double d = gs.RotationStepDeg * Math.PI / 180;
        var result = new List<(Versor, string)>();
        string[] names = ["x", "y", "z"];
        foreach (var (posture, name) in postures)
        {
            result.Add((posture, name));
            for (int axis = 0; axis < 3; axis++)
                for (int a = -steps; a <= steps; a++)
                {
                    if (a == 0) continue;
                    var q = (Versor.FromAxisAngle(new Vec3(axis == 0 ? 1 : 0, axis == 1 ? 1 : 0, axis == 2 ? 1 : 0), a * d) * posture).Normalized();
                    result.Add((q, FormattableString.Invariant($"{name} + {a * gs.RotationStepDeg:0}° about {names[axis]}")));
                }
        }
        return result;
    }

    /// <summary>
    /// The rotations that turn the sampled image's principal axes (of its intensity above the minimum, about its
    /// centre of mass) onto the target's, largest onto largest: the four proper rotations the axes' sign ambiguity
    /// leaves. Right whenever both images show the same whole body part; harmless (just more hypotheses) otherwise.
    /// </summary>
    internal static List<(Versor Rotation, string Description)> PrincipalAxesRotations(Volume<float> sampled, Volume<byte>? sampledMask, Vec3 cS,
        Volume<float> target, Volume<byte>? targetMask, Vec3 cT)
    {
        var es = PrincipalAxes(sampled, sampledMask, cS);
        var et = PrincipalAxes(target, targetMask, cT);
        var result = new List<(Versor, string)>(4);
        if (es is null || et is null) return result;
        var ms = Mat3.FromColumns(es[0], es[1], es[2]);
        var mt = Mat3.FromColumns(et[0], et[1], et[2]);
        double handedness = Math.Sign(ms.Determinant() * mt.Determinant());
        foreach (var (s0, s1) in new[] { (1, 1), (-1, -1), (1, -1), (-1, 1) })
        {
            double s2 = s0 * s1 * handedness;
            var flipped = Mat3.FromColumns(et[0] * s0, et[1] * s1, et[2] * s2);
            var r = flipped * ms.Transpose();
            result.Add((Versor.FromMatrix(r).Normalized(), FormattableString.Invariant($"principal axes ({Sign(s0)}{Sign(s1)}{Sign(s2)})")));
        }
        return result;

        static char Sign(double v) => v > 0 ? '+' : '−';
    }

    /// <summary>Unit principal axes (largest second moment first) of value − minimum about <paramref name="center"/>; null for a constant image.</summary>
    private static Vec3[]? PrincipalAxes(Volume<float> image, Volume<byte>? mask, Vec3 center)
    {
        var g = image.Geometry;
        var m = mask is not null && mask.Geometry.ApproximatelyEquals(g, 1e-3) ? mask.Data : null;
        double min = VolumeStatistics.Compute(image, m is null ? null : mask).Min;
        var cov = new double[3, 3];
        double total = 0;
        long n = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    if (m is not null && m[n] == 0) continue;
                    double w = image.Data[n] - min;
                    if (!(w > 0)) continue;
                    var d = g.IndexToPhysical(i, j, k) - center;
                    total += w;
                    cov[0, 0] += w * d.X * d.X; cov[0, 1] += w * d.X * d.Y; cov[0, 2] += w * d.X * d.Z;
                    cov[1, 1] += w * d.Y * d.Y; cov[1, 2] += w * d.Y * d.Z; cov[2, 2] += w * d.Z * d.Z;
                }
        if (!(total > 0)) return null;
        cov[1, 0] = cov[0, 1]; cov[2, 0] = cov[0, 2]; cov[2, 1] = cov[1, 2];
        return SymmetricEigen3.Decompose(cov).Vectors;
    }

    /// <summary>Largest displacement between two placements about the sampled centre (<see cref="MultiStart.Distance"/>).</summary>
    private static double Distance(Versor r1, Vec3 t1, Versor r2, Vec3 t2, Vec3 center, double radius) =>
        MultiStart.Distance(new RigidTransform(r1, t1, center), new RigidTransform(r2, t2, center), center, radius);

    private static double SampledRadius(VolumeGeometry g) => Math.Max(20, 0.25 * Math.Min(g.Extent.X, Math.Min(g.Extent.Y, g.Extent.Z)) + 0.25 * g.Extent.Length / Math.Sqrt(3));

    private static double MaxExtent(VolumeGeometry g) => Math.Max(g.Extent.X, Math.Max(g.Extent.Y, g.Extent.Z));

    private static double MinExtent(VolumeGeometry g) => Math.Min(g.Extent.X, Math.Min(g.Extent.Y, g.Extent.Z));

    private static double FieldSize(VolumeGeometry g) => g.Extent.X * g.Extent.Y * g.Extent.Z;

    /// <summary>Smoothed (σ = half the spacing) and resampled onto an isotropic grid of the given spacing, axes kept.</summary>
    internal static Volume<float> Coarse(Volume<float> image, double spacingMm, int maxDop, CancellationToken ct)
    {
        var g = image.Geometry;
        int f = (int)Math.Max(1, Math.Floor(spacingMm / Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z))));
        var level = Pyramid.Level(image, f, spacingMm / 2, maxDop, ct, spacingMm);
        var e = g.Extent;
        int nx = Math.Max(2, (int)Math.Round(e.X / spacingMm)), ny = Math.Max(2, (int)Math.Round(e.Y / spacingMm)), nz = Math.Max(2, (int)Math.Round(e.Z / spacingMm));
        var spacing = new Vec3(spacingMm, spacingMm, spacingMm);
        var half = new Vec3((nx - 1) * spacingMm / 2, (ny - 1) * spacingMm / 2, (nz - 1) * spacingMm / 2);
        var grid = new VolumeGeometry(nx, ny, nz, spacing, g.Center - g.Direction * half, g.Direction);
        return Resampler.Resample(level, grid, null, InterpolationMode.Linear, (float)VolumeStatistics.Percentiles(level, [0.5])[0], ct);
    }

    private static Volume<byte>? CoarseMask(Volume<byte>? mask, VolumeGeometry grid) =>
        mask is null ? null : Resampler.Resample(mask, grid, null, InterpolationMode.Nearest);
}
