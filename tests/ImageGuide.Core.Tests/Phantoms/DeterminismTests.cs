using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ImageGuide.Phantoms;

namespace ImageGuide.Tests.Phantoms;

public class DeterminismTests
{
    [Test]
    public void SameSeedGivesIdenticalVoxelBuffers()
    {
        var again = PhantomGenerator.Generate(PhantomFixture.Options);
        var first = PhantomFixture.Case;
        for (int f = 0; f < first.Frames.Count; f++)
        {
            Assert.That(Hash(again.Frames[f].Image.Data), Is.EqualTo(Hash(first.Frames[f].Image.Data)), first.Frames[f].Name);
            Assert.That(Hash(again.Frames[f].Labels.Data), Is.EqualTo(Hash(first.Frames[f].Labels.Data)), first.Frames[f].Name);
            Assert.That(again.Frames[f].Geometry, Is.EqualTo(first.Frames[f].Geometry));
        }
        Assert.That(Hash(again.IntraOpTruth.IceBall.Data), Is.EqualTo(Hash(first.IntraOpTruth.IceBall.Data)));
        Assert.That(Hash(again.IntraOpTruth.MetalArtifact.Data), Is.EqualTo(Hash(first.IntraOpTruth.MetalArtifact.Data)));
    }

    [Test]
    public void DifferentSeedsGiveDifferentAnatomy()
    {
        var a = SpineAnatomy.Build(PhantomFixture.Options);
        var b = SpineAnatomy.Build(PhantomFixture.Options with { Seed = PhantomFixture.Options.Seed + 1 });
        Assert.That(b.BodySemiAxes, Is.Not.EqualTo(a.BodySemiAxes));
        var la = a.Landmarks.First(l => l.Kind == LandmarkKind.CordCentre);
        var lb = b.Landmarks.First(l => l.Name == la.Name);
        Assert.That(Vec3.Distance(la.Position, lb.Position), Is.GreaterThan(0.1));
        var tumourA = (ShapeUnion)a.Tumour.Shape;
        var tumourB = (ShapeUnion)b.Tumour.Shape;
        Assert.That(((Ellipsoid)tumourB.Parts[0]).Center, Is.Not.EqualTo(((Ellipsoid)tumourA.Parts[0]).Center));
    }

    [Test]
    public void AnatomyStaysWithinRealisticRangesAcrossSeeds()
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var a = SpineAnatomy.Build(new PhantomOptions { Seed = seed });
            Assert.That(2 * a.BodySemiAxes.X, Is.InRange(300, 340));
            Assert.That(2 * a.BodySemiAxes.Y, Is.InRange(220, 260));
            Assert.That(a.TumourLevelIndex, Is.InRange(1, 3));
            Assert.That(a.Landmarks, Has.Count.GreaterThanOrEqualTo(30));
            var tumour = a.Levels[a.TumourLevelIndex].BodyCenter;
            Assert.That(a.LabelAt(tumour), Is.EqualTo(SpineLabels.CancellousBone).Or.EqualTo(SpineLabels.Tumour), $"seed {seed}");
        }
    }

    [Test]
    public void ProbeCountOutsideOneToFourIsRejected()
    {
        Assert.Throws<InvalidPhantomOptionsException>(() => PhantomGenerator.Generate(new PhantomOptions { ProbeCount = 5 }));
        Assert.Throws<InvalidPhantomOptionsException>(() => PhantomGenerator.Generate(new PhantomOptions { ProbeCount = 0 }));
    }

    private static string Hash<T>(T[] data) where T : unmanaged => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(data.AsSpan())));
}
