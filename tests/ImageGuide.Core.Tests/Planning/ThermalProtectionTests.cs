using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Thermal protection (issue 18) against hand-computed model values: one applicator whose zone centre is the origin, shaft
/// along +y, and a nerve — a cylinder parallel to the shaft — whose nearest voxel centres lie at a known distance across
/// the shaft, on a 2 mm grid whose voxel centres fall on even millimetres.
/// </summary>
public class ThermalProtectionTests
{
    private static readonly Vec3 Spacing = new(2, 2, 2), Origin = new(-74, -64, -44);
    private static readonly Vec3 Axis = new(0, 1, 0);

    private static (PlanningAnatomy Anatomy, Volume<byte> Labels) Torso(double nerveX) =>
        Build(new ShapePhantom(75, 65, 45, Spacing, Origin)
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(Vec3.Zero, 6))
            .Add(3, "cord", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(0, 50, 0), new Vec3(0, 0, 1), 4))
            .Add(4, "nerve root", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(nerveX, 0, 0), Axis, 3), clearanceMm: 3));

    private static (PlanningAnatomy, Volume<byte>) Build(ShapePhantom p) => (p.Anatomy(), p.Labels);

    private static CryoPlan Assess(PlanningAnatomy anatomy, string model)
    {
        var m = ProbeCatalogue.BuiltIn.Get(model);
        var tip = Axis * m.Zone.CentreBehindTipMm; // zone centre at the origin
        return new CryoPlanner(new TrajectoryPlanner(anatomy, PlanningConstraints.Default with { ProbeModel = model })).Assess([(tip, Axis)]);
    }

    private static void AssertOnSurface(Vec3 point, Volume<byte> labels, byte value)
    {
        var g = labels.Geometry;
        var idx = g.PhysicalToIndex(point);
        Assert.That(labels[(int)Math.Round(idx.X), (int)Math.Round(idx.Y), (int)Math.Round(idx.Z)], Is.Not.EqualTo(value), "the thermocouple lies outside the structure");
        double nearest = double.PositiveInfinity;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
            if (labels[i, j, k] == value) nearest = Math.Min(nearest, Vec3.Distance(point, g.IndexToPhysical(i, j, k)));
        Assert.That(nearest, Is.LessThanOrEqualTo(Spacing.X + 1e-9), "within one voxel of the structure");
    }

    [Test]
    public void RfElectrodeNextToANerveRootExpectsTheBioheatTemperatureAndAsksForTheSeparationThatBringsItTo45Degrees()
    {
        // Cool-tip single: zone radius 14.5 mm across the shaft, 50 °C edge. Nerve axis at x = 20 with radius 3: nearest
        // voxel centres at x = 18, z = 0: T = 37 + 13 · 14.5 / 18 = 47.472 °C. 45 °C is reached at 13 · 14.5 / 8 = 23.5625 mm,
        // so 5.5625 mm of displacement (reported to the 0.1 mm above: 5.6).
        var (anatomy, labels) = Torso(nerveX: 20);
        var plan = Assess(anatomy, "cooltip-single-3cm");
        var item = plan.ThermalProtection.Single(t => t.Structure == "nerve root");
        TestContext.Out.WriteLine(item.Describe());
        Assert.That(item.ExpectedTemperatureC, Is.EqualTo(37 + 13 * 14.5 / 18).Within(1e-9));
        Assert.That(item.LimitC, Is.EqualTo(45));
        Assert.That(item.ShortfallC, Is.EqualTo(13 * 14.5 / 18 - 8).Within(1e-9));
        Assert.That(item.SeparationMm, Is.EqualTo(5.6));
        Assert.That(item.Thermocouple, Is.EqualTo(new Vec3(16, 0, 0)), "the voxel just outside the nerve, next to its hottest voxel");
        AssertOnSurface(item.Thermocouple!.Value, labels, 4);
        Assert.That(item.ThermocouplePath!.Feasible, Is.True);
        Assert.That(item.ThermocouplePath.Reasons, Is.Empty);
        Assert.That(plan.Warnings, Has.Some.StartsWith("thermal protection: nerve root"));
        Assert.That(plan.ThermalProtection.Any(t => t.Structure == "cord"), Is.False, "the cord lies beyond the 20 mm reach");
    }

    [Test]
    public void MwAntennaFarEnoughFromTheNerveNeedsNoProtection()
    {
        // Nerve axis at x = 44: nearest voxel centre 42 mm across; NeuWave 65 W / 5 min radius 12 mm: 37 + 13 · 12 / 42 = 40.71 °C,
        // but 42 − 12 − allowance > 20 mm: beyond the reach, not assessed. At x = 30 (centre 28): 37 + 13 · 12 / 28 = 42.571 °C, safe.
        var (anatomy, labels) = Torso(nerveX: 30);
        var plan = Assess(anatomy, "neuwave-65W-5min");
        var item = plan.ThermalProtection.Single(t => t.Structure == "nerve root");
        TestContext.Out.WriteLine(item.Describe());
        Assert.That(item.ExpectedTemperatureC, Is.EqualTo(37 + 13.0 * 12 / 28).Within(1e-9));
        Assert.That(item.ShortfallC, Is.Zero);
        Assert.That(item.SeparationMm, Is.Zero);
        Assert.That(item.NeedsProtection, Is.False);
        AssertOnSurface(item.Thermocouple!.Value, labels, 4);
    }

    [Test]
    public void CryoprobeNextToANerveRootUsesTheIsothermModelsTailAndTheColdLimit()
    {
        // approx-2.4mm: 0 °C at 10.5 mm and −20 °C at 6 mm across the shaft: λ = 37 · 4.5 / 20 = 8.325 mm. Nerve axis at
        // x = 16: nearest voxel centre 14 mm across: T = 37 − 37 · exp(−3.5 / 8.325) = 12.70 °C, warmer than −3 °C; but the
        // 0 °C edge's voxels (x ≤ 10) lie 4 − 1.73 mm from the nerve's, short of its 3 mm: the separation is that shortfall
        // (0.73, reported as 0.8).
        var (anatomy, labels) = Torso(nerveX: 16);
        var plan = Assess(anatomy, "approx-2.4mm");
        var item = plan.ThermalProtection.Single(t => t.Structure == "nerve root");
        TestContext.Out.WriteLine(item.Describe());
        Assert.That(item.ExpectedTemperatureC, Is.EqualTo(37 - 37 * Math.Exp(-3.5 / 8.325)).Within(1e-6));
        Assert.That(item.LimitC, Is.EqualTo(-3));
        Assert.That(item.ShortfallC, Is.Zero);
        Assert.That(item.EdgeDistanceMm, Is.EqualTo(4 - anatomy.VoxelAllowanceMm).Within(1e-4));
        Assert.That(item.SeparationMm, Is.EqualTo(Math.Ceiling((3 - item.EdgeDistanceMm) * 10) / 10).Within(1e-9), "the clearance shortfall, rounded up to 0.1 mm");
        Assert.That(plan.Feasible, Is.False, "the 0 °C edge is too close to the nerve");
        AssertOnSurface(item.Thermocouple!.Value, labels, 4);
    }

    [Test]
    public void PlanJsonCarriesTheThermalProtectionContract()
    {
        var (anatomy, _) = Torso(nerveX: 20);
        var plan = Assess(anatomy, "cooltip-single-3cm");
        using var doc = System.Text.Json.JsonDocument.Parse(PlanJson.Serialize([], plan, plan.Constraints));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("modality").GetString(), Is.EqualTo("rfa"));
        var a = root.GetProperty("applicators")[0];
        Assert.That(a.GetProperty("model").GetString(), Is.EqualTo("cooltip-single-3cm"));
        Assert.That(a.GetProperty("zone").GetProperty("semiAxesMm").EnumerateArray().Select(e => e.GetDouble()), Is.EqualTo(new[] { 14.5, 14.5, 17.5 }));
        Assert.That(a.GetProperty("zone").GetProperty("centreFromTipMm").GetDouble(), Is.EqualTo(15));
        var t = root.GetProperty("thermalProtection").EnumerateArray().Single(e => e.GetProperty("structure").GetString() == "nerve root");
        Assert.That(t.GetProperty("limitC").GetDouble(), Is.EqualTo(45));
        Assert.That(t.GetProperty("separationMm").GetDouble(), Is.EqualTo(5.6));
        Assert.That(t.GetProperty("thermocouple").EnumerateArray().Select(e => e.GetDouble()), Is.EqualTo(new[] { 16.0, 0, 0 }));
        Assert.That(t.GetProperty("expectedTemperatureC").GetDouble(), Is.EqualTo(47.4722).Within(1e-4));
    }

    [Test]
    public void ATumourAgainstANerveRootBecomesFeasibleWithTheDissectionThePlanNames()
    {
        // Tumour sphere r = 6 at the origin; nerve root (r = 3) whose surface lies 4 mm from the tumour: the 5 mm margin
        // reaches into the nerve's 3 mm clearance, so no plan exists as the anatomy lies.
        var (anatomy, _) = Build(new ShapePhantom(75, 65, 45, Spacing, Origin)
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(Vec3.Zero, 6))
            .Add(4, "nerve root", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(13, 0, 0), new Vec3(0, 0, 1), 3), clearanceMm: 3));
        var planner = new CryoPlanner(new TrajectoryPlanner(anatomy)) { ThermocouplePaths = false };
        var plain = planner.Plan();
        Assert.That(plain.Feasible, Is.False);
        var plan = planner.PlanWithDissection();
        TestContext.Out.WriteLine(plan.Warnings[0]);
        Assert.That(plan.Feasible, Is.True, plan.InfeasibleReason);
        Assert.That(plan.FeasibleWithoutDissection, Is.False);
        Assert.That(plan.ReasonWithoutDissection, Is.EqualTo(plain.InfeasibleReason));
        var d = plan.Dissection.Single(x => x.Structure == "nerve root");
        // the edge keeps the nerve's clearance once the nerve is moved by the dissection, and the thermal limit holds there
        Assert.That(plan.IceToCriticalMm["nerve root"] + d.SeparationMm, Is.GreaterThanOrEqualTo(3 - 1e-9));
        var item = plan.ThermalProtection.Single(t => t.Structure == "nerve root");
        Assert.That(d.SeparationMm, Is.GreaterThanOrEqualTo(item.SeparationMm));
        Assert.That(d.SeparationMm, Is.InRange(1, 10));
        Assert.That(plan.Warnings[0], Does.StartWith("feasible only with hydro/CO2-dissection").And.Contain("at nerve root"));
        using var doc = System.Text.Json.JsonDocument.Parse(PlanJson.Serialize([], plan, plan.Constraints));
        Assert.That(doc.RootElement.GetProperty("feasibleWithoutDissection").GetBoolean(), Is.False);
        Assert.That(doc.RootElement.GetProperty("dissection")[0].GetProperty("structure").GetString(), Is.EqualTo("nerve root"));
    }
}
