using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>
/// Distance maps cropped to the planning region: the torso of <see cref="TrajectoryPlannerTests"/> (1 mm voxels) planned
/// with a 45 mm needle and a 20° gantry limit, whose region is a fraction of the grid.
/// </summary>
public class PlanningRegionTests
{
    private static readonly Vec3 Tumour = new(15, 5, 0);
    private static readonly PlanningConstraints Short = PlanningConstraints.Default with { NeedleLengthMm = 45, MaxAngleFromAxialDeg = 20 };
    private static LabelMap _labels = null!;
    private static PlanningAnatomy _whole = null!, _cropped = null!;

    [OneTimeSetUp]
    public void Build()
    {
        var phantom = new ShapePhantom(120, 100, 60, new Vec3(1, 1, 1), new Vec3(-60, -50, -30))
            .Add(1, "body", LabelRole.Body, p => Math.Pow(p.X / 55, 2) + Math.Pow(p.Y / 45, 2) <= 1)
            .Add(2, "vertebra", LabelRole.Bone, ShapePhantom.Box(new Vec3(-10, -5, -100), new Vec3(10, 15, 100)))
            .Add(3, "tumour", LabelRole.Target, ShapePhantom.Sphere(Tumour, 8))
            .Add(4, "cord", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(0, 25, 0), new Vec3(0, 0, 1), 5))
            .Add(5, "aorta", LabelRole.Critical, ShapePhantom.Cylinder(new Vec3(-15, -20, 0), new Vec3(0, 0, 1), 8));
        _labels = new LabelMap(phantom.Labels, new LabelTable(phantom.Structures));
        _whole = PlanningAnatomy.Create(_labels);
        _cropped = PlanningAnatomy.Create(_labels, Short);
    }

    [Test]
    public void RegionHoldsEveryShortPathAndIsSmallerThanTheGrid()
    {
        var r = _cropped.Region;
        var g = _labels.Volume.Geometry;
        // Tumour voxels span x 7..23, z −8..8; a 45 mm needle at ≤ 20° reaches x −38..68 (cut to the body, −55..55) and
        // z ±(8 + 45 sin 20°) = ±23.4, rounded outwards to voxel centres (−24, 24) plus one voxel each side.
        Assert.That(r.K0, Is.EqualTo((int)g.PhysicalToIndex(new Vec3(0, 0, -25)).Z));
        Assert.That(r.K0 + r.Nz - 1, Is.EqualTo((int)g.PhysicalToIndex(new Vec3(0, 0, 25)).Z));
        Assert.That(r.I0, Is.EqualTo((int)g.PhysicalToIndex(new Vec3(-39, 0, 0)).X));
        Assert.That(r.VoxelCount, Is.LessThan(0.7 * g.VoxelCount));
        Assert.That(_whole.Region, Is.EqualTo(PlanningRegion.Whole(g)));
    }

    [Test]
    public void CroppedMapsEqualTheWholeMapsInsideTheRegion()
    {
        var r = _cropped.Region;
        for (int m = 0; m < _whole.CriticalMaps.Count; m++)
        {
            var full = _whole.CriticalMaps[m].SquaredDistance;
            var crop = _cropped.CriticalMaps[m].SquaredDistance;
            for (int k = 0; k < r.Nz; k++)
                for (int j = 0; j < r.Ny; j++)
                    for (int i = 0; i < r.Nx; i++)
                        if (crop[i, j, k] != full[r.I0 + i, r.J0 + j, r.K0 + k])
                            Assert.Fail($"{_whole.CriticalMaps[m].Structure.Name} differs at ({r.I0 + i}, {r.J0 + j}, {r.K0 + k})");
        }
    }

    [Test]
    public void SearchAndCryoPlanAreIdenticalToTheWholeGrid()
    {
        var a = new TrajectoryPlanner(_whole, Short).Plan(Tumour);
        var b = new TrajectoryPlanner(_cropped, Short).Plan(Tumour);
        Assert.That(b.Ranked, Is.Not.Empty);
        Assert.That(b.Ranked.Count, Is.EqualTo(a.Ranked.Count));
        Assert.That(b.Rejected.Count, Is.EqualTo(a.Rejected.Count));
        for (int n = 0; n < a.Ranked.Count; n++)
        {
            Assert.That(b.Ranked[n].Entry, Is.EqualTo(a.Ranked[n].Entry));
            Assert.That(b.Ranked[n].RiskScore, Is.EqualTo(a.Ranked[n].RiskScore));
            Assert.That(b.Ranked[n].ClearancesMm, Is.EquivalentTo(a.Ranked[n].ClearancesMm));
        }
        var ca = new CryoPlanner(new TrajectoryPlanner(_whole, Short)).Plan(probeCount: 2);
        var cb = new CryoPlanner(new TrajectoryPlanner(_cropped, Short)).Plan(probeCount: 2);
        Assert.That(cb.LethalCoverage, Is.EqualTo(ca.LethalCoverage));
        Assert.That(cb.MinMarginMm, Is.EqualTo(ca.MinMarginMm));
        Assert.That(cb.IceToCriticalMm, Is.EquivalentTo(ca.IceToCriticalMm));
        Assert.That(cb.Probes.Select(p => p.Tip), Is.EqualTo(ca.Probes.Select(p => p.Tip)));
    }

    [Test]
    public void PathsLeavingTheRegionGetConservativeClearances()
    {
        // From far above the region (z 28) down to the tumour: part of the path lies outside the maps.
        var entry = new Vec3(-20, -30, 28);
        double whole = new TrajectoryPlanner(_whole, Short).Evaluate(entry, Tumour).ClearancesMm["aorta"];
        double cropped = new TrajectoryPlanner(_cropped, Short).Evaluate(entry, Tumour).ClearancesMm["aorta"];
        Assert.That(cropped, Is.LessThanOrEqualTo(whole + 1e-9));
        Assert.That(cropped, Is.GreaterThan(whole - 10));
    }
}
