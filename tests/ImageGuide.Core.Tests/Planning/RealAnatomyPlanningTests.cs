using System.Text.Json;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// RF/MW zone planning, thermal protection and cement access on real anatomy (issue 18): the TotalSegmentator example CT
/// (../shared/data/ct-mr-totalsegmentator, 3 mm) with its shipped TotalSegmentator labels read through the built-in table,
/// the body told from the air by the CT, and a spherical metastasis of known centre and radius placed in a real vertebral
/// body (the generator's truth). Every number the planner reports is recomputed here independently of its code: coverage
/// from the zone ellipsoids written to plan.json, clearances by brute force over the structures' voxels, the zone edge's
/// distances from the voxels inside those ellipsoids, expected temperatures from the bioheat formula by hand, thermocouples
/// against the labels, and cement paths against TotalSegmentator's own vertebra label (which the planner never reads as
/// such: it sees only "bone").
/// </summary>
[NonParallelizable]
public class RealAnatomyPlanningTests
{
    private const byte L1 = 31, L2 = 30, Cord = 79;
    private const double Margin = 5;
    private static readonly Lazy<(LabelMap Map, Volume<byte> Shipped)> Base = new(Load);

    private static (LabelMap, Volume<byte>) Load()
    {
        var root = TestPaths.RequireShared("ct-mr-totalsegmentator");
        var shipped = VolumeReader.Read<byte>(Path.Combine(root, "example_seg_fast_force_split.nii.gz"));
        var ct = VolumeReader.Read(Path.Combine(root, "example_ct.nii.gz")).Volume;
        return (PlanningLabels.WithBodyFrom(new LabelMap(shipped, PlanningLabels.TotalSegmentator), ct), shipped);
    }

    private static (LabelMap Map, Volume<byte> Shipped) RealCase() => Base.Value;

