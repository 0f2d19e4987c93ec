using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// Places the phantom's probes: tips spread inside the tumour (≥ 2.5 mm inside its surface), entries on the
/// posterior skin on the tumour's side, chosen in a fixed candidate order as the first straight path that keeps
/// the shaft clear of every critical structure by its clearance (docs/CLINICAL.md) and of the other probes by 4 mm, and
/// out of healthy bone when possible. When no path reaches an ideal target, nearby interior points are tried, then
/// clearances of 1 mm (structures) and 2 mm (probes), then other target layouts. Deterministic: no randomness
/// beyond the anatomy; every seed 1–60 with 1–4 probes was checked to plan when this was written.
/// </summary>
internal static class ProbePathPlanner
{
    private static readonly double[] EntryLateralMm = [55, 45, 65, 35, 75, 85, 95, 105, 25];
    private const int MaxAlternativeTargets = 16;

    /// <summary>Target layouts tried in turn: spacing scale and rotation of the pattern about the approach direction.</summary>
    private static readonly (double Scale, double Turn)[] Layouts =
        [(1, 0), (1, Math.PI / 4), (0.75, 0), (0.75, Math.PI / 4), (1.25, Math.PI / 8), (0.6, Math.PI / 8)];
    private static readonly double[] EntryCranioCaudalMm = [0, 6, -6, 12, -12, 18, -18, 24, -24];

    public static CryoProcedure Plan(SpineAnatomy anatomy, PhantomOptions options)
    {
        var tumour = (ShapeUnion)anatomy.Tumour.Shape;
        var lytic = (Ellipsoid)tumour.Parts[0];
        var ext = (Ellipsoid)tumour.Parts[1];
        var critical = new List<(PaintedShape Shape, double Clearance)>();
        foreach (var s in anatomy.Shapes)
            if (anatomy.LabelTable.TryGet(s.Label, out var l) && l.Role == LabelRole.Critical) critical.Add((s, l.ClearanceMm ?? 0));

        var interior = InteriorPoints(tumour);
        // a treatable tumour is small (≈ 1 cm): when its interior has no room for the probes 6 mm apart, fewer are placed
        int fewest = options.Tumour == TumourScenario.Treatable ? 1 : options.ProbeCount;
        for (int count = options.ProbeCount; count >= fewest; count--)
            foreach (var (scale, turn) in Layouts)
                if (TryPlace(anatomy, critical, interior, Targets(lytic, ext, count, anatomy.TumourSide, anatomy.BodySemiAxes, scale, turn),
                        options.ProbeDiameterMm) is { } probes)
                    return new CryoProcedure(probes, options.Isotherm);
        throw new ImageGuideException(
            $"No feasible posterior paths for {options.ProbeCount} probes in the tumour of phantom seed {anatomy.Seed}; choose another seed or fewer probes.");
    }

    /// <summary>Places one probe per ideal target (or a nearby interior point), or returns null when one cannot be placed.</summary>
    private static List<CryoProbe>? TryPlace(SpineAnatomy anatomy, List<(PaintedShape Shape, double Clearance)> critical, List<Vec3> interior,
        List<Vec3> ideals, double diameter)
    {
        double probeR = diameter / 2;
        var probes = new List<CryoProbe>();
        foreach (var ideal in ideals)
        {
            var candidates = TargetCandidates(ideal, interior, probes, anatomy.Curve);
            CryoProbe? probe = null;
            for (int pass = 0; pass < 3 && probe is null; pass++)
                foreach (var tip in candidates)
                    if (FindEntry(anatomy, critical, probes, tip, probeR, avoidBone: pass == 0, relaxed: pass == 2) is Vec3 entry)
                    {
                        probe = new CryoProbe(entry, tip, diameter);
                        break;
                    }
            if (probe is null) return null;
            probes.Add(probe);
        }
        return probes;
    }

