using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class MultiStartTests
{
    [Test]
    public void Starts_AreTheStartThenGridLocalMinima_BestFirst()
    {
        var truth = new RigidTransform(Versor.Identity, new Vec3(16, -8, 8), Vec3.Zero);
        var (ct, mr) = SyntheticPhantom.Pair(truth, 5);
        var ctL = Pyramid.Level(ct, 4, 2);
        var mrL = Pyramid.Level(mr, 4, 2);
        var metric = new MattesMutualInformation(ctL, mrL, null, null, 32, SamplingStrategy.Random, 5000, 1);
        var start = new RigidTransform(Versor.Identity, Vec3.Zero, Vec3.Zero);
        var ms = new MultiStartSettings { MaximumShiftMm = 16, StepMm = 8, Starts = 3 };
        var starts = MultiStart.Starts(metric, start, ms, 500, CancellationToken.None);

        Assert.That(starts[0], Is.EqualTo(start));
        Assert.That(starts, Has.Count.InRange(2, 4));
        var values = starts.Skip(1).Select(metric.GetValue).ToList();
        Assert.That(values, Is.Ordered);
        foreach (var s in starts.Skip(1))
        {
            var t = s.Translation;
            foreach (double c in new[] { t.X, t.Y, t.Z })
            {
                Assert.That(Math.Abs(c), Is.LessThanOrEqualTo(16 + 1e-9));
                Assert.That(Math.Abs(c / 8 - Math.Round(c / 8)), Is.LessThan(1e-9), "on the 8 mm grid");
            }
        }
        // the best grid point is the one at the true shift, which lies on the grid
        Assert.That((starts[1].Translation - truth.Translation).Length, Is.LessThan(1e-9));
    }

    [Test]
    public void Registration_WithMultiStart_FromIdentity_CapturesA22MillimetreShift()
    {
        var truth = new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 0, 1), 6 * Math.PI / 180), new Vec3(14, -13, 11), Vec3.Zero);
        var (ct, mr) = SyntheticPhantom.Pair(truth, 37);
        var settings = RegistrationPreset.CtMr with
        {
            Initializer = InitializerKind.None,
            SampleCount = 8000,
            MultiStart = new MultiStartSettings { MaximumShiftMm = 16, StepMm = 8, Starts = 4, SelectAfterLevel = 1 },
        };
        var r = new RigidRegistration(settings).Execute(ct, mr);
        var points = MaskSampling.RandomPoints(SyntheticPhantom.Labels(SyntheticPhantom.FixedGrid()), 2000, 3);
        var tre = RegistrationEvaluation.Tre(r.Transform, truth, points);
        TestContext.Out.WriteLine($"multi-start from identity: TRE median {tre.Median:F3} max {tre.Max:F3} mm, {r.WallTime.TotalSeconds:F2} s");
        Assert.That(tre.Median, Is.LessThan(0.5));
        Assert.That(tre.Max, Is.LessThan(1.5));
    }
}
