using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Seeded patient poses. Each acquisition's anatomy → patient transform rotates by at most 7.5° about a random
/// axis through its anchor and translates by at most 15 mm, so the transform between any two frames stays within
/// ±15° and ±30 mm.
/// </summary>
internal static class AcquisitionPose
{
    public const double MaxAngleDeg = 7.5, MaxTranslationMm = 15;

    public static RigidTransform Draw(PhantomRandom rng, Vec3 anchor)
    {
        var axis = RandomDirection(rng);
        double angle = rng.Uniform(-MaxAngleDeg, MaxAngleDeg) * Math.PI / 180;
        var t = RandomDirection(rng) * rng.Uniform(0, MaxTranslationMm);
        return new RigidTransform(Versor.FromAxisAngle(axis, angle), t, anchor);
    }

    private static Vec3 RandomDirection(PhantomRandom rng)
    {
        while (true)
        {
            var v = new Vec3(rng.NextGaussian(), rng.NextGaussian(), rng.NextGaussian());
            if (v.Length > 1e-3) return v.Normalized();
        }
    }
}
