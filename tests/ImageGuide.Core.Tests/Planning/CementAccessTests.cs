using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Cement access on the spine phantom, checked against its known geometry: the treated level's vertebral body (centre
/// and antero-posterior semi-axis) and the pedicle landmarks (the back end of each pedicle).
/// </summary>
public class CementAccessTests
{
    [Test]
    public void UniAndBipedicularCannulasReachTheAnteriorThirdThroughThePedicles()
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 1, Size = PhantomSize.Small });
        var ct = phantom.DiagnosticCt;
        var anatomy = PlanningAnatomy.Create(ct.Labels, ct.LabelTable);
        var paths = new TrajectoryPlanner(anatomy);
        var level = phantom.Anatomy.Levels[phantom.Anatomy.TumourLevelIndex];
        var centre = ct.AnatomyToPatient.TransformPoint(level.BodyCenter);
        var anterior = ct.AnatomyToPatient.TransformVector(new Vec3(0, -1, 0)).Normalized();
        var plans = new CementAccessPlanner(paths).Plan(centre);
        Assert.That(plans.Select(p => p.Approach), Is.EqualTo(new[] { "unipedicular", "bipedicular" }));
        double voxel = ct.Geometry.Spacing.Length;
        // the tumour (lytic body and postero-lateral soft tissue) lies on one side: the contralateral pedicle must serve
        string contralateral = phantom.Anatomy.TumourSide > 0 ? "right" : "left";
        Assert.That(plans[0].Feasible, Is.True, plans[0].Reason);
        Assert.That(plans[1].Trajectories.Single(t => t.Side == contralateral).Path, Is.Not.Null, plans[1].Reason);
        foreach (var plan in plans)
        {
            TestContext.Out.WriteLine($"{plan.Approach}: {plan.Feasible} {plan.Reason} " + string.Join("; ", plan.Trajectories.Select(t => $"{t.Side} {t.Path?.Entry} → {t.Target}, {t.Path?.LengthMm:F1} mm")));
            if (!plan.Feasible) Assert.That(plan.Reason, Does.Contain("pedicle to the anterior third").And.Contain("entries"));
            foreach (var t in plan.Trajectories.Where(t => t.Path is not null))
            {
                // anterior third: at least a third of the semi-axis in front of the body centre, inside the body
                double ahead = Vec3.Dot(t.Target - centre, anterior);
                Assert.That(ahead, Is.InRange(level.HalfDepth / 3 - voxel, level.HalfDepth + voxel), $"{t.Side} target in the anterior third");
                Assert.That(t.Path!.Feasible && t.Path.Reasons.Count == 0, Is.True);
                Assert.That(t.Path.ClearancesMm["cord"], Is.GreaterThanOrEqualTo(5));
                // through the pedicle of its side: the path passes within the pedicle's 5 mm radius (+ a voxel) of its back end
                var tip = ct.Landmarks.Single(l => l.Name == $"{level.Name} pedicle tip {t.Side}").Position;
                Assert.That(ShapePhantom.SegmentPointDistance(t.Path.Entry, t.Path.Target, tip), Is.LessThanOrEqualTo(5 + voxel), $"{t.Side} pedicle");
            }
        }
        Assert.That(plans[1].Trajectories.Select(t => t.Side), Is.EqualTo(new[] { "left", "right" }));
        using var doc = System.Text.Json.JsonDocument.Parse(PlanJson.Serialize([], null, paths.Constraints, cement: plans));
        Assert.That(doc.RootElement.GetProperty("cementAccess")[1].GetProperty("trajectories").GetArrayLength(), Is.EqualTo(2));
    }
}
