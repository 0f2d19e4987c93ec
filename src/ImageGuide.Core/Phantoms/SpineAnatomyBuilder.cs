using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Draws the seeded anatomy: sizes, curvature and tumour within realistic adult ranges. All deep structures
/// are modelled straight along z (posterior = +y, left = +x, superior = +z) and curved afterwards by
/// <see cref="SpineCurve"/>.
/// </summary>
internal static class SpineAnatomyBuilder
{
    private const double Long = 400; // half length of structures that run through every field of view
    private static readonly string[] LevelNames = ["T11", "T12", "L1", "L2", "L3"];

    private sealed record LevelGeometry(string Name, double Z, double Yc, double Rw, double Rd, double H);

    public static SpineAnatomyParts Build(ulong seed, TumourScenario scenario = TumourScenario.AgainstCanal)
    {
        var rng = PhantomRandom.ForStream(seed, PhantomStreams.Anatomy);
        var shapes = new List<PaintedShape>();
        var landmarks = new List<(string, LandmarkKind, Vec3)>();

        // Body outline: skin ellipse ≈ 320 × 240 mm, 2 mm skin, subcutaneous fat.
        double a = rng.Uniform(150, 170), b = rng.Uniform(110, 130), fat = rng.Uniform(8, 22);
        var curve = new SpineCurve(rng.Uniform(-2.5, 2.5), rng.Uniform(-4, 4), 2 * Math.PI / rng.Uniform(320, 420),
            rng.Uniform(0, 2 * Math.PI), rng.Uniform(0, 2 * Math.PI));
        double ay = Math.Abs(curve.AmplitudeY);
        Add(shapes, new EllipticCylinder(Vec3.Zero, a, b, Long), SpineLabels.Skin, "skin", false);
        Add(shapes, new EllipticCylinder(Vec3.Zero, a - 2, b - 2, Long), SpineLabels.Fat, "subcutaneous fat", false);
        Add(shapes, new EllipticCylinder(Vec3.Zero, a - 2 - fat, b - 2 - fat, Long), SpineLabels.SoftTissue, "soft tissue", false);

        // Vertebral geometry, growing caudally; posterior walls aligned at y = pw.
        double rw0 = rng.Uniform(19, 22), rd0 = rng.Uniform(14, 17), h0 = rng.Uniform(23, 27), disc0 = rng.Uniform(8, 10.5);
        double pw = b - rng.Uniform(76, 84);
        var levels = new LevelGeometry[LevelNames.Length];
        var discs = new double[LevelNames.Length - 1];
        double z = 0;
        for (int n = 0; n < levels.Length; n++)
        {
            double s = 1 + 0.035 * n;
            double rw = rw0 * s, rd = rd0 * s, h = h0 * s;
            if (n > 0)
            {
                discs[n - 1] = disc0 * (1 + 0.03 * n);
                z -= levels[n - 1].H / 2 + discs[n - 1] + h / 2;
            }
            levels[n] = new LevelGeometry(LevelNames[n], z, pw - rd, rw, rd, h);
        }
        double z2 = levels[2].Z;
        for (int n = 0; n < levels.Length; n++) levels[n] = levels[n] with { Z = levels[n].Z - z2 };

        // Canal and cord.
        double canalRx = rng.Uniform(10, 12), canalRy = rng.Uniform(7.5, 9), yc = pw + 1.5 + canalRy;
        double cordRx = rng.Uniform(4.5, 5.5), cordRy = rng.Uniform(3.5, 4.2);
        double px = canalRx + 6;

        // Muscles and vessels.
        double paraTop = b - 2 - fat - 3 - ay, paraLow = pw + 12;
        double paraX = rng.Uniform(28, 34), paraRx = rng.Uniform(22, 27);
        for (int side = -1; side <= 1; side += 2)
            Add(shapes, new EllipticCylinder(new Vec3(side * paraX, (paraTop + paraLow) / 2, 0), paraRx, (paraTop - paraLow) / 2, Long),
                SpineLabels.ParaspinalMuscle, $"paraspinal muscle {SideName(side)}", true);
        double psoasX = levels[2].Rw + rng.Uniform(11, 15), psoasY = levels[2].Yc + rng.Uniform(-2, 4);
        double psoasRx = rng.Uniform(11, 14), psoasRy = rng.Uniform(13, 17);
        for (int side = -1; side <= 1; side += 2)
            Add(shapes, new EllipticCylinder(new Vec3(side * psoasX, psoasY, 0), psoasRx, psoasRy, Long), SpineLabels.Psoas, $"psoas {SideName(side)}", true);
        double yAnterior = double.MaxValue;
        foreach (var l in levels) yAnterior = Math.Min(yAnterior, l.Yc - l.Rd);
        double ra = rng.Uniform(10, 12.5);
        var aorta = new EllipticCylinder(new Vec3(rng.Uniform(8, 16), yAnterior - ra - rng.Uniform(2, 5), 0), ra, ra, Long);
        Add(shapes, aorta, SpineLabels.Aorta, "aorta", true);
        double ivcRx = rng.Uniform(11, 14), ivcRy = rng.Uniform(7, 9);
        var ivc = new EllipticCylinder(new Vec3(-rng.Uniform(20, 26), yAnterior - ivcRy - rng.Uniform(3, 6), 0), ivcRx, ivcRy, Long);
        Add(shapes, ivc, SpineLabels.Ivc, "ivc", true);

        // Discs (above, between and below the modelled bodies; bodies paint over the overlap).
        for (int n = 0; n <= levels.Length; n++)
        {
            var up = levels[Math.Max(0, n - 1)];
            var down = levels[Math.Min(levels.Length - 1, n)];
            double thick = n == 0 ? discs[0] : n == levels.Length ? discs[^1] : discs[n - 1];
            double top = n == 0 ? up.Z + up.H / 2 + thick : up.Z - up.H / 2;
            double bottom = n == levels.Length ? down.Z - down.H / 2 - thick : down.Z + down.H / 2;
            string name = n == 0 ? $"disc above {up.Name}" : n == levels.Length ? $"disc below {down.Name}" : $"disc {up.Name}-{down.Name}";
            Add(shapes, new EllipticCylinder(new Vec3(0, (up.Yc + down.Yc) / 2, (top + bottom) / 2), (up.Rw + down.Rw) / 2 - 0.5,
                (up.Rd + down.Rd) / 2 - 0.5, (top - bottom) / 2 + 0.5), SpineLabels.Disc, name, true);
        }

        // Vertebrae: every cortical part first, then the cancellous cores, so cores are never painted over.
        double ltp = rng.Uniform(20, 26), lsp = rng.Uniform(26, 32), spAngle = rng.Uniform(10, 20) * Math.PI / 180;
        var spDir = new Vec3(0, Math.Cos(spAngle), -Math.Sin(spAngle));
        var spAxes = Mat3.FromColumns(new Vec3(1, 0, 0), spDir, Vec3.Cross(new Vec3(1, 0, 0), spDir));
        var cores = new List<PaintedShape>();
        foreach (var l in levels)
        {
            double ph = l.Z + l.H / 2 - 7, yl = yc + canalRy + 4, sScale = Math.Sqrt(l.Rw / rw0);
            Add(shapes, new EllipticCylinder(new Vec3(0, l.Yc, l.Z), l.Rw, l.Rd, l.H / 2), SpineLabels.CorticalBone, $"{l.Name} vertebral body", true);
            cores.Add(new PaintedShape(new EllipticCylinder(new Vec3(0, l.Yc, l.Z), l.Rw - 2, l.Rd - 2, l.H / 2 - 1.8), SpineLabels.CancellousBone, $"{l.Name} vertebral body core", true));
            var spBase = new Vec3(0, yl, ph - 6);
            double spLen = lsp * sScale;
            Add(shapes, new OrientedBox(spBase + spDir * (spLen / 2), new Vec3(3, spLen / 2, 8), spAxes), SpineLabels.CorticalBone, $"{l.Name} spinous process", true);
            landmarks.Add(($"{l.Name} spinous process tip", LandmarkKind.SpinousProcessTip, spBase + spDir * (spLen - 4.5)));
            for (int side = -1; side <= 1; side += 2)
            {
                string sn = SideName(side);
                var front = new Vec3(side * px, pw - 4, ph);
                var back = new Vec3(side * (px + 2), pw + 15, ph);
                Add(shapes, new Capsule(front, back, 5), SpineLabels.CorticalBone, $"{l.Name} pedicle {sn}", true);
                cores.Add(new PaintedShape(new Capsule(front, back, 3), SpineLabels.CancellousBone, $"{l.Name} pedicle core {sn}", true));
                landmarks.Add(($"{l.Name} pedicle tip {sn}", LandmarkKind.PedicleTip, back));
                Add(shapes, new Capsule(back, spBase, 3.5), SpineLabels.CorticalBone, $"{l.Name} lamina {sn}", true);
                Add(shapes, new Capsule(new Vec3(side * (px + 1), pw + 12, ph), new Vec3(side * (px + 1 + ltp), pw + 9, ph + 2), 3.5),
                    SpineLabels.CorticalBone, $"{l.Name} transverse process {sn}", true);
            }
            landmarks.Add(($"{l.Name} body anterior-superior corner", LandmarkKind.VertebralBodyCorner, new Vec3(0, l.Yc - l.Rd + 5, l.Z + l.H / 2 - 5)));
            landmarks.Add(($"{l.Name} body anterior-inferior corner", LandmarkKind.VertebralBodyCorner, new Vec3(0, l.Yc - l.Rd + 5, l.Z - l.H / 2 + 5)));
            landmarks.Add(($"{l.Name} body posterior-superior corner", LandmarkKind.VertebralBodyCorner, new Vec3(0, l.Yc + l.Rd - 5, l.Z + l.H / 2 - 5)));
            landmarks.Add(($"{l.Name} body posterior-inferior corner", LandmarkKind.VertebralBodyCorner, new Vec3(0, l.Yc + l.Rd - 5, l.Z - l.H / 2 + 5)));
            landmarks.Add(($"{l.Name} cord centre", LandmarkKind.CordCentre, new Vec3(0, yc - 0.5, l.Z)));
        }
        shapes.AddRange(cores);

        // Nerve roots: from the cord, under the pedicle through the foramen, then antero-laterally and caudally.
        double rootR = rng.Uniform(2.2, 2.8);
        var roots = new List<Capsule>();
        var rootShapes = new List<PaintedShape>();
        foreach (var l in levels)
            for (int side = -1; side <= 1; side += 2)
            {
                var p1 = new Vec3(side * (cordRx + 2), yc, l.Z - 2);
                var p2 = new Vec3(side * px, pw + 5, l.Z - l.H / 2 + 1);
                var p3 = new Vec3(side * (px + 24), pw - 6, l.Z - l.H / 2 - 14);
                foreach (var (c, part) in new[] { (new Capsule(p1, p2, rootR), "foraminal"), (new Capsule(p2, p3, rootR), "extraforaminal") })
                {
                    roots.Add(c);
                    rootShapes.Add(new PaintedShape(c, SpineLabels.NerveRoot, $"{l.Name} nerve root {SideName(side)} {part}", true));
                }
            }

        // Tumour in one of the three central bodies; painted before canal, cord and roots so they stay intact.
        int tl = 1 + rng.NextInt(3), ts = rng.NextSign();
        var lt = levels[tl];
        var tumour = scenario == TumourScenario.Treatable
            ? TumourBuilder.BuildTreatable(rng, lt.Rw, lt.Rd, lt.Yc, lt.Z, lt.H, ts, canalRx, canalRy, yc, roots, [aorta, ivc], out ts)
            : TumourBuilder.Build(rng, lt.Rw, lt.Rd, lt.Yc, lt.Z, lt.H, ts, pw, canalRx, canalRy, yc, roots, rootR);
        var tumourShape = new PaintedShape(tumour, SpineLabels.Tumour, $"tumour {levels[tl].Name}", true);
        shapes.Add(tumourShape);

        Add(shapes, new EllipticCylinder(new Vec3(0, yc, 0), canalRx, canalRy, Long), SpineLabels.Csf, "spinal canal (CSF)", true);
        shapes.AddRange(rootShapes);
        Add(shapes, new EllipticCylinder(new Vec3(0, yc - 0.5, 0), cordRx, cordRy, Long), SpineLabels.Cord, "spinal cord", true);

        var levelRecords = new VertebralLevel[levels.Length];
        for (int n = 0; n < levels.Length; n++)
        {
            var l = levels[n];
            levelRecords[n] = new VertebralLevel(l.Name, curve.ToCurved(new Vec3(0, l.Yc, l.Z)), l.Rw, l.Rd, l.H / 2);
        }

        return new SpineAnatomyParts
        {
            Seed = seed,
            Curve = curve,
            Shapes = shapes,
            Levels = levelRecords,
            TumourLevelIndex = tl,
            TumourSide = ts,
            Tumour = tumourShape,
            BodySemiAxes = (a, b),
            LandmarkCandidates = landmarks,
        };
    }

    private static string SideName(int side) => side > 0 ? "left" : "right";

    private static void Add(List<PaintedShape> shapes, Shape shape, byte label, string name, bool curved) =>
        shapes.Add(new PaintedShape(shape, label, name, curved));
}
