using ImageGuide.IO;
using ImageGuide.Phantoms;
using ImageGuide.Segmentation;

namespace ImageGuide.Tests.Segmentation;

/// <summary>
/// An analytic scene independent of the phantom generator: soft tissue (45 HU, noise σ 15 HU), one metal probe, an ice
/// ellipsoid (−85 HU) entirely in soft tissue, no bone — the soft-tissue case of issue 6.
/// </summary>
public class SyntheticIceBallTests
{
    private static readonly Vec3 Tip = new(60, 50, 45);
    private static readonly Vec3 Axis = new Vec3(1, 0.2, 0).Normalized();
    private const double Radial = 9, AxialR = 12, Behind = 4;

    private static (Volume<float> Intra, Volume<float> Pre, Volume<byte> Truth) Scene(ulong seed)
    {
        var g = new VolumeGeometry(100, 100, 60, new Vec3(1, 1, 1.5), Vec3.Zero);
        var intra = new Volume<float>(g);
        var pre = new Volume<float>(g);
        var truth = new Volume<byte>(g);
        var rng = new PhantomRandom(seed);
        var centre = Tip - Axis * Behind;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var p = g.IndexToPhysical(i, j, k);
                    long n = g.LinearIndex(i, j, k);
                    double t = Vec3.Dot(p - Tip, Axis);
                    double shaft = Vec3.Distance(p, Tip + Axis * Math.Min(0, t));
                    var d = p - centre;
                    double along = Vec3.Dot(d, Axis), across2 = Vec3.Dot(d, d) - along * along;
                    bool ice = across2 / (Radial * Radial) + along * along / (AxialR * AxialR) <= 1;
                    double baseHu = shaft <= 1.2 ? 3000 : 45;
                    pre[i, j, k] = (float)(baseHu + 15 * rng.NextGaussian());
                    intra[i, j, k] = (float)(baseHu + (ice && shaft > 1.2 ? -85 : 0) + 15 * rng.NextGaussian());
                    truth.Data[n] = (byte)(ice ? 1 : 0);
                }
        return (intra, pre, truth);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void SoftTissueIceBall_IsSegmentedWithoutExtrapolation(bool withPre)
    {
        var (intra, pre, truth) = Scene(5);
        var a = new IceBallSegmenter().Analyze(new IceBallInputs { IntraOpCt = intra, PreFreezeCt = withPre ? pre : null });
        double dice = IceBallMeasures.Dice(a.IceBall, truth);
        double vTrue = IceBallMeasures.VolumeMl(truth);
        TestContext.Out.WriteLine($"pre {withPre}: Dice {dice:0.000}, volume {a.VolumeMl:0.00} vs {vTrue:0.00} mL, model {a.Model}, tip {Vec3.Distance(a.Probes[0].Tip, Tip):0.00} mm");
        Assert.Multiple(() =>
        {
            Assert.That(a.Probes, Has.Count.EqualTo(1));
            Assert.That(Vec3.Distance(a.Probes[0].Tip, Tip), Is.LessThan(2));
            Assert.That(Vec3.Dot(a.Probes[0].Axis, Axis), Is.GreaterThan(Math.Cos(2 * Math.PI / 180)));
            Assert.That(dice, Is.GreaterThanOrEqualTo(0.92));
            Assert.That(Math.Abs(a.VolumeMl - vTrue) / vTrue, Is.LessThan(0.05));
            Assert.That(IceBallMeasures.MeanSurfaceDistanceMm(a.IceBall, truth), Is.LessThan(1));
            Assert.That(a.ExtrapolatedFraction, Is.EqualTo(0));
            Assert.That(a.Model!.Zone.RadialMm, Is.EqualTo(Radial).Within(1));
            Assert.That(a.Model!.Zone.AxialMm, Is.EqualTo(AxialR).Within(1.5));
        });
    }

    [Test]
    public void GivenProbes_AreUsedAsIs_AndNoMetalIsNeeded()
    {
        var (intra, pre, _) = Scene(6);
        var a = new IceBallSegmenter().Analyze(new IceBallInputs { IntraOpCt = intra, PreFreezeCt = pre, Probes = [new ProbeAxis(Tip, Axis)] });
        Assert.That(a.ProbesDetected, Is.False);
        Assert.That(a.Probes[0].Tip, Is.EqualTo(Tip));
    }

    [Test]
    public void NoMetalAndNoProbes_IsASegmentationExceptionNamingTheFix()
    {
        var g = new VolumeGeometry(40, 40, 20, new Vec3(1, 1, 1), Vec3.Zero);
        var ct = new Volume<float>(g);
        Array.Fill(ct.Data, 40f);
        var e = Assert.Throws<SegmentationException>(() => new IceBallSegmenter().Analyze(new IceBallInputs { IntraOpCt = ct }));
        Assert.That(e!.Message, Does.Contain("--probes"));
    }

    [Test]
    public void BeforeFreezing_TheIceBallIsEmptyWithAWarning()
    {
        var (_, pre, _) = Scene(7);
        var a = new IceBallSegmenter().Analyze(new IceBallInputs { IntraOpCt = pre, PreFreezeCt = pre });
        Assert.That(a.VolumeMl, Is.EqualTo(0));
        Assert.That(a.Warnings, Has.Some.Contains("No ice"));
        Assert.That(IceBallJson.Serialize(a), Does.Contain("\"volumeMl\": 0"));
    }
}
