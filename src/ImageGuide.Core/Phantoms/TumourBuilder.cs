using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Draws the tumour in straight spine coordinates: a lytic ellipsoid inside the vertebral body plus an
/// extra-osseous ellipsoid at the postero-lateral wall, each scaled to the largest size that keeps 2.5 mm from
/// the spinal canal and a seeded gap (2.5–6 mm) from every nerve root — so the soft-tissue component reaches
/// toward the exiting root without touching it — and joined so the lesion is one connected solid.
/// </summary>
internal static class TumourBuilder
{
    private const double CanalMarginMm = 2.5;

    public static ShapeUnion Build(PhantomRandom rng, double rw, double rd, double yBody, double zBody, double height, int side,
        double posteriorWall, double canalRx, double canalRy, double yCanal, IReadOnlyList<Capsule> roots, double rootRadius)
    {
        double gap = rng.Uniform(2.5, 6);
        var constraints = new List<(Vec3 Point, double Margin)>();
        for (int iz = -10; iz <= 10; iz++)
            for (int ia = 0; ia < 32; ia++)
            {
                double t = ia * Math.PI / 16;
                constraints.Add((new Vec3(canalRx * Math.Cos(t), yCanal + canalRy * Math.Sin(t), zBody + 3 * iz), CanalMarginMm));
            }
        foreach (var root in roots)
        {
            double len = (root.B - root.A).Length;
            int steps = Math.Max(1, (int)Math.Ceiling(len));
            for (int s = 0; s <= steps; s++)
            {
                var p = root.A + (root.B - root.A) * ((double)s / steps);
                if (Math.Abs(p.Z - zBody) < 50) constraints.Add((p, rootRadius + gap));
            }
        }

        var lyticCenter = new Vec3(side * rw * rng.Uniform(0.25, 0.45), yBody + rd * rng.Uniform(-0.3, 0.1), zBody + rng.Uniform(-3, 3));
        double r = rng.Uniform(8, 12);
        var lyticRadii = new Vec3(r, r * rng.Uniform(0.8, 1), r * rng.Uniform(0.85, 1.05));
        var lytic = Fit(lyticCenter, lyticRadii, constraints, 1.0);

        var extCenter = new Vec3(side * (rw + rng.Uniform(1, 5)), posteriorWall - rng.Uniform(3, 8), zBody - rng.Uniform(2, 7));
        var extRadii = new Vec3(rng.Uniform(8, 12), rng.Uniform(7, 10), rng.Uniform(9, 13));
        var ext = Fit(extCenter, extRadii, constraints, 16 / Math.Max(extRadii.X, Math.Max(extRadii.Y, extRadii.Z)));
        for (int n = 0; n < 20 && !Connected(lytic, ext); n++)
        {
            extCenter += (lytic.Center - extCenter).Normalized() * 1.5;
            ext = Fit(extCenter, extRadii, constraints, 16 / Math.Max(extRadii.X, Math.Max(extRadii.Y, extRadii.Z)));
        }
        return new ShapeUnion([lytic, ext]);
    }

    /// <summary>The ellipsoid scaled about its centre to the largest factor ≤ <paramref name="maxScale"/> meeting every constraint.</summary>
    private static Ellipsoid Fit(Vec3 center, Vec3 radii, List<(Vec3 Point, double Margin)> constraints, double maxScale)
    {
        double lo = 0.3, hi = maxScale;
        if (Satisfies(center, radii * hi, constraints)) return new Ellipsoid(center, radii * hi);
        for (int n = 0; n < 30; n++)
        {
            double mid = (lo + hi) / 2;
            if (Satisfies(center, radii * mid, constraints)) lo = mid; else hi = mid;
        }
        return new Ellipsoid(center, radii * lo);
    }

    private static bool Satisfies(Vec3 center, Vec3 radii, List<(Vec3 Point, double Margin)> constraints)
    {
        var e = new Ellipsoid(center, radii);
        foreach (var (p, m) in constraints) if (e.SignedDistance(p) < m) return false;
        return true;
    }

    private static bool Connected(Ellipsoid a, Ellipsoid b)
    {
        for (int s = 0; s <= 50; s++)
        {
            var p = a.Center + (b.Center - a.Center) * (s / 50.0);
            if (Math.Max(a.SignedDistance(p), b.SignedDistance(p)) < -0.5) return true;
        }
        return false;
    }
}
