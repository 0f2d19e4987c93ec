using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

public class GroundTruthTests
{
    private static PhantomCase Case => PhantomFixture.Case;

    [Test]
    public void EveryFrameHasAtLeastTwentyLandmarksEachInsideTheLabelItNames()
    {
        foreach (var frame in Case.Frames)
        {
            Assert.That(frame.Landmarks, Has.Count.GreaterThanOrEqualTo(20), frame.Name);
            foreach (var l in frame.Landmarks)
            {
                var (i, j, k) = PhantomFixture.Nearest(frame.Geometry, l.Position);
                Assert.That(frame.Labels[i, j, k], Is.EqualTo(l.Label), $"{frame.Name}: {l.Name}");
                Assert.That(SpineLabels.Table.TryGet(l.Label, out var definition), Is.True, l.Name);
                var role = definition.Role;
                if (l.Kind == LandmarkKind.CordCentre) Assert.That(l.Label, Is.EqualTo(SpineLabels.Cord), l.Name);
                else Assert.That(role, Is.EqualTo(LabelRole.Bone).Or.EqualTo(LabelRole.Target), l.Name);
            }
        }
    }

    [Test]
    public void StoredTransformsMapOneFramesLandmarksOntoAnothersWithinAMicrometre()
    {
        int pairs = 0;
        foreach (var a in Case.Frames)
            foreach (var b in Case.Frames)
            {
                var t = PhantomCase.TransformBetween(a, b);
                foreach (var la in a.Landmarks)
                {
                    var lb = b.Landmarks.FirstOrDefault(x => x.Name == la.Name);
                    if (lb is null) continue;
                    Assert.That(Vec3.Distance(t.TransformPoint(la.Position), lb.Position), Is.LessThan(1e-6), $"{a.Name} → {b.Name}: {la.Name}");
                    pairs++;
                }
            }
        Assert.That(pairs, Is.GreaterThan(300));
    }

