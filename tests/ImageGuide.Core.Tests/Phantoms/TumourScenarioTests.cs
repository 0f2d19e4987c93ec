using ImageGuide.Model;
using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

/// <summary>The treatable tumour scenario and probes placed where a plan put them.</summary>
public class TumourScenarioTests
{
    [Test]
    public void PlannedProbesWithoutErrorGiveTheSameFreezeAsTheSameProbesChosenByTheGenerator()
    {
        // The generator's own probes, handed back as a plan (diagnostic CT frame) with no placement error, must give the
        // same probes in every frame and the same ice ball voxel for voxel: the plan is placed, nothing else changes.
        var options = new PhantomOptions { Seed = 2, Tumour = TumourScenario.Treatable, SuperSampling = 1 };
        var own = PhantomGenerator.Generate(options);
        var plan = own.ProbesIn(own.DiagnosticCt);
        var placed = PhantomGenerator.Generate(options with { PlannedProbes = plan, ProbePlacementErrorSdMm = 0 });

        var again = placed.ProbesIn(placed.DiagnosticCt);
        var planned = placed.PlannedProbesIn(placed.DiagnosticCt)!;
        Assert.That(again, Has.Count.EqualTo(plan.Count));
        for (int n = 0; n < plan.Count; n++)
        {
            Assert.That(Vec3.Distance(again[n].Tip, plan[n].Tip), Is.LessThan(1e-9));
            Assert.That(Vec3.Distance(again[n].Entry, plan[n].Entry), Is.LessThan(1e-9));
            Assert.That(Vec3.Distance(planned[n].Tip, plan[n].Tip), Is.LessThan(1e-9));
        }
        Assert.That(placed.IntraOpTruth.IceBall.Data, Is.EqualTo(own.IntraOpTruth.IceBall.Data));
        Assert.That(own.PlannedProbesIn(own.DiagnosticCt), Is.Null, "the generator's own paths are no plan");
    }

    [Test]
    public void PlacementErrorIsSeededAndAboutItsStandardDeviation()
    {
        var options = new PhantomOptions { Seed = 3, Tumour = TumourScenario.Treatable, SuperSampling = 1 };
        var own = PhantomGenerator.Generate(options);
        var plan = own.ProbesIn(own.DiagnosticCt);
        var a = PhantomGenerator.Generate(options with { PlannedProbes = plan });
        var b = PhantomGenerator.Generate(options with { PlannedProbes = plan });
        Assert.That(a.IntraOpCt.Image.Data, Is.EqualTo(b.IntraOpCt.Image.Data), "same options, same case");
        var placed = a.ProbesIn(a.DiagnosticCt);
        // per coordinate N(0, 1.5 mm): each of 2 × count × 3 coordinate errors is within 4.5 σ, and not all are zero
        double sum2 = 0;
        int n = 0;
        for (int p = 0; p < plan.Count; p++)
            foreach (var (x, y) in new[] { (placed[p].Tip, plan[p].Tip), (placed[p].Entry, plan[p].Entry) })
            {
                var d = x - y;
                foreach (double c in new[] { d.X, d.Y, d.Z })
                {
                    Assert.That(Math.Abs(c), Is.LessThan(4.5 * 1.5));
                    sum2 += c * c;
                    n++;
                }
            }
        Assert.That(Math.Sqrt(sum2 / n), Is.InRange(0.3, 3.0), "RMS of the coordinate errors");
    }

    [Test]
    public void TheTreatableTumourLiesFartherFromTheCanalThanTheDefault()
    {
        // The default tumour is fitted 2.5 mm from the canal (TumourBuilder); the treatable one is placed farthest from
        // canal, roots and vessels at the lateral wall: on the CT's truth labels (2 mm voxels, centre to centre) farther
        // from every CSF voxel than the default, and more than 10 mm.
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            var near = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, SuperSampling = 1 });
            var far = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, SuperSampling = 1, Tumour = TumourScenario.Treatable });
            double nearMm = TumourToCsfMm(near.DiagnosticCt), farMm = TumourToCsfMm(far.DiagnosticCt);
            Assert.That(farMm, Is.GreaterThan(nearMm), $"seed {seed}: the treatable one lies farther from the CSF");
            Assert.That(farMm, Is.GreaterThan(10), $"seed {seed}: more than the 2 mm CSF clearance + 5 mm margin + the ice beyond the lethal edge");
        }
    }

    /// <summary>Smallest distance (mm, voxel centres) between a tumour voxel and a CSF voxel of a frame's truth labels.</summary>
    private static double TumourToCsfMm(PhantomFrame frame)
    {
        var g = frame.Geometry;
        var tumour = new List<Vec3>();
        var csf = new List<Vec3>();
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    byte v = frame.Labels[i, j, k];
                    if (v == SpineLabels.Tumour) tumour.Add(g.IndexToPhysical(new Vec3(i, j, k)));
                    else if (v == SpineLabels.Csf) csf.Add(g.IndexToPhysical(new Vec3(i, j, k)));
                }
        double best = double.PositiveInfinity;
        foreach (var t in tumour)
            foreach (var c in csf)
                best = Math.Min(best, Vec3.Distance(t, c));
        return best;
    }
}
