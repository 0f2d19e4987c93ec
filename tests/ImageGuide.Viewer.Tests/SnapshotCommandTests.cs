using System.Buffers.Binary;
using ImageGuide.Viewer;

namespace ImageGuide.Tests.Viewer;

/// <summary>The --snapshot command end to end (in process), and its usage errors.</summary>
public sealed class SnapshotCommandTests
{
    [Test]
    public void SnapshotOfTheSyntheticSceneWritesAPngOfTheRequestedSize()
    {
        using (Gpu.Context()) { } // ignore the test where EGL is unavailable
        string path = Path.Combine(Path.GetTempPath(), $"viewer-{Guid.NewGuid():N}.png");
        try
        {
            int code = Program.Main(["--synthetic", "40x40x32@4,4,4", "--snapshot", path, "--size", "160x128"]);
            Assert.That(code, Is.EqualTo(0));
            var png = File.ReadAllBytes(path);
            Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }), "PNG signature");
            Assert.That(System.Text.Encoding.ASCII.GetString(png, 12, 4), Is.EqualTo("IHDR"));
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), Is.EqualTo(160), "width");
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), Is.EqualTo(128), "height");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("--overlay")]
    [TestCase("--bogus", "x")]
    [TestCase("a.nii", "b.nii")]
    [TestCase("--synthetic", "10x10")]
    [TestCase("a.nii", "--transform", "t.tfm")]
    public void BadUsageExitsWithTwo(params string[] args) => Assert.That(Program.Main(args), Is.EqualTo(2));

    [Test]
    public void MissingInputFileExitsWithThree() =>
        Assert.That(Program.Main([Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.nii.gz"), "--snapshot", "x.png"]), Is.EqualTo(3));
}
