using ImageGuide.Dicom.Series;
using static ImageGuide.Tests.Series.SyntheticStacks;

namespace ImageGuide.Tests.Series;

[TestFixture]
public class SeriesAssemblerValueTests
{
    /// <summary>A linear function of LPS position: trilinear resampling must reproduce it exactly.</summary>
    private static double Linear(Vec3 p) => 40 + 0.5 * p.X - 0.25 * p.Y + 0.75 * p.Z;

    [Test]
    public void TiltedLinearPhantomIsResampledToTheFunctionAtTheNewVoxelCentres()
    {
        // stored = round(f / 1e-4): quantisation error ≤ 5e-5
        var (slices, _) = SeriesAssemblerGeometryTests.TiltedStack(18.5, 12, 5.0, Linear, slope: 1e-4);
        var assembler = new SeriesAssembler(new SeriesAssemblyOptions { OutsideValue = -9999 });
        var result = assembler.Assemble(Shuffled(slices, 5));
        var v = result.Volume;
        var g = v.Geometry;
        long inside = 0;
        double worst = 0;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                {
                    float value = v[i, j, k];
                    if (value == -9999) continue;
                    inside++;
                    // within half a pixel of a slice edge the edge value is extended (not linear): check interior voxels only
                    if (!Interior(v, i, j, k)) continue;
                    worst = Math.Max(worst, Math.Abs(value - Linear(g.IndexToPhysical(i, j, k))));
                }
        Assert.That(worst, Is.LessThan(1e-3));
        // the 12×16 slices shift by 11·5·sin 18.5° ≈ 17.4 mm = 19.4 rows over the stack; most of the union is covered
        Assert.That(inside, Is.GreaterThan(g.VoxelCount / 3));
        Assert.That(result.Report.GantryTiltDegrees, Is.EqualTo(18.5).Within(0.01));
    }

    private static bool Interior(Volume<float> v, int i, int j, int k)
    {
        var g = v.Geometry;
        foreach (var (di, dj) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) })
            if (!g.Contains(i + di, j + dj, k) || v[i + di, j + dj, k] == -9999) return false;
        return true;
    }

    [Test]
    public void UnevenStackIsInterpolatedLinearlyAlongTheNormal()
    {
        double[] z = [0, 2, 4, 8, 10, 11];
        var slices = new List<DicomSliceHeader>();
        for (int s = 0; s < z.Length; s++)
            slices.Add(Slice($"u{s}", new Vec3(1, 2, z[s]), X, Y, value: Linear, slope: 1e-4, instance: s + 1));
        var result = new SeriesAssembler().Assemble(slices);
        var g = result.Volume.Geometry;
        // smallest spacing of a run of two or more gaps is 2 mm; 11 mm → 6 steps of 11/6 mm
        Assert.That(g.Nz, Is.EqualTo(7));
        Assert.That(g.Spacing.Z, Is.EqualTo(11.0 / 6).Within(1e-12));
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    Assert.That(result.Volume[i, j, k], Is.EqualTo(Linear(g.IndexToPhysical(i, j, k))).Within(1e-3));
    }

    [Test]
    public void EachSliceUsesItsOwnRescaleAndCtIsHounsfield()
    {
        var slices = Axial(0, 3, 6);
        slices[0] = slices[0] with { Loader = (d, _) => d.Fill(100), RescaleSlope = 1, RescaleIntercept = -1024 };
        slices[1] = slices[1] with { Loader = (d, _) => d.Fill(100), RescaleSlope = 2, RescaleIntercept = -1000 };
        slices[2] = slices[2] with { Loader = (d, _) => d.Fill(-7), RescaleSlope = 0.5, RescaleIntercept = 10 };
        var result = new SeriesAssembler().Assemble(slices);
        Assert.That(result.Volume.Slice(0).ToArray(), Is.All.EqualTo(-924f));
        Assert.That(result.Volume.Slice(1).ToArray(), Is.All.EqualTo(-800f));
        Assert.That(result.Volume.Slice(2).ToArray(), Is.All.EqualTo(6.5f));
        Assert.That(result.Volume.Metadata.Units, Is.EqualTo("HU"));
        Assert.That(result.Volume.Metadata.Modality, Is.EqualTo("CT"));
        Assert.That(result.Volume.Metadata.SeriesInstanceUid, Is.EqualTo(Uid));
    }

    [Test]
    public void MrValuesAreNotCalledHounsfield()
    {
        var slices = Axial(0, 3).Select(h => h with { Modality = "MR" }).ToList();
        Assert.That(new SeriesAssembler().Assemble(slices).Volume.Metadata.Units, Is.Null);
    }

    [Test]
    public void PixelsAreCopiedInRowMajorOrder()
    {
        // stored value = 10·row + column identifies every pixel
        var slices = Axial(0, 1.5).Select(h => h with { Loader = (d, _) => { for (int n = 0; n < d.Length; n++) d[n] = 10 * (n / 5) + n % 5; } }).ToList();
        var v = new SeriesAssembler().Assemble(slices).Volume;
        Assert.That(v[3, 2, 1], Is.EqualTo(23f));
        Assert.That(v[4, 0, 0], Is.EqualTo(4f));
    }

    [Test]
    public void EightThreadsAssemblingTheSameTiltedSeriesGetBitIdenticalVolumes()
    {
        var (slices, _) = SeriesAssemblerGeometryTests.TiltedStack(12, 10, 3.0, Linear, rows: 40, cols: 36, slope: 1e-3);
        var assembler = new SeriesAssembler();
        var results = new float[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t => results[t] = assembler.Assemble(Shuffled(slices, t)).Volume.Data);
        for (int t = 1; t < 8; t++) Assert.That(results[t], Is.EqualTo(results[0]));
    }

    [Test]
    public void CancellationStopsTheLoad()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(() => new SeriesAssembler().Assemble(Axial(0, 1, 2), null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void GeometryOnlyHeadersCannotBeLoaded()
    {
        var slices = Axial(0, 1).Select(h => h with { Loader = null }).ToList();
        Assert.That(Assert.Throws<ImageGuideException>(() => new SeriesAssembler().Assemble(slices))!.Message, Does.Contain("s001.dcm"));
    }
}
