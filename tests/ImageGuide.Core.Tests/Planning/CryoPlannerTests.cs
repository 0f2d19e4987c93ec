using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Multi-probe plans on a geometric torso (elliptic body 70 × 60 mm semi-axes along z) with a spherical
/// tumour at the origin and a cord cylinder (r 5 mm along z) posterior to it; 2 mm voxels keep the tests fast.
/// </summary>
public class CryoPlannerTests
{
    private static PlanningAnatomy Torso(double tumourRadius, Vec3 cordAxisPoint, double cordRadius = 5)
    {
        return new ShapePhantom(75, 65, 45, new Vec3(2, 2, 2), new Vec3(-74, -64, -44))
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(Vec3.Zero, tumourRadius))
            .Add(3, "cord", LabelRole.Critical, ShapePhantom.Cylinder(cordAxisPoint, new Vec3(0, 0, 1), cordRadius))
            .Anatomy();
    }

    [Test]
    public void SingleSmallTumourNeedsOneProbeAtTheCentre()
    {
        // A 6 mm tumour + 3 mm margin (radius 6 mm) is the lethal zone of one approximate 2.4 mm probe (6 × 12 mm at −20 °C)
        // only when the probe sits in the middle; the planner must put the ice centre within a few mm of the tumour centre.
        var anatomy = Torso(3, new Vec3(0, 48, 0));
        var plan = new CryoPlanner(new TrajectoryPlanner(anatomy, PlanningConstraints.Default with { Goals = AblationGoals.Default with { TumourMarginMm = 3 } })).Plan();
        Assert.That(plan.Feasible, Is.True, plan.InfeasibleReason);
        Assert.That(plan.Probes, Has.Count.EqualTo(1));
        var p = plan.Probes[0];
        var iceCentre = p.Tip - p.Axis * ProbeCatalogue.BuiltIn.Get("approx-2.4mm").CentreOffsetMm;
        Assert.That(ShapePhantom.LineDistance(Vec3.Zero, p.Tip, p.Axis), Is.LessThan(2.0));
        Assert.That(iceCentre.Length, Is.LessThan(6));
    }

    [Test]
    public void CordHuggingTheTumourIsInfeasibleWithTheReason()
    {
        // Tumour r 10 mm; cord surface 1 mm from the tumour: the margin itself lies in the cord's clearance zone.
        var anatomy = Torso(10, new Vec3(0, 15, 0), cordRadius: 4);
        var plan = new CryoPlanner(new TrajectoryPlanner(anatomy)).Plan();
        Assert.That(plan.Feasible, Is.False);
        Assert.That(plan.InfeasibleReason, Does.StartWith("infeasible because").And.Contain("cord"));
        Assert.That(plan.Probes, Is.Empty);
    }

    [Test]
    public void ExplicitProbeCountIsHonouredAndSerialised()
    {
        var anatomy = Torso(10, new Vec3(0, 48, 0));
        var paths = new TrajectoryPlanner(anatomy);
        var plan = new CryoPlanner(paths).Plan(probeCount: 2);
        Assert.That(plan.Probes, Has.Count.EqualTo(2));
        var trajectories = paths.Plan(anatomy.TargetCentroid());
        using var doc = System.Text.Json.JsonDocument.Parse(PlanJson.Serialize(trajectories, plan, 5));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("probes").GetArrayLength(), Is.EqualTo(2));
        Assert.That(root.GetProperty("coverage").GetDouble(), Is.EqualTo(plan.LethalCoverage).Within(1e-4));
        Assert.That(root.GetProperty("minMarginMm").GetDouble(), Is.EqualTo(plan.MinMarginMm).Within(1e-4));
        Assert.That(root.GetProperty("probeModel").GetProperty("approximate").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("iceToCriticalMm").TryGetProperty("cord", out _), Is.True);
        Assert.Throws<ImageGuideException>(() => new CryoPlanner(paths).Plan(probeCount: 9));
    }

    [Test]
    public void AssessingAProbeInsideTheCordClearanceReportsIt()
    {
        var anatomy = Torso(10, new Vec3(0, 48, 0));
        var planner = new CryoPlanner(new TrajectoryPlanner(anatomy));
        // One lateral probe (along +x) with its ice centre 17 mm from the cord axis, i.e. 12 mm from the cord surface: the 0 °C
        // edge (10.5 mm across the shaft) comes about 1.5 mm from the cord, less than the 3 mm required.
        var axis = new Vec3(1, 0, 0);
        var tip = new Vec3(0, 31, 0) + axis * planner.Model.CentreOffsetMm;
        var plan = planner.Assess([(tip, axis)]);
        Assert.That(plan.Feasible, Is.False);
        Assert.That(plan.IceToCriticalMm["cord"], Is.LessThan(3.0).And.GreaterThan(1.5 - 1.0 - anatomy.VoxelAllowanceMm));
        Assert.That(plan.InfeasibleReason, Does.StartWith("infeasible because the 0 °C edge comes within").And.EndWith("of cord (needs 3.0 mm)"));
    }
}
