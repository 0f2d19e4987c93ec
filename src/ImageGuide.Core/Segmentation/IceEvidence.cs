using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>What a voxel's CT value can say about ice.</summary>
internal enum VoxelKind : byte
{
    /// <summary>Soft tissue: ice shows as a drop of ≈ 85 HU.</summary>
    Observable = 0,
    /// <summary>Healthy bone: ice is invisible; the isotherm model decides.</summary>
    Bone = 1,
    /// <summary>Probe metal or its immediate surroundings; the isotherm model decides.</summary>
    Metal = 2,
    /// <summary>Air or gas: never ice.</summary>
    Air = 3,
}

/// <summary>
/// Per-voxel evidence for ice as a log-odds-like score (positive = frozen), clipped to ±<see cref="MaxLogit"/>. With a
/// pre-freeze CT the score is the drop intra − pre against half the expected ice shift; streaks and anatomy cancel in the
/// difference, which is smoothed by a ≈ 3 mm box mean. Without it, values are first filtered with a separable median across
/// the acquisition plane (removes the thin in-plane metal streaks) and a mean over neighbouring slices, then tested against the bands
/// where frozen soft tissue and frozen fat fall, relative to the unfrozen soft-tissue level estimated from the region
/// itself and <see cref="IceBallSettings.FatHu"/>.
/// </summary>
internal static class IceEvidence
{
    public const float MaxLogit = 4;

    /// <summary>
    /// Filtered evidence (for each voxel's decision), raw evidence (unfiltered, unbiased at curved edges, for the model
    /// fit) and what each voxel can show to each: metal reaches the filtered values over the filter's footprint but the raw
    /// ones only in the metal voxels and their direct neighbours (partial volume). Without a pre-freeze CT the bands are
    /// placed relative to the unfrozen soft-tissue level of the whole region, and <c>Filtered</c> (the filtered CT)
    /// is returned so that <see cref="Bands"/> can re-place them at another level without filtering again.
    /// </summary>
    public static (float[] Logit, float[] RawLogit, byte[] Kind, byte[] RawKind, float[]? Filtered) Compute(Volume<float> intra, Volume<float>? pre,
        IceBallSettings s, CancellationToken ct)
    {
        var g = intra.Geometry;
        long count = g.VoxelCount;
        var kind = new byte[count];
        float[] logit, raw;
        float[]? filtered = null;
        float shift = (float)Math.Abs(s.IceShiftHu), half = shift / 2, scale = shift / 8;
        if (pre is not null)
        {
            var diff = new float[count];
            for (long n = 0; n < count; n++) diff[n] = intra.Data[n] - pre.Data[n];
            var fd = SeparableFilter(diff, g, median: false, ct);
            var fp = SeparableFilter(pre.Data, g, median: false, ct);
            logit = new float[count];
            raw = new float[count];
            for (long n = 0; n < count; n++)
            {
                logit[n] = Math.Clamp((-fd[n] - half) / scale, -MaxLogit, MaxLogit);
                raw[n] = Math.Clamp((-diff[n] - half) / scale, -MaxLogit, MaxLogit);
                kind[n] = (byte)(fp[n] < s.AirThresholdHu ? VoxelKind.Air : fp[n] > s.BoneThresholdHu ? VoxelKind.Bone : VoxelKind.Observable);
            }
        }
        else
        {
            // metal would drag the filtered neighbourhood of the shaft above the bone threshold: filter with metal voxels
            // replaced by the soft-tissue level (they are marked as metal below in any case)
            var src = (float[])intra.Data.Clone();
            float level = SoftTissueLevel(src, s) ?? DefaultSoftTissueHu, metal = (float)s.MetalThresholdHu;
            for (long n = 0; n < count; n++) if (src[n] > metal) src[n] = level;
            filtered = SeparableFilter(src, g, median: true, ct);
            (logit, raw) = Bands(filtered, intra, s, SoftTissueLevel(filtered, s) ?? DefaultSoftTissueHu);
            for (long n = 0; n < count; n++)
            {
                float v = filtered[n];
                kind[n] = (byte)(v < s.AirThresholdHu ? VoxelKind.Air : v > s.BoneThresholdHu ? VoxelKind.Bone : VoxelKind.Observable);
            }
            GrowBone(kind, g);
        }
        var rawKind = (byte[])kind.Clone();
        var (h, hz) = HalfWidths(g);
        MarkMetal(intra, pre, kind, s, h + 1, hz);
        MarkMetal(intra, pre, rawKind, s, 1, 1);
        return (logit, raw, kind, rawKind, filtered);
    }