    [Test]
    public void PosesDifferBetweenAcquisitionsWithinFifteenDegrees()
    {
        var acquisitions = new[] { Case.DiagnosticCt, Case.MrT1, Case.Cbct, Case.IntraOpCt };
        foreach (var a in acquisitions)
            foreach (var b in acquisitions)
            {
                if (ReferenceEquals(a, b)) continue;
                double angle = PhantomCase.TransformBetween(a, b).Rotation.AngleRad * 180 / Math.PI;
                Assert.That(angle, Is.GreaterThan(0.01).And.LessThanOrEqualTo(15 + 1e-9), $"{a.Name} → {b.Name}");
            }
        Assert.That(PhantomCase.TransformBetween(Case.MrT1, Case.MrT2).Rotation.AngleRad, Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void ProbeTipsLieInsideTheTumourAndShaftsAvoidCriticalStructures()
    {
        var anatomy = Case.Anatomy;
        var frame = Case.IntraOpCt;
        Assert.That(Case.IntraOpTruth.Probes, Has.Count.EqualTo(PhantomFixture.Options.ProbeCount));
        foreach (var probe in Case.IntraOpTruth.Probes)
        {
            var (i, j, k) = PhantomFixture.Nearest(frame.Geometry, probe.Tip);
            Assert.That(frame.TumourMask[i, j, k], Is.EqualTo(1), $"tip {probe.Tip}");
            var tipInAnatomy = frame.PatientToAnatomy.TransformPoint(probe.Tip);
            Assert.That(anatomy.LabelAt(tipInAnatomy), Is.EqualTo(SpineLabels.Tumour));
            var entry = frame.PatientToAnatomy.TransformPoint(probe.Entry);
            Assert.That(anatomy.LabelAt(entry + (tipInAnatomy - entry).Normalized() * -1), Is.EqualTo(SpineLabels.Background), "entry lies on the skin");
            Assert.That(anatomy.LabelAt(entry + (tipInAnatomy - entry).Normalized()), Is.Not.EqualTo(SpineLabels.Background), "entry lies on the skin");
            Assert.That(entry.Y, Is.GreaterThan(0), "posterior approach");
            for (double t = 0; t <= 1; t += 0.002)
            {
                var label = anatomy.LabelAt(entry + (tipInAnatomy - entry) * t);
                Assert.That(SpineLabels.Table.TryGet(label, out var d) && d.Role == LabelRole.Critical, Is.False, $"shaft crosses {label} at t={t}");
            }
        }
    }

    [Test]
    public void IceShiftsSoftTissueByTheConfiguredHuAndLeavesBoneUnchanged()
    {
        // Voxels free of metal and streaks whose whole cube (centre and 8 corners, checked on the analytic anatomy)
        // lies in the ice ball and in one kind of tissue: soft tissue must drop by the configured shift, bone not at all.
        var frame = Case.IntraOpCt;
        var g = frame.Geometry;
        short[] pre = Case.PreFreezeCt.Image.Data, intra = frame.Image.Data;
        byte[] ice = Case.IntraOpTruth.IceBall.Data, artifact = Case.IntraOpTruth.MetalArtifact.Data;
        var soft = new List<double>();
        var bone = new List<double>();
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    long n = g.LinearIndex(i, j, k);
                    if (ice[n] == 0 || artifact[n] != 0) continue;
                    int kind = CubeKind(frame, g, i, j, k);
                    if (kind == 1) soft.Add(intra[n] - pre[n]);
                    else if (kind == 2) bone.Add(intra[n] - pre[n]);
                }
        TestContext.Out.WriteLine($"clean frozen voxels: soft tissue {soft.Count}, bone {bone.Count}");
        Assert.That(soft, Has.Count.GreaterThanOrEqualTo(30));
        double sigmaDiff = PhantomFixture.Options.IntraOpCtNoiseHu * Math.Sqrt(2);
        AssertMean(soft, PhantomFixture.Options.IceShiftHu, sigmaDiff, "frozen soft tissue");
        if (bone.Count >= 10) AssertMean(bone, 0, sigmaDiff, "frozen healthy bone");
    }

    /// <summary>1 when the voxel's cube is frozen soft tissue, 2 when frozen healthy bone, 0 otherwise.</summary>
    private static int CubeKind(PhantomFrame frame, VolumeGeometry g, int i, int j, int k)
    {
        bool allSoft = true, allBone = true;
        for (int c = 0; c < 9; c++)
        {
            var offset = c == 8 ? Vec3.Zero : new Vec3((c & 1) - 0.5, ((c >> 1) & 1) - 0.5, ((c >> 2) & 1) - 0.5);
            var p = frame.PatientToAnatomy.TransformPoint(g.IndexToPhysical(new Vec3(i, j, k) + offset));
            if (!Case.Procedure.IceBall.Contains(p)) return 0;
            byte label = Case.Anatomy.LabelAt(p);
            allSoft &= SpineLabels.IsFreezableSoftTissue(label);
            allBone &= SpineLabels.IsBone(label);
        }
        return allSoft ? 1 : allBone ? 2 : 0;
    }

    [Test]
    public void CtVoxelsDeepInsideEachTissueMatchTheConfiguredMeanWithinThreeStandardErrors()
    {
        var frame = Case.DiagnosticCt;
        var g = frame.Geometry;
        var labels = frame.Labels.Data;
        var image = frame.Image.Data;
        var samples = new List<double>[256];
        for (int n = 0; n < 256; n++) samples[n] = [];
        for (int k = 1; k < g.Nz - 1; k++)
            for (int j = 1; j < g.Ny - 1; j++)
                for (int i = 1; i < g.Nx - 1; i++)
                {
                    if (PhantomFixture.Uniform(labels, g, i, j, k)) samples[labels[g.LinearIndex(i, j, k)]].Add(image[g.LinearIndex(i, j, k)]);
                }
        var tested = new List<string>();
        foreach (var label in SpineLabels.Table.Labels)
        {
            var s = samples[label.Value];
            if (s.Count < 30) continue;
            AssertMean(s, PhantomFixture.Options.Tissues[label.Value].CtHu, PhantomFixture.Options.DiagnosticCtNoiseHu, label.Name);
            tested.Add(label.Name);
        }
        Assert.That(tested, Is.SupersetOf(new[] { "fat", "soft tissue", "paraspinal muscle", "psoas", "cancellous bone", "aorta", "ivc", "disc" }));
    }

    [Test]
    public void LethalZoneLiesInsideTheIceBallAndBothSurroundTheTips()
    {
        byte[] ice = Case.IntraOpTruth.IceBall.Data, lethal = Case.IntraOpTruth.LethalZone.Data;
        long iceCount = 0, lethalCount = 0;
        for (long n = 0; n < ice.LongLength; n++)
        {
            iceCount += ice[n];
            lethalCount += lethal[n];
            if (lethal[n] != 0) Assert.That(ice[n], Is.EqualTo(1));
        }
        Assert.That(lethalCount, Is.GreaterThan(0).And.LessThan(iceCount));
        var g = Case.IntraOpCt.Geometry;
        foreach (var p in Case.IntraOpTruth.Probes)
        {
            var (i, j, k) = PhantomFixture.Nearest(g, p.Tip);
            Assert.That(Case.IntraOpTruth.LethalZone[i, j, k], Is.EqualTo(1));
        }
        // the probes' cooling adds (the planner's model), so every voxel deep inside one probe's own 0 °C ellipsoid
        // (10.5 × 10.5 × 14 mm centred 5 mm behind the tip) is ice, and no voxel is ice farther from every ice-ball centre
        // than where n probes together could still reach 37 K (each alone giving 37/n K: 10.5 mm + λ·ln n across the
        // shaft, 14 mm + λ·ln n along it, λ = 37 K · 5 mm / 20 K from the 0 and −20 °C ellipsoids; 1 mm more because on
        // oblique rays the two ellipsoids lie up to 5.3 mm apart)
        int probes = Case.IntraOpTruth.Probes.Count;
        var edge = new ImageGuide.Model.ProbeZone(10.5, 14, 5);
        double lambda = 37.0 * 5 / 20, halfDiagonal = 0.5 * g.Spacing.Length;
        var far = new ImageGuide.Model.ProbeZone(11.5 + lambda * Math.Log(probes), 15 + lambda * Math.Log(probes), 5);
        long missed = 0, beyond = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    var x = g.IndexToPhysical(i, j, k);
                    double inside = double.PositiveInfinity, reach = double.PositiveInfinity;
                    foreach (var p in Case.IntraOpTruth.Probes)
                    {
                        inside = Math.Min(inside, edge.SignedDistance(x, p.Tip, p.Axis));
                        reach = Math.Min(reach, far.SignedDistance(x, p.Tip, p.Axis));
                    }
                    byte v = Case.IntraOpTruth.IceBall[i, j, k];
                    if (inside < -halfDiagonal && v == 0) missed++;
                    if (reach > halfDiagonal && v != 0) beyond++;
                }
        Assert.That(missed, Is.Zero, "voxels inside a single probe's 0 °C ellipsoid that are not ice");
        Assert.That(beyond, Is.Zero, "ice voxels beyond the summed cooling's reach");
    }

    /// <summary>Asserts the sample mean equals <paramref name="expected"/> within 3 standard errors of the sample.</summary>
    private static void AssertMean(List<double> values, double expected, double configuredSigma, string what)
    {
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        Assert.That(sd, Is.LessThan(configuredSigma * 1.3), $"{what}: spread {sd:F1} exceeds the configured noise {configuredSigma:F1}");
        Assert.That(mean, Is.EqualTo(expected).Within(3 * sd / Math.Sqrt(values.Count)), $"{what} (n = {values.Count})");
    }
}
