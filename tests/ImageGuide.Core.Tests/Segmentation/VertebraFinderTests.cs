using System.Diagnostics;
using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Registration;
using ImageGuide.Registration.Spine;
using ImageGuide.Segmentation;
using ImageGuide.Segmentation.Spine;

namespace ImageGuide.Tests.Segmentation;

/// <summary>
/// <see cref="VertebraFinder"/> on real CT against independent labels: TotalSegmentator's per-vertebra masks of its example
/// thorax–abdomen–pelvis CT (3 mm) and the VerSe-style masks of a 1.5 mm lumbar crop (TPTBox). Dice bounds are the values
/// reached less ≈ 0.02 (measured: example CT T12 0.845 (cut by the field of view), L1 0.896, L2 0.922, L3 0.925, L4 0.930,
/// L5 0.873; CBCT-like copy L1 0.858, L2 0.872, L3 0.895, L4 0.900, L5 0.859; crop L2 0.815, L3 0.854, L4 0.813 — the
/// crop's L2 and L4 are cut by its field of view). Every whole vertebra reaches the 0.85 goal; the cut ones fall short
/// (docs/SPINE.md says why); every Dice is printed.
/// </summary>
public class VertebraFinderTests
{
    private static Volume<float> ExampleCt() =>
        VolumeReader.Read(Path.Combine(TestPaths.RequireShared("ct-mr-totalsegmentator"), "example_ct.nii.gz")).Volume;

    private static Volume<byte> ExampleSeg() =>
        VolumeReader.Read<byte>(Path.Combine(TestPaths.RequireShared("ct-mr-totalsegmentator"), "example_seg_fast_force_split.nii.gz"));

    /// <summary>Lowest Dice asserted per level on the example CT (reached values minus ≈ 0.02).</summary>
    private static readonly Dictionary<string, double> ExampleBounds = new()
    {
        ["T12"] = 0.82, ["L1"] = 0.87, ["L2"] = 0.90, ["L3"] = 0.90, ["L4"] = 0.91, ["L5"] = 0.85,
    };

    /// <summary>
    /// The real CT made cone-beam-like (test generator): no Hounsfield scale (grey = 0.8·(HU + 1000) + 100), a cylindrical
    /// field of view of 12 cm radius about the lumbar spine (fill 0 outside), cupping (100 grey units deep at the axis)
    /// and noise (σ 30). The finder calibrates it from its peaks, says so, and finds L1–L5 with their true names.
    /// </summary>
    [Test]
    public void ExampleCt_AsAnUncalibratedConeBeamCt_IsCalibrated_AndFindsTheLumbarLevels()
    {
        var ct = ExampleCt();
        var truth = ExampleSeg();
        var cbct = ConeBeamLike(ct, truth);
        var found = VertebraFinder.Find(cbct, "L5");
        foreach (var w in found.Warnings) TestContext.Out.WriteLine("warning: " + w);
        Assert.That(found.Warnings, Has.Some.Contain("no Hounsfield scale"), "the calibration is stated");
        Assert.That(found.Levels.Select(l => l.Name), Is.SupersetOf(new[] { "L1", "L2", "L3", "L4", "L5" }));
        foreach (var level in found.Levels.Where(l => CbctBounds.ContainsKey(l.Name)))
        {
            double dice = Dice(found.Labels, level.Label, truth, TotalSegmentatorLabel(level.Name));
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CBCT-like {level.Name}: Dice {dice:0.000} (asserted ≥ {CbctBounds[level.Name]:0.00})"));
            Assert.That(dice, Is.GreaterThanOrEqualTo(CbctBounds[level.Name]), level.Name);
        }
    }

