using System.Globalization;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// Prepares label maps that were not drawn for planning: the built-in table of TotalSegmentator's class map, the body
/// outline from the planning CT (for label maps whose 0 means "no class", not "outside the body"), and a spherical target
/// at a point (for a lesion nobody has outlined). Each returns a new <see cref="LabelMap"/>; the input is not changed.
/// </summary>
public static class PlanningLabels
{
    /// <summary>Name of the built-in TotalSegmentator table (the CLI's <c>--label-table totalsegmentator</c>).</summary>
    public const string TotalSegmentatorName = "totalsegmentator";

    /// <summary>Name given to the body voxels that no label covers (<see cref="WithBodyFrom"/>).</summary>
    public const string UnlabelledTissueName = "unlabelled tissue";

    /// <summary>Name given to the spherical target (<see cref="WithTargetSphere"/>).</summary>
    public const string TargetSphereName = "target sphere";

    private static readonly Lazy<LabelTable> TotalSegmentatorTable = new(() =>
    {
        using var s = typeof(PlanningLabels).Assembly.GetManifestResourceStream("ImageGuide.Planning.TotalSegmentatorLabels.json")
            ?? throw new InvalidOperationException("The built-in TotalSegmentator label table is missing from the assembly.");
        using var r = new StreamReader(s);
        return LabelTableJson.Parse(r.ReadToEnd(), "built-in TotalSegmentator label table");
    });

    /// <summary>
    /// TotalSegmentator v2 "total" task's 117 classes (values 1–117, its own names) with planning roles: the vertebrae,
    /// sacrum, ribs, sternum, costal cartilages, skull and limb-girdle bones Bone; the gluteal, autochthonous (paraspinal)
    /// and iliopsoas muscles Other (needles pass through them); every organ, vessel and the spinal cord Critical with the
    /// default clearance (<see cref="AblationGoals.CriticalClearanceMm"/>). Its 0 is "no class": use
    /// <see cref="WithBodyFrom"/> to tell the body from the air around it. See docs/CLINICAL.md.
    /// </summary>
    public static LabelTable TotalSegmentator => TotalSegmentatorTable.Value;

