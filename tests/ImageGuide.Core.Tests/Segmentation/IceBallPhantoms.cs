using System.Collections.Concurrent;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Segmentation;

namespace ImageGuide.Tests.Segmentation;

/// <summary>Phantom cases shared by the segmentation tests, generated once per (seed, probes, size), and their analyses.</summary>
internal static class IceBallPhantoms
{
    private static readonly ConcurrentDictionary<(ulong, int, PhantomSize), Lazy<PhantomCase>> Cases = new();
    private static readonly ConcurrentDictionary<(ulong, int, PhantomSize, bool), Lazy<IceBallAnalysis>> Analyses = new();

    public static PhantomCase Case(ulong seed, int probes, PhantomSize size = PhantomSize.Small) =>
        Cases.GetOrAdd((seed, probes, size), _ => new Lazy<PhantomCase>(() =>
            PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Size = size, ProbeCount = probes }))).Value;

    /// <summary>The analysis of the case's intra-procedural CT with its labels (same grid), with or without the pre-freeze CT.</summary>
    public static IceBallAnalysis Analysis(ulong seed, int probes, bool withPre, PhantomSize size = PhantomSize.Small) =>
        Analyses.GetOrAdd((seed, probes, size, withPre), _ => new Lazy<IceBallAnalysis>(() =>
        {
            var c = Case(seed, probes, size);
            return new IceBallSegmenter().Analyze(new IceBallInputs
            {
                IntraOpCt = c.IntraOpCt.Image.Convert(v => (float)v),
                PreFreezeCt = withPre ? c.PreFreezeCt.Image.Convert(v => (float)v) : null,
                Labels = new ImageGuide.Model.LabelMap(c.IntraOpCt.Labels, c.IntraOpCt.LabelTable),
            });
        })).Value;
}