    /// <summary>
    /// Without subtraction: filtered and raw evidence from the bands where frozen soft tissue (unfrozen level
    /// <paramref name="softTissueLevel"/> + the ice shift) and frozen fat fall, given the <paramref name="filtered"/> CT.
    /// </summary>
    public static (float[] Logit, float[] RawLogit) Bands(float[] filtered, Volume<float> intra, IceBallSettings s, float softTissueLevel)
    {
        float shift = (float)Math.Abs(s.IceShiftHu), half = shift / 2, scale = shift / 8;
        float softLo = softTissueLevel - shift - half, softHi = softTissueLevel - half;
        float fatLo = (float)s.FatHu - shift - half, fatHi = (float)s.FatHu - half;
        float Band(float v) => Math.Clamp(Math.Max(Math.Min(v - softLo, softHi - v), Math.Min(v - fatLo, fatHi - v)) / scale, -MaxLogit, MaxLogit);
        var logit = new float[filtered.LongLength];
        var raw = new float[filtered.LongLength];
        for (long n = 0; n < logit.LongLength; n++)
        {
            logit[n] = Band(filtered[n]);
            raw[n] = Band(intra.Data[n]);
        }
        return (logit, raw);
    }

    /// <summary>
    /// Without subtraction a voxel partly of bone looks unfrozen whatever it holds: observable voxels next to bone (26-
    /// neighbourhood, by three separable one-voxel dilations) become bone too.
    /// </summary>
    private static void GrowBone(byte[] kind, VolumeGeometry g)
    {
        var bone = new byte[kind.LongLength];
        for (long n = 0; n < kind.LongLength; n++) bone[n] = (byte)(kind[n] == (byte)VoxelKind.Bone ? 1 : 0);
        long nx = g.Nx, plane = nx * g.Ny;
        foreach (var (stride, length) in new[] { (1L, g.Nx), (nx, g.Ny), (plane, g.Nz) })
        {
            var src = (byte[])bone.Clone();
            Parallel.For(0, g.Nz, k =>
            {
                for (int j = 0; j < g.Ny; j++)
                {
                    long n = g.LinearIndex(0, j, k);
                    for (int i = 0; i < g.Nx; i++, n++)
                    {
                        if (src[n] != 0) continue;
                        long q = stride == 1 ? i : stride == nx ? j : k;
                        if (q > 0 && src[n - stride] != 0 || q < length - 1 && src[n + stride] != 0) bone[n] = 1;
                    }
                }
            });
        }
        for (long n = 0; n < kind.LongLength; n++)
            if (bone[n] != 0 && kind[n] == (byte)VoxelKind.Observable) kind[n] = (byte)VoxelKind.Bone;
    }

    /// <summary>Muscle-like level (HU, docs/CLINICAL.md tissue values) used when a region has no unfrozen soft tissue.</summary>
    private const float DefaultSoftTissueHu = 40;

