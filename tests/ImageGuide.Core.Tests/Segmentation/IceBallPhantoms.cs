using System.Collections.Concurrent;
using ImageGuide.Phantoms;
using ImageGuide.Segmentation;

namespace ImageGuide.Tests.Segmentation;

/// <summary>Small phantom cases shared by the segmentation tests, generated once per (seed, probes), and their analyses.</summary>
internal static class IceBallPhantoms
{
    private static readonly ConcurrentDictionary<(ulong, int), Lazy<PhantomCase>> Cases = new();
    private static readonly ConcurrentDictionary<(ulong, int, bool), Lazy<IceBallAnalysis>> Analyses = new();

    public static PhantomCase Case(ulong seed, int probes) =>
        Cases.GetOrAdd((seed, probes), _ => new Lazy<PhantomCase>(() =>
            PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Size = PhantomSize.Small, ProbeCount = probes }))).Value;

    /// <summary>The analysis of the case's intra-procedural CT with its labels (same grid), with or without the pre-freeze CT.</summary>
    public static IceBallAnalysis Analysis(ulong seed, int probes, bool withPre) =>
        Analyses.GetOrAdd((seed, probes, withPre), _ => new Lazy<IceBallAnalysis>(() =>
        {
            var c = Case(seed, probes);
            return new IceBallSegmenter().Analyze(new IceBallInputs
            {
                IntraOpCt = c.IntraOpCt.Image.Convert(v => (float)v),
                PreFreezeCt = withPre ? c.PreFreezeCt.Image.Convert(v => (float)v) : null,
                Labels = new ImageGuide.IO.LabelMap(c.IntraOpCt.Labels, c.IntraOpCt.LabelTable),
            });
        })).Value;
}
