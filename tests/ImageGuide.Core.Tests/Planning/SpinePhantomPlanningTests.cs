using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

/// <summary>Single-needle planning on the project's spine phantom (diagnostic CT labels, 2 × 2 × 2.5 mm) for two seeds.</summary>
[TestFixture(1ul)]
[TestFixture(2ul)]
public class SpinePhantomPlanningTests(ulong seed)
{
    private PhantomFrame _ct = null!;
    private PlanningAnatomy _anatomy = null!;
    private TrajectoryPlanner _planner = null!;
    private Vec3 _target;

    [OneTimeSetUp]
    public void Build()
    {
        _ct = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Size = PhantomSize.Small }).DiagnosticCt;
        _anatomy = PlanningAnatomy.Create(_ct.Labels, _ct.LabelTable);
        _planner = new TrajectoryPlanner(_anatomy);
        _target = _anatomy.TargetCentroid();
    }

    private double Radius => _planner.Constraints.NeedleDiameterMm / 2;

    [Test]
    public void BestTrajectoryReachesTheTumourWithClearancesMetAndNeverOverstated()
    {
        var best = _planner.Plan(_target).Best;
        Assert.That(best, Is.Not.Null, "no feasible path on the spine phantom");
        Assert.That(best!.Target, Is.EqualTo(_target));
        Assert.That(_ct.Labels[(int)Math.Round(_ct.Geometry.PhysicalToIndex(_target).X), (int)Math.Round(_ct.Geometry.PhysicalToIndex(_target).Y),
            (int)Math.Round(_ct.Geometry.PhysicalToIndex(_target).Z)], Is.EqualTo(_ct.LabelTable["tumour"].Value));
        var g = _anatomy.Geometry;
        foreach (var s in _ct.LabelTable.WithRole(LabelRole.Critical))
        {
            double required = _planner.Constraints.Goals.RequiredClearanceMm(s);
            Assert.That(best.ClearancesMm[s.Name], Is.GreaterThanOrEqualTo(required), s.Name);
            // Independent: exact distance from the needle axis to every voxel centre of the structure.
            double brute = double.PositiveInfinity;
            for (int k = 0; k < g.Nz; k++)
                for (int j = 0; j < g.Ny; j++)
                    for (int i = 0; i < g.Nx; i++)
                        if (_ct.Labels[i, j, k] == s.Value)
                            brute = Math.Min(brute, ShapePhantom.SegmentPointDistance(best.Entry, best.Target, g.IndexToPhysical(i, j, k)));
            Assert.That(best.ClearancesMm[s.Name], Is.LessThanOrEqualTo(brute - Radius + 1e-6), s.Name);
        }
    }

    [Test]
    public void PathThroughTheCordIsRejectedAsCrossingIt()
    {
        // Cord voxel centres in the slices around the target: their centroid lies in the cord.
        var g = _anatomy.Geometry;
        byte cord = _ct.LabelTable["cord"].Value;
        double kt = g.PhysicalToIndex(_target).Z, sx = 0, sy = 0, sz = 0;
        int count = 0;
        for (int k = Math.Max(0, (int)kt - 1); k <= Math.Min(g.Nz - 1, (int)kt + 1); k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    if (_ct.Labels[i, j, k] == cord) { sx += i; sy += j; sz += k; count++; }
        Assume.That(count, Is.GreaterThan(0));
        var cordPoint = g.IndexToPhysical(new Vec3(sx / count, sy / count, sz / count));
        var entry = cordPoint + (cordPoint - _target).Normalized() * 20;
        var e = _planner.Evaluate(entry, _target);
        Assert.That(e.Feasible, Is.False);
        Assert.That(e.Reasons, Does.Contain("crosses cord"));
        Assert.That(e.ClearancesMm["cord"], Is.LessThan(0));
    }
}
