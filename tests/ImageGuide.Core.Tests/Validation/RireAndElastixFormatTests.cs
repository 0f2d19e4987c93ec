using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Tests.Validation;

public class RireAndElastixFormatTests
{
    private const string RireStandard = """
        -------------------------------------------------------------------------
        Transformation Parameters

        Patient number: 001
        From: CT
        To: MR_T1

        Point      x          y          z        new_x       new_y       new_z

          1        0.0000     0.0000     0.0000   -7.4887   -29.5197  -42.0541
          2      333.9870     0.0000     0.0000  326.4940   -29.5197  -42.0541
          3        0.0000   333.9870   112.0000   -7.4887   304.4673   69.9459

        (All distances are in millimeters.)
        -------------------------------------------------------------------------
        """;

    [Test]
    public void RirePointFile_ReadsIndexedRows_AndSkipsEverythingElse()
    {
        var points = LandmarkFile.ParseRire(RireStandard);
        Assert.That(points.Select(p => p.Name), Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(points[1].PositionLps, Is.EqualTo(new Vec3(333.987, 0, 0)));
        Assert.That(points[2].PositionLps, Is.EqualTo(new Vec3(0, 333.987, 112)));
    }

    [Test]
    public void RirePointFile_ByExtension_PairsByIndex()
    {
        string dir = Path.Combine(Path.GetTempPath(), "imageguide-rire-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "f.pts"), "  1   1.5 2 3\n  2   -4 5.25 6\n");
            File.WriteAllText(Path.Combine(dir, "m.pts"), "  2   0 0 1\n  1   0 0 2\n");
            var f = LandmarkFile.Read(Path.Combine(dir, "f.pts"));
            Assert.That(f[1].PositionLps, Is.EqualTo(new Vec3(-4, 5.25, 6)));
            var pairs = ImageGuide.Registration.LandmarkPairs.Match(f, LandmarkFile.Read(Path.Combine(dir, "m.pts")));
            Assert.That(pairs.Moving, Is.EqualTo(new[] { new Vec3(0, 0, 2), new Vec3(0, 0, 1) }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestCase("  1  2.0  3.0\n", "line 1: point 1 has 2 coordinates")]
    [TestCase("  1  2 3 x\n", "line 1: 'x' is not a finite coordinate")]
    [TestCase("  1  2 3 4\n  1  5 6 7\n", "line 2: point index 1 appears twice")]
    [TestCase("Point x y z\n", "no point rows")]
    public void MalformedRireFile_NamesTheLine(string text, string message)
    {
        var e = Assert.Throws<InvalidImageDataException>(() => LandmarkFile.ParseRire(text, "pts"));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public void ElastixEuler_RotationAboutZ_MapsAsWrittenByHand()
    {
        // θz = 90°: R (x, y, z) = (−y, x, z); T(p) = R (p − c) + c + t with c = (1, 2, 3), t = (10, 0, −1)
        const string text = """
            (Transform "EulerTransform")
            (NumberOfParameters 6)
            (TransformParameters 0.000000 0.000000 1.5707963267948966 10.000000 0.000000 -1.000000)
            (InitialTransformParametersFileName "NoInitialTransform")
            (CenterOfRotationPoint 1.0000000000 2.0000000000 3.0000000000)
            (ComputeZYX "false")
            """;
        var t = ElastixTransformParameters.Parse(text);
        var p = t.TransformPoint(new Vec3(5, 7, 11));
        // p − c = (4, 5, 8) → (−5, 4, 8) → + c + t = (−5 + 1 + 10, 4 + 2, 8 + 3 − 1)
        Assert.That(Vec3.Distance(p, new Vec3(6, 6, 10)), Is.LessThan(1e-9));
    }

    [Test]
    public void ElastixEuler_AxisOrder_FollowsComputeZyx()
    {
        // θx = θy = 90°. Default (Z·X·Y): e_x → Ry e_x = (0, 0, −1) → Rx → (0, 1, 0). ZYX (Z·Y·X): e_x → Rx e_x = e_x → Ry → (0, 0, −1).
        static string Text(string zyx) => $"(Transform \"EulerTransform\")\n(TransformParameters 1.5707963267948966 1.5707963267948966 0 0 0 0)\n(CenterOfRotationPoint 0 0 0)\n(ComputeZYX \"{zyx}\")\n";
        Assert.That(Vec3.Distance(ElastixTransformParameters.Parse(Text("false")).TransformPoint(new Vec3(1, 0, 0)), new Vec3(0, 1, 0)), Is.LessThan(1e-9));
        Assert.That(Vec3.Distance(ElastixTransformParameters.Parse(Text("true")).TransformPoint(new Vec3(1, 0, 0)), new Vec3(0, 0, -1)), Is.LessThan(1e-9));
    }

    [TestCase("(Transform \"BSplineTransform\")\n", "only elastix's rigid EulerTransform")]
    [TestCase("(Transform \"EulerTransform\")\n(CenterOfRotationPoint 0 0 0)\n", "(TransformParameters …) with 6 value(s) is missing")]
    [TestCase("(Transform \"EulerTransform\")\n(TransformParameters 0 0 0 0 0 nan)\n(CenterOfRotationPoint 0 0 0)\n", "value 6 'nan'")]
    public void ElastixParameters_Malformed_AreRefused(string text, string message)
    {
        var e = Assert.Throws<ValidationException>(() => ElastixTransformParameters.Parse(text, "tp.txt"));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public void UncertaintyFeed_RefusesFilesThatAreNotReports()
    {
        string path = Path.Combine(Path.GetTempPath(), "imageguide-notreport-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{ "trajectories": [] }""");
        try
        {
            Assert.That(Assert.Throws<ValidationException>(() => ValidationReportFile.ReadPooledP95(path))!.Message, Does.Contain("not an ImageGuide validation report"));
            Assert.That(Assert.Throws<ValidationException>(() => ValidationReportFile.ReadPooledP95(path + ".missing"))!.Message, Does.Contain("does not exist"));
        }
        finally { File.Delete(path); }
    }
}
