using System.Globalization;
using System.Text.RegularExpressions;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Single-needle planning on a geometric torso: elliptic body (55 × 45 mm semi-axes, along z), tumour sphere (r 8 mm at
/// (15, 5, 0)), cord cylinder (r 5 mm along z at x 0, y 25), vertebra box (|x| ≤ 10, −5 ≤ y ≤ 15), aorta cylinder
/// (r 8 mm along z at (−15, −20)), nerve root cylinder (r 2 mm along x at y 22, z 0, 5 ≤ x ≤ 30). 1 mm voxels.
/// </summary>
public class TrajectoryPlannerTests
{
    private static readonly Vec3 Tumour = new(15, 5, 0);
    private static readonly Vec3 CordPoint = new(0, 25, 0), Zaxis = new(0, 0, 1);
    private static readonly Vec3 AortaPoint = new(-15, -20, 0);
    private static PlanningAnatomy _anatomy = null!;

    [OneTimeSetUp]
    public void Build()
    {
        _anatomy = new ShapePhantom(120, 100, 60, new Vec3(1, 1, 1), new Vec3(-60, -50, -30))
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 55, 2) + Math.Pow(p.Y / 45, 2) <= 1)
            .Add(2, "vertebra", LabelRole.Bone, ShapePhantom.Box(new Vec3(-10, -5, -100), new Vec3(10, 15, 100)))
            .Add(3, "tumour", LabelRole.Target, ShapePhantom.Sphere(Tumour, 8))
            .Add(4, "cord", LabelRole.Critical, ShapePhantom.Cylinder(CordPoint, Zaxis, 5))
            .Add(5, "aorta", LabelRole.Critical, ShapePhantom.Cylinder(AortaPoint, Zaxis, 8))
            .Add(6, "nerve root", LabelRole.Critical, p => p.X >= 5 && p.X <= 30 && Math.Sqrt(Math.Pow(p.Y - 22, 2) + p.Z * p.Z) <= 2)
            .Anatomy();
    }

    private static double Radius => PlanningConstraints.Default.NeedleDiameterMm / 2;

    [Test]
    public void PathThroughTheAortaIsRejectedAsCrossingIt()
    {
        var entry = AortaPoint + (AortaPoint - Tumour) * 0.5; // beyond the aorta on the line from the tumour
        var e = new TrajectoryPlanner(_anatomy).Evaluate(entry, Tumour);
        Assert.That(e.Feasible, Is.False);
        Assert.That(e.Reasons, Does.Contain("crosses aorta"));
        Assert.That(e.ClearancesMm["aorta"], Is.LessThan(0));
    }

    [Test]
    public void NearMissOfTheNerveRootIsRejectedWithItsClearance()
    {
        double z = 2 + Radius + 1.0; // analytic clearance from the needle surface: 1.0 mm
        var e = new TrajectoryPlanner(_anatomy).Evaluate(new Vec3(20, 40, z), new Vec3(20, 0, z));
        Assert.That(e.Feasible, Is.False);
        var m = e.Reasons.Select(r => Regex.Match(r, @"^clearance (-?[0-9.]+) mm < 3\.0 mm to nerve root$")).Single(x => x.Success);
        double reported = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(reported, Is.LessThanOrEqualTo(1.0 + 0.1).And.GreaterThan(1.0 - _anatomy.VoxelAllowanceMm - 0.4));
        Assert.That(e.Reasons.Any(r => r.Contains("cord")), Is.False);
    }

    [Test]
    public void DepthAndGantryAngleLimitsAreReportedInWords()
    {
        var planner = new TrajectoryPlanner(_anatomy, PlanningConstraints.Default with { NeedleLengthMm = 40 });
        var deep = planner.Evaluate(new Vec3(40, -20, 0), new Vec3(40, 30, 0)); // 50 mm long, axial
        Assert.That(deep.Reasons, Does.Contain("depth 50.0 mm > 40 mm needle"));
        Assert.That(deep.CraniocaudalAngleDeg, Is.EqualTo(0).Within(1e-9));
        var steep = planner.Evaluate(new Vec3(40, 0, -10), new Vec3(40, 10, 0)); // 45° out of the axial plane, towards the head
        Assert.That(steep.CraniocaudalAngleDeg, Is.EqualTo(45).Within(1e-9));
        Assert.That(steep.InPlaneAngleDeg, Is.EqualTo(0).Within(1e-9));
        Assert.That(steep.Reasons, Does.Contain("cranio-caudal angle 45.0° > 30° gantry tilt limit"));
        Assert.That(steep.LengthMm, Is.EqualTo(Math.Sqrt(200)).Within(1e-9));
    }

    [Test]
    public void BonePolicyDecidesVertebraCrossings()
    {
        // Enters the vertebra from the anterior side at x = 5 and leaves it, or stops inside it.
        var through = (Entry: new Vec3(5, -35, 10), Target: new Vec3(5, 20, 10));
        var into = (Entry: new Vec3(5, -35, 10), Target: new Vec3(5, 5, 10));
        var forbidden = new TrajectoryPlanner(_anatomy, PlanningConstraints.Default with { BoneTraversal = BoneTraversalPolicy.Forbidden });
        var e = forbidden.Evaluate(into.Entry, into.Target);
        Assert.That(e.Reasons.Single(r => r.StartsWith("crosses bone", StringComparison.Ordinal)), Does.StartWith("crosses bone (vertebra) for").And.EndWith("bone traversal is forbidden"));
        Assert.That(e.BoneLengthMm, Is.EqualTo(10).Within(1.0)); // y from −5 to 5
        var transpedicular = new TrajectoryPlanner(_anatomy); // the default policy
        Assert.That(transpedicular.Evaluate(into.Entry, into.Target).Reasons.Any(r => r.Contains("bone")), Is.False);
        var t = transpedicular.Evaluate(through.Entry, through.Target);
        Assert.That(t.BoneEntries, Is.EqualTo(1));
        Assert.That(t.Reasons.Any(r => r.Contains("only a transpedicular route is allowed")), Is.True);
        var allowed = new TrajectoryPlanner(_anatomy, PlanningConstraints.Default with { BoneTraversal = BoneTraversalPolicy.Allowed });
        Assert.That(allowed.Evaluate(through.Entry, through.Target).Reasons.Any(r => r.Contains("bone")), Is.False);
    }

    [Test]
    public void FusionUncertaintyIsAddedToEveryClearance()
    {
        // Vertical path 11.5 mm from the cord axis: analytic clearance 11.5 − 5 − r ≈ 5.3 mm.
        var entry = new Vec3(11.5, 40, 10);
        var target = new Vec3(11.5, -20, 10);
        var plain = new TrajectoryPlanner(_anatomy, PlanningConstraints.Default with { BoneTraversal = BoneTraversalPolicy.Allowed });
        Assert.That(plain.Evaluate(entry, target).Feasible, Is.True);
        var fused = new TrajectoryPlanner(_anatomy, PlanningConstraints.Default with { BoneTraversal = BoneTraversalPolicy.Allowed, Goals = AblationGoals.Default with { FusionUncertaintyMm = 3 } });
        Assert.That(fused.RequiredClearancesMm["cord"], Is.EqualTo(6.0));
        Assert.That(fused.RequiredClearancesMm["aorta"], Is.EqualTo(6.0));
        var e = fused.Evaluate(entry, target);
        Assert.That(e.Feasible, Is.False);
        Assert.That(e.Reasons, Has.Some.Match(@"^clearance [0-9.]+ mm < 6\.0 mm to cord \(incl\. 3\.0 mm fusion uncertainty\)$"));
    }

    [Test]
    public void BestTrajectoryReachesTheTargetWithEveryClearanceMet()
    {
        var planner = new TrajectoryPlanner(_anatomy);
        var plan = planner.Plan(Tumour);
        var best = plan.Best;
        Assert.That(best, Is.Not.Null);
        Assert.That(best!.Feasible && best.Reasons.Count == 0, Is.True);
        Assert.That(best.Target, Is.EqualTo(Tumour));
        Assert.That(best.LengthMm, Is.LessThanOrEqualTo(150));
        Assert.That(Math.Abs(best.CraniocaudalAngleDeg), Is.LessThanOrEqualTo(30));

        // Independent checks: brute force over every critical voxel centre, and the analytic cylinders.
        var g = _anatomy.Geometry;
        foreach (var s in _anatomy.Structures.Where(s => s.Role == LabelRole.Critical))
        {
            double brute = double.PositiveInfinity;
            for (int k = 0; k < g.Nz; k++)
                for (int j = 0; j < g.Ny; j++)
                    for (int i = 0; i < g.Nx; i++)
                        if (_anatomy.Labels[i, j, k] == s.Value)
                            brute = Math.Min(brute, ShapePhantom.SegmentPointDistance(best.Entry, best.Target, g.IndexToPhysical(i, j, k)));
            Assert.That(best.ClearancesMm[s.Name], Is.LessThanOrEqualTo(brute - Radius + 1e-6), s.Name);
            Assert.That(brute - _anatomy.VoxelAllowanceMm - Radius, Is.GreaterThanOrEqualTo(3.0 - 0.2), s.Name);
        }
        Assert.That(ShapePhantom.SegmentLineDistance(best.Entry, best.Target, CordPoint, Zaxis) - 5 - Radius, Is.GreaterThanOrEqualTo(3.0 - 0.1));
        Assert.That(ShapePhantom.SegmentLineDistance(best.Entry, best.Target, AortaPoint, Zaxis) - 8 - Radius, Is.GreaterThanOrEqualTo(3.0 - 0.1));

        Assert.That(plan.ParetoOptimal, Is.Not.Empty);
        Assert.That(plan.ParetoOptimal.All(p => p.Feasible), Is.True);
        for (int n = 1; n < plan.Ranked.Count; n++) Assert.That(plan.Ranked[n].RiskScore, Is.GreaterThanOrEqualTo(plan.Ranked[n - 1].RiskScore));
        Assert.That(plan.Rejected.All(r => r.Reasons.Count > 0), Is.True);
        Assert.That(plan.Ranked.Count + plan.Rejected.Count, Is.EqualTo(plan.CandidateCount));
    }

    [Test]
    public void SearchClearancesAreBoundsOfTheExactOnesTightWhereTheyMatter()
    {
        // The search measures far clearances coarsely; each must stay below the user-path (half-step) value of the same path,
        // equal it within the 0.1 mm step bound up to requirement + comfort, and lie within 10 % of the excess beyond.
        // Paths from every side are sampled (the approach-side limit is not what is checked here).
        var planner = new TrajectoryPlanner(_anatomy, PlanningConstraints.Default with { MaxAngleFromPosteriorDeg = 180 });
        var c = planner.Constraints;
        var plan = planner.Plan(Tumour);
        int checkedPaths = 0;
        for (int n = 0; n < plan.Ranked.Count; n += 97, checkedPaths++)
        {
            var searched = plan.Ranked[n];
            var exact = planner.Evaluate(searched.Entry, searched.Target);
            // Both are lower bounds within 0.1 mm of the truth where the risk score looks at them (0.1 / comfort per structure).
            Assert.That(searched.RiskScore, Is.EqualTo(exact.RiskScore).Within(exact.ClearancesMm.Count * 0.1 / c.ComfortClearanceMm + 1e-9), "risk");
            foreach (var (name, value) in searched.ClearancesMm)
            {
                double e = exact.ClearancesMm[name], limit = planner.RequiredClearancesMm[name] + c.ComfortClearanceMm;
                Assert.That(value, Is.LessThanOrEqualTo(e + 0.1), name);
                double tolerance = 0.1 + (e > limit ? TrajectoryPlanner.FarClearanceTolerance * (e - limit) : 0);
                Assert.That(value, Is.GreaterThanOrEqualTo(e - tolerance - 0.1), name);
            }
        }
        Assert.That(checkedPaths, Is.GreaterThan(20));
    }

    [Test]
    public void EntryRegionRestrictsTheCandidates()
    {
        var region = new Volume<byte>(_anatomy.Geometry);
        var g = region.Geometry;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
            if (g.IndexToPhysical(i, j, k).X > 30) region[i, j, k] = 1; // patient-left flank only
        var plan = new TrajectoryPlanner(_anatomy).Plan(Tumour, region);
        Assert.That(plan.CandidateCount, Is.GreaterThan(0));
        Assert.That(plan.Ranked.Concat(plan.Rejected).All(e => e.Entry.X > 30), Is.True);
    }

    [Test]
    public void PlanJsonHasTheContractKeys()
    {
        var plan = new TrajectoryPlanner(_anatomy).Plan(Tumour);
        using var doc = System.Text.Json.JsonDocument.Parse(PlanJson.Serialize(plan, maxTrajectories: 3));
        var root = doc.RootElement;
        var t = root.GetProperty("trajectories")[0];
        Assert.That(t.GetProperty("entry").GetArrayLength(), Is.EqualTo(3));
        Assert.That(t.GetProperty("target")[0].GetDouble(), Is.EqualTo(15));
        Assert.That(t.GetProperty("lengthMm").GetDouble(), Is.EqualTo(plan.Best!.LengthMm).Within(1e-3));
        Assert.That(t.GetProperty("feasible").GetBoolean(), Is.True);
        Assert.That(t.GetProperty("reasons").GetArrayLength(), Is.EqualTo(0));
        Assert.That(t.GetProperty("clearancesMm").GetProperty("cord").GetDouble(), Is.EqualTo(plan.Best.ClearancesMm["cord"]).Within(1e-3));
        Assert.That(t.TryGetProperty("inPlaneAngleDeg", out _) && t.TryGetProperty("craniocaudalAngleDeg", out _), Is.True);
        Assert.That(root.GetProperty("probes").GetArrayLength(), Is.EqualTo(0));
        Assert.That(root.GetProperty("coverage").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        Assert.That(root.TryGetProperty("minMarginMm", out _), Is.True);
        Assert.That(root.GetProperty("fusionUncertaintyMm").GetDouble(), Is.EqualTo(0));
    }
}
