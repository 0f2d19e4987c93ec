using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class MattesMutualInformationTests
{
    private static readonly RigidTransform Truth =
        new(Versor.FromAxisAngle(new Vec3(0.3, -0.5, 0.8), 6 * Math.PI / 180), new Vec3(4, -3, 5), Vec3.Zero);

    private static (Volume<float> Ct, Volume<float> Mr) SmoothPair()
    {
        var (ct, mr) = SyntheticPhantom.Pair(Truth, 11);
        return (Pyramid.Smooth(ct, 2), Pyramid.Smooth(mr, 2));
    }

    [Test]
    public void Gradient_MatchesCentralFiniteDifferences()
    {
        var (ct, mr) = SmoothPair();
        // the body mask keeps every sample inside the moving image: a sample crossing its border makes a jump
        // that finite differences would mistake for slope
        var body = SyntheticPhantom.Labels(ct.Geometry);
        var metric = new MattesMutualInformation(ct, mr, body, null, 32, SamplingStrategy.Random, 20000, 3);
        // a point away from the optimum, so the gradient is not ~0
        var at = RigidParameters.Apply(Truth, [0.03, -0.02, 0.04, 1.5, -2.0, 1.0]);
        var g = new double[6];
        metric.Evaluate(at, g);
        double[] h = [1e-4, 1e-4, 1e-4, 1e-3, 1e-3, 1e-3];
        for (int p = 0; p < 6; p++)
        {
            var plus = new double[6]; plus[p] = h[p];
            var minus = new double[6]; minus[p] = -h[p];
            double fd = (metric.GetValue(RigidParameters.Apply(at, plus)) - metric.GetValue(RigidParameters.Apply(at, minus))) / (2 * h[p]);
            Assert.That(g[p], Is.EqualTo(fd).Within(0.02 * Math.Abs(fd) + 1e-4), $"parameter {p}: analytic {g[p]:G6}, finite difference {fd:G6}");
        }
    }

    [Test]
    public void Value_AndGradient_AreIdenticalWithOneOrManyThreads()
    {
        var (ct, mr) = SmoothPair();
        var at = RigidParameters.Apply(Truth, [0.02, 0.01, -0.03, 1, 2, -1]);
        var one = new MattesMutualInformation(ct, mr, null, null, 32, SamplingStrategy.Random, 30000, 9, maxDegreeOfParallelism: 1);
        var many = new MattesMutualInformation(ct, mr, null, null, 32, SamplingStrategy.Random, 30000, 9, maxDegreeOfParallelism: 8);
        var g1 = new double[6]; var g8 = new double[6];
        double v1 = one.Evaluate(at, g1), v8 = many.Evaluate(at, g8);
        Assert.That(v8, Is.EqualTo(v1)); // bit-identical, not merely close
        Assert.That(g8, Is.EqualTo(g1).AsCollection);
    }

    [Test]
    public void SelfInformation_IsLargestAtIdentity()
    {
        // noise-free, so that interpolation (which averages noise) cannot masquerade as a better match
        var ct = SyntheticPhantom.Render(SyntheticPhantom.FixedGrid(), SyntheticPhantom.CtTable, 0, 5);
        var body = SyntheticPhantom.Labels(ct.Geometry);
        var metric = new MattesMutualInformation(ct, ct, body, null, 32, SamplingStrategy.Random, 20000, 1);
        var center = new RigidTransform(Versor.Identity, Vec3.Zero, Vec3.Zero);
        var g = new double[6];
        double atIdentity = metric.Evaluate(center, g);
        // every rotation or shift away from identity must give a higher −MI
        double[][] offsets =
        [
            [0, 0, 0, 0.5, 0, 0], [0, 0, 0, 0, -1, 0], [0, 0, 0, 0, 0, 2], [0.01, 0, 0, 0, 0, 0],
            [0, -0.02, 0, 0, 0, 0], [0, 0, 0.05, 0, 0, 0], [0.01, 0.01, 0.01, 0.3, 0.3, 0.3],
        ];
        foreach (var o in offsets)
            Assert.That(metric.GetValue(RigidParameters.Apply(center, o)), Is.GreaterThan(atIdentity), string.Join(",", o));
        // and the optimum is stationary: translation gradient small compared with a 1 mm offset's
        var g1 = new double[6];
        metric.Evaluate(RigidParameters.Apply(center, [0, 0, 0, 1, 0, 0]), g1);
        Assert.That(Math.Abs(g[3]), Is.LessThan(0.2 * Math.Abs(g1[3])));
    }

    [Test]
    public void BSplineWindow_IsAPartitionOfUnity_WithMatchingDerivative()
    {
        foreach (double t in new[] { 0.0, 0.25, 0.5, 0.9 })
        {
            double sum = 0, dsum = 0;
            for (int k = -2; k <= 2; k++)
            {
                sum += MattesMutualInformation.CubicBSpline(k - t);
                dsum += MattesMutualInformation.CubicBSplineDerivative(k - t);
            }
            Assert.That(sum, Is.EqualTo(1).Within(1e-12));
            Assert.That(dsum, Is.EqualTo(0).Within(1e-12));
        }
        Assert.That(MattesMutualInformation.CubicBSpline(0), Is.EqualTo(2.0 / 3).Within(1e-15));
        Assert.That(MattesMutualInformation.CubicBSpline(1), Is.EqualTo(1.0 / 6).Within(1e-15));
        Assert.That(MattesMutualInformation.CubicBSplineDerivative(-1), Is.EqualTo(0.5).Within(1e-15));
    }

    [Test]
    public void SamplesOutsideTheMovingImage_AreLeftOut()
    {
        var (ct, mr) = SmoothPair();
        var metric = new MattesMutualInformation(ct, mr, null, null, 32, SamplingStrategy.Random, 5000, 2);
        metric.GetValue(Truth);
        Assert.That(metric.ValidSampleCount, Is.GreaterThan(metric.SampleCount / 2));
        double far = metric.GetValue(RigidTransform.FromTranslation(new Vec3(1000, 0, 0)));
        Assert.That(metric.ValidSampleCount, Is.Zero);
        Assert.That(far, Is.Zero);
    }

    [Test]
    public void FixedMask_RestrictsSamplesToTheMask()
    {
        var (ct, mr) = SmoothPair();
        var mask = new Volume<byte>(ct.Geometry);
        for (int k = 0; k < 64; k++) for (int j = 0; j < 64; j++) for (int i = 0; i < 32; i++) mask[i, j, k] = 1; // x < 0 half
        var metric = new MattesMutualInformation(ct, mr, mask, null, 32, SamplingStrategy.Random, 3000, 2);
        foreach (var p in metric.SamplePoints()) Assert.That(p.X, Is.LessThan(1.0 + 1e-9)); // nearest voxel with i < 32 has x ≤ −1, jitter ≤ 1 mm
        var empty = new Volume<byte>(ct.Geometry);
        Assert.Throws<RegistrationException>(() => new MattesMutualInformation(ct, mr, empty, null));
    }
}
