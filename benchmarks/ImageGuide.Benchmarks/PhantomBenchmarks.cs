using BenchmarkDotNet.Attributes;
using ImageGuide.Phantoms;

namespace ImageGuide.Benchmarks;

/// <summary>Generating a whole phantom case in memory (CT, MR T1/T2, CBCT, pre-freeze and intra-op CT + ground truth).</summary>
public class PhantomBenchmarks
{
    [Params(PhantomSize.Small, PhantomSize.Full)]
    public PhantomSize Size { get; set; }

    [Benchmark]
    public PhantomCase Generate() => PhantomGenerator.Generate(new PhantomOptions { Seed = 1, Size = Size, ProbeCount = 2 });
}
