using System.Buffers.Binary;

namespace ImageGuide.Cli.Tests;

public class RenderTests
{
    [Test]
    public void Render_AxialOfPhilipsSeries_WritesPngOfTheInPlaneGrid()
    {
        string dir = TestPaths.RequireShared("ct-philips-brain-5mm");
        string png = Path.Combine(Path.GetTempPath(), $"imageguide-render-{Guid.NewGuid():N}.png");
        try
        {
            var r = CliProcess.Run("render", "--image", dir, "--plane", "axial", "--at", "0,0,760", "--window", "brain", "--out", png);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            var bytes = File.ReadAllBytes(png);
            Assert.That(bytes[1..4], Is.EqualTo("PNG"u8.ToArray()));
            // IHDR: 512 × 512 pixels at the series' 0.451 mm in-plane spacing
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(512));
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)), Is.EqualTo(512));
        }
        finally { File.Delete(png); }
    }

    [Test]
    public void Render_NeedlePlaneWithoutPlan_IsBadUsage()
    {
        string dir = TestPaths.RequireShared("ct-philips-brain-5mm");
        var r = CliProcess.Run("render", "--image", dir, "--plane", "needle", "--out", "/tmp/never.png");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.Contain("--plan"));
        Assert.That(File.Exists("/tmp/never.png"), Is.False);
    }

    [Test]
    public void Render_BadPoint_IsBadUsage()
    {
        string dir = TestPaths.RequireShared("ct-philips-brain-5mm");
        var r = CliProcess.Run("render", "--image", dir, "--at", "1,2", "--out", "/tmp/never.png");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Stderr, Does.Contain("x,y,z"));
    }
}
