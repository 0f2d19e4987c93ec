using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

public class ProbePathPlannerTests
{
    [TestCase(9UL)]
    [TestCase(52UL)]
    public void FourProbesFindSeparatePosteriorPathsWithTipsInTheTumour(ulong seed)
    {
        // Seeds whose first target layout leaves no room for a fourth probe: the fallbacks must still place all four.
        var options = new PhantomOptions { Seed = seed, ProbeCount = 4 };
        var anatomy = SpineAnatomy.Build(options);
        var plan = ProbePathPlanner.Plan(anatomy, options);
        Assert.That(plan.Probes, Has.Count.EqualTo(4));
        foreach (var p in plan.Probes)
        {
            Assert.That(anatomy.LabelAt(p.Tip), Is.EqualTo(SpineLabels.Tumour));
            Assert.That(p.Entry.Y, Is.GreaterThan(0), "posterior entry");
            for (double t = 0; t <= 1; t += 0.005)
            {
                byte label = anatomy.LabelAt(p.Entry + (p.Tip - p.Entry) * t);
                Assert.That(SpineLabels.Table.TryGet(label, out var d) && d.Role == LabelRole.Critical, Is.False, $"crosses {label}");
            }
            foreach (var q in plan.Probes)
                if (!ReferenceEquals(p, q)) Assert.That(Vec3.Distance(p.Tip, q.Tip), Is.GreaterThanOrEqualTo(6 - 1e-9));
        }
    }
}
