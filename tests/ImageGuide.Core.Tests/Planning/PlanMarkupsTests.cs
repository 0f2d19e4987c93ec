using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

public class PlanMarkupsTests
{
    [Test]
    public void TrajectoryLinesAreWrittenInRasAndReadBackInLps()
    {
        var required = new Dictionary<string, double>();
        var t = new TrajectoryEvaluation(new Vec3(10, -20, 30), new Vec3(-1.5, 2.5, 4), 40, 0, 0, required, required, 0, 0, true, [], 0.5);
        string json = PlanMarkups.Format([t]);
        using (var doc = System.Text.Json.JsonDocument.Parse(json))
        {
            var m = doc.RootElement.GetProperty("markups")[0];
            Assert.That(m.GetProperty("type").GetString(), Is.EqualTo("Line"));
            Assert.That(m.GetProperty("coordinateSystem").GetString(), Is.EqualTo("RAS"));
            var p = m.GetProperty("controlPoints")[0].GetProperty("position");
            Assert.That(new[] { p[0].GetDouble(), p[1].GetDouble(), p[2].GetDouble() }, Is.EqualTo(new[] { -10.0, 20.0, 30.0 }));
        }
        var back = ImageGuide.Model.LandmarkFile.ParseMarkupsJson(json);
        Assert.That(back.Select(l => l.PositionLps), Is.EqualTo(new[] { t.Entry, t.Target }));
    }
}
