using ImageGuide.Dicom;
using ImageGuide.Dicom.Registration;
using ImageGuide.Dicom.Writing;
using ImageGuide.Imaging;
using ImageGuide.Phantoms;
using ImageGuide.IO;
using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

/// <summary>
/// Reading DICOM Spatial Registration objects and starting a registration from the frame relation they record:
/// hand-built objects with hand-computed relations, the writer's objects read back, and a real image pair whose
/// frames a REG relates.
/// </summary>
[TestFixture]
public class SpatialRegistrationReaderTests
{
    private const string RegFrame = "1.2.826.0.1.3680043.2.1125.9.1";
    private const string FrameA = "1.2.826.0.1.3680043.2.1125.9.2";
    private const string FrameB = "1.2.826.0.1.3680043.2.1125.9.3";

    private string _dir = "";

    [SetUp] public void SetUp() => _dir = TestPaths.NewTempDir();
    [TearDown] public void TearDown() => Directory.Delete(_dir, true);

    /// <summary>A REG whose items each carry a Matrix Sequence of the given matrices (row-major 4×4) and types.</summary>
    private string Write(string name, string regFrame, params (string Frame, (double[] M, string Type)[] Matrices)[] items)
    {
        var w = new ExplicitVrLittleEndianWriter();
        w.Text(0x0008, 0x0016, "UI", DicomSpatialRegistrationWriter.SpatialRegistrationStorage);
        w.Text(0x0008, 0x0018, "UI", "1.2.826.0.1.3680043.2.1125.9.99");
        w.Text(0x0008, 0x0060, "CS", "REG");
        w.Text(0x0020, 0x0052, "UI", regFrame);
        w.Sequence(0x0070, 0x0308, [.. items.Select(item =>
        {
            var reg = new ExplicitVrLittleEndianWriter();
            reg.Sequence(0x0070, 0x030A, [.. item.Matrices.Select(m =>
            {
                var mw = new ExplicitVrLittleEndianWriter();
                mw.Text(0x0070, 0x030C, "CS", m.Type);
                mw.Decimal(0x3006, 0x00C6, m.M);
                return mw.ToArray();
            })]);
            var iw = new ExplicitVrLittleEndianWriter();
            iw.Text(0x0020, 0x0052, "UI", item.Frame);
            iw.Sequence(0x0070, 0x0309, reg.ToArray());
            return iw.ToArray();
        })]);
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, PartTenFile.Build(DicomSpatialRegistrationWriter.SpatialRegistrationStorage, "1.2.826.0.1.3680043.2.1125.9.99", w.ToArray()));
        return path;
    }

    // A: frame A → registration frame, a shift: x_R = x_A + (10, 0, 0)
    private static readonly double[] ShiftA = [1, 0, 0, 10, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    // B: frame B → registration frame, 90° about z: x_R = (−y, x, z)
    private static readonly double[] TurnB = [0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

    [Test]
    public void TwoRegisteredFrames_RelateThroughTheRegistrationFrame()
    {
        // A → B: x_R = x_A + (10,0,0), x_B = TurnB⁻¹ x_R = (y_R, −x_R, z_R). A point (1, 2, 3) of A is (11, 2, 3) in R and (2, −11, 3) in B.
        var reg = DicomSpatialRegistrationReader.Read(Write("ab.dcm", RegFrame, (FrameA, [(ShiftA, "RIGID")]), (FrameB, [(TurnB, "RIGID")])));
        Assert.That((reg.RegistrationFrameOfReferenceUid, reg.Frames.Count), Is.EqualTo((RegFrame, 2)));
        Assert.That(reg.TryRelate(FrameA, FrameB, out var aToB, out var why), Is.True, why);
        var q = aToB!.TransformPoint(new Vec3(1, 2, 3));
        Assert.That((q - new Vec3(2, -11, 3)).Length, Is.LessThan(1e-9), q.ToString());
        // the other way is the inverse; the registration frame itself relates by its own matrix
        Assert.That(reg.TryRelate(FrameB, FrameA, out var bToA, out _), Is.True);
        Assert.That((bToA!.TransformPoint(new Vec3(2, -11, 3)) - new Vec3(1, 2, 3)).Length, Is.LessThan(1e-9));
        Assert.That(reg.TryRelate(FrameA, RegFrame, out var aToR, out _), Is.True);
        Assert.That((aToR!.TransformPoint(new Vec3(1, 2, 3)) - new Vec3(11, 2, 3)).Length, Is.LessThan(1e-9));
        Assert.That(reg.Relates(FrameA, "1.2.3"), Is.False);
        Assert.That(reg.TryRelate(FrameA, "1.2.3", out _, out why), Is.False);
        Assert.That(why, Does.Contain("does not register frame 1.2.3"));
    }

    [Test]
    public void MatrixSequence_ComposesItsMatricesInOrder_FirstAppliedFirst()
    {
        // item A: first ShiftA, then TurnB: x_R = TurnB·(x_A + (10,0,0)); (1,2,3) → (11,2,3) → (−2, 11, 3)
        var reg = DicomSpatialRegistrationReader.Read(Write("composed.dcm", RegFrame, (FrameA, [(ShiftA, "RIGID"), (TurnB, "RIGID")])));
        Assert.That(reg.TryRelate(FrameA, RegFrame, out var t, out var why), Is.True, why);
        Assert.That((t!.TransformPoint(new Vec3(1, 2, 3)) - new Vec3(-2, 11, 3)).Length, Is.LessThan(1e-9));
    }

    [Test]
    public void ScalingMatrix_IsNotTakenAsRigid_AndAnUnknownTypeIsRefused()
    {
        double[] scale = [1.1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        var reg = DicomSpatialRegistrationReader.Read(Write("scale.dcm", RegFrame, (FrameA, [(scale, "RIGID_SCALE")])));
        Assert.That(reg.Frames[0].MatrixType, Is.EqualTo("RIGID_SCALE"));
        Assert.That(reg.TryRelate(FrameA, RegFrame, out _, out var why), Is.False);
        Assert.That(why, Does.Contain("not rigid"));
        Assert.Throws<RegistrationException>(() => FrameRelation.FromSpatialRegistration(reg, FrameA, RegFrame));
        var e = Assert.Throws<DicomException>(() => DicomSpatialRegistrationReader.Read(Write("bad.dcm", RegFrame, (FrameA, [(ShiftA, "ELASTIC")]))));
        Assert.That(e!.Message, Does.Contain("ELASTIC"));
    }

    [Test]
    public void AnImage_IsNotASpatialRegistration()
    {
        var v = new Volume<float>(new VolumeGeometry(4, 4, 3, new Vec3(1, 1, 1), Vec3.Zero, Mat3.Identity));
        string folder = Path.Combine(_dir, "series");
        DicomSeriesWriter.Write(v, folder, new DicomSeriesWriterOptions { Modality = "CT" });
        string file = Directory.GetFiles(folder)[0];
        var e = Assert.Throws<DicomException>(() => DicomSpatialRegistrationReader.Read(file));
        Assert.That(e!.Message, Does.Contain("not a Spatial Registration object"));
        Assert.That(DicomSpatialRegistrationReader.FindIn(folder, out var problems), Is.Empty);
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void WrittenObject_ReadsBackToTheSameFixedToMovingTransform_AndIsFoundInItsFolder()
    {
        // consistency law: what the writer records, the reader relates back (fixed → moving), to DS precision
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(0.3, -0.5, 0.8).Normalized(), 0.7), new Vec3(-81.25, 40.5, 12.125), new Vec3(5, 6, 7));
        string path = Path.Combine(_dir, "found", "reg.dcm");
        var fixedRef = new DicomSeriesReference(FrameA, "1.2.3.4", "1.2.3.4.1", []);
        var movingRef = new DicomSeriesReference(FrameB, "1.2.3.4", "1.2.3.4.2", []);
        DicomSpatialRegistrationWriter.Write(path, t, fixedRef, movingRef);
        var found = DicomSpatialRegistrationReader.FindIn(Path.Combine(_dir, "found"), out var problems);
        Assert.That((found.Count, problems.Count), Is.EqualTo((1, 0)));
        var relation = FrameRelation.FromSpatialRegistration(found[0], FrameA, FrameB);
        foreach (var p in new[] { new Vec3(0, 0, 0), new Vec3(200, -150, 100), new Vec3(-120, 80, -60) })
            Assert.That((relation.FixedToMoving.TransformPoint(p) - t.TransformPoint(p)).Length, Is.LessThan(1e-6), $"at {p}");
        var inverse = FrameRelation.Find([relation], FrameB, FrameA)!;
        Assert.That((inverse.FixedToMoving.TransformPoint(t.TransformPoint(new Vec3(10, 20, 30))) - new Vec3(10, 20, 30)).Length, Is.LessThan(1e-6));
    }

    /// <summary>
    /// A real MR against a copy of itself turned 180° and shifted into another frame: a REG relating the two frames
    /// (known only to within 4 mm and 3°, as a stale calibration would be) is where the auto start begins, and the
    /// refinement lands on the truth; without it the auto start runs the global search.
    /// </summary>
    [Test]
    public void RealPair_FramesRelatedByAKnownRelation_StartFromIt()
    {
        var mr = VolumeReader.Read(Directory.GetFiles(TestPaths.RequireShared("mr-rire-t1"), "*.mha")[0]).Volume;
        float p99 = (float)VolumeStatistics.Percentiles(mr, [99])[0];
        var truth = KnownMotion.RandomTruth(5, 20, 120, mr.Geometry.Center, turnAboutLongAxis: true);
        var fixedImage = new Volume<float>(mr.Geometry, mr.Data, mr.Metadata with { FrameOfReferenceUid = FrameA });
        var moved = KnownMotion.MovedCopy(mr, truth, 5, KnownMotion.MrToOtherContrast(p99), new Vec3(1.15, 1.15, 0.8));
        var moving = new Volume<float>(moved.Geometry, moved.Data, moved.Metadata with { FrameOfReferenceUid = FrameB });
        var stale = RigidTransform.Compose(truth, new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 1, 0).Normalized(), 3 * Math.PI / 180), new Vec3(3, -2, 2), truth.TransformPoint(mr.Geometry.Center)));
        var settings = PresetSelection.Choose(fixedImage, moving).Settings;
        var points = KnownMotion.ForegroundPoints(mr, 0.15f * p99, 1000, 3);
        Assert.That(RegistrationEvaluation.Tre(stale, truth, points).Max, Is.GreaterThan(3), "the relation is off by a few mm (premise)");

        var related = new RigidRegistration(settings) { FrameRelations = [new FrameRelation(FrameA, FrameB, stale, "test calibration")] }.Execute(fixedImage, moving);
        Assert.That(related.Start.Kind, Is.EqualTo("frame-relation"), related.Start.Reason);
        Assert.That(related.Start.Reason, Does.Contain("test calibration"));
        Assert.That(RegistrationEvaluation.Tre(related.Transform, truth, points).Max, Is.LessThan(1.0));
        Assert.That(related.Verdict.Status, Is.EqualTo(VerdictStatus.Good), related.Verdict.ToString());

        // a relation between other frames does not apply
        var unrelated = new RigidRegistration(settings) { FrameRelations = [new FrameRelation(FrameA, RegFrame, stale, "other")] }.Execute(fixedImage, moving);
        Assert.That(unrelated.Start.Kind, Is.EqualTo("global-search"));
    }
}
