using System.Text.Json;

namespace ImageGuide.Cli.Tests;

public class TreTests
{
    [Test]
    public void Tre_OfAKnownTranslation_IsItsLengthAtEveryLandmark()
    {
        string dir = Path.Combine(Path.GetTempPath(), "imageguide-tre-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // the transform moves points by (1, 2, 2): |(1,2,2)| = 3 mm, while the moving landmarks equal the fixed ones
            File.WriteAllText(Path.Combine(dir, "t.tfm"), "#Insight Transform File V1.0\n#Transform 0\nTransform: VersorRigid3DTransform_double_3_3\nParameters: 0 0 0 1 2 2\nFixedParameters: 0 0 0\n");
            const string points = "label,x,y,z\np1,0,0,0\np2,10,-5,3\np3,-7,8,100\n";
            File.WriteAllText(Path.Combine(dir, "f.csv"), points);
            File.WriteAllText(Path.Combine(dir, "m.csv"), points);
            var r = CliProcess.Run("tre", "--transform", Path.Combine(dir, "t.tfm"), "--fixed-landmarks", Path.Combine(dir, "f.csv"),
                "--moving-landmarks", Path.Combine(dir, "m.csv"), "--json");
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            using var doc = JsonDocument.Parse(r.Stdout);
            Assert.That(doc.RootElement.GetProperty("count").GetInt32(), Is.EqualTo(3));
            foreach (var key in new[] { "median", "mean", "p95", "max" })
                Assert.That(doc.RootElement.GetProperty(key).GetDouble(), Is.EqualTo(3.0).Within(1e-9), key);
        }
        finally { Directory.Delete(dir, true); }
    }
}
