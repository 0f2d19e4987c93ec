using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

[TestFixture]
public class InitializerAndPresetTests
{
    private static Volume<short> Ball(VolumeGeometry g, Vec3 center, double radius, short inside, short outside)
    {
        var v = new Volume<short>(g);
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    v[i, j, k] = Vec3.Distance(g.IndexToPhysical(i, j, k), center) <= radius ? inside : outside;
        return v;
    }

    [Test]
    public void Moments_AlignTheCentresOfMass()
    {
        var gf = new VolumeGeometry(40, 40, 40, new Vec3(1, 1, 1), new Vec3(-20, -20, -20));
        var gm = new VolumeGeometry(30, 36, 32, new Vec3(1.25, 1.1, 1.3), new Vec3(-19, -18, -17));
        // CT-like negative background: weights are value − minimum, so the ball dominates
        var fixedImg = Ball(gf, new Vec3(4, -3, 2), 6, 500, -1000);
        var movingImg = Ball(gm, new Vec3(-2, 5, 6), 6, 200, 0);
        var t = RegistrationInitializer.Moments(fixedImg, movingImg);
        Assert.That(t.Rotation, Is.EqualTo(Versor.Identity));
        Assert.That(Vec3.MaxAbsDifference(t.Center, new Vec3(4, -3, 2)), Is.LessThan(0.05));
        Assert.That(Vec3.MaxAbsDifference(t.Translation, new Vec3(-6, 8, 4)), Is.LessThan(0.1));
        var constant = new Volume<short>(gf);
        Assert.Throws<RegistrationException>(() => RegistrationInitializer.Moments(constant, movingImg));
    }

    [Test]
    public void GeometryCenter_MapsFixedCentreToMovingCentre()
    {
        var gf = new VolumeGeometry(10, 10, 10, new Vec3(2, 2, 2), new Vec3(0, 0, 0));
        var gm = new VolumeGeometry(21, 11, 5, new Vec3(1, 1, 1), new Vec3(100, 0, -2));
        var t = RegistrationInitializer.GeometryCenter(gf, gm);
        Assert.That(Vec3.MaxAbsDifference(t.TransformPoint(new Vec3(9, 9, 9)), new Vec3(110, 5, 0)), Is.LessThan(1e-12));
    }

    [Test]
    public void EveryEmbeddedPreset_LoadsAndValidates()
    {
        foreach (var name in RegistrationPreset.Names)
        {
            var s = RegistrationPreset.Get(name);
            Assert.That(s.Name, Is.EqualTo(name));
            Assert.That(s.FormatVersion, Is.EqualTo(1));
            Assert.That(s.Levels.Select(l => l.ShrinkFactor).ToArray(), Is.EqualTo(new[] { 4, 2, 1 }));
            // σ 2/1/0 mm, except cbct-mr, which smooths CBCT noise at full resolution (σ 1 mm, measured on the phantom)
            Assert.That(s.Levels.Select(l => l.SigmaMm).ToArray(), Is.EqualTo(new[] { 2.0, 1.0, name == "cbct-mr" ? 1.0 : 0.0 }));
            Assert.That(s.HistogramBins, Is.InRange(32, 64));
        }
        Assert.That(RegistrationPreset.CbctMr.FixedClipPercentiles, Is.EqualTo(new[] { 0.5, 99.5 }));
        Assert.That(RegistrationPreset.CtMr.Optimizer.Kind, Is.EqualTo(OptimizerKind.Lbfgs));
        Assert.That(RegistrationPreset.Fast.Optimizer.Kind, Is.EqualTo(OptimizerKind.RegularStepGradientDescent));
        Assert.That(RegistrationPreset.Get("CT-MR").Name, Is.EqualTo("ct-mr"));
        Assert.That(RegistrationPreset.TryGet("nope", out _), Is.False);
        Assert.Throws<RegistrationException>(() => RegistrationPreset.Get("nope"));
    }

    [Test]
    public void Settings_RoundTripThroughJson()
    {
        var s = RegistrationPreset.CbctMr with { Seed = 42, Sampling = SamplingStrategy.Regular };
        string json = RegistrationPreset.ToJson(s);
        Assert.That(json, Does.Contain("\"sampling\": \"regular\""));
        var back = RegistrationPreset.FromJson(json);
        Assert.That(RegistrationPreset.ToJson(back), Is.EqualTo(json));
        Assert.That(back.Seed, Is.EqualTo(42));
    }

    [Test]
    public void Settings_MembersTheJsonLeavesOut_KeepTheDefaultsOfTheTypes()
    {
        // the source-generated reader sets init-only members from the JSON alone (dotnet/runtime#84484): every member
        // a preset file leaves out must still come from the C# initializers, at every depth
        var s = RegistrationPreset.FromJson("""
            { "optimizer": { "kind": "lbfgs" }, "translationSearch": { "maximumShiftMm": 16 }, "verdict": {} }
            """);
        var plain = new RegistrationSettings();
        Assert.That(s.Optimizer.Kind, Is.EqualTo(OptimizerKind.Lbfgs));
        Assert.That(s.Optimizer.RelaxationFactor, Is.EqualTo(new OptimizerSettings().RelaxationFactor));
        Assert.That(s.Optimizer.MaximumIterations, Is.EqualTo(new OptimizerSettings().MaximumIterations));
        Assert.That(s.TranslationSearch!.MaximumShiftMm, Is.EqualTo(16));
        Assert.That(s.TranslationSearch.StepMm, Is.EqualTo(new TranslationSearchSettings().StepMm));
        Assert.That(s.RotationSearch, Is.Null);
        Assert.That(s.MultiStart, Is.Null);
        Assert.That(RegistrationPreset.ToJson(s with { Optimizer = plain.Optimizer, TranslationSearch = null }), Is.EqualTo(RegistrationPreset.ToJson(plain)));
        Assert.That(RegistrationPreset.FromJson("{\"Seed\": 7}").Seed, Is.EqualTo(7), "member names are case-insensitive");
    }

    [TestCase("{\"formatVersion\": 2}", "formatVersion")]
    [TestCase("{\"histogramBinz\": 32}", "histogramBinz")]
    [TestCase("{\"histogramBins\": 4}", "histogramBins")]
    [TestCase("{\"levels\": []}", "level")]
    [TestCase("{\"multiStart\": {\"stepMm\": 0}}", "multiStart")]
    [TestCase("{\"levels\": [{\"shrinkFactor\": 1, \"sigmaMm\": 0, \"sampleCount\": 5}]}", "sampleCount")]
    [TestCase("{\"sampleCount\": 99999999}", "sampleCount")]
    [TestCase("{\"optimizer\": {\"kind\": \"simplex\"}}", "")]
    [TestCase("{\"fixedClipPercentiles\": [99, 1]}", "fixedClipPercentiles")]
    [TestCase("{ not json", "")]
    public void BadSettings_RaiseRegistrationException_NamingTheProblem(string json, string mentioned)
    {
        var ex = Assert.Throws<RegistrationException>(() => RegistrationPreset.FromJson(json, "my.json"));
        Assert.That(ex!.Message, Does.Contain(mentioned));
        Assert.That(ex.Message, Does.Contain("my.json").Or.Contain("Invalid registration settings"));
    }
}