    /// <summary>The cone-beam-like copy of the example CT described on the test that uses it (seeded, reproducible).</summary>
    internal static Volume<float> ConeBeamLike(Volume<float> ct, Volume<byte> truth)
    {
        var g = ct.Geometry;
        double cx = 0, cy = 0;
        long count = 0, at = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, at++)
                    if (truth.Data[at] is >= 27 and <= 31) { var p = g.IndexToPhysical(i, j, k); cx += p.X; cy += p.Y; count++; }
        cx /= count;
        cy /= count;
        const double radius = 120;
        var cbct = new Volume<float>(g);
        var rng = new Random(5);
        at = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, at++)
                {
                    var p = g.IndexToPhysical(i, j, k);
                    double r2 = ((p.X - cx) * (p.X - cx) + (p.Y - cy) * (p.Y - cy)) / (radius * radius);
                    if (r2 > 1) continue;
                    double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                    cbct.Data[at] = (float)(0.8 * (ct.Data[at] + 1000) + 100 - 100 * (1 - r2) + 30 * noise);
                }
        return cbct;
    }

    /// <summary>Lowest Dice asserted per level on the CBCT-like example CT (reached values minus ≈ 0.02).</summary>
    private static readonly Dictionary<string, double> CbctBounds = new()
    {
        ["L1"] = 0.84, ["L2"] = 0.85, ["L3"] = 0.87, ["L4"] = 0.88, ["L5"] = 0.84,
    };

    /// <summary>
    /// Ribs and hip bones are no vertebra: the bone that leaves the spine region sideways seeds a foreign segment in the
    /// split, so the 12th ribs stop at their costovertebral joints and the ilia at the sacro-iliac joints. Before that,
    /// ≈ 10 % of the labelled voxels lay on TotalSegmentator's ribs (92–115) and hips (77, 78) — 118 rib voxels with T12
    /// and 2019 hip voxels with the sacrum; now 51 of ≈ 18 100 (0.3 %).
    /// </summary>
    [Test]
    public void ExampleCt_LabelsNeitherRibsNorHips()
    {
        var truth = ExampleSeg();
        var found = VertebraFinder.Find(ExampleCt(), "L5");
        long labelled = 0, onRibsOrHips = 0;
        for (int i = 0; i < truth.Data.Length; i++)
        {
            if (found.Labels.Data[i] == 0) continue;
            labelled++;
            if (truth.Data[i] is 77 or 78 or (>= 92 and <= 115)) onRibsOrHips++;
        }
        TestContext.Out.WriteLine($"{onRibsOrHips} of {labelled} labelled voxels lie on the shipped ribs or hips");
        Assert.That(onRibsOrHips, Is.LessThan(labelled / 100), "under 1 % of the vertebra labels may lie on ribs or hips");
    }

    [TestCase("L5")]
    [TestCase(null)]
    public void ExampleCt_FindsLumbarVertebrae_WithTheirTrueNames(string? anchor)
    {
        var ct = ExampleCt();
        var truth = ExampleSeg();
        var clock = Stopwatch.StartNew();
        var found = VertebraFinder.Find(ct, anchor);
        TestContext.Out.WriteLine($"anchor {anchor ?? "(none)"}: {clock.ElapsedMilliseconds} ms; levels {string.Join(", ", found.Levels)}");
        TestContext.Out.WriteLine("naming: " + found.NamingReason);
        foreach (var w in found.Warnings) TestContext.Out.WriteLine("warning: " + w);

        Assert.That(found.Labels.Geometry, Is.EqualTo(ct.Geometry));
        var names = found.Levels.Select(l => l.Name).ToList();
        Assert.That(names, Is.SupersetOf(new[] { "L1", "L2", "L3", "L4", "L5" }));
        if (anchor is null) Assert.That(found.NamingReason, Does.Contain("sacrum"), "the automatic naming must say which guess it made");
        else Assert.That(found.NamingReason, Does.Contain("L5"));
        AssertLevelsCranialFirst(found.Levels);

        foreach (var level in found.Levels)
        {
            string? overlapName = MostOverlappedName(found.Labels, level.Label, truth, VertebraLevel.TotalSegmentatorName);
            Assert.That(overlapName, Is.EqualTo(level.Name), $"label {level.Label} ({level.Name}) lies mostly on the true {overlapName}");
            if (!ExampleBounds.TryGetValue(level.Name, out double bound)) continue;
            double dice = Dice(found.Labels, level.Label, truth, TotalSegmentatorLabel(level.Name));
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{level.Name}: Dice {dice:0.000} (asserted ≥ {bound:0.00})"));
            Assert.That(dice, Is.GreaterThanOrEqualTo(bound), level.Name);
        }
        if (found.Levels.FirstOrDefault(l => l.Name == "sacrum") is { Label: > 0 } sacrum)
        {
            // TotalSegmentator splits the sacrum into "sacrum" (25) and "S1" (26); the finder labels the whole bone 25.
            double d = Dice(found.Labels, sacrum.Label, truth, 25, 26);
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sacrum (vs 25 ∪ 26): Dice {d:0.000} (asserted ≥ 0.62; the finder cuts it 65 mm from the canal)"));
            Assert.That(d, Is.GreaterThanOrEqualTo(0.62));
        }
    }

    [Test]
    public void SpineCrop_WithAnchorL4_FindsL2ToL4()
    {
        string dir = Path.Combine(TestPaths.RequireShared("ct-mr-spine-crops"), "sample_ct");
        var ct = VolumeReader.Read(Path.Combine(dir, "sub-ct_label-22_ct.nii.gz")).Volume;
        var truth = VolumeReader.Read<byte>(Path.Combine(dir, "sub-ct_seg-vert_label-22_msk.nii.gz"));
        var clock = Stopwatch.StartNew();
        var found = VertebraFinder.Find(ct, "L4");
        TestContext.Out.WriteLine($"{clock.ElapsedMilliseconds} ms; levels {string.Join(", ", found.Levels)}; naming: {found.NamingReason}");
        foreach (var w in found.Warnings) TestContext.Out.WriteLine("warning: " + w);

        Assert.That(found.Levels.Select(l => l.Name), Is.EqualTo(new[] { "L2", "L3", "L4" }));
        var bounds = new Dictionary<string, (int VerSe, double Bound)> { ["L2"] = (21, 0.79), ["L3"] = (22, 0.83), ["L4"] = (23, 0.79) };
        foreach (var level in found.Levels)
        {
            Assert.That(MostOverlappedName(found.Labels, level.Label, truth, VertebraLevel.VerSeName), Is.EqualTo(level.Name));
            var (verse, bound) = bounds[level.Name];
            double dice = Dice(found.Labels, level.Label, truth, verse);
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{level.Name}: Dice {dice:0.000} (asserted ≥ {bound:0.00})"));
            Assert.That(dice, Is.GreaterThanOrEqualTo(bound), level.Name);
        }
    }

    [TestCase(-1000f, TestName = "Air only")]
    [TestCase(0f, TestName = "Water only")]
    public void VolumeWithoutBone_Throws(float hu)
    {
        var g = new VolumeGeometry(64, 64, 40, new Vec3(1.5, 1.5, 2), Vec3.Zero);
        var v = new Volume<float>(g);
        Array.Fill(v.Data, hu);
        var ex = Assert.Throws<SegmentationException>(() => VertebraFinder.Find(v));
        Assert.That(ex!.Message, Does.Contain("No bone").And.Contain("Hounsfield"));
    }

    [Test]
    public void TinyVolume_Throws()
    {
        var v = new Volume<float>(new VolumeGeometry(8, 8, 8, new Vec3(1, 1, 1), Vec3.Zero));
        Array.Fill(v.Data, 400f);
        var ex = Assert.Throws<SegmentationException>(() => VertebraFinder.Find(v));
        Assert.That(ex!.Message, Does.Contain("too small"));
    }

    [Test]
    public void SolidBoneBlock_WithoutCanal_Throws()
    {
        var v = new Volume<float>(new VolumeGeometry(60, 60, 40, new Vec3(1.5, 1.5, 1.5), Vec3.Zero));
        Array.Fill(v.Data, 700f);
        var ex = Assert.Throws<SegmentationException>(() => VertebraFinder.Find(v));
        Assert.That(ex!.Message, Does.Contain("spinal canal"));
    }

    [TestCase("X9")]
    [TestCase("L6")]
    [TestCase("T13")]
    public void AnchorWithoutLabel_Throws(string anchor)
    {
        var v = new Volume<float>(new VolumeGeometry(8, 8, 8, new Vec3(1, 1, 1), Vec3.Zero));
        var ex = Assert.Throws<SegmentationException>(() => VertebraFinder.Find(v, anchor));
        Assert.That(ex!.Message, Does.Contain(anchor));
    }

    private static void AssertLevelsCranialFirst(IReadOnlyList<VertebraLevel> levels)
    {
        for (int i = 1; i < levels.Count; i++)
            Assert.That(VertebraLevel.Rank(levels[i].Name) ?? 0, Is.GreaterThan(VertebraLevel.Rank(levels[i - 1].Name) ?? 99), "levels must be cranial first");
    }

    private static int TotalSegmentatorLabel(string name)
    {
        for (int v = 25; v <= 50; v++) if (VertebraLevel.TotalSegmentatorName(v) == name) return v;
        throw new ArgumentException(name);
    }

    /// <summary>The truth level (S1 counted as sacrum) that most of the voxels of <paramref name="label"/> lie on.</summary>
    private static string? MostOverlappedName(Volume<byte> found, byte label, Volume<byte> truth, Func<int, string?> nameOf)
    {
        var counts = new long[256];
        for (int i = 0; i < found.Data.Length; i++) if (found.Data[i] == label) counts[truth.Data[i]]++;
        string? best = null; long bestCount = 0;
        var byName = new Dictionary<string, long>();
        for (int v = 1; v < 256; v++)
        {
            string? n = nameOf(v);
            if (n is null || counts[v] == 0) continue;
            if (n == "S1") n = "sacrum";
            byName[n] = byName.GetValueOrDefault(n) + counts[v];
            if (byName[n] > bestCount) { bestCount = byName[n]; best = n; }
        }
        return best;
    }

    /// <summary>Dice of <paramref name="label"/> in <paramref name="found"/> against the union of <paramref name="truthLabels"/> in <paramref name="truth"/> (same grid).</summary>
    internal static double Dice(Volume<byte> found, byte label, Volume<byte> truth, params int[] truthLabels)
    {
        var isTruth = new bool[256];
        foreach (int t in truthLabels) isTruth[t] = true;
        long a = 0, b = 0, ab = 0;
        for (int i = 0; i < found.Data.Length; i++)
        {
            bool f = found.Data[i] == label, t = isTruth[truth.Data[i]];
            if (f) a++;
            if (t) b++;
            if (f && t) ab++;
        }
        return a + b == 0 ? 0 : 2.0 * ab / (a + b);
    }
}
