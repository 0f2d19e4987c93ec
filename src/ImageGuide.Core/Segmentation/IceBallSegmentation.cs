using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>The segmentation's own result before analysis.</summary>
/// <param name="IceBall">1 inside the 0 °C edge, on the intra-procedural grid.</param>
/// <param name="Model">The fitted isotherm model, or null when no ice was seen.</param>
/// <param name="ExtrapolatedFraction">Fraction of the ice-ball volume lying in bone, taken from the model (0–1).</param>
internal sealed record SegmentationOutcome(Volume<byte> IceBall, FittedIsotherm? Model, double ExtrapolatedFraction);

/// <summary>
/// Ice-ball segmentation seeded from the probes and regularised by the fitted isotherm model. In a box around the probes'
/// freezing segments: (1) per-voxel ice evidence (<see cref="IceEvidence"/>); (2) a fit of the isotherm model to the
/// unfiltered evidence (<see cref="IsothermFitter"/>) — without a pre-freeze CT, evidence and fit are then redone with the
/// unfrozen level of the tissue just outside the first fit; (3) each voxel is ice when the filtered evidence (±4) plus a shape
/// prior from its signed distance to the model (±3) is positive — clear evidence always wins, ambiguous voxels (partial volume, noise) follow
/// the model — while bone and metal voxels, where ice is invisible, follow the model alone, and nothing farther than
/// <see cref="IceBallSettings.ShapeToleranceMm"/> outside the model is ice (leak guard); (4) only the part connected to the
/// model's core is kept and enclosed holes are filled (morphological reconstruction from the core, hole filling).
/// </summary>
internal static class IceBallSegmentation
{
    public static SegmentationOutcome Run(Volume<float> intra, Volume<float>? pre, IReadOnlyList<ProbeAxis> probes, IceBallSettings s,
        IProgress<double>? progress, CancellationToken ct)
    {
        var g = intra.Geometry;
        var full = new Volume<byte>(g);
        var box = SearchBox(g, probes, s);
        if (box.IsEmpty || probes.Count == 0) return new SegmentationOutcome(full, null, 0);
        var bg = box.Geometry(g);
        var intraBox = box.Crop(intra);
        var preBox = pre is null ? null : box.Crop(pre);
        var (logit, rawLogit, kind, rawKind, filtered) = IceEvidence.Compute(intraBox, preBox, s, ct);
        progress?.Report(0.3);
        var model = IsothermFitter.Fit(bg, rawLogit, rawKind, probes, s, ct);
        progress?.Report(0.5);
        if (model is null) return new SegmentationOutcome(full, null, 0);
        // without subtraction the bands hang on the unfrozen level: re-place them at the level of the tissue around the
        // first fit's edge and fit again
        if (filtered is not null && IceEvidence.SoftTissueLevelAround(intraBox, kind, model, probes, s, ct) is { } level)
        {
            (logit, rawLogit) = IceEvidence.Bands(filtered, intraBox, s, level);
            model = IsothermFitter.Fit(bg, rawLogit, rawKind, probes, s, ct) ?? model;
        }
        progress?.Report(0.7);

        long count = bg.VoxelCount;
        var mask = new byte[count];
        var core = new byte[count];
        double coreDepth = -0.5 * Math.Min(model.Zone.RadialMm, model.Zone.AxialMm);
        Parallel.For(0, bg.Nz, new ParallelOptions { CancellationToken = ct }, k =>
        {
            for (int j = 0; j < bg.Ny; j++)
            {
                long n = bg.LinearIndex(0, j, k);
                for (int i = 0; i < bg.Nx; i++, n++)
                {
                    double sd = model.SignedDistance(bg.IndexToPhysical(i, j, k), probes);
                    var kd = (VoxelKind)kind[n];
                    bool ice = kd switch
                    {
                        VoxelKind.Observable => logit[n] + Math.Clamp(-sd / s.PriorScaleMm, -3, 3) > 0,
                        VoxelKind.Air => false,
                        _ => sd <= 0,
                    };
                    mask[n] = (byte)(ice && sd <= s.ShapeToleranceMm ? 1 : 0);
                    core[n] = (byte)(mask[n] != 0 && sd <= coreDepth ? 1 : 0);
                }
            }
        });
        KeepConnected(mask, core, bg);
        FillHoles(mask, bg);
        long ice = 0, bone = 0;
        for (long n = 0; n < count; n++)
        {
            if (mask[n] == 0) continue;
            ice++;
            if (kind[n] == (byte)VoxelKind.Bone) bone++;
        }
        box.Paste(new Volume<byte>(bg, mask), full);
        progress?.Report(0.8);
        return new SegmentationOutcome(full, model, ice == 0 ? 0 : (double)bone / ice);
    }

