using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Multi-probe plans checked independently of the planner's own figures: coverage is recounted from the analytic tumour
/// sphere (voxel centres within radius + 5 mm margin) with <see cref="ProbeTemperatureField"/>, and every voxel the model
/// freezes (≤ 0 °C) is checked against the painted cord voxels and the analytic body ellipse. Synthetic torso (2 mm voxels,
/// elliptic body 70 × 60 mm) with a cord cylinder (r 5 mm) 8 mm beyond the tumour + margin: close enough that the ice must
/// be shaped, far enough that a plan exists. The spine phantom's own tumour touches the CSF, so these maps are analytic.
/// </summary>
public class MultiProbeCoverageTests
{
    private const double Margin = 5;
    private static readonly Vec3 Spacing = new(2, 2, 2), Origin = new(-74, -64, -44);

    private static (PlanningAnatomy Anatomy, Volume<byte> Labels, double CordY) Torso(double tumourRadius)
    {
        double cordY = tumourRadius + Margin + 8 + 5;
        var phantom = new ShapePhantom(75, 65, 45, Spacing, Origin)
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(Vec3.Zero, tumourRadius))
            .Add(3, "cord", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(0, cordY, 0), new Vec3(0, 0, 1), 5));
        return (phantom.Anatomy(), phantom.Labels, cordY);
    }

    [TestCase(10)]
    [TestCase(20)]
    [TestCase(30)]
    [TestCase(40)]
    public void TumoursOf1To4CmReachLethalCoverageWithTheIceClearOfTheCordAndSkin(double diameterMm)
    {
        double r = diameterMm / 2;
        var (anatomy, labels, _) = Torso(r);
        var c = PlanningConstraints.Default;
        var plan = new CryoPlanner(new TrajectoryPlanner(anatomy, c)).Plan();
        TestContext.Out.WriteLine($"{diameterMm} mm: {plan.Probes.Count} {plan.Layout} probes, coverage {plan.LethalCoverage:P2}; {plan.InfeasibleReason}");
        Assert.That(plan.Feasible, Is.True, plan.InfeasibleReason);

        var field = new ProbeTemperatureField(plan.Model, plan.Probes.Select(p => (p.Tip, p.Axis)).ToList());
        var g = labels.Geometry;
        var cordCentres = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
            if (labels[i, j, k] == 3) cordCentres.Add(g.IndexToPhysical(i, j, k));
        int goal = 0, lethal = 0;
        double nearestCord = double.PositiveInfinity, deepestSkin = double.PositiveInfinity;
        double allowance = anatomy.VoxelAllowanceMm;
        for (int k = 0; k < g.Nz; k++) for (int j = 0; j < g.Ny; j++) for (int i = 0; i < g.Nx; i++)
        {
            var p = g.IndexToPhysical(i, j, k);
            double t = field.TemperatureAt(p);
            if (p.Length <= r + Margin) { goal++; if (t <= c.Goals.LethalIsothermC) lethal++; }
            if (t > 0) continue;
            foreach (var q in cordCentres) nearestCord = Math.Min(nearestCord, Vec3.Distance(p, q));
            // Distance from a frozen point to the skin: at least 60 mm minus the point's elliptic radius in y-scaled units.
            deepestSkin = Math.Min(deepestSkin, 60 * (1 - Math.Sqrt(Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2))));
        }
        double coverage = lethal / (double)goal;
        TestContext.Out.WriteLine($"  independent: coverage {coverage:P2}, frozen voxel centres ≥ {nearestCord:F1} mm from cord centres, ≥ {deepestSkin:F1} mm below the skin");
        Assert.That(coverage, Is.GreaterThanOrEqualTo(0.96));
        Assert.That(nearestCord - allowance, Is.GreaterThanOrEqualTo(c.Goals.CriticalClearanceMm));
        Assert.That(deepestSkin, Is.GreaterThanOrEqualTo(c.Goals.SkinClearanceMm));
        Assert.That(plan.Probes.All(p => p.Path.Feasible && p.Path.ClearancesMm["cord"] >= c.Goals.CriticalClearanceMm), Is.True);
        Assert.That(plan.Probes.Count, Is.InRange(1, c.MaxProbeCount));
        if (plan.Probes.Count > c.ProbeCountWarningAbove) Assert.That(plan.Warnings, Has.Some.Contains("risk factor for major complications"));
        Assert.That(plan.Warnings, Has.Some.Contains("approximate"));
    }

    [Test]
    public void TumourUnderTheSkinIsInfeasibleBecauseOfTheSkin()
    {
        // A 2 cm tumour whose edge lies 3 mm under the anterior skin: the lethal margin itself would reach the skin, whose
        // clearance (5 mm) the 0 °C edge must keep; no layout can do both.
        var anatomy = new ShapePhantom(75, 65, 45, Spacing, Origin)
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1)
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(new Vec3(0, -47, 0), 10))
            .Add(3, "cord", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(0, 48, 0), new Vec3(0, 0, 1), 5))
            .Anatomy();
        var log = new RecordingLogger();
        var plan = new CryoPlanner(new TrajectoryPlanner(anatomy), logger: log).Plan();
        Assert.That(plan.Feasible, Is.False);
        Assert.That(plan.InfeasibleReason, Does.StartWith("infeasible because").And.Contain("skin"));
        Assert.That(plan.Probes, Is.Empty);
        Assert.That(log.Entries, Is.EqualTo(new[] { (Microsoft.Extensions.Logging.LogLevel.Warning, "Cryo plan " + plan.InfeasibleReason) }),
            "an embedding application sees the reason in its log");
    }
}
