using BenchmarkDotNet.Attributes;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Segmentation;

namespace ImageGuide.Benchmarks;

/// <summary>
/// Issue 6 speed target: ice-ball segmentation + analysis of a 512 × 512 × 100 intra-procedural CT in under 1 s on 2 cores.
/// The CT is the full-size phantom's intra-op CT (512 × 512 × 96 at 0.72 × 0.72 × 1.25 mm, 3 probes, noise and metal
/// streaks) with its two edge slices repeated at each end to reach 100 slices; probes are detected, labels (same grid) give
/// coverage, margin and critical distances.
/// </summary>
[MemoryDiagnoser]
public class IceBallBenchmarks
{
    private Volume<float> _intra = null!;
    private Volume<float> _pre = null!;
    private LabelMap _labels = null!;

    [Params(true, false)]
    public bool PreFreezeCt { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var c = PhantomGenerator.Generate(new PhantomOptions { Seed = 3, Size = PhantomSize.Full, ProbeCount = 3 });
        _intra = To100(c.IntraOpCt.Image.Convert(v => (float)v));
        _pre = To100(c.PreFreezeCt.Image.Convert(v => (float)v));
        _labels = new LabelMap(To100(c.IntraOpCt.Labels), c.IntraOpCt.LabelTable);
    }

    [Benchmark]
    public IceBallAnalysis SegmentAndAnalyze() =>
        new IceBallSegmenter().Analyze(new IceBallInputs { IntraOpCt = _intra, PreFreezeCt = PreFreezeCt ? _pre : null, Labels = _labels });

    /// <summary>The volume padded to 100 slices by repeating its first and last slices (same spacing, origin moved down).</summary>
    private static Volume<T> To100<T>(Volume<T> v) where T : unmanaged
    {
        var g = v.Geometry;
        int extra = 100 - g.Nz, before = extra / 2;
        var grid = new VolumeGeometry(g.Nx, g.Ny, 100, g.Spacing, g.IndexToPhysical(0, 0, -before), g.Direction);
        var result = new Volume<T>(grid, v.Metadata);
        for (int k = 0; k < 100; k++) v.Slice(Math.Clamp(k - before, 0, g.Nz - 1)).CopyTo(result.Slice(k));
        return result;
    }
}