    /// <summary>
    /// The unfrozen soft-tissue level of the tissue the ice edge lies in: the median CT value of the observable voxels 3–8 mm
    /// outside the fitted model (beyond the partial-volume and filter reach of the ice), or null when fewer than 50 look like
    /// unfrozen soft tissue. Tissues differ by tens of HU (soft tissue 35, tumour 45, muscle 50, disc 80 HU): the level of the
    /// whole region, dominated by whatever fills it, put the half-shift threshold a few HU too low for ice in brighter tissue
    /// and shrank the edges there (full-size phantoms without a pre-freeze CT: volume −2.1 to −3.0 % with the region's level,
    /// −0.2 to −2.2 % with this one). The median does not depend on the order in which slabs add their values.
    /// </summary>
    public static float? SoftTissueLevelAround(Volume<float> intra, byte[] kind, FittedIsotherm model, IReadOnlyList<ProbeAxis> probes,
        IceBallSettings s, CancellationToken ct)
    {
        var g = intra.Geometry;
        var shell = new List<float>();
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = ct }, () => new List<float>(), (k, _, local) =>
        {
            for (int j = 0; j < g.Ny; j++)
            {
                long n = g.LinearIndex(0, j, k);
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    if (kind[n] != (byte)VoxelKind.Observable) continue;
                    double sd = model.SignedDistance(g.IndexToPhysical(i, j, k), probes);
                    if (sd >= ShellInnerMm && sd <= ShellOuterMm) local.Add(intra.Data[n]);
                }
            }
            return local;
        }, local => { lock (shell) shell.AddRange(local); });
        return SoftTissueLevel(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shell), s);
    }

    /// <summary>Shell of <see cref="SoftTissueLevelAround"/> (mm outside the fitted edge): beyond partial volume (half a voxel) and the filters' ≈ 2.5 mm reach.</summary>
    private const double ShellInnerMm = 3, ShellOuterMm = 8;

    /// <summary>Median of the values that look like unfrozen soft tissue (between −20 HU and the bone threshold); null when fewer than 50 do.</summary>
    private static float? SoftTissueLevel(ReadOnlySpan<float> f, IceBallSettings s)
    {
        var hist = new int[1024];
        const float lo = -20;
        float hi = (float)s.BoneThresholdHu, width = (hi - lo) / hist.Length;
        int total = 0;
        foreach (float v in f)
            if (v >= lo && v < hi) { hist[Math.Min(hist.Length - 1, (int)((v - lo) / width))]++; total++; }
        if (total < 50) return null;
        int acc = 0;
        for (int b = 0; b < hist.Length; b++)
            if ((acc += hist[b]) * 2 >= total) return lo + (b + 0.5f) * width;
        return null;
    }

    /// <summary>Voxels within <paramref name="ri"/> voxels in-plane and <paramref name="rk"/> slices of metal become <see cref="VoxelKind.Metal"/>.</summary>
    private static void MarkMetal(Volume<float> intra, Volume<float>? pre, byte[] kind, IceBallSettings s, int ri, int rk)
    {
        var g = intra.Geometry;
        float t = (float)s.MetalThresholdHu;
        for (int k = 0; k < g.Nz; k++)
            for (int j = 0; j < g.Ny; j++)
            {
                long row = g.LinearIndex(0, j, k);
                for (int i = 0; i < g.Nx; i++)
                {
                    if (!(intra.Data[row + i] > t || pre is not null && pre.Data[row + i] > t)) continue;
                    for (int kk = Math.Max(0, k - rk); kk <= Math.Min(g.Nz - 1, k + rk); kk++)
                        for (int jj = Math.Max(0, j - ri); jj <= Math.Min(g.Ny - 1, j + ri); jj++)
                        {
                            long r2 = g.LinearIndex(0, jj, kk);
                            for (int ii = Math.Max(0, i - ri); ii <= Math.Min(g.Nx - 1, i + ri); ii++) kind[r2 + ii] = (byte)VoxelKind.Metal;
                        }
                }
            }
    }

    /// <summary>In-plane half-width ≈ 1.5 mm (at least one voxel) and slice half-width ≈ 1.5 mm (at least one slice).</summary>
    public static (int InPlane, int Slices) HalfWidths(VolumeGeometry g) =>
        (Math.Max(1, (int)Math.Round(1.5 / Math.Min(g.Spacing.X, g.Spacing.Y))), Math.Max(1, (int)Math.Round(1.5 / g.Spacing.Z)));

    /// <summary>
    /// Smooths each slice with a separable in-plane filter (rows, then columns), then averages neighbouring slices.
    /// Without subtraction the in-plane filter is a median, which removes thin in-plane streaks of any direction; with
    /// subtraction (streaks cancel) it is a mean.
    /// </summary>
    public static float[] SeparableFilter(float[] src, VolumeGeometry g, bool median, CancellationToken ct)
    {
        var (h, _) = HalfWidths(g);
        var rows = new float[src.LongLength];
        Line(src, rows, g, h, 1, g.Nx, ct, median);
        var both = new float[src.LongLength];
        Line(rows, both, g, h, g.Nx, g.Ny, ct, median);
        return SliceMean(both, g, ct);
    }

    /// <summary>Median or mean over ±<paramref name="h"/> samples along one in-plane axis (stride 1 = rows, Nx = columns), edges clamped.</summary>
    private static void Line(float[] src, float[] dst, VolumeGeometry g, int h, long stride, int length, CancellationToken ct, bool median)
    {
        int nx = g.Nx, ny = g.Ny;
        int lines = stride == 1 ? ny : nx;
        long lineStep = stride == 1 ? nx : 1;
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = ct }, () => new float[2 * h + 1], (k, _, window) =>
        {
            long plane = (long)nx * ny * k;
            for (int l = 0; l < lines; l++)
            {
                long b = plane + l * lineStep;
                for (int q = 0; q < length; q++)
                {
                    if (median)
                    {
                        for (int d = -h, m = 0; d <= h; d++, m++) window[m] = src[b + Math.Clamp(q + d, 0, length - 1) * stride];
                        dst[b + q * stride] = Median(window);
                    }
                    else
                    {
                        float sum = 0;
                        for (int d = -h; d <= h; d++) sum += src[b + Math.Clamp(q + d, 0, length - 1) * stride];
                        dst[b + q * stride] = sum / (2 * h + 1);
                    }
                }
            }
            return window;
        }, _ => { });
    }

    private static float[] SliceMean(float[] src, VolumeGeometry g, CancellationToken ct)
    {
        int nz = g.Nz;
        if (nz == 1) return src;
        var (_, hz) = HalfWidths(g);
        var result = new float[src.LongLength];
        long p = (long)g.Nx * g.Ny;
        Parallel.For(0, nz, new ParallelOptions { CancellationToken = ct }, k =>
        {
            int k0 = Math.Max(0, k - hz), k1 = Math.Min(nz - 1, k + hz);
            float inv = 1f / (k1 - k0 + 1);
            var dst = result.AsSpan((int)(k * p), (int)p);
            dst.Clear();
            for (int kk = k0; kk <= k1; kk++)
            {
                var s = src.AsSpan((int)(kk * p), (int)p);
                for (int n = 0; n < dst.Length; n++) dst[n] += s[n];
            }
            for (int n = 0; n < dst.Length; n++) dst[n] *= inv;
        });
        return result;
    }

    /// <summary>Median of a small odd-length window by insertion sort (in place).</summary>
    private static float Median(float[] v)
    {
        for (int a = 1; a < v.Length; a++)
        {
            float x = v[a];
            int b = a - 1;
            while (b >= 0 && v[b] > x) { v[b + 1] = v[b]; b--; }
            v[b + 1] = x;
        }
        return v[v.Length / 2];
    }
}