    /// <summary>The built-in table called <paramref name="name"/> (case-insensitive), or false when there is none.</summary>
    public static bool TryGetBuiltIn(string name, out LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, TotalSegmentatorName, StringComparison.OrdinalIgnoreCase)) { table = TotalSegmentator; return true; }
        table = null!;
        return false;
    }

    /// <summary>
    /// The label map with the body told from the air around it: every voxel of the largest 6-connected component of
    /// {<paramref name="image"/> ≥ <paramref name="thresholdHu"/>} ∪ {labelled voxels}, with the holes of each slice
    /// (bowel gas, airways) filled, that carries no label becomes <see cref="UnlabelledTissueName"/> (role Body); the rest
    /// stays 0, outside the body. Objects apart from the body (the CT table, a separate arm) stay outside.
    /// </summary>
    /// <param name="map">A label map whose 0 means "no class" (e.g. TotalSegmentator's).</param>
    /// <param name="image">The CT the labels were drawn on, in HU: on the same grid, or on another grid covering it in the same patient frame (then sampled at the label voxels).</param>
    /// <param name="thresholdHu">Lowest HU of body tissue; −500 lies between air (−1000) and fat (−100).</param>
    /// <param name="cancellationToken">Cancels between slices.</param>
    /// <exception cref="InvalidLabelsException">The image covers less than 90 % of the label grid, no value is free for the new label, or nothing reaches the threshold.</exception>
    public static LabelMap WithBodyFrom(LabelMap map, Volume<float> image, double thresholdHu = -500, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(image);
        var g = map.Volume.Geometry;
        if (!double.IsFinite(thresholdHu)) throw new ArgumentOutOfRangeException(nameof(thresholdHu), "The body threshold must be a finite HU value.");
        var hu = g.ApproximatelyEquals(image.Geometry, 0.01) ? image.Data : OnLabelGrid(image, g, cancellationToken);
        var labels = map.Volume.Data;
        var body = new byte[labels.Length];
        long any = 0;
        for (long n = 0; n < body.LongLength; n++)
            if (labels[n] != 0 || hu[n] >= thresholdHu) { body[n] = 1; any++; }
        if (any == 0)
            throw new InvalidLabelsException(FormattableString.Invariant($"No voxel of the planning image reaches {thresholdHu} HU and none is labelled: is it a CT in Hounsfield units?"));
        KeepLargestComponent(body, g, cancellationToken);
        FillSliceHoles(body, g, cancellationToken);
        byte tissue = FreeValue(map);
        var data = (byte[])labels.Clone();
        for (long n = 0; n < data.LongLength; n++)
            if (data[n] == 0 && body[n] != 0) data[n] = tissue;
        var table = new LabelTable([.. map.Table.Labels, new LabelDefinition(tissue, UnusedName(map.Table, UnlabelledTissueName), LabelRole.Body, null, new LabelColor(205, 150, 125))]);
        return new LabelMap(new Volume<byte>(g, data, map.Volume.Metadata), table);
    }

    /// <summary>
    /// The label map with a spherical target of <paramref name="radiusMm"/> about <paramref name="centre"/>: every voxel
    /// whose centre lies within the radius, inside the body (non-zero) and not in a Critical structure, becomes
    /// <see cref="TargetSphereName"/> (role Target) — bone, muscle and other tissue are overwritten, critical structures never.
    /// </summary>
    /// <exception cref="InvalidLabelsException">No voxel qualifies, or no value is free for the new label.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The radius is not positive and finite.</exception>
    public static LabelMap WithTargetSphere(LabelMap map, Vec3 centre, double radiusMm)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!(radiusMm > 0 && double.IsFinite(radiusMm))) throw new ArgumentOutOfRangeException(nameof(radiusMm), "The target radius must be a positive number of mm.");
        var g = map.Volume.Geometry;
        var critical = new bool[256];
        foreach (var l in map.Table.Labels) if (l.Role == LabelRole.Critical) critical[l.Value] = true;
        byte value = FreeValue(map);
        var data = (byte[])map.Volume.Data.Clone();
        var c = g.PhysicalToIndex(centre);
        var s = g.Spacing;
        int ri = (int)Math.Ceiling(radiusMm / s.X) + 1, rj = (int)Math.Ceiling(radiusMm / s.Y) + 1, rk = (int)Math.Ceiling(radiusMm / s.Z) + 1;
        long painted = 0;
        for (int k = Math.Max(0, (int)c.Z - rk); k <= Math.Min(g.Nz - 1, (int)c.Z + rk); k++)
            for (int j = Math.Max(0, (int)c.Y - rj); j <= Math.Min(g.Ny - 1, (int)c.Y + rj); j++)
                for (int i = Math.Max(0, (int)c.X - ri); i <= Math.Min(g.Nx - 1, (int)c.X + ri); i++)
                {
                    long n = g.LinearIndex(i, j, k);
                    if (data[n] == 0 || critical[data[n]] || Vec3.Distance(g.IndexToPhysical(i, j, k), centre) > radiusMm) continue;
                    data[n] = value;
                    painted++;
                }
        if (painted == 0)
            throw new InvalidLabelsException(string.Create(CultureInfo.InvariantCulture,
                $"The target sphere of {radiusMm} mm about ({centre.X:0.#}, {centre.Y:0.#}, {centre.Z:0.#}) covers no voxel inside the body outside critical structures; check --target (LPS mm) and --target-radius."));
        var table = new LabelTable([.. map.Table.Labels, new LabelDefinition(value, UnusedName(map.Table, TargetSphereName), LabelRole.Target, null, new LabelColor(230, 60, 200))]);
        return new LabelMap(new Volume<byte>(g, data, map.Volume.Metadata), table);
    }

    /// <summary>
    /// The image's values at the label grid's voxel centres (linear interpolation; the same patient frame, e.g. a label map
    /// written with its rows in the other order), −1000 HU where the image does not reach.
    /// </summary>
    /// <exception cref="InvalidLabelsException">Less than 90 % of the label grid lies within the image.</exception>
    private static float[] OnLabelGrid(Volume<float> image, VolumeGeometry g, CancellationToken ct)
    {
        var on = Resampler.Resample(image, g, null, InterpolationMode.Linear, float.NaN, ct).Data;
        long outside = 0;
        for (long n = 0; n < on.LongLength; n++)
            if (float.IsNaN(on[n])) { on[n] = -1000; outside++; }
        if (outside > on.LongLength / 10)
            throw new InvalidLabelsException(string.Create(CultureInfo.InvariantCulture,
                $"The body is taken from the planning image, but {100.0 * outside / on.LongLength:0}% of the label map's grid ({Describe(g)}) lies outside the image ({Describe(image.Geometry)}); give the CT the labels were drawn on, or map the labels onto it first (--labels-transform)."));
        return on;
    }

    /// <summary>The largest value neither named by the table nor present in the volume.</summary>
    private static byte FreeValue(LabelMap map)
    {
        var used = new bool[256];
        used[0] = true;
        foreach (byte v in map.Volume.Data) used[v] = true;
        foreach (var l in map.Table.Labels) used[l.Value] = true;
        for (int v = 255; v > 0; v--) if (!used[v]) return (byte)v;
        throw new InvalidLabelsException("Every label value 1–255 is in use; no value is left for the label to add.");
    }

    private static string UnusedName(LabelTable table, string name)
    {
        string candidate = name;
        for (int n = 2; table.TryGet(candidate, out _); n++) candidate = $"{name} {n}";
        return candidate;
    }

    private static string Describe(VolumeGeometry g) => string.Create(CultureInfo.InvariantCulture,
        $"{g.Nx}×{g.Ny}×{g.Nz} at {g.Spacing.X:0.###}×{g.Spacing.Y:0.###}×{g.Spacing.Z:0.###} mm, origin ({g.Origin.X:0.#}, {g.Origin.Y:0.#}, {g.Origin.Z:0.#})");

    /// <summary>Keeps the largest 6-connected component of the non-zero voxels (one pass to size them, one to keep it).</summary>
    private static void KeepLargestComponent(byte[] mask, VolumeGeometry g, CancellationToken ct)
    {
        var reached = new bool[mask.Length];
        var stack = new Stack<long>();
        long bestSeed = -1, bestSize = 0;
        for (long seed = 0; seed < mask.LongLength; seed++)
        {
            if (mask[seed] == 0 || reached[seed]) continue;
            if ((seed & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            reached[seed] = true;
            stack.Push(seed);
            long size = VoxelFlood.Fill(stack, reached, n => mask[n] != 0, g);
            if (size > bestSize) (bestSeed, bestSize) = (seed, size);
        }
        Array.Clear(reached);
        reached[bestSeed] = true;
        stack.Push(bestSeed);
        VoxelFlood.Fill(stack, reached, n => mask[n] != 0, g);
        for (long n = 0; n < mask.LongLength; n++) mask[n] = (byte)(reached[n] ? 1 : 0);
    }

    /// <summary>In every k-slice, sets the zero voxels not 4-connected to the slice's border.</summary>
    private static void FillSliceHoles(byte[] mask, VolumeGeometry g, CancellationToken ct)
    {
        int nx = g.Nx, ny = g.Ny, plane = nx * ny;
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = ct }, k =>
        {
            var outside = new bool[plane];
            var stack = new Stack<int>();
            long at = (long)k * plane;
            void Seed(int q)
            {
                if (mask[at + q] != 0 || outside[q]) return;
                outside[q] = true;
                stack.Push(q);
            }
            for (int i = 0; i < nx; i++) { Seed(i); Seed((ny - 1) * nx + i); }
            for (int j = 0; j < ny; j++) { Seed(j * nx); Seed(j * nx + nx - 1); }
            while (stack.Count > 0)
            {
                int q = stack.Pop(), i = q % nx, j = q / nx;
                if (i > 0) Seed(q - 1);
                if (i < nx - 1) Seed(q + 1);
                if (j > 0) Seed(q - nx);
                if (j < ny - 1) Seed(q + nx);
            }
            for (int q = 0; q < plane; q++) if (!outside[q]) mask[at + q] = 1;
        });
    }
}
