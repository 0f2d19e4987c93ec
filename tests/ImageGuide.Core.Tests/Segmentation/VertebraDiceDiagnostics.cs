using System.Diagnostics;
using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Segmentation.Spine;

namespace ImageGuide.Tests.Segmentation;

/// <summary>Explicit diagnostics: where the automatic labels' errors lie (by HU and by kind), per level.</summary>
[Explicit("diagnostic printout")]
public class VertebraDiceDiagnostics
{
    [Test]
    public void Breakdown()
    {
        string ts = TestPaths.RequireShared("ct-mr-totalsegmentator");
        var ct = VolumeReader.Read(Path.Combine(ts, "example_ct.nii.gz")).Volume;
        var seg = VolumeReader.Read<byte>(Path.Combine(ts, "example_seg_fast_force_split.nii.gz"));
        Report("CT", ct, ct, seg, null, VertebraLevel.TotalSegmentatorName);
        var cb = VertebraFinderTests.ConeBeamLike(ct, seg);
        Report("CBCT", cb, ct, seg, null, VertebraLevel.TotalSegmentatorName);
        string dir = Path.Combine(TestPaths.RequireShared("ct-mr-spine-crops"), "sample_ct");
        var crop = VolumeReader.Read(Path.Combine(dir, "sub-ct_label-22_ct.nii.gz")).Volume;
        var cropSeg = VolumeReader.Read<byte>(Path.Combine(dir, "sub-ct_seg-vert_label-22_msk.nii.gz"));
        Report("crop", crop, crop, cropSeg, "L4", VertebraLevel.VerSeName);
    }

    private static void Report(string what, Volume<float> input, Volume<float> hu, Volume<byte> truth, string? anchor, Func<int, string?> nameOf)
    {
        var clock = Stopwatch.StartNew();
        var found = VertebraFinder.Find(input, anchor ?? "L5");
        TestContext.Out.WriteLine($"== {what}: {clock.ElapsedMilliseconds} ms");
        var g = found.Labels.Geometry;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        foreach (var level in found.Levels)
        {
            int t = -1;
            for (int v = 1; v < 256; v++) if (nameOf(v) == level.Name) { t = v; break; }
            if (t < 0) continue;
            long a = 0, b = 0, ab = 0;
            var otherOf = new long[256];
            var fpBins = new long[6]; var fnBins = new long[6]; long fpOther = 0, fnOther = 0, fpAdj = 0, fnAdj = 0;
            var edges = new[] { 0f, 120f, 200f, 300f, 500f };
            int Bin(float v) { int k = 0; while (k < edges.Length && v >= edges[k]) k++; return k; }
            for (int z = 0; z < nz; z++)
            for (int y = 0; y < ny; y++)
            for (int x = 0; x < nx; x++)
            {
                int i = (z * ny + y) * nx + x;
                bool f = found.Labels.Data[i] == level.Label, tr = truth.Data[i] == t;
                if (f) a++; if (tr) b++; if (f && tr) ab++;
                if (f && !tr)
                {
                    if (truth.Data[i] != 0) { fpOther++; otherOf[truth.Data[i]]++; } else fpBins[Bin(hu.Data[i])]++;
                    if (Near(truth.Data, t, x, y, z, nx, ny, nz)) fpAdj++;
                }
                if (tr && !f)
                {
                    if (found.Labels.Data[i] != 0) fnOther++; else fnBins[Bin(hu.Data[i])]++;
                    if (Near(found.Labels.Data, level.Label, x, y, z, nx, ny, nz)) fnAdj++;
                }
            }
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{level.Name}: Dice {2.0 * ab / (a + b):0.000} found {a} truth {b} | FP {a - ab} (other level {fpOther}, bg by HU <0,<120,<200,<300,<500,≥500: {string.Join(",", fpBins)}; touching truth {fpAdj}; on {OtherLevels(otherOf, nameOf)}) | FN {b - ab} (other label {fnOther}, unlabelled by HU {string.Join(",", fnBins)}; touching found {fnAdj})"));
        }
    }

    private static string OtherLevels(long[] counts, Func<int, string?> nameOf)
    {
        var parts = new List<string>();
        for (int v = 1; v < 256; v++) if (counts[v] > 0) parts.Add($"{nameOf(v) ?? v.ToString(CultureInfo.InvariantCulture)} {counts[v]}");
        return string.Join(" ", parts);
    }

    private static bool Near(byte[] d, int lab, int x, int y, int z, int nx, int ny, int nz)
    {
        for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
        {
            int xx = x + dx, yy = y + dy, zz = z + dz;
            if ((uint)xx < (uint)nx && (uint)yy < (uint)ny && (uint)zz < (uint)nz && d[(zz * ny + yy) * nx + xx] == lab) return true;
        }
        return false;
    }
}
