using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Needle clearances against analytic shapes painted into label maps. A labelled voxel stands for a cube of tissue, so
/// the planner subtracts the voxel allowance (half the voxel diagonal); the reported clearance must never exceed the
/// analytic one by more than 0.1 mm and must lie within the voxel allowance (plus the 0.1 mm sampling bound and the
/// sub-voxel bound loss) below it.
/// </summary>
public class ClearanceAccuracyTests
{
    private static readonly PlanningConstraints Wide = PlanningConstraints.Default with { NeedleLengthMm = 500, MaxAngleFromAxialDeg = 90 };

    private static void CheckRandomSegments(ShapePhantom phantom, Func<Vec3, Vec3, double> analyticToShape, Vec3 lo, Vec3 hi, int seed, int count)
    {
        var anatomy = phantom.Anatomy();
        var planner = new TrajectoryPlanner(anatomy, Wide);
        double radius = Wide.NeedleDiameterMm / 2, allowance = anatomy.VoxelAllowanceMm;
        var rng = new Random(seed);
        int tested = 0;
        double worstAbove = double.NegativeInfinity, worstBelow = double.PositiveInfinity;
        while (tested < count)
        {
            Vec3 Rand() => new(lo.X + rng.NextDouble() * (hi.X - lo.X), lo.Y + rng.NextDouble() * (hi.Y - lo.Y), lo.Z + rng.NextDouble() * (hi.Z - lo.Z));
            Vec3 a = Rand(), b = Rand();
            double analytic = analyticToShape(a, b) - radius;
            if (analytic < 0.5 || analytic > 20 || Vec3.Distance(a, b) < 5) continue;
            double reported = planner.Evaluate(a, b).ClearancesMm["critical"];
            worstAbove = Math.Max(worstAbove, reported - analytic);
            worstBelow = Math.Min(worstBelow, reported - analytic);
            Assert.That(reported, Is.LessThanOrEqualTo(analytic + 0.1), $"segment {a} → {b}");
            Assert.That(reported, Is.GreaterThanOrEqualTo(analytic - allowance - 0.35), $"segment {a} → {b}");
            tested++;
        }
        TestContext.Out.WriteLine($"reported − analytic in [{worstBelow:F3}, {worstAbove:F3}] mm, allowance {allowance:F3} mm");
    }

    [Test]
    public void CylinderClearanceIsConservativeAndWithinTheVoxelAllowance()
    {
        var axisPoint = new Vec3(0, 0, 0);
        var axis = new Vec3(0, 0, 1);
        var p = new ShapePhantom(60, 60, 40, new Vec3(1, 1, 1), new Vec3(-30, -30, -20))
            .Add(1, "body", LabelRole.Body, _ => true)
            .Add(2, "critical", LabelRole.Critical, ShapePhantom.Cylinder(axisPoint, axis, 5));
        CheckRandomSegments(p, (a, b) => ShapePhantom.SegmentLineDistance(a, b, axisPoint, axis) - 5,
            new Vec3(-25, -25, -12), new Vec3(25, 25, 12), seed: 5, count: 150);
    }

    [Test]
    public void SphereClearanceOnAnAnisotropicGrid()
    {
        var c = new Vec3(0.35, -0.7, 2.0); // a voxel centre
        var p = new ShapePhantom(80, 80, 25, new Vec3(0.7, 0.7, 2.0), new Vec3(-27.65, -28.7, -22))
            .Add(1, "body", LabelRole.Body, _ => true)
            .Add(2, "critical", LabelRole.Critical, ShapePhantom.Sphere(c, 8));
        CheckRandomSegments(p, (a, b) => ShapePhantom.SegmentPointDistance(a, b, c) - 8,
            new Vec3(-24, -24, -18), new Vec3(24, 24, 20), seed: 9, count: 150);
    }

    [Test]
    public void SlabClearance()
    {
        // Slab 4 ≤ x ≤ 8 mm on a 0.5 mm grid: faces on voxel centres.
        var p = new ShapePhantom(50, 40, 30, new Vec3(0.5, 1.0, 1.0), new Vec3(-10, -20, -15))
            .Add(1, "body", LabelRole.Body, _ => true)
            .Add(2, "critical", LabelRole.Critical, ShapePhantom.Box(new Vec3(4, -100, -100), new Vec3(8, 100, 100)));
        CheckRandomSegments(p, (a, b) => 4 - Math.Max(a.X, b.X), new Vec3(-9, -18, -13), new Vec3(3, 18, 13), seed: 3, count: 100);
    }
}
