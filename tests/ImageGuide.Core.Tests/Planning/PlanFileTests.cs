using ImageGuide.Planning;

namespace ImageGuide.Tests.Planning;

public class PlanFileTests
{
    [Test]
    public void PlanTrajectoriesAreReadInLpsMillimetres()
    {
        var plan = PlanFile.Parse("""{"trajectories":[{"entry":[1,2,3],"target":[4.5,-5,6],"feasible":true},{"entry":[0,0,0],"target":[0,0,1e1]}]}""", "plan.json");
        Assert.That(plan.Trajectories, Has.Count.EqualTo(2));
        Assert.That(plan.Trajectories[0], Is.EqualTo(new PlannedPath(new Vec3(1, 2, 3), new Vec3(4.5, -5, 6))));
        Assert.That(plan.Trajectories[1].Target, Is.EqualTo(new Vec3(0, 0, 10)));
        Assert.That(plan.ProbeField, Is.Null);
    }

    [Test]
    public void PlanProbesGiveTheirModelledTemperatureField()
    {
        var plan = PlanFile.Parse("""{"trajectories":[],"probes":[{"model":"approx-2.4mm","tip":[0,0,0],"axis":[0,0,1]}]}""", "plan.json");
        var model = ProbeCatalogue.BuiltIn.Get("approx-2.4mm");
        var centre = new Vec3(0, 0, -model.CentreOffsetMm);
        var zero = model.Isotherms.Single(i => i.TemperatureC == 0);
        // on the 0 °C ellipsoid, radially from the ice centre: the catalogue's own isotherm
        Assert.That(plan.ProbeField!.TemperatureAt(centre + new Vec3(zero.RadialMm, 0, 0)), Is.EqualTo(0).Within(1e-9));
        Assert.That(plan.ProbeField.TemperatureAt(centre + new Vec3(0, 0, zero.AxialMm)), Is.EqualTo(0).Within(1e-9));
    }

    [TestCase("""{"probes":[]}""", "trajectories")]
    [TestCase("""{"trajectories":[{"entry":[1,2],"target":[1,2,3]}]}""", "trajectories[0].entry")]
    [TestCase("""{"trajectories":[{"entry":[1,2,3],"target":[1,"a",3]}]}""", "trajectories[0].target[1]")]
    [TestCase("""{"trajectories":[],"probes":[{"tip":[0,0,0]}]}""", "probes[0].axis")]
    [TestCase("""{"trajectories":[""", "not valid JSON")]
    public void MalformedPlansAreRefusedNamingThePlace(string json, string where)
    {
        var e = Assert.Throws<InvalidImageDataException>(() => PlanFile.Parse(json, "plan.json"));
        Assert.That(e!.Message, Does.Contain("plan.json").And.Contain(where));
    }
}
