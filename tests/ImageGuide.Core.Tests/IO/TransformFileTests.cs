using ImageGuide.IO;

namespace ImageGuide.Tests.IO;

public class TransformFileTests : IoTestBase
{
    private const string Head = "#Insight Transform File V1.0\n#Transform 0\n";

    private static void AssertPoint(Vec3 expected, Vec3 actual, double tol = 1e-9) =>
        Assert.That(Vec3.MaxAbsDifference(expected, actual), Is.LessThanOrEqualTo(tol), $"{actual} vs {expected}");

    [Test]
    public void VersorRigid_30DegreesAboutZ_MapsPointsToHandComputedValues()
    {
        // vector part (0, 0, sin 15°); translation (1, 2, 3); centre (10, 20, 30)
        string text = Head + "Transform: VersorRigid3DTransform_double_3_3\nParameters: 0 0 0.25881904510252074 1 2 3\nFixedParameters: 10 20 30\n";
        var t = ItkTransformFile.Parse(text);
        // p − c = (1, 0, 0) → (cos30, sin30, 0) + c + t
        AssertPoint(new Vec3(11.866025403784439, 22.5, 33), t.TransformPoint(new Vec3(11, 20, 30)));
        // p − c = (0, 2, 5) → (−2 sin30, 2 cos30, 5) + c + t
        AssertPoint(new Vec3(10, 23.732050807568877, 38), t.TransformPoint(new Vec3(10, 22, 35)));
        AssertPoint(new Vec3(11, 22, 33), t.TransformPoint(new Vec3(10, 20, 30)));
    }

    [Test]
    public void Euler3D_DefaultOrderIsRzRxRy_AndComputeZyxFlagSwitchesToRzRyRx()
    {
        const double h = Math.PI / 2;
        string Euler(string fixedParams) => Head + "Transform: Euler3DTransform_double_3_3\n" +
            $"Parameters: {h:R} {h:R} 0 10 0 0\nFixedParameters: {fixedParams}\n";
        // Rx(90)·Ry(90) = [[0,0,1],[1,0,0],[0,1,0]]: (1,2,3) → (3,1,2), + (10,0,0)
        AssertPoint(new Vec3(13, 1, 2), ItkTransformFile.Parse(Euler("0 0 0")).TransformPoint(new Vec3(1, 2, 3)));
        AssertPoint(new Vec3(13, 1, 2), ItkTransformFile.Parse(Euler("0 0 0 0")).TransformPoint(new Vec3(1, 2, 3)));
        // Ry(90)·Rx(90) = [[0,1,0],[0,0,-1],[-1,0,0]]: (1,2,3) → (2,−3,−1), + (10,0,0)
        AssertPoint(new Vec3(12, -3, -1), ItkTransformFile.Parse(Euler("0 0 0 1")).TransformPoint(new Vec3(1, 2, 3)));
    }

    [Test]
    public void EulerMatrix_MatchesTheHandComputedProductForSmallAngles()
    {
        // angleZ only: a plain rotation about z
        var r = ItkTransformFile.EulerMatrix(0, 0, 0.3);
        Assert.That(Mat3.MaxAbsDifference(r, new Mat3(Math.Cos(0.3), -Math.Sin(0.3), 0, Math.Sin(0.3), Math.Cos(0.3), 0, 0, 0, 1)), Is.LessThan(1e-15));
        // Rz(90)·Rx(90): rows [0,−1,0]·Rx = [0,0,1], [1,0,0]·Rx = [1,0,0], [0,0,1]·Rx = [0,1,0]
        var r2 = ItkTransformFile.EulerMatrix(Math.PI / 2, 0, Math.PI / 2);
        Assert.That(Mat3.MaxAbsDifference(r2, new Mat3(0, 0, 1, 1, 0, 0, 0, 1, 0)), Is.LessThan(1e-15));
    }

    [Test]
    public void RigidAffineWithCentre_IsRead()
    {
        string text = Head + "Transform: AffineTransform_double_3_3\nParameters: 0 -1 0 1 0 0 0 0 1 1 0 0\nFixedParameters: 5 5 0\n";
        var t = ItkTransformFile.Parse(text);
        // (6,5,0) − c = (1,0,0) → R = (0,1,0) → + c + t = (6, 6, 0)
        AssertPoint(new Vec3(6, 6, 0), t.TransformPoint(new Vec3(6, 5, 0)));
        var t2 = ItkTransformFile.Parse(text.Replace("AffineTransform_double_3_3", "MatrixOffsetTransformBase_double_3_3"));
        AssertPoint(new Vec3(6, 6, 0), t2.TransformPoint(new Vec3(6, 5, 0)));
    }

    [Test]
    public void ScaledOrReflectingAffine_IsRefusedAsNotRigid()
    {
        string scaled = Head + "Transform: AffineTransform_double_3_3\nParameters: 1.1 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n";
        var ex = Assert.Throws<GeometryException>(() => ItkTransformFile.Parse(scaled, "scaled.tfm"));
        Assert.That(ex!.Message, Does.Contain("scaled.tfm").And.Contain("not rigid"));
        string mirror = Head + "Transform: AffineTransform_double_3_3\nParameters: -1 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n";
        Assert.Throws<GeometryException>(() => ItkTransformFile.Parse(mirror));
    }