    /// <summary>
    /// Vertebral body of a level, from the shipped labels alone: the level's voxels anterior (−y) to the cord's front in the
    /// slab of ±4 mm about the level's centroid height. Returns its centre and antero-posterior extent there.
    /// </summary>
    private static (Vec3 Centre, double Front, double Back, double CanalX) Body(Volume<byte> shipped, byte level)
    {
        var g = shipped.Geometry;
        double z = 0; int n = 0;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
            if (shipped[i, j, k] == level) { z += g.IndexToPhysical(i, j, k).Z; n++; }
        z /= n;
        double cordFront = double.PositiveInfinity, cx = 0; int nc = 0;
        var body = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            var p = g.IndexToPhysical(i, j, k);
            if (Math.Abs(p.Z - z) > 4) continue;
            if (shipped[i, j, k] == Cord) { cordFront = Math.Min(cordFront, p.Y); cx += p.X; nc++; }
        }
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            var p = g.IndexToPhysical(i, j, k);
            if (Math.Abs(p.Z - z) <= 4 && shipped[i, j, k] == level && p.Y < cordFront) body.Add(p);
        }
        var c = new Vec3(body.Average(p => p.X), body.Average(p => p.Y), body.Average(p => p.Z));
        return (c, body.Min(p => p.Y), body.Max(p => p.Y), cx / nc);
    }

    private static List<Vec3> VoxelsOf(Volume<byte> labels, byte value)
    {
        var g = labels.Geometry;
        var list = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
            if (labels[i, j, k] == value) list.Add(g.IndexToPhysical(i, j, k));
        return list;
    }

    private static double SegmentDistance(Vec3 a, Vec3 b, Vec3 p)
    {
        var ab = b - a;
        double t = Math.Clamp(Vec3.Dot(p - a, ab) / Vec3.Dot(ab, ab), 0, 1);
        return Vec3.Distance(p, a + ab * t);
    }

    private sealed record Zone(Vec3 Centre, Vec3 Axis, double Radial, double Axial, double EdgeC)
    {
        public bool Contains(Vec3 p)
        {
            var d = p - Centre;
            double along = Vec3.Dot(d, Axis), across2 = Vec3.Dot(d, d) - along * along;
            return across2 / (Radial * Radial) + along * along / (Axial * Axial) <= 1;
        }

        /// <summary>Distance from the centre to the zone's surface towards <paramref name="p"/> (the ellipsoid's radius in that direction).</summary>
        public double RadiusTowards(Vec3 p)
        {
            var v = p - Centre;
            double d = v.Length, along = Math.Abs(Vec3.Dot(v, Axis)), across = Math.Sqrt(Math.Max(0, d * d - along * along));
            return 1 / Math.Sqrt(Math.Pow(across / d / Radial, 2) + Math.Pow(along / d / Axial, 2));
        }

        /// <summary>
        /// The heat model by hand: inside the zone a linear rise from the edge to the peak at the centre; outside it pure
        /// conduction, 37 + Θ₀·d₀/d, with d₀ the zone's radius towards the point and Θ₀ = edge − 37.
        /// </summary>
        public double Temperature(Vec3 p, double peakC)
        {
            double d = Vec3.Distance(p, Centre), d0 = RadiusTowards(p);
            return d <= d0 ? EdgeC + (peakC - EdgeC) * (1 - d / d0) : 37 + (EdgeC - 37) * d0 / d;
        }
    }

    private static List<Zone> Zones(JsonElement plan)
    {
        var zones = new List<Zone>();
        foreach (var a in plan.GetProperty("applicators").EnumerateArray())
        {
            Vec3 V(string n) { var e = a.GetProperty(n); return new Vec3(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble()); }
            var z = a.GetProperty("zone");
            var axes = z.GetProperty("semiAxesMm");
            Vec3 tip = V("tip"), u = (tip - V("entry")).Normalized();
            zones.Add(new Zone(tip - u * z.GetProperty("centreFromTipMm").GetDouble(), u, axes[0].GetDouble(), axes[2].GetDouble(), z.GetProperty("edgeTemperatureC").GetDouble()));
        }
        return zones;
    }

    private static (CryoPlan Plan, JsonDocument Json, LabelMap Map, PlanningAnatomy Anatomy) PlanHeat(Vec3 lesion, double radius, string applicator)
    {
        var (map0, _) = RealCase();
        var map = PlanningLabels.WithTargetSphere(map0, lesion, radius);
        var c = PlanningConstraints.Default with { ProbeModel = applicator };
        var anatomy = PlanningAnatomy.Create(map, c, [lesion]);
        var paths = new TrajectoryPlanner(anatomy, c);
        var plan = new CryoPlanner(paths).PlanWithDissection();
        var json = JsonDocument.Parse(PlanJson.Serialize(paths.Plan(lesion), plan));
        return (plan, json, map, anatomy);
    }

    /// <summary>Recounts coverage, the zone edge's distances, heat sinks, needle clearances and thermal protection of a heat plan.</summary>
    private static void CheckHeatPlanIndependently(CryoPlan plan, JsonDocument json, LabelMap map, PlanningAnatomy anatomy, Vec3 lesion, double radius)
    {
        double peak = ProbeCatalogue.BuiltIn.Get(plan.Model.Name).PeakTemperatureC;
        var root = json.RootElement;
        var zones = Zones(root);
        Assert.That(zones, Has.Count.EqualTo(plan.Probes.Count).And.Count.GreaterThan(0));
        var g = map.Volume.Geometry;
        byte sphere = map.Table[PlanningLabels.TargetSphereName].Value;
        var tumour = VoxelsOf(map.Volume, sphere);
        // the generator's truth: every painted voxel lies within the radius, and the sphere's voxels outside critical structures are all painted
        Assert.That(tumour.TrueForAll(p => Vec3.Distance(p, lesion) <= radius + 1e-9), Is.True);

        // coverage of tumour + margin, recounted from the zones
        int goal = 0, hit = 0;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            var p = g.IndexToPhysical(i, j, k);
            if (Vec3.Distance(p, lesion) > radius + Margin + 3) continue;
            if (map.Volume[i, j, k] == 0 || tumour.TrueForAll(t => Vec3.Distance(p, t) > Margin)) continue;
            goal++;
            if (zones.Exists(z => z.Contains(p))) hit++;
        }
        double coverage = hit / (double)goal;
        TestContext.Out.WriteLine($"coverage: plan {plan.LethalCoverage:P2}, recounted {coverage:P2} of {goal} voxels; min margin {plan.MinMarginMm:F1} mm; {plan.Probes.Count} applicator(s)");
        Assert.That(plan.LethalCoverage, Is.EqualTo(coverage).Within(0.01), "the planner's coverage against the recount from plan.json's zones");

        // the zone edge's distance to each nearby critical structure: zone voxels × structure voxels, less the voxel allowance
        var inZone = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            var p = g.IndexToPhysical(i, j, k);
            if (zones.Exists(z => z.Contains(p))) inZone.Add(p);
        }
        var sinks = root.GetProperty("heatSinks").EnumerateArray().ToDictionary(e => e.GetProperty("structure").GetString()!, e => e.GetProperty("distanceMm").GetDouble());
        foreach (var (name, reported) in plan.IceToCriticalMm)
        {
            if (reported > 15) continue;
            var voxels = VoxelsOf(map.Volume, map.Table[name].Value);
            double nearest = double.PositiveInfinity;
            foreach (var z in inZone) foreach (var v in voxels) nearest = Math.Min(nearest, Vec3.Distance(z, v));
            double recount = nearest - anatomy.VoxelAllowanceMm;
            TestContext.Out.WriteLine($"zone edge → {name}: plan {reported:F2} mm, recounted {recount:F2} mm");
            Assert.That(reported, Is.EqualTo(recount).Within(1e-3), name);
            bool sink = plan.Constraints.IsHeatSink(name) && recount <= plan.Constraints.HeatSinkDistanceMm;
            Assert.That(sinks.ContainsKey(name), Is.EqualTo(sink), $"heat-sink warning for {name} at {recount:F1} mm");
        }

        // needle clearances: never above the brute-force distance from the shaft to the structure's voxels less the allowance
        foreach (var probe in plan.Probes)
            foreach (var (name, reported) in probe.Path.ClearancesMm)
            {
                if (reported > 20) continue;
                double truth = VoxelsOf(map.Volume, map.Table[name].Value).Min(v => SegmentDistance(probe.Entry, probe.Tip, v))
                               - anatomy.VoxelAllowanceMm - plan.Constraints.NeedleDiameterMm / 2;
                TestContext.Out.WriteLine($"shaft → {name}: plan {reported:F2} mm, recounted {truth:F2} mm");
                Assert.That(reported, Is.LessThanOrEqualTo(truth + 0.1).And.GreaterThanOrEqualTo(truth - 0.35), name);
                if (probe.Path.Feasible) Assert.That(truth + 0.1, Is.GreaterThanOrEqualTo(probe.Path.RequiredClearancesMm[name]), $"{name} clearance kept");
            }

        // thermal protection: expected temperature from the hand formula at the structure's hottest voxel; the thermocouple
        // beside it, outside the structure; the separation that brings that point to the limit and the clearance
        foreach (var item in plan.ThermalProtection)
        {
            byte value = map.Table[item.Structure].Value;
            Vec3 hottest = default;
            double max = double.NegativeInfinity;
            foreach (var v in VoxelsOf(map.Volume, value))
            {
                double t = zones.Max(z => z.Temperature(v, peak));
                if (t > max) { max = t; hottest = v; }
            }
            TestContext.Out.WriteLine($"{item.Describe()} — hand formula {max:F3} °C at {hottest}");
            Assert.That(item.ExpectedTemperatureC, Is.EqualTo(max).Within(1e-4), item.Structure); // plan.json rounds positions to 0.1 µm
            Assert.That(item.ShortfallC, Is.EqualTo(Math.Max(0, max - 45)).Within(1e-4));
            if (zones.Count == 1)
            {
                // moved by s along the ray from the zone centre: 37 + Θ₀·d₀/(d + s) = 45 gives s; a structure inside the zone
                // must also leave it (d₀ − d) and then keep its clearance
                var z = zones[0];
                double d = Vec3.Distance(hottest, z.Centre), d0 = z.RadiusTowards(hottest);
                double thermal = Math.Max(0, (z.EdgeC - 37) * d0 / 8 - d);
                double clearance = Math.Max(0, item.RequiredClearanceMm - item.EdgeDistanceMm);
                if (d <= d0) clearance = Math.Max(clearance, d0 - d + item.RequiredClearanceMm);
                double need = Math.Max(thermal, clearance);
                Assert.That(item.SeparationMm, Is.EqualTo(Math.Ceiling(need * 10 - 1e-6) / 10).Within(0.1 + 1e-9), $"{item.Structure} separation (hand {need:F3} mm)");
            }
            if (item.Thermocouple is { } tc)
            {
                var idx = g.PhysicalToIndex(tc);
                int i = (int)Math.Round(idx.X), j = (int)Math.Round(idx.Y), k = (int)Math.Round(idx.Z);
                Assert.That(map.Volume[i, j, k], Is.Not.EqualTo(value).And.Not.EqualTo((byte)0), "the thermocouple lies in tissue outside the structure");
                Assert.That(Vec3.Distance(tc, hottest), Is.LessThanOrEqualTo(g.Spacing.X + 1e-6), "next to the structure's hottest voxel");
                Assert.That(item.ThermocouplePath!.Feasible, Is.True);
                var (e, t2) = (item.ThermocouplePath.Entry, item.ThermocouplePath.Target);
                foreach (var v in VoxelsOf(map.Volume, value))
                    Assert.That(SegmentDistance(e, t2, v), Is.GreaterThan(0.5 * g.Spacing.X), "the thermocouple needle does not cross the structure");
            }
        }
    }

    [Test]
    public void RfZoneForAMetastasisInTheL2BodyIsRecountedOnRealAnatomyWithTheCordAndAortaNearby()
    {
        var (_, shipped) = RealCase();
        var body = Body(shipped, L2);
        var lesion = body.Centre + new Vec3(4, -6, 0); // anterior left of the body's centre, where the aorta runs in front
        var (plan, json, map, anatomy) = PlanHeat(lesion, 8, "cooltip-single-3cm");
        using (json)
        {
            foreach (var w in plan.Warnings) TestContext.Out.WriteLine("warning: " + w);
            Assert.That(plan.Feasible, Is.True, plan.InfeasibleReason);
            Assert.That(plan.LethalCoverage, Is.GreaterThanOrEqualTo(plan.Constraints.Goals.CoverageGoal));
            Assert.That(plan.Probes.All(p => Vec3.Dot(p.Entry - p.Tip, new Vec3(0, 1, 0)) > 0), Is.True, "entered from the back");
            CheckHeatPlanIndependently(plan, json, map, anatomy, lesion, 8);
            Assert.That(plan.HeatSinks.Select(h => h.Structure), Does.Contain("aorta"), "the aorta runs within 10 mm of a zone in the L2 body");
        }
    }

    [Test]
    public void MwZoneInTheL1BodyIsRecountedAndItsThermalRiskToTheCordIsStated()
    {
        var (_, shipped) = RealCase();
        var body = Body(shipped, L1);
        var (plan, json, map, anatomy) = PlanHeat(body.Centre, 8, "neuwave-65W-5min");
        using (json)
        {
            foreach (var w in plan.Warnings) TestContext.Out.WriteLine("warning: " + w);
            Assert.That(plan.Probes, Is.Not.Empty, plan.InfeasibleReason);
            CheckHeatPlanIndependently(plan, json, map, anatomy, body.Centre, 8);
            var cord = plan.ThermalProtection.SingleOrDefault(t => t.Structure == "spinal_cord");
            Assert.That(cord, Is.Not.Null, "a 24 × 36 mm zone in a vertebral body reaches within the protection reach of the canal");
            if (cord!.NeedsProtection)
                Assert.That(plan.Warnings, Has.Some.Contains("spinal_cord"), "a cord beyond its limit is said in the warnings");
        }
    }

    [Test]
    public void RfZoneAgainstThePosteriorWallNeedsProtectionAndSaysHowMuch()
    {
        // the lesion touches the posterior wall of L1's body, 8 mm from the canal: any zone that covers it heats the cord
        var (_, shipped) = RealCase();
        var body = Body(shipped, L1);
        var lesion = new Vec3(body.Centre.X, body.Back - 6, body.Centre.Z);
        var (plan, json, map, anatomy) = PlanHeat(lesion, 6, "cooltip-single-3cm");
        using (json)
        {
            foreach (var w in plan.Warnings) TestContext.Out.WriteLine("warning: " + w);
            Assert.That(plan.Probes, Is.Not.Empty, plan.InfeasibleReason);
            CheckHeatPlanIndependently(plan, json, map, anatomy, lesion, 6);
            var cord = plan.ThermalProtection.Single(t => t.Structure == "spinal_cord");
            Assert.That(cord.NeedsProtection, Is.True, "the cord cannot be kept below 45 °C without displacement");
            Assert.That(cord.ExpectedTemperatureC, Is.GreaterThan(45));
            Assert.That(cord.SeparationMm, Is.GreaterThan(0).And.LessThan(ThermalProtectionPlanner.MaxSeparationMm));
            Assert.That(plan.Warnings, Has.Some.Contains("spinal_cord").And.Some.Contains("dissection"));
        }
    }

    [TestCase(L1)]
    [TestCase(L2)]
    public void CementAccessOnRealVertebraeIsTranspedicularToTheAnteriorThird(byte level)
    {
        var (map, shipped) = RealCase();
        var body = Body(shipped, level);
        var anatomy = PlanningAnatomy.Create(map);
        var paths = new TrajectoryPlanner(anatomy, PlanningConstraints.Default);
        var access = new CementAccessPlanner(paths).Plan(body.Centre);
        var g = shipped.Geometry;
        var cord = VoxelsOf(shipped, Cord);
        foreach (var a in access)
        {
            Assert.That(a.Feasible, Is.True, $"{a.Approach}: {a.Reason}");
            foreach (var t in a.Trajectories)
            {
                var path = t.Path!;
                TestContext.Out.WriteLine(FormattableString.Invariant($"{a.Approach} {t.Side}: entry {path.Entry}, bone entry {t.BoneEntry}, tip {t.Target}, {path.LengthMm:F1} mm, cord clearance {path.ClearancesMm["spinal_cord"]:F2} mm"));
                // the tip: in this vertebra (TotalSegmentator's own label), in the anterior third of its body
                var ti = g.PhysicalToIndex(t.Target);
                Assert.That(shipped[(int)Math.Round(ti.X), (int)Math.Round(ti.Y), (int)Math.Round(ti.Z)], Is.EqualTo(level), "the cannula tip lies in the vertebra treated");
                Assert.That(t.Target.Y, Is.LessThanOrEqualTo(body.Front + (body.Back - body.Front) / 3 + g.Spacing.Y / 2), "in the anterior third of the body");
                // transpedicular: from the bone entry to the tip the cannula stays in this vertebra, and it crosses the
                // body's posterior wall lateral to the canal on its side
                var from = t.BoneEntry!.Value;
                int samples = 0, inside = 0;
                for (double s = 0; s <= 1; s += 0.01, samples++)
                {
                    var x = g.PhysicalToIndex(from + (t.Target - from) * s);
                    if (shipped[(int)Math.Round(x.X), (int)Math.Round(x.Y), (int)Math.Round(x.Z)] == level) inside++;
                }
                Assert.That(inside / (double)samples, Is.GreaterThanOrEqualTo(0.9), $"{t.Side}: {inside} of {samples} samples from bone entry to tip in the vertebra");
                double sw = (body.Back - path.Entry.Y) / (path.Target.Y - path.Entry.Y);
                var wall = path.Entry + (path.Target - path.Entry) * sw;
                double sideSign = t.Side == "left" ? 1 : -1; // LPS: +x is the patient's left
                Assert.That(sideSign * (wall.X - body.CanalX), Is.GreaterThan(0), $"{t.Side} cannula crosses the posterior wall on its side");
                // clearance to the cord: brute force from the shaft
                double truth = cord.Min(v => SegmentDistance(path.Entry, path.Target, v)) - anatomy.VoxelAllowanceMm - PlanningConstraints.Default.NeedleDiameterMm / 2;
                Assert.That(path.ClearancesMm["spinal_cord"], Is.LessThanOrEqualTo(truth + 0.1).And.GreaterThanOrEqualTo(truth - 0.35));
                Assert.That(truth + 0.1, Is.GreaterThanOrEqualTo(path.RequiredClearancesMm["spinal_cord"]), "the cord's clearance is kept");
                Assert.That(path.Entry.Y, Is.GreaterThan(body.Back), "entered from the back");
            }
        }
    }
}
