using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

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
    public void Render_DrawsTheOrientationLettersWithTheRenderingAssembly_StoresThemAsPngText_AndRepeatsByteForByte()
    {
        // Core's own renderer draws no text: yellow letters at the edge centres mean the CLI drew with Skia
        string dir = TestPaths.RequireShared("ct-philips-brain-5mm");
        string png = Path.Combine(Path.GetTempPath(), $"imageguide-render-{Guid.NewGuid():N}.png");
        try
        {
            var r = CliProcess.Run("render", "--image", dir, "--plane", "axial", "--at", "0,0,760", "--window", "brain", "--out", png);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            var bytes = File.ReadAllBytes(png);
            Assert.That(Encoding.Latin1.GetString(bytes), Does.Contain("Orientation\0left R, right L, top A, bottom P"), "tEXt chunk");
            // the same input twice gives the same bytes (CPU raster, embedded font)
            var again = CliProcess.Run("render", "--image", dir, "--plane", "axial", "--at", "0,0,760", "--window", "brain", "--out", png, "--force");
            Assert.That(again.ExitCode, Is.EqualTo(0), again.Stderr);
            Assert.That(File.ReadAllBytes(png), Is.EqualTo(bytes), "a second run's PNG");
            using var image = SKBitmap.Decode(bytes); // Skia's decoder, not ours
            Assert.That((image.Width, image.Height), Is.EqualTo((512, 512)));
            int Yellow(int x0, int y0, int x1, int y1)
            {
                int n = 0;
                for (int y = y0; y < y1; y++)
                    for (int x = x0; x < x1; x++)
                    {
                        var c = image.GetPixel(x, y);
                        if (c.Red > 200 && c.Green > 200 && c.Blue < 80) n++;
                    }
                return n;
            }
            Assert.That(Yellow(472, 236, 512, 276), Is.GreaterThan(20), "L at the right edge");
            Assert.That(Yellow(0, 236, 40, 276), Is.GreaterThan(20), "R at the left edge");
            Assert.That(Yellow(236, 0, 276, 40), Is.GreaterThan(20), "A at the top");
            Assert.That(Yellow(236, 472, 276, 512), Is.GreaterThan(20), "P at the bottom");
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
