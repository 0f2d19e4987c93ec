using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Places the phantom's probes: tips spread inside the tumour (≥ 2.5 mm inside its surface), entries on the
/// posterior skin on the tumour's side, chosen in a fixed candidate order as the first straight path that keeps
/// the shaft clear of every critical structure by its clearance (CLINICAL.md), of the other probes by 4 mm, and —
/// when possible — out of healthy bone. Deterministic: no randomness beyond the anatomy.
/// </summary>
internal static class ProbePathPlanner
{
    private static readonly double[] EntryLateralMm = [55, 45, 65, 35, 75, 85, 95, 105, 25];
    private static readonly double[] EntryCranioCaudalMm = [0, 6, -6, 12, -12, 18, -18, 24, -24];

    public static CryoProcedure Plan(SpineAnatomy anatomy, PhantomOptions options)
    {
        var tumour = (ShapeUnion)anatomy.Tumour.Shape;
        var lytic = (Ellipsoid)tumour.Parts[0];
        var ext = (Ellipsoid)tumour.Parts[1];
        var critical = new List<(PaintedShape Shape, double Clearance)>();
        foreach (var s in anatomy.Shapes)
            if (anatomy.LabelTable.Find(s.Label) is { Role: StructureRole.Critical } l) critical.Add((s, l.ClearanceMm ?? 0));

        double probeR = options.ProbeDiameterMm / 2;
        var probes = new List<CryoProbe>();
        foreach (var straightTarget in Targets(lytic, ext, options.ProbeCount, anatomy.TumourSide, anatomy.BodySemiAxes))
        {
            var tip = anatomy.Curve.ToCurved(straightTarget);
            var entry = FindEntry(anatomy, critical, probes, tip, probeR, avoidBone: true, relaxed: false)
                ?? FindEntry(anatomy, critical, probes, tip, probeR, avoidBone: false, relaxed: false)
                ?? FindEntry(anatomy, critical, probes, tip, probeR, avoidBone: false, relaxed: true)
                ?? throw new ImageGuideException(
                    $"No feasible posterior path to probe target {tip} for phantom seed {anatomy.Seed}; choose another seed or fewer probes.");
            probes.Add(new CryoProbe(entry, tip, options.ProbeDiameterMm));
        }
        return new CryoProcedure(probes, options.Isotherm);
    }

    /// <summary>
    /// Probe targets (straight coordinates) ≈ 12 mm apart around the tumour's volume-weighted centre, spread across
    /// the posterior approach direction (so no shaft runs through another probe's target), then pulled ≥ 2.5 mm inside.
    /// </summary>
    private static List<Vec3> Targets(Ellipsoid lytic, Ellipsoid ext, int count, int side, (double X, double Y) body)
    {
        double vl = lytic.Radii.X * lytic.Radii.Y * lytic.Radii.Z, ve = ext.Radii.X * ext.Radii.Y * ext.Radii.Z;
        var c = (lytic.Center * vl + ext.Center * ve) / (vl + ve);
        double ex = side * EntryLateralMm[0];
        var approach = (new Vec3(ex, body.Y * Math.Sqrt(1 - ex * ex / (body.X * body.X)), c.Z) - c).Normalized();
        var across = Vec3.Cross(approach, new Vec3(0, 0, 1)).Normalized();
        var up = new Vec3(0, 0, 1);
        Vec3[] pattern = count switch
        {
            1 => [Vec3.Zero],
            2 => [across * -6, across * 6],
            3 => [across * -6 + up * -4, across * 6 + up * -4, up * 6],
            _ => [across * -6 + up * -5, across * 6 + up * -5, across * -6 + up * 5, across * 6 + up * 5],
        };
        var shape = new ShapeUnion([lytic, ext]);
        var targets = new List<Vec3>();
        foreach (var o in pattern)
        {
            var t = c + o;
            for (int n = 0; n < 60 && shape.SignedDistance(t) > -2.5; n++)
            {
                var toward = lytic.SignedDistance(t) < ext.SignedDistance(t) ? lytic.Center : ext.Center;
                t += (toward - t) * 0.1;
            }
            targets.Add(t);
        }
        return targets;
    }

    private static Vec3? FindEntry(SpineAnatomy anatomy, List<(PaintedShape Shape, double Clearance)> critical,
        List<CryoProbe> placed, Vec3 tip, double probeR, bool avoidBone, bool relaxed)
    {
        var (a, b) = anatomy.BodySemiAxes;
        int side = anatomy.TumourSide;
        foreach (double dz in EntryCranioCaudalMm)
            foreach (double lateral in EntryLateralMm)
            {
                double x = side * lateral;
                var entry = new Vec3(x, b * Math.Sqrt(1 - x * x / (a * a)), tip.Z + dz);
                if (PathIsClear(anatomy, critical, placed, entry, tip, probeR, avoidBone, relaxed)) return entry;
            }
        return null;
    }

    private static bool PathIsClear(SpineAnatomy anatomy, List<(PaintedShape Shape, double Clearance)> critical,
        List<CryoProbe> placed, Vec3 entry, Vec3 tip, double probeR, bool avoidBone, bool relaxed)
    {
        double length = Vec3.Distance(entry, tip);
        int steps = (int)Math.Ceiling(length / 0.75);
        for (int s = 0; s <= steps; s++)
        {
            var p = entry + (tip - entry) * ((double)s / steps);
            foreach (var (shape, clearance) in critical)
                if (anatomy.SignedDistance(shape, p) < probeR + (relaxed ? 1 : clearance)) return false;
            if (avoidBone && SpineLabels.IsBone(anatomy.LabelAt(p))) return false;
            foreach (var other in placed)
                if (new Capsule(other.Entry, other.Tip, probeR).SignedDistance(p) < probeR + 4) return false;
        }
        return true;
    }
}
