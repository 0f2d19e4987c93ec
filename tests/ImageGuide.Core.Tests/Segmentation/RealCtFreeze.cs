using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Segmentation;

/// <summary>
/// A test generator on real anatomy: the TotalSegmentator example's DICOM CT (real, 0.98 × 0.98 × 2 mm, JPEG 2000) with
/// two cryoprobes of known tip and axis inserted (metal at 3000 HU by partial volume, 4³ sub-samples per voxel) for the
/// pre-freeze CT, and the ice ball of those probes' summed cooling (the planner's model, <see cref="CryoCooling"/>): the
/// 0 °C region inside the body is the true ice ball; where it holds soft tissue (not bone, not air) the intra-procedural
/// CT drops by 85 HU (the phantom's ice shift). Each CT gets its own Gaussian noise of 15 HU on top of the real scan's, so
/// subtracting the pre-freeze CT is not exact. No metal streaks are added (the phantoms test those). The CT is cropped to a
/// 250 mm field of view about the spine, as an intra-procedural CT is taken: with the whole 500 mm field the humeri beside
/// the trunk (cortex up to 1839 HU on this scan, above <see cref="ImageGuide.Segmentation.IceBallSettings.MetalThresholdHu"/>)
/// are taken for six more probes — a limit stated in the README.
/// </summary>
internal sealed class RealCtFreeze
{
    public const double IceShiftHu = -85, MetalHu = 3000, NoiseHu = 15;

    public required Volume<float> PreFreeze { get; init; }
    public required Volume<float> IntraOp { get; init; }
    public required Volume<byte> IceTruth { get; init; }
    public required LabelMap Labels { get; init; }
    public required IReadOnlyList<(Vec3 Tip, Vec3 Axis)> Probes { get; init; }

    private static readonly Lazy<RealCtFreeze> Paraspinal = new(() => Make());

    /// <summary>Two parallel probes 10 mm apart, entered from the back into the left paraspinal muscle at T12.</summary>
    public static RealCtFreeze ParaspinalT12 => Paraspinal.Value;

    private static RealCtFreeze Make()
    {
        var root = TestPaths.RequireShared("ct-mr-totalsegmentator");
        var full = VolumeReader.Read(Path.Combine(root, "example_ct_dicom")).Volume;
        // an intra-procedural CT is taken with a targeted field of view about the spine, 250 mm wide (i, j centred on the
        // canal): the arms lie outside it (see the class summary)
        var fov = ImageGuide.Segmentation.GridBox.Around(full.Geometry, new Vec3(-125, -125 - 100, -1e6), new Vec3(125, 125 - 100, 1e6), 0);
        var ct = fov.Crop(full);
        var g = ct.Geometry;
        // TotalSegmentator's labels of this series run their rows the other way: the same voxels, nearest neighbour
        var shipped = VolumeReader.Read<byte>(Path.Combine(root, "example_seg_dicom.nii.gz"));
        var labels = new LabelMap(Resampler.Resample(shipped, g, null, InterpolationMode.Nearest, (byte)0), PlanningLabels.TotalSegmentator);

        // the probes: centred on the left autochthonous muscle in the middle slices, axis anterior (entry → tip = −y)
        double zMid = g.IndexToPhysical(new Vec3(0, 0, (g.Nz - 1) / 2.0)).Z;
        double sx = 0, sy = 0; int n = 0;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            if (labels.Volume[i, j, k] != 86) continue;
            var p = g.IndexToPhysical(i, j, k);
            if (Math.Abs(p.Z - zMid) > 4) continue;
            sx += p.X; sy += p.Y; n++;
        }
        var model = ProbeCatalogue.BuiltIn.Get("approx-2.4mm");
        var cryo = model.Cryo!;
        var axis = new Vec3(0, -1, 0);
        var centre = new Vec3(sx / n, sy / n, zMid + 0.3);
        var probes = new[] { -5.0, 5.0 }.Select(dx => (Tip: centre + new Vec3(dx, 0, 0) + axis * cryo.CentreOffsetMm, Axis: axis)).ToList();
        double radius = model.DiameterMm / 2, shaftLength = 90;

        var rng = new PhantomRandom(20261204);
        var pre = new float[ct.Data.Length];
        var intra = new float[ct.Data.Length];
        var truth = new byte[ct.Data.Length];
        var centres = probes.Select(p => p.Tip - p.Axis * cryo.CentreOffsetMm).ToArray();
        var axes = probes.Select(p => p.Axis).ToArray();
        var isBone = new bool[256];
        foreach (var d in labels.Table.Labels) if (d.Role == LabelRole.Bone) isBone[d.Value] = true;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            long at = g.LinearIndex(i, j, k);
            var p = g.IndexToPhysical(i, j, k);
            double hu = ct.Data[at];
            double metal = MetalFraction(g, i, j, k, probes, radius, shaftLength);
            double withProbes = hu + metal * (MetalHu - hu);
            bool body = labels.Volume.Data[at] != 0 || hu > -500;
            bool ice = body && cryo.SummedCooling(centres, axes, centres.Length, p.X, p.Y, p.Z) >= CryoCooling.BodyTemperatureC;
            truth[at] = (byte)(ice ? 1 : 0);
            bool shifts = ice && metal == 0 && !isBone[labels.Volume.Data[at]] && hu > -200;
            pre[at] = (float)(withProbes + NoiseHu * rng.NextGaussian());
            intra[at] = (float)(withProbes + (shifts ? IceShiftHu : 0) + NoiseHu * rng.NextGaussian());
        }
        return new RealCtFreeze
        {
            PreFreeze = new Volume<float>(g, pre, ct.Metadata),
            IntraOp = new Volume<float>(g, intra, ct.Metadata),
            IceTruth = new Volume<byte>(g, truth),
            Labels = labels,
            Probes = probes,
        };
    }

    /// <summary>Fraction of the voxel (4³ sub-samples) inside a shaft: the cylinder of the radius from the tip back along the axis.</summary>
    private static double MetalFraction(VolumeGeometry g, int i, int j, int k, IReadOnlyList<(Vec3 Tip, Vec3 Axis)> probes, double radius, double length)
    {
        var c = g.IndexToPhysical(i, j, k);
        double reach = radius + g.Spacing.Length;
        int inside = 0;
        bool near = false;
        foreach (var (tip, axis) in probes)
        {
            var d = c - tip;
            double along = -Vec3.Dot(d, axis), across = Math.Sqrt(Math.Max(0, Vec3.Dot(d, d) - along * along));
            if (across <= reach && along >= -reach && along <= length + reach) near = true;
        }
        if (!near) return 0;
        for (int a = 0; a < 4; a++) for (int b = 0; b < 4; b++) for (int e = 0; e < 4; e++)
        {
            var p = g.IndexToPhysical(new Vec3(i + (a + 0.5) / 4 - 0.5, j + (b + 0.5) / 4 - 0.5, k + (e + 0.5) / 4 - 0.5));
            foreach (var (tip, axis) in probes)
            {
                var d = p - tip;
                double along = -Vec3.Dot(d, axis), across2 = Vec3.Dot(d, d) - along * along;
                if (along >= 0 && along <= length && across2 <= radius * radius) { inside++; break; }
            }
        }
        return inside / 64.0;
    }
}
