using System.Buffers;
using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// Samples a <see cref="RasterScene"/> on a voxel grid in parallel over slices. Each voxel centre is evaluated
/// once; when the distance bounds prove no surface lies within the voxel's half-diagonal the voxel is pure,
/// otherwise it is averaged over n×n×n sub-samples (partial volume). Only solids whose bounding box the row
/// crosses are evaluated, over the columns where it does. Output is independent of the thread schedule.
/// </summary>
internal static class VoxelRasterizer
{
    private sealed class Scratch(int channels, int plane, int items)
    {
        public readonly float[][] Channels = CreateChannels(channels, plane);
        public readonly byte[] Flags = ArrayPool<byte>.Shared.Rent(plane);
        public readonly int[] Active = new int[items];
        public readonly int[] Lo = new int[items];
        public readonly int[] Hi = new int[items];

        private static float[][] CreateChannels(int channels, int plane)
        {
            var c = new float[channels][];
            for (int n = 0; n < channels; n++) c[n] = ArrayPool<float>.Shared.Rent(plane);
            return c;
        }

        public void Return()
        {
            foreach (var c in Channels) ArrayPool<float>.Shared.Return(c);
            ArrayPool<byte>.Shared.Return(Flags);
        }
    }

    /// <summary>Renders the scene; <paramref name="labels"/> receives the centre label of every voxel.</summary>
    public static void Render(RasterScene scene, VolumeGeometry grid, RigidTransform patientToAnatomy, int superSampling,
        byte[] labels, ISliceFinisher finisher, CancellationToken cancellationToken)
    {
        int nx = grid.Nx, ny = grid.Ny, nz = grid.Nz, plane = nx * ny;
        var a = patientToAnatomy.Matrix * grid.IndexToPhysicalMatrix;
        Vec3 di = a.Column(0), dj = a.Column(1), dk = a.Column(2);
        var p000 = patientToAnatomy.TransformPoint(grid.Origin);
        double half = 0.5 * grid.Spacing.Length;
        int n = superSampling;
        var subs = new Vec3[n * n * n];
        for (int z = 0, s = 0; z < n; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++, s++)
                    subs[s] = a * new Vec3((x + 0.5) / n - 0.5, (y + 0.5) / n - 0.5, (z + 0.5) / n - 0.5);

        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, nz, options,
            () => new Scratch(scene.Channels, plane, scene.Items.Length),
            (k, _, scratch) =>
            {
                for (int j = 0; j < ny; j++)
                    RenderRow(scene, p000 + dj * j + dk * k, di, nx, half, subs, labels.AsSpan(k * plane + j * nx, nx), j * nx, scratch);
                finisher.Finish(k, scratch.Channels, labels.AsSpan(k * plane, plane), scratch.Flags.AsSpan(0, plane));
                return scratch;
            },
            scratch => scratch.Return());
    }

    private static void RenderRow(RasterScene scene, Vec3 rowStart, Vec3 di, int nx, double half, Vec3[] subs,
        Span<byte> labels, int offset, Scratch scratch)
    {
        int count = ActiveItems(scene.Items, rowStart, di, nx, half, scratch);
        int channels = scene.Channels;
        var ch = scratch.Channels;
        var flags = scratch.Flags;
        float inv = 1f / subs.Length;
        for (int i = 0; i < nx; i++)
        {
            var p = rowStart + di * i;
            double minAbs = Evaluate(scene, p, i, count, scratch, out byte label, out int bits);
            labels[i] = label;
            int idx = offset + i;
            if (minAbs >= half)
            {
                for (int c = 0; c < channels; c++) ch[c][idx] = scene.Value(c, label, bits);
                flags[idx] = (byte)bits;
                continue;
            }
            int metal = 0;
            for (int c = 0; c < channels; c++) ch[c][idx] = 0;
            foreach (var sub in subs)
            {
                Evaluate(scene, p + sub, i, count, scratch, out byte l, out int b);
                metal |= b & RasterScene.MetalBit;
                for (int c = 0; c < channels; c++) ch[c][idx] += scene.Value(c, l, b);
            }
            for (int c = 0; c < channels; c++) ch[c][idx] *= inv;
            flags[idx] = (byte)((bits & ~RasterScene.MetalBit) | metal);
        }
    }

    /// <summary>Collects the items whose bounding box (grown by the half-diagonal) the row crosses, with their column range.</summary>
    private static int ActiveItems(RasterItem[] items, Vec3 start, Vec3 step, int nx, double margin, Scratch scratch)
    {
        int count = 0;
        for (int m = 0; m < items.Length; m++)
        {
            double lo = 0, hi = nx - 1;
            ref readonly var it = ref items[m];
            if (!Clip(start.X, step.X, it.Min.X - margin, it.Max.X + margin, ref lo, ref hi) ||
                !Clip(start.Y, step.Y, it.Min.Y - margin, it.Max.Y + margin, ref lo, ref hi) ||
                !Clip(start.Z, step.Z, it.Min.Z - margin, it.Max.Z + margin, ref lo, ref hi)) continue;
            int i0 = (int)Math.Ceiling(lo), i1 = (int)Math.Floor(hi);
            if (i0 > i1) continue;
            scratch.Active[count] = m;
            scratch.Lo[count] = i0;
            scratch.Hi[count] = i1;
            count++;
        }
        return count;
    }

    private static bool Clip(double p0, double d, double min, double max, ref double lo, ref double hi)
    {
        if (Math.Abs(d) < 1e-12) return p0 >= min && p0 <= max;
        double t0 = (min - p0) / d, t1 = (max - p0) / d;
        if (t0 > t1) (t0, t1) = (t1, t0);
        lo = Math.Max(lo, t0);
        hi = Math.Min(hi, t1);
        return lo <= hi;
    }

    /// <summary>
    /// Label and flag bits at one point; returns the smallest |distance bound| of the solids that can change the
    /// voxel's value. Items are visited from the top of the painting order down, and the walk stops at the first
    /// tissue solid containing the point: everything painted below it is hidden there (and, when the point lies
    /// deeper in it than the half-diagonal, hidden in the whole voxel).
    /// </summary>
    private static double Evaluate(RasterScene scene, Vec3 p, int i, int count, Scratch scratch, out byte label, out int bits)
    {
        label = SpineLabels.Background;
        bits = 0;
        double minAbs = double.MaxValue;
        var items = scene.Items;
        Vec3 q = default;
        bool haveQ = false;
        for (int a = count - 1; a >= 0; a--)
        {
            if (i < scratch.Lo[a] || i > scratch.Hi[a]) continue;
            ref readonly var it = ref items[scratch.Active[a]];
            double d;
            if (it.Curved)
            {
                if (!haveQ)
                {
                    q = scene.Curve.ToStraight(p);
                    haveQ = true;
                }
                d = it.Shape.SignedDistance(q) * scene.InverseLipschitz;
            }
            else d = it.Shape.SignedDistance(p);
            switch (it.Kind)
            {
                case RasterKind.Tissue:
                    if (d < 0)
                    {
                        label = it.Label;
                        return Math.Min(minAbs, -d);
                    }
                    break;
                case RasterKind.Ice:
                    if (d < 0) bits |= RasterScene.IceBit;
                    break;
                case RasterKind.Lethal:
                    if (d < 0) bits |= RasterScene.LethalBit;
                    continue;
                case RasterKind.Metal:
                    if (d < 0) bits |= RasterScene.MetalBit;
                    break;
            }
            minAbs = Math.Min(minAbs, Math.Abs(d));
        }
        return minAbs;
    }
}
