using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

public class RenderingTests
{
    private static PhantomCase Case => PhantomFixture.Case;

    [Test]
    public void CbctIsZeroOutsideItsCylindricalFieldOfViewWhichCutsThroughTheBody()
    {
        var frame = Case.Cbct;
        var g = frame.Geometry;
        var c = g.Center;
        long bodyOutside = 0, insideAir = 0;
        double airSum = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var p = g.IndexToPhysical(i, j, k);
                    double r = Math.Sqrt((p.X - c.X) * (p.X - c.X) + (p.Y - c.Y) * (p.Y - c.Y));
                    if (r > 125.5)
                    {
                        Assert.That(frame.Image[i, j, k], Is.EqualTo(0));
                        if (frame.Labels[i, j, k] != SpineLabels.Background) bodyOutside++;
                    }
                    else if (r < 120 && frame.Labels[i, j, k] == SpineLabels.Background && k == g.Nz / 2)
                    {
                        insideAir++;
                        airSum += frame.Image[i, j, k];
                    }
                }
        Assert.That(bodyOutside, Is.GreaterThan(1000), "the field of view is smaller than the body");
        Assert.That(insideAir, Is.GreaterThan(100));
        Assert.That(airSum / insideAir, Is.GreaterThan(0).And.LessThan(400), "air is near the CBCT offset, not −1000 HU");
    }

    [Test]
    public void MrContrastFollowsTheTissueTable()
    {
        // T2: CSF brighter than cord, fat brighter than muscle; T1: fat brighter than CSF (means of deep voxels, bias ≤ ±20 %).
        double Mean(PhantomFrame f, byte label)
        {
            var g = f.Geometry;
            double sum = 0;
            long n = 0;
            for (int k = 1; k < g.Nz - 1; k++)
                for (int j = 1; j < g.Ny - 1; j++)
                    for (int i = 1; i < g.Nx - 1; i++)
                        if (f.Labels[i, j, k] == label && PhantomFixture.Uniform(f.Labels.Data, g, i, j, k))
                        {
                            sum += f.Image[i, j, k];
                            n++;
                        }
            Assert.That(n, Is.GreaterThan(0), $"{f.Name} has no deep voxel of label {label}");
            return sum / n;
        }
        Assert.That(Mean(Case.MrT2, SpineLabels.Fat), Is.GreaterThan(Mean(Case.MrT2, SpineLabels.ParaspinalMuscle) * 2));
        Assert.That(Mean(Case.MrT1, SpineLabels.Fat), Is.GreaterThan(Mean(Case.MrT1, SpineLabels.Disc) * 2));
        Assert.That(Mean(Case.MrT2, SpineLabels.Disc), Is.GreaterThan(Mean(Case.MrT1, SpineLabels.Disc) * 1.8));
    }

    [Test]
    public void ProbesInAFrameAreTheAnatomyProbesMappedByItsPose()
    {
        var mapped = Case.ProbesIn(Case.IntraOpCt);
        for (int n = 0; n < mapped.Count; n++)
        {
            Assert.That(Vec3.Distance(mapped[n].Tip, Case.IntraOpTruth.Probes[n].Tip), Is.LessThan(1e-9));
            Assert.That(Vec3.Distance(Case.IntraOpCt.PatientToAnatomy.TransformPoint(mapped[n].Entry), Case.Procedure.Probes[n].Entry), Is.LessThan(1e-9));
        }
    }

    [Test]
    public void DistanceToLabelIsNegativeDeepInsideAndBoundedByTheTrueDistanceOutside()
    {
        var a = Case.Anatomy;
        var cord = a.Landmarks.First(l => l.Kind == LandmarkKind.CordCentre);
        Assert.That(a.DistanceToLabel(SpineLabels.Cord, cord.Position), Is.LessThan(-3));
        // The cord's lateral semi-axis is 4.5–5.5 mm, so a point 40 mm lateral of its centre is at most 35.5 mm from it.
        var lateral = cord.Position + new Vec3(40, 0, 0);
        double d = a.DistanceToLabel(SpineLabels.Cord, lateral);
        Assert.That(d, Is.GreaterThan(0).And.LessThanOrEqualTo(35.5));
        Assert.That(a.LabelAt(lateral), Is.Not.EqualTo(SpineLabels.Cord));
    }

    [Test]
    public void TissueTableReplacesOneLabelAndRejectsNegativeMrSignal()
    {
        var t = TissueTable.Default.With(SpineLabels.Fat, new TissueProperties(-120, 900, 700));
        Assert.That(t[SpineLabels.Fat].CtHu, Is.EqualTo(-120));
        Assert.That(TissueTable.Default[SpineLabels.Fat].CtHu, Is.EqualTo(-100));
        Assert.Throws<InvalidPhantomOptionsException>(() => TissueTable.Default.With(SpineLabels.Fat, new TissueProperties(0, -1, 0)));
    }
}
