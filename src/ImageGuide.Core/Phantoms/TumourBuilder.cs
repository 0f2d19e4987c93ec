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

    /// <summary>
    /// Distance (mm) a <see cref="TumourScenario.Treatable"/> tumour keeps from the canal, the nerve roots and the great
    /// vessels when the body has room: the 5 mm tumour margin, ≈ 4.5 mm between the lethal −20 °C and the visible
    /// 0 °C isotherm of one probe (6 vs 10.5 mm radial, docs/CLINICAL.md, Cryoablation), the 3 mm clearance of
    /// neurovascular structures and 1.5 mm for fusion uncertainty and placement error. Where the body is too small the
    /// lesion shrinks (down to 4 mm radius) before it comes closer.
    /// </summary>
    public const double TreatableClearanceMm = 14;

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

    /// <summary>
    /// A <see cref="TumourScenario.Treatable"/> tumour in straight spine coordinates: a lytic ellipsoid of seeded size
    /// (radius 5–6.5 mm) with a smaller seeded lobe, breaching the lateral wall of the vertebral body (centre 4 mm inside to
    /// 2 mm outside the outline, mid-depth, between the end plates) so that a posterolateral probe reaches it through soft
    /// tissue (the planner's transpedicular rule rejects a bone run that ends short of its target, as one in a lesion
    /// surrounded by bone does), at the point of a 1 mm grid that lies farthest from the canal, the nerve roots and
    /// <paramref name="vessels"/> — on the side where that is farther, returned in <paramref name="chosenSide"/>; shrunk (to 4 mm at least) until it keeps
    /// <see cref="TreatableClearanceMm"/> when no point does.
    /// </summary>
    internal static ShapeUnion BuildTreatable(PhantomRandom rng, double rw, double rd, double yBody, double zBody, double height, int side,
        double canalRx, double canalRy, double yCanal, IReadOnlyList<Capsule> roots, IReadOnlyList<Shape> vessels,
        out int chosenSide)
    {
        double r = rng.Uniform(5, 6.5);
        var squash = new Vec3(rng.Uniform(0.85, 1), rng.Uniform(0.8, 1), rng.Uniform(0.9, 1.1));
        var lobeDraw = new Vec3(rng.Uniform(1, 3), rng.Uniform(-2, 2), rng.Uniform(-2, 2));
        double lobeScale = rng.Uniform(0.55, 0.75);
        var canal = new EllipticCylinder(new Vec3(0, yCanal, zBody), canalRx, canalRy, 400);
        var nearRoots = new List<Capsule>();
        foreach (var root in roots)
            if (Math.Abs((root.A.Z + root.B.Z) / 2 - zBody) < 60) nearRoots.Add(root);

        // clearance of a point: distance to the nearest structure to keep away from
        double Clearance(Vec3 p)
        {
            double d = canal.SignedDistance(p);
            foreach (var root in nearRoots) d = Math.Min(d, root.SignedDistance(p));
            foreach (var v in vessels) d = Math.Min(d, v.SignedDistance(p));
            return d;
        }

        Vec3 best = new(side * rw * 0.5, yBody, zBody);
        double bestClearance = double.NegativeInfinity;
        chosenSide = side;
        foreach (int s in new[] { side, -side })
        {
            for (double dz = -height / 2; dz <= height / 2; dz += 1)
                for (double y = yBody - rd; y <= yBody + rd; y += 1)
                    for (double x = rw / 2; x <= rw + 2; x += 1)
                    {
                        var c = new Vec3(s * x, y, zBody + dz);
                        // at the lateral wall (the centre within 4 mm inside to 2 mm outside the body's outline), in the
                        // middle of its depth and between the end plates: a soft-tissue face a posterolateral probe reaches
                        // without crossing bone, away from the canal behind and the vessels in front
                        double wallX = rw * Math.Sqrt(Math.Max(0, 1 - (y - yBody) * (y - yBody) / (rd * rd)));
                        if (x < wallX - 4 || x > wallX + 2 || Math.Abs(y - yBody) > 0.5 * rd || Math.Abs(dz) > height / 2 - 4 - 2) continue;
                        double clearance = Clearance(c);
                        if (clearance > bestClearance) (best, bestClearance, chosenSide) = (c, clearance, s);
                    }
        }
        var lobeOffset = new Vec3(chosenSide * lobeDraw.X, lobeDraw.Y, lobeDraw.Z);

        // the largest radius (≤ the seeded one) that keeps the clearance and stays between the end plates
        double Fits(double radius)
        {
            bool inside = Math.Abs(best.Z - zBody) <= height / 2 - radius - 2;
            // the lobe may reach beyond the main ellipsoid: count its farthest point
            double reach = Math.Max(radius * Math.Max(squash.X, Math.Max(squash.Y, squash.Z)), lobeOffset.Length * (radius / 6.5) + lobeScale * radius);
            return inside ? bestClearance - reach - TreatableClearanceMm : double.NegativeInfinity;
        }
        while (r > 4 && Fits(r) < 0) r -= 0.25;
        var lytic = new Ellipsoid(best, new Vec3(r * squash.X, r * squash.Y, r * squash.Z));
        var lobe = new Ellipsoid(best + lobeOffset * (r / 6.5), new Vec3(r, r, r) * lobeScale);
        return new ShapeUnion([lytic, lobe]);
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
