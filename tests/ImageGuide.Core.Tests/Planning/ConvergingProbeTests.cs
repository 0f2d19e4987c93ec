using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// A tumour reachable only through a narrow window: the geometric torso of <see cref="CryoPlannerTests"/> (2 mm voxels) with
/// a closed critical shell (a "shield", cube faces 40–44 mm from the centre) around a 2.5 cm tumour, pierced by one round
/// hole of radius 10 mm in its anterior face. A needle must pass the hole with 3 mm clearance from the shell, i.e. its
/// axis within about 10 − 3 − 1.2 (needle radius) − 1.7 (voxel allowance) ≈ 4 mm of the hole's axis, so parallel probes
/// are bunched within about 8 mm of each other, far closer than the ≈ 2 cm spacing rule (004); probes converging through
/// the hole can spread their tips over the tumour at the spacing rule.
/// </summary>
public class ConvergingProbeTests
{
    private const double HoleRadius = 10;
    private static PlanningAnatomy _anatomy = null!;

    [OneTimeSetUp]
    public void Build()
    {
        static bool Shell(Vec3 p)
        {
            double m = Math.Max(Math.Abs(p.X), Math.Max(Math.Abs(p.Y), Math.Abs(p.Z)));
            bool hole = p.Y < 0 && Math.Sqrt(p.X * p.X + p.Z * p.Z) <= HoleRadius;
            return m >= 40 && m <= 44 && !hole;
        }
        _anatomy = new ShapePhantom(75, 65, 45, new Vec3(2, 2, 2), new Vec3(-74, -64, -44))
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(Vec3.Zero, 12.5))
            .Add(3, "shield", LabelRole.Critical, Shell)
            .Anatomy();
    }

    private static CryoPlan Plan(ProbeLayout layout) =>
        // the window faces the front: every side is allowed (the posterior-only default is for prone spine patients)
        new CryoPlanner(new TrajectoryPlanner(_anatomy, PlanningConstraints.Default with { ProbeLayout = layout, MaxProbeCount = 4, MaxAngleFromPosteriorDeg = 180 })).Plan();

    [Test]
    public void OnlyConvergingProbesKeepTheSpacingRuleBehindANarrowWindow()
    {
        var parallel = Plan(ProbeLayout.Parallel);
        var converging = Plan(ProbeLayout.Converging);
        TestContext.Out.WriteLine($"parallel: {parallel.Probes.Count} probes, {parallel.LethalCoverage:P1}; {parallel.InfeasibleReason}");
        TestContext.Out.WriteLine($"converging: {converging.Probes.Count} probes, {converging.LethalCoverage:P1}, margin {converging.MinMarginMm:F1}, ice→shield {converging.IceToCriticalMm["shield"]:F1} mm; {converging.InfeasibleReason}");
        foreach (var p in converging.Probes) TestContext.Out.WriteLine($"  tip {p.Tip} axis {p.Axis} entry {p.Entry} shield clearance {p.Path.ClearancesMm["shield"]:F1}");
        foreach (var w in converging.Warnings) TestContext.Out.WriteLine($"  warning: {w}");

        // Parallel: either no plan, or probes bunched against the spacing rule.
        Assert.That(!parallel.Feasible || parallel.Warnings.Any(w => w.Contains("spacing rule")), Is.True);
        Assert.That(parallel.Probes.All(p => Vec3.Dot(p.Axis, parallel.Probes[0].Axis) > 0.9999), Is.True);
        Assert.That(converging.Feasible, Is.True, converging.InfeasibleReason);
        Assert.That(converging.Layout, Is.EqualTo(ProbeLayout.Converging));
        Assert.That(converging.LethalCoverage, Is.GreaterThanOrEqualTo(0.96));
        Assert.That(converging.IceToCriticalMm["shield"], Is.GreaterThanOrEqualTo(3.0));
        Assert.That(converging.IceToSkinMm, Is.GreaterThanOrEqualTo(5.0));
        foreach (var p in converging.Probes)
        {
            Assert.That(p.Path.Feasible, Is.True, string.Join("; ", p.Path.Reasons));
            // Independent check: the shaft crosses the face plane y = −42…−38 inside the hole, clear of its rim.
            double t = (-40 - p.Entry.Y) / p.Axis.Y;
            var atHole = p.Entry + p.Axis * t;
            Assert.That(Math.Sqrt(atHole.X * atHole.X + atHole.Z * atHole.Z), Is.LessThan(HoleRadius - 3 - 1.2), "shaft at the hole");
        }
        // Tips spread over the tumour at the spacing rule (≥ 3/4 of 20 mm apart), though the shafts share a 4 mm wide hole.
        Assert.That(converging.Probes, Has.Count.GreaterThan(1));
        Assert.That(converging.Warnings.Any(w => w.Contains("spacing rule")), Is.False);
        for (int a = 0; a < converging.Probes.Count; a++)
            for (int b = a + 1; b < converging.Probes.Count; b++)
                Assert.That(Vec3.Distance(converging.Probes[a].Tip, converging.Probes[b].Tip), Is.GreaterThanOrEqualTo(15));
        var auto = Plan(ProbeLayout.Auto);
        Assert.That(auto.Feasible, Is.True);
        Assert.That(auto.Layout, Is.EqualTo(ProbeLayout.Converging));
    }
}