    [TestCase("t.tfm")]
    [TestCase("t.txt")]
    [TestCase("t.json")]
    public void WriteThenRead_RoundTrips(string name)
    {
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(0.3, -1, 2), 2.9), new Vec3(-4.5, 7.25, 1e-3), new Vec3(100.5, -3, 12));
        TransformIO.Write(t, P(name));
        var back = TransformIO.Read(P(name));
        Vec3[] points = [new(0, 0, 0), new(100, 200, -50), new(-33.3, 1, 7)];
        Assert.That(t.MaxPointDifference(back, points), Is.LessThan(1e-9));
        Assert.That(back.Center, Is.EqualTo(t.Center));
    }

    [Test]
    public void WrittenTfm_IsVersorRigidWithNonNegativeScalarPart()
    {
        // a rotation of 350° has w < 0 as built; ITK's versor parameters require w ≥ 0 (same rotation)
        var t = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 350 * Math.PI / 180), new Vec3(1, 2, 3), new Vec3(4, 5, 6));
        Assert.That(t.Rotation.W, Is.LessThan(0));
        string text = ItkTransformFile.Format(t);
        Assert.That(text, Does.StartWith("#Insight Transform File V1.0\n").And.Contain("Transform: VersorRigid3DTransform_double_3_3\n").And.Contain("FixedParameters: 4 5 6\n"));
        var back = ItkTransformFile.Parse(text);
        Assert.That(t.MaxPointDifference(back, [new Vec3(10, 20, 30)]), Is.LessThan(1e-9));
    }

    [Test]
    public void BadTransformFiles_RaiseTypedExceptions()
    {
        Assert.Throws<InvalidImageDataException>(() => ItkTransformFile.Parse("hello\n"));
        string two = Head + "Transform: VersorRigid3DTransform_double_3_3\nParameters: 0 0 0 0 0 0\nFixedParameters: 0 0 0\n" +
                     "#Transform 1\nTransform: VersorRigid3DTransform_double_3_3\nParameters: 0 0 0 1 0 0\nFixedParameters: 0 0 0\n";
        Assert.Throws<UnsupportedFormatException>(() => ItkTransformFile.Parse(two));
        string composite = Head + "Transform: CompositeTransform_double_3\n#Transform 1\nTransform: VersorRigid3DTransform_double_3_3\nParameters: 0 0 0 1 0 0\nFixedParameters: 0 0 0\n";
        AssertPoint(new Vec3(1, 0, 0), ItkTransformFile.Parse(composite).TransformPoint(Vec3.Zero));
        Assert.Throws<UnsupportedFormatException>(() => ItkTransformFile.Parse(Head + "Transform: BSplineTransform_double_3_3\nParameters: 1\nFixedParameters: 1\n"));
        var e = Assert.Throws<InvalidImageDataException>(() => ItkTransformFile.Parse(Head + "Transform: VersorRigid3DTransform_double_3_3\nParameters: 0 0 x 0 0 0\n", "bad.tfm"));
        Assert.That(e!.Message, Does.Contain("bad.tfm").And.Contain("Parameters"));
        Assert.Throws<InvalidImageDataException>(() => ItkTransformFile.Read(P("absent.tfm")));
    }

    [Test]
    public void Json_VersorOnly_MatrixOnly_AndRegisterOutputAreRead()
    {
        double s = Math.Sqrt(0.5);
        var v = RigidTransformJson.Parse($"{{\"versor\":[0,0,{s:R},{s:R}],\"translation\":[1,2,3],\"center\":[1,0,0]}}");
        // 90° about z about (1,0,0): (2,0,0) − c = (1,0,0) → (0,1,0) + c + t = (2, 3, 3)
        AssertPoint(new Vec3(2, 3, 3), v.TransformPoint(new Vec3(2, 0, 0)), 1e-12);
        var m = RigidTransformJson.Parse("{\"matrix\":[[0,-1,0,5],[1,0,0,6],[0,0,1,7],[0,0,0,1]],\"metric\":-0.5,\"iterations\":12}");
        AssertPoint(new Vec3(5, 7, 7), m.TransformPoint(new Vec3(1, 0, 0)), 1e-12);
        var both = RigidTransformJson.Format(v);
        Assert.That(both, Does.Contain("\"matrix\"").And.Contain("\"versor\"").And.Contain("\"translation\"").And.Contain("\"center\""));
        AssertPoint(new Vec3(2, 3, 3), RigidTransformJson.Parse(both).TransformPoint(new Vec3(2, 0, 0)), 1e-12);
    }

    [Test]
    public void Json_InconsistentOrNonRigidOrMalformed_IsRefused()
    {
        Assert.Throws<GeometryException>(() => RigidTransformJson.Parse("{\"matrix\":[[1,0,0,9],[0,1,0,0],[0,0,1,0],[0,0,0,1]],\"versor\":[0,0,0,1],\"translation\":[0,0,0]}"));
        Assert.Throws<GeometryException>(() => RigidTransformJson.Parse("{\"matrix\":[[2,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]}"));
        var e = Assert.Throws<InvalidImageDataException>(() => RigidTransformJson.Parse("{\"matrix\":[[1,0]]}", "m.json"));
        Assert.That(e!.Message, Does.Contain("m.json"));
        Assert.Throws<InvalidImageDataException>(() => RigidTransformJson.Parse("{not json", "x.json"));
        Assert.Throws<InvalidImageDataException>(() => RigidTransformJson.Parse("{}"));
    }
}
