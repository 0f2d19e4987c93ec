using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class EvaluationTests
{
    [Test]
    public void Statistics_MatchHandComputedValues()
    {
        var s = TreStatistics.FromErrors([4.0, 1.0, 3.0, 2.0]);
        Assert.That(s.Count, Is.EqualTo(4));
        Assert.That(s.Median, Is.EqualTo(2.5));
        Assert.That(s.Mean, Is.EqualTo(2.5));
        Assert.That(s.P95, Is.EqualTo(3.85).Within(1e-12)); // position 0.95·3 = 2.85 → 3 + 0.85·(4 − 3)
        Assert.That(s.Max, Is.EqualTo(4));
        Assert.Throws<ArgumentException>(() => TreStatistics.FromErrors([]));
    }

    [Test]
    public void LandmarkTre_IsTheDistanceFromMappedFixedToMovingPoints()
    {
        var t = RigidTransform.FromTranslation(new Vec3(3, 4, 0));
        Vec3[] fixedPts = [new(0, 0, 0), new(10, 0, 0), new(0, 10, 5)];
        Vec3[] movingPts = [new(3, 4, 0), new(13, 4, 1), new(3, 14, 7)]; // errors 0, 1, 2
        var s = RegistrationEvaluation.Tre(t, fixedPts, movingPts);
        Assert.That(s.Median, Is.EqualTo(1).Within(1e-12));
        Assert.That(s.Mean, Is.EqualTo(1).Within(1e-12));
        Assert.That(s.Max, Is.EqualTo(2).Within(1e-12));
        Assert.Throws<RegistrationException>(() => RegistrationEvaluation.Tre(t, fixedPts, movingPts[..2]));
    }

    [Test]
    public void GroundTruthTre_OfARotationError_GrowsWithDistanceFromTheAxis()
    {
        // 1° about z through the origin: error at radius r is 2·r·sin(0.5°)
        var est = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), Math.PI / 180), Vec3.Zero, Vec3.Zero);
        Vec3[] pts = [new(0, 0, 50), new(100, 0, 0), new(0, -50, 7)];
        var s = RegistrationEvaluation.Tre(est, RigidTransform.Identity, pts);
        double chord = 2 * Math.Sin(Math.PI / 360);
        Assert.That(s.Max, Is.EqualTo(100 * chord).Within(1e-9));
        Assert.That(s.Median, Is.EqualTo(50 * chord).Within(1e-9));
        Assert.That(RegistrationEvaluation.Tre(est, est, pts).Max, Is.Zero);
    }

    [Test]
    public void RandomForegroundPoints_LieInTheMask_AndAreReproducible()
    {
        var g = new VolumeGeometry(20, 20, 20, new Vec3(1, 2, 3), new Vec3(5, 5, 5));
        var mask = new Volume<byte>(g);
        for (int k = 2; k < 5; k++) for (int j = 10; j < 12; j++) for (int i = 15; i < 18; i++) mask[i, j, k] = 1;
        var a = MaskSampling.RandomPoints(mask, 500, 3);
        var b = MaskSampling.RandomPoints(mask, 500, 3);
        Assert.That(a, Is.EqualTo(b).AsCollection);
        foreach (var p in a)
            Assert.That(Interpolator.SampleAtPoint(mask, p, InterpolationMode.Nearest, 0), Is.EqualTo(1), p.ToString());
        Assert.Throws<InvalidImageDataException>(() => MaskSampling.RandomPoints(new Volume<byte>(g), 5, 1));
    }

    [Test]
    public void Dice_OfABoxShiftedByHalfItsWidth_IsOneHalf()
    {
        var g = new VolumeGeometry(30, 10, 10, new Vec3(1, 1, 1), Vec3.Zero);
        var labels = new Volume<byte>(g);
        for (int k = 2; k < 8; k++) for (int j = 2; j < 8; j++) for (int i = 10; i < 20; i++) labels[i, j, k] = 3;
        Assert.That(RegistrationEvaluation.Dice(labels, labels, RigidTransform.Identity, 3), Is.EqualTo(1));
        // fixed point x maps to moving x + 5: the warped box is the box moved by −5 → overlap 5 of 10 columns
        var shift = RigidTransform.FromTranslation(new Vec3(5, 0, 0));
        Assert.That(RegistrationEvaluation.Dice(labels, labels, shift, 3), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(RegistrationEvaluation.Dice(labels, labels, shift, 9), Is.EqualTo(1)); // absent from both
    }

    [Test]
    public void Dice_OfPhantomLabels_IsHighAtTheTruthAndDropsWhenOff()
    {
        var truth = SyntheticPhantom.RandomTransform(5, 10, 10);
        var fixedLabels = SyntheticPhantom.Labels(SyntheticPhantom.FixedGrid());
        var movingLabels = SyntheticPhantom.Labels(SyntheticPhantom.MovingGrid(truth.TransformPoint(Vec3.Zero)), truth.Inverse());
        double atTruth = RegistrationEvaluation.Dice(fixedLabels, movingLabels, truth, 2);
        double off = RegistrationEvaluation.Dice(fixedLabels, movingLabels, RigidParameters.Apply(truth, [0, 0, 0, 4, 0, 0]), 2);
        Assert.That(atTruth, Is.GreaterThan(0.9));
        Assert.That(off, Is.LessThan(atTruth - 0.1));
    }
}