    /// <summary>Voxels within the search radius of any probe's freezing segment (the segment's box grown by the radius).</summary>
    private static GridBox SearchBox(VolumeGeometry g, IReadOnlyList<ProbeAxis> probes, IceBallSettings s)
    {
        if (probes.Count == 0) return default;
        var min = new Vec3(double.MaxValue, double.MaxValue, double.MaxValue);
        var max = new Vec3(double.MinValue, double.MinValue, double.MinValue);
        foreach (var p in probes)
            foreach (var x in new[] { p.Tip, p.Tip - p.Axis * s.FreezingSegmentMm })
            {
                min = new Vec3(Math.Min(min.X, x.X), Math.Min(min.Y, x.Y), Math.Min(min.Z, x.Z));
                max = new Vec3(Math.Max(max.X, x.X), Math.Max(max.Y, x.Y), Math.Max(max.Z, x.Z));
            }
        return GridBox.Around(g, min, max, s.SearchRadiusMm);
    }

    /// <summary>Keeps the voxels of <paramref name="mask"/> 6-connected to a <paramref name="seeds"/> voxel.</summary>
    internal static void KeepConnected(byte[] mask, byte[] seeds, VolumeGeometry g)
    {
        var reached = new bool[mask.LongLength];
        var stack = new Stack<long>();
        for (long n = 0; n < mask.LongLength; n++)
            if (seeds[n] != 0 && mask[n] != 0 && !reached[n]) { reached[n] = true; stack.Push(n); }
        VoxelFlood.Fill(stack, reached, n => mask[n] != 0, g);
        for (long n = 0; n < mask.LongLength; n++) if (!reached[n]) mask[n] = 0;
    }

    /// <summary>Sets background voxels that are not 6-connected to the border of the mask's bounding box (grown by one voxel) to 1.</summary>
    internal static void FillHoles(byte[] mask, VolumeGeometry g)
    {
        var box = GridBox.OfNonZero(new Volume<byte>(g, mask), 1);
        if (box.IsEmpty) return;
        var bg = box.Geometry(g);
        var sub = box.Crop(new Volume<byte>(g, mask));
        var m = sub.Data;
        var reached = new bool[m.LongLength];
        var stack = new Stack<long>();
        for (int k = 0; k < bg.Nz; k++)
            for (int j = 0; j < bg.Ny; j++)
                for (int i = 0; i < bg.Nx; i++)
                {
                    if (!(i == 0 || j == 0 || k == 0 || i == bg.Nx - 1 || j == bg.Ny - 1 || k == bg.Nz - 1)) continue;
                    long n = bg.LinearIndex(i, j, k);
                    if (m[n] == 0 && !reached[n]) { reached[n] = true; stack.Push(n); }
                }
        VoxelFlood.Fill(stack, reached, n => m[n] == 0, bg);
        for (long n = 0; n < m.LongLength; n++) if (m[n] == 0 && !reached[n]) m[n] = 1;
        box.Paste(sub, new Volume<byte>(g, mask));
    }
}
