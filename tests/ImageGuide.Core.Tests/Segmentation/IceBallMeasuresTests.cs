using System.Text.Json;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Segmentation;

namespace ImageGuide.Tests.Segmentation;

/// <summary>The measures on analytic masks with hand-computed values.</summary>
public class IceBallMeasuresTests
{
    private static readonly VolumeGeometry Grid = new(60, 60, 60, new Vec3(1, 1, 1), Vec3.Zero);

    private static Volume<byte> Paint(Func<Vec3, bool> inside, byte value = 1, Volume<byte>? into = null)
    {
        var v = into ?? new Volume<byte>(Grid);
        for (int k = 0; k < Grid.Nz; k++)
            for (int j = 0; j < Grid.Ny; j++)
                for (int i = 0; i < Grid.Nx; i++)
                    if (inside(Grid.IndexToPhysical(i, j, k))) v[i, j, k] = value;
        return v;
    }

    private static readonly Vec3 C = new(30, 30, 30);

    [Test]
    public void Box_VolumeAndDiameters()
    {
        // 20 × 10 × 6 voxels of 1 mm: 1.2 mL; extents 20, 10, 6 mm along x, y, z
        var box = Paint(p => p.X >= 10 && p.X < 30 && p.Y >= 20 && p.Y < 30 && p.Z >= 5 && p.Z < 11);
        Assert.That(IceBallMeasures.VolumeMl(box), Is.EqualTo(1.2).Within(1e-9));
        var d = IceBallMeasures.Diameters(box)!;
        Assert.That(d.LongMm, Is.EqualTo(20).Within(1e-6));
        Assert.That(d.MidMm, Is.EqualTo(10).Within(1e-6));
        Assert.That(d.ShortMm, Is.EqualTo(6).Within(1e-6));
        Assert.That(Math.Abs(d.LongAxis.X), Is.EqualTo(1).Within(1e-9));
    }

    [Test]
    public void Sphere_LethalZoneIsTheInsetSphere_AndMarginsAreTheRadiusDifference()
    {
        var ice = Paint(p => Vec3.Distance(p, C) <= 15);
        var lethal = IceBallMeasures.LethalZone(ice, 5);
        // the lethal edge lies 5 mm inside the ice edge: radius ≈ 10 mm (± half a voxel)
        double r = Math.Cbrt(3 * IceBallMeasures.VolumeMl(lethal) * 1000 / (4 * Math.PI));
        Assert.That(r, Is.EqualTo(10).Within(0.6));
        var tumour = Paint(p => Vec3.Distance(p, C) <= 6);
        Assert.That(IceBallMeasures.Coverage(tumour, lethal), Is.EqualTo(1));
        Assert.That(IceBallMeasures.MinMarginMm(tumour, lethal)!.Value, Is.EqualTo(4).Within(1));
        var big = Paint(p => Vec3.Distance(p, C) <= 12);
        Assert.That(IceBallMeasures.MinMarginMm(big, lethal)!.Value, Is.EqualTo(-2).Within(1));
        Assert.That(IceBallMeasures.Coverage(big, lethal)!.Value, Is.EqualTo(Math.Pow(10.0 / 12, 3)).Within(0.06));
    }

    [Test]
    public void CriticalDistances_AreTheGapToEachStructure_NegativeInside()
    {
        var ice = Paint(p => Vec3.Distance(p, C) <= 10);
        var labels = new Volume<byte>(Grid);
        Paint(p => p.X >= 47, 2, labels);            // 7 mm beyond the ice edge at x = 40
        Paint(p => p.X <= 22 && p.Y >= 25 && p.Y <= 35 && p.Z >= 25 && p.Z <= 35, 3, labels); // reaches 2 mm into the ice (edge at x = 20)
        var table = new LabelTable([new LabelDefinition(2, "cord", LabelRole.Critical, 5), new LabelDefinition(3, "nerve", LabelRole.Critical)]);
        var d = IceBallMeasures.CriticalDistancesMm(ice, labels, table, 25);
        Assert.That(d["cord"]!.Value, Is.EqualTo(7).Within(1));
        Assert.That(d["nerve"]!.Value, Is.EqualTo(-2).Within(1));
        var far = IceBallMeasures.CriticalDistancesMm(ice, labels, table, 5);
        Assert.That(far["cord"], Is.Null, "beyond reach");
    }

    [Test]
    public void Growth_OfASphereByTwoMillimetres()
    {
        var before = Paint(p => Vec3.Distance(p, C) <= 10);
        var after = Paint(p => Vec3.Distance(p, C) <= 12);
        var g = IceBallGrowth.Compute(before, after);
        Assert.That(g.VolumeChangeMl, Is.EqualTo(IceBallMeasures.VolumeMl(after) - IceBallMeasures.VolumeMl(before)).Within(1e-9));
        Assert.That(g.MeanEdgeGrowthMm, Is.EqualTo(2).Within(0.5));
        Assert.That(g.MaxEdgeGrowthMm, Is.EqualTo(2).Within(0.8));
    }

    [Test]
    public void ProbeFile_ReadsAxisOrEntry_AndNamesBadEntries()
    {
        var p = ProbeFile.Parse("""{"probes":[{"tip":[1,2,3],"axis":[0,0,2]},{"tip":[0,0,0],"entry":[0,-10,0]}]}""", "t.json");
        Assert.That(p[0].Axis, Is.EqualTo(new Vec3(0, 0, 1)));
        Assert.That(p[1].Axis, Is.EqualTo(new Vec3(0, 1, 0)));
        var e = Assert.Throws<InvalidImageDataException>(() => ProbeFile.Parse("""{"probes":[{"tip":[1,2]}]}""", "t.json"));
        Assert.That(e!.Message, Does.Contain("probes[0].tip"));
    }

    [Test]
    public void Settings_OutOfRange_AreRefusedByName()
    {
        var e = Assert.Throws<SegmentationException>(() => new IceBallSegmenter(IceBallSettings.Default with { LethalInsetMm = -1 }));
        Assert.That(e!.Message, Does.Contain("LethalInsetMm"));
    }

    [Test]
    public void Report_HasTheContractKeys()
    {
        var a = IceBallPhantoms.Analysis(12, 2, true);
        using var doc = JsonDocument.Parse(IceBallJson.Serialize(a));
        foreach (var key in new[] { "volumeMl", "diametersMm", "lethalCoverage", "minMarginMm", "criticalDistancesMm", "probes", "extrapolatedFraction", "warnings" })
            Assert.That(doc.RootElement.TryGetProperty(key, out _), key);
        Assert.That(doc.RootElement.GetProperty("probes")[0].GetProperty("tip").GetArrayLength(), Is.EqualTo(3));
        Assert.That(doc.RootElement.GetProperty("criticalDistancesMm").TryGetProperty("cord", out _));
    }
}
