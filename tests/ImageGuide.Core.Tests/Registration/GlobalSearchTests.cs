using ImageGuide.Imaging;
using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

/// <summary>The global search's building blocks: principal-axes hypotheses and the overlap pre-pass.</summary>
[TestFixture]
public class GlobalSearchTests
{
    /// <summary>An ellipsoid (semi-axes 60, 35, 20 mm) with a brighter off-centre lobe, placed by <paramref name="toImage"/>.</summary>
    private static Volume<float> Ellipsoid(RigidTransform toImage, double spacing = 3)
    {
        int n = (int)(180 / spacing);
        var g = new VolumeGeometry(n, n, n, new Vec3(spacing, spacing, spacing), new Vec3(-90, -90, -90), Mat3.Identity);
        var v = new Volume<float>(g);
        var back = toImage.Inverse();
        for (int k = 0; k < n; k++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    var p = back.TransformPoint(g.IndexToPhysical(i, j, k));
                    double e = p.X * p.X / 3600 + p.Y * p.Y / 1225 + p.Z * p.Z / 400;
                    var lobe = p - new Vec3(30, 10, 0);
                    v.Data[g.LinearIndex(i, j, k)] = e <= 1 ? (lobe.Length < 12 ? 300 : 100) : 0;
                }
        return v;
    }

    [Test]
    public void PrincipalAxes_OneOfTheFourHypotheses_IsTheTrueRotation()
    {
        // 50° about an oblique axis: outside the ±30° grid around each posture, found by the principal axes
        var truth = new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 2, 3).Normalized(), 50 * Math.PI / 180), new Vec3(8, -5, 6), Vec3.Zero);
        var sampled = Ellipsoid(new RigidTransform(Versor.Identity, Vec3.Zero, Vec3.Zero));
        var target = Ellipsoid(truth);
        var cS = RegistrationInitializer.CenterOfMass(sampled);
        var cT = RegistrationInitializer.CenterOfMass(target);
        var hypotheses = GlobalSearch.PrincipalAxesRotations(sampled, null, cS, target, null, cT);
        Assert.That(hypotheses, Has.Count.EqualTo(4));
        foreach (var (r, _) in hypotheses) Assert.That(r.ToMatrix().Determinant(), Is.EqualTo(1).Within(1e-9), "proper rotations only");
        double best = hypotheses.Min(h => (h.Rotation.Conjugate() * truth.Rotation).Normalized().AngleRad) * 180 / Math.PI;
        Assert.That(best, Is.LessThan(3), "degrees from the truth");
        // and the centres of mass differ by the truth's shift (the lobe moves with the body)
        Assert.That((cT - truth.TransformPoint(cS)).Length, Is.LessThan(1.5));
    }

    [Test]
    public void OverlapPrePass_CountsWhatTheScoreCounts()
    {
        // consistency: on every sample, the pre-pass and the nearest-neighbour score agree on inside / outside
        var image = Ellipsoid(new RigidTransform(Versor.Identity, Vec3.Zero, Vec3.Zero), 6);
        var other = Ellipsoid(new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.3), Vec3.Zero, Vec3.Zero), 5);
        var mi = new CoarseMutualInformation(image, null, other, RegistrationInitializer.CenterOfMass(image), 16, 4000);
        var scratch = mi.NewScratch();
        var packed = mi.NewScratch();
        var rng = new Random(4);
        for (int trial = 0; trial < 40; trial++)
        {
            var axis = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5).Normalized();
            var rotation = Versor.FromAxisAngle(axis, rng.NextDouble() * Math.PI).ToMatrix();
            mi.Rotate(rotation, scratch);
            var t = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * 300;
            // every sample, and every 8th (the pre-pass's share; vector lanes and the scalar tail both counted)
            foreach (int stride in new[] { 1, 8 })
            {
                mi.Score(t, scratch, false, out int valid, 0, stride);
                int kept = mi.RotateStrided(rotation, packed, stride);
                Assert.That(kept, Is.EqualTo((mi.SampleCount + stride - 1) / stride));
                Assert.That(mi.OverlapCount(t, packed), Is.EqualTo(valid), $"trial {trial}, stride {stride}, shift {t}");
                // the packed samples score as the strided ones (the screening pass), by the vector loop
                double strided = mi.Score(t, scratch, false, out _, 0, stride);
                Assert.That(mi.Score(t, packed, false, out int packedValid, 0), Is.EqualTo(strided), $"trial {trial}, stride {stride}");
                Assert.That(packedValid, Is.EqualTo(valid));
            }
        }
    }
}
