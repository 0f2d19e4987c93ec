using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Registration;

namespace ImageGuide.Tests.Registration;

public class LandmarkPairsTests
{
    [Test]
    public void CommonNamesPairWhateverTheOrder_AndTheRestIsReported()
    {
        var f = new[] { new Landmark("a", new Vec3(1, 0, 0)), new Landmark("b", new Vec3(2, 0, 0)), new Landmark("c", new Vec3(3, 0, 0)) };
        var m = new[] { new Landmark("b", new Vec3(20, 0, 0)), new Landmark("a", new Vec3(10, 0, 0)), new Landmark("d", new Vec3(0, 0, 0)) };
        var p = LandmarkPairs.Match(f, m);
        Assert.That(p.Names, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(p.Moving, Is.EqualTo(new[] { new Vec3(10, 0, 0), new Vec3(20, 0, 0) }));
        Assert.That(p.Unpaired, Is.EquivalentTo(new[] { "c", "d" }));
    }

    [Test]
    public void UnnamedListsOfEqualLengthPairByOrder_OtherwiseAreRefused()
    {
        var f = new[] { new Landmark("", new Vec3(1, 0, 0)), new Landmark("", new Vec3(2, 0, 0)) };
        var m = new[] { new Landmark("", new Vec3(4, 0, 0)), new Landmark("", new Vec3(5, 0, 0)) };
        var p = LandmarkPairs.Match(f, m);
        Assert.That(p.Names, Is.EqualTo(new[] { "#1", "#2" }));
        // translation by +3 in x maps each fixed point onto its partner: TRE 0
        Assert.That(RegistrationEvaluation.Tre(RigidTransform.FromTranslation(new Vec3(3, 0, 0)), p.Fixed, p.Moving).Max, Is.EqualTo(0));
        Assert.Throws<RegistrationException>(() => LandmarkPairs.Match(f, m[..1]));
    }
}