    /// <summary>
    /// Probe targets (straight coordinates) ≈ 12 mm apart around the tumour's volume-weighted centre, spread across
    /// the posterior approach direction (so no shaft runs through another probe's target), then pulled ≥ 2.5 mm inside.
    /// </summary>
    private static List<Vec3> Targets(Ellipsoid lytic, Ellipsoid ext, int count, int side, (double X, double Y) body, double scale, double turnRad)
    {
        double vl = lytic.Radii.X * lytic.Radii.Y * lytic.Radii.Z, ve = ext.Radii.X * ext.Radii.Y * ext.Radii.Z;
        var c = (lytic.Center * vl + ext.Center * ve) / (vl + ve);
        double ex = side * EntryLateralMm[0];
        var approach = (new Vec3(ex, body.Y * Math.Sqrt(1 - ex * ex / (body.X * body.X)), c.Z) - c).Normalized();
        var across0 = Vec3.Cross(approach, new Vec3(0, 0, 1)).Normalized();
        var up0 = new Vec3(0, 0, 1);
        var across = (across0 * Math.Cos(turnRad) + up0 * Math.Sin(turnRad)) * scale;
        var up = (up0 * Math.Cos(turnRad) - across0 * Math.Sin(turnRad)) * scale;
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

    /// <summary>Points of a 2 mm grid (straight coordinates) lying ≥ 2.5 mm inside the tumour.</summary>
    private static List<Vec3> InteriorPoints(ShapeUnion tumour)
    {
        var (min, max) = tumour.Bounds;
        var points = new List<Vec3>();
        for (double z = min.Z; z <= max.Z; z += 2)
            for (double y = min.Y; y <= max.Y; y += 2)
                for (double x = min.X; x <= max.X; x += 2)
                    if (tumour.SignedDistance(new Vec3(x, y, z)) <= -2.5) points.Add(new Vec3(x, y, z));
        return points;
    }

    /// <summary>
    /// Tips to try for one probe, in anatomy coordinates: the ideal target first, then the interior points nearest to
    /// it (at most <see cref="MaxAlternativeTargets"/>, ≥ 3 mm apart) that keep ≥ 6 mm from the tips already placed.
    /// </summary>
    private static List<Vec3> TargetCandidates(Vec3 ideal, List<Vec3> interior, List<CryoProbe> placed, SpineCurve curve)
    {
        var sorted = new List<Vec3>(interior);
        sorted.Sort((a, b) => Vec3.Distance(a, ideal).CompareTo(Vec3.Distance(b, ideal)));
        var result = new List<Vec3>();
        foreach (var straight in sorted.Prepend(ideal))
        {
            if (result.Count > MaxAlternativeTargets) break;
            var p = curve.ToCurved(straight);
            if (placed.Exists(q => Vec3.Distance(q.Tip, p) < 6) || result.Exists(q => Vec3.Distance(q, p) < 3)) continue;
            result.Add(p);
        }
        return result;
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
        // Only structures whose (curvature-grown) bounding box comes within reach of the path can violate a clearance.
        var lo = new Vec3(Math.Min(entry.X, tip.X), Math.Min(entry.Y, tip.Y), Math.Min(entry.Z, tip.Z));
        var hi = new Vec3(Math.Max(entry.X, tip.X), Math.Max(entry.Y, tip.Y), Math.Max(entry.Z, tip.Z));
        var grow = new Vec3(Math.Abs(anatomy.Curve.AmplitudeX), Math.Abs(anatomy.Curve.AmplitudeY), 0);
        var near = new List<(PaintedShape Shape, double Clearance)>();
        foreach (var c in critical)
        {
            var (min, max) = c.Shape.Shape.Bounds;
            var reach = new Vec3(1, 1, 1) * (probeR + c.Clearance + 1) + grow;
            if (min.X - reach.X <= hi.X && max.X + reach.X >= lo.X && min.Y - reach.Y <= hi.Y && max.Y + reach.Y >= lo.Y
                && min.Z - reach.Z <= hi.Z && max.Z + reach.Z >= lo.Z) near.Add(c);
        }
        double length = Vec3.Distance(entry, tip);
        int steps = (int)Math.Ceiling(length / 0.75);
        for (int s = 0; s <= steps; s++)
        {
            var p = entry + (tip - entry) * ((double)s / steps);
            foreach (var (shape, clearance) in near)
                if (anatomy.SignedDistance(shape, p) < probeR + (relaxed ? 1 : clearance)) return false;
            if (avoidBone && SpineLabels.IsBone(anatomy.LabelAt(p))) return false;
            foreach (var other in placed)
                if (new Capsule(other.Entry, other.Tip, probeR).SignedDistance(p) < probeR + (relaxed ? 2 : 4)) return false;
        }
        return true;
    }
}
