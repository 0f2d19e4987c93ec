using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>How one probe's side of the ice ball compares with the plan.</summary>
/// <param name="ProbeIndex">Index of the probe in <see cref="IceBallAnalysis.Probes"/>.</param>
/// <param name="ShortfallMl">Volume planned to freeze but not frozen, on this probe's side (nearest this probe), mL.</param>
/// <param name="MaxShortfallMm">Largest distance from the segmented ice edge to planned-but-unfrozen tissue on this side, mm (0 when none).</param>
public sealed record ProbeShortfall(int ProbeIndex, double ShortfallMl, double MaxShortfallMm);

/// <summary>
/// Segmented ice ball versus the plan's modelled 0 °C isotherm (the plan's probes and temperature field, mapped into the
/// intra-procedural frame), evaluated within <see cref="IceBallSettings.SearchRadiusMm"/> of the segmented ice and the tumour.
/// </summary>
/// <param name="Dice">Dice overlap of the segmented ice ball and the planned 0 °C volume.</param>
/// <param name="PlannedVolumeMl">Planned 0 °C volume, mL.</param>
/// <param name="UnderCoveredTumourFraction">Fraction of the tumour inside the planned lethal isotherm but outside the actual lethal zone (null without a tumour label).</param>
/// <param name="Probes">Shortfall per probe, in probe order.</param>
/// <param name="ShortProbeIndex">The probe whose side falls shortest of the plan (largest shortfall volume), or null when nothing planned is missing.</param>
public sealed record PlanComparison(double Dice, double PlannedVolumeMl, double? UnderCoveredTumourFraction, IReadOnlyList<ProbeShortfall> Probes, int? ShortProbeIndex)
{
    /// <summary>Shortfall below this volume (mL) is treated as none when naming the short side.</summary>
    public const double NegligibleMl = 0.05;

    internal static PlanComparison Compute(Volume<byte> ice, Volume<byte> lethal, Volume<byte>? tumour, ITemperatureField field,
        ISpatialTransform toPlan, IReadOnlyList<ProbeAxis> probes, IceBallSettings s, CancellationToken ct)
    {
        var g = ice.Geometry;
        var box = GridBox.OfNonZero(ice, 0);
        if (tumour is not null)
        {
            var t = GridBox.OfNonZero(tumour, 0);
            if (!t.IsEmpty)
                box = box.IsEmpty ? t : new GridBox(Math.Min(box.I0, t.I0), Math.Min(box.J0, t.J0), Math.Min(box.K0, t.K0),
                    Math.Max(box.I1, t.I1), Math.Max(box.J1, t.J1), Math.Max(box.K1, t.K1));
        }
        if (box.IsEmpty) return new PlanComparison(0, 0, null, [], null);
        box = box.Grow(g, s.SearchRadiusMm);
        var bg = box.Geometry(g);
        var iceBox = box.Crop(ice);
        var lethalBox = box.Crop(lethal);
        var tumourBox = tumour is null ? null : box.Crop(tumour);
        var planned = new byte[bg.VoxelCount];
        var plannedLethal = new byte[bg.VoxelCount];
        double lethalC = s.Goals.LethalIsothermC;
        Parallel.For(0, bg.Nz, new ParallelOptions { CancellationToken = ct }, k =>
        {
            for (int j = 0; j < bg.Ny; j++)
            {
                long n = bg.LinearIndex(0, j, k);
                for (int i = 0; i < bg.Nx; i++, n++)
                {
                    double temp = field.TemperatureAt(toPlan.TransformPoint(bg.IndexToPhysical(i, j, k)));
                    planned[n] = (byte)(temp <= 0 ? 1 : 0);
                    plannedLethal[n] = (byte)(temp <= lethalC ? 1 : 0);
                }
            }
        });
        var plannedVol = new Volume<byte>(bg, planned);
        double dice = IceBallMeasures.Dice(iceBox, plannedVol);
        double voxelMl = g.Spacing.X * g.Spacing.Y * g.Spacing.Z / 1000;

        double? under = null;
        if (tumourBox is not null)
        {
            long total = 0, lost = 0;
            for (long n = 0; n < planned.LongLength; n++)
            {
                if (tumourBox.Data[n] == 0) continue;
                total++;
                if (plannedLethal[n] != 0 && lethalBox.Data[n] == 0) lost++;
            }
            under = total == 0 ? null : (double)lost / total;
        }

        var dist = DistanceTransform.Unsigned(iceBox, ct);
        var vol = new double[probes.Count];
        var far = new double[probes.Count];
        for (int k = 0; k < bg.Nz; k++)
            for (int j = 0; j < bg.Ny; j++)
            {
                long n = bg.LinearIndex(0, j, k);
                for (int i = 0; i < bg.Nx; i++, n++)
                {
                    if (planned[n] == 0 || iceBox.Data[n] != 0 || probes.Count == 0) continue;
                    var p = bg.IndexToPhysical(i, j, k);
                    int nearest = 0;
                    double best = double.MaxValue;
                    for (int q = 0; q < probes.Count; q++)
                    {
                        double d = probes[q].DistanceToSegment(p, s.FreezingSegmentMm);
                        if (d < best) { best = d; nearest = q; }
                    }
                    vol[nearest] += voxelMl;
                    if (float.IsFinite(dist.Data[n])) far[nearest] = Math.Max(far[nearest], dist.Data[n]);
                }
            }
        var shortfalls = new ProbeShortfall[probes.Count];
        int? shortest = null;
        for (int q = 0; q < probes.Count; q++)
        {
            shortfalls[q] = new ProbeShortfall(q, vol[q], far[q]);
            if (vol[q] >= NegligibleMl && (shortest is null || vol[q] > vol[shortest.Value])) shortest = q;
        }
        return new PlanComparison(dice, IceBallMeasures.Count(planned) * voxelMl, under, shortfalls, shortest);
    }
}
