using ImageGuide.Model;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Tests.Registration;

/// <summary>Level names, ranks and the TotalSegmentator / VerSe numberings (TotalSegmentator's map_to_binary.py, the VerSe paper).</summary>
[TestFixture]
public class VertebraLevelTests
{
    [TestCase("C1", 50)]
    [TestCase("C7", 44)]
    [TestCase("T1", 43)]
    [TestCase("T12", 32)]
    [TestCase("L1", 31)]
    [TestCase("L5", 27)]
    [TestCase("S1", 26)]
    [TestCase("sacrum", 25)]
    public void TotalSegmentatorLabel_OfAName_AndBack(string name, int label)
    {
        Assert.That(VertebraLevel.TotalSegmentatorLabel(name), Is.EqualTo((byte)label));
        Assert.That(VertebraLevel.TotalSegmentatorName(label), Is.EqualTo(name));
    }

    [TestCase("L6")]
    [TestCase("T13")]
    [TestCase("X3")]
    public void LevelsTotalSegmentatorDoesNotNumber_HaveNoLabel(string name) =>
        Assert.That(VertebraLevel.TotalSegmentatorLabel(name), Is.Null);

    [Test]
    public void EveryTotalSegmentatorVertebraLabel_RoundTripsThroughItsName()
    {
        for (int label = 25; label <= 50; label++)
            Assert.That(VertebraLevel.TotalSegmentatorLabel(VertebraLevel.TotalSegmentatorName(label)!), Is.EqualTo((byte)label), $"label {label}");
    }
}
