using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// The approach-side setting (<see cref="PlanningConstraints.MaxAngleFromPosteriorDeg"/>) on analytic torsos (elliptic
/// body 55 × 45 mm along z, 1 mm voxels; LPS, so the back is +y): (1) a critical shell 8–14 mm around the target that
/// covers every direction within 100° of posterior, so the only clearance-feasible paths come from the front; (2) an
/// open torso with the target near the front, where the shortest path is anterior and the posterior one must be chosen.
/// Angles are recounted here from the entry and target, independently of the planner.
/// </summary>
public class ApproachSideTests
{
    private static readonly Vec3 ShieldedTarget = new(0, 0, 0);
    private static readonly Vec3 FrontTarget = new(15, -20, 0);
    private static PlanningAnatomy _shielded = null!, _open = null!;

    private static ShapePhantom Torso() => new ShapePhantom(120, 100, 60, new Vec3(1, 1, 1), new Vec3(-60, -50, -30))
        .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 55, 2) + Math.Pow(p.Y / 45, 2) <= 1);

    /// <summary>Angle (degrees) between target → entry and the posterior direction +y.</summary>
    private static double FromPosteriorDeg(Vec3 entry, Vec3 target) =>
        Math.Acos(Math.Clamp((entry - target).Normalized().Y, -1, 1)) * 180 / Math.PI;

    [OneTimeSetUp]
    public void Build()
    {
        double cos100 = Math.Cos(100 * Math.PI / 180);
        _shielded = Torso()
            .Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(ShieldedTarget, 3))
            .Add(3, "shield", LabelRole.Critical, p =>
            {
                var d = p - ShieldedTarget;
                double r = d.Length;
                return r >= 8 && r <= 14 && d.Y >= cos100 * r;
            }, clearanceMm: 3)
            .Anatomy();
        _open = Torso().Add(2, "tumour", LabelRole.Target, ShapePhantom.Sphere(FrontTarget, 4)).Anatomy();
    }

    [Test]
    public void WhenOnlyAnAnteriorPathClearsTheStructures_ItIsRejectedWithTheApproachReason()
    {
        var planner = new TrajectoryPlanner(_shielded); // default: posterior half-space
        var plan = planner.Plan(ShieldedTarget);
        Assert.That(PlanningConstraints.Default.MaxAngleFromPosteriorDeg, Is.EqualTo(90));
        Assert.That(plan.Ranked, Is.Empty, "no feasible path from the back");
        var anterior = plan.Rejected.Where(t => FromPosteriorDeg(t.Entry, t.Target) > 90.5).ToList();
        Assert.That(anterior, Is.Not.Empty);
        Assert.That(anterior, Has.All.Matches<TrajectoryEvaluation>(t => t.Reasons.Any(r => r.Contains("from posterior") && r.Contains("anterior"))));
        Assert.That(plan.Rejected.Where(t => FromPosteriorDeg(t.Entry, t.Target) <= 90), Has.None.Matches<TrajectoryEvaluation>(t => t.Reasons.Any(r => r.Contains("from posterior"))));

        // straight from the front the path clears the shield: the approach side is its only fault, and allowing every side
        // makes it (and the plan's best path) feasible
        var front = new Vec3(0, -44, 0);
        var e = planner.Evaluate(front, ShieldedTarget);
        TestContext.Out.WriteLine(string.Join("; ", e.Reasons));
        Assert.That(e.Feasible, Is.False);
        Assert.That(e.Reasons, Has.Count.EqualTo(1));
        Assert.That(e.Reasons[0], Does.StartWith("approach 180.0° from posterior > 90° allowed (entry anterior"));
        var anySide = new TrajectoryPlanner(_shielded, PlanningConstraints.Default with { MaxAngleFromPosteriorDeg = 180 });
        Assert.That(anySide.Evaluate(front, ShieldedTarget).Feasible, Is.True);
        var best = anySide.Plan(ShieldedTarget).Best;
        Assert.That(best, Is.Not.Null);
        Assert.That(FromPosteriorDeg(best!.Entry, best.Target), Is.GreaterThan(100), "the only clear paths come from the front");
    }

    [Test]
    public void WhenAPosteriorPathExists_ItIsChosenOverTheShorterAnteriorOne()
    {
        var anySide = new TrajectoryPlanner(_open, PlanningConstraints.Default with { MaxAngleFromPosteriorDeg = 180 }).Plan(FrontTarget);
        var posterior = new TrajectoryPlanner(_open).Plan(FrontTarget);
        Assert.That(anySide.Best, Is.Not.Null);
        Assert.That(posterior.Best, Is.Not.Null);
        TestContext.Out.WriteLine($"any side: {FromPosteriorDeg(anySide.Best!.Entry, FrontTarget):0.0}° {anySide.Best.LengthMm:0.0} mm; " +
            $"posterior: {FromPosteriorDeg(posterior.Best!.Entry, FrontTarget):0.0}° {posterior.Best.LengthMm:0.0} mm");
        Assert.That(FromPosteriorDeg(anySide.Best.Entry, FrontTarget), Is.GreaterThan(90), "unrestricted, the short anterior path wins");
        Assert.That(FromPosteriorDeg(posterior.Best.Entry, FrontTarget), Is.LessThanOrEqualTo(90));
        Assert.That(posterior.Best.Entry.Y, Is.GreaterThanOrEqualTo(FrontTarget.Y));
        Assert.That(posterior.Ranked, Has.All.Matches<TrajectoryEvaluation>(t => FromPosteriorDeg(t.Entry, t.Target) <= 90 + 1e-6));
        Assert.That(posterior.Best.LengthMm, Is.GreaterThan(anySide.Best.LengthMm));
    }
}
