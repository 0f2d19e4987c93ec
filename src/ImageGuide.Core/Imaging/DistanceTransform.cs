namespace ImageGuide.Imaging;

/// <summary>
/// Exact Euclidean distance transforms in millimetres on anisotropic grids (Felzenszwalb &amp; Huttenlocher,
/// "Distance transforms of sampled functions", Theory of Computing 8, 2012: one 1-D lower envelope of parabolas
/// per grid line, one pass per axis). Distances are measured between voxel centres along the grid's own axes
/// scaled by the spacing; because <see cref="VolumeGeometry.Direction"/> is orthonormal this equals the physical
/// LPS distance even for oblique grids. Each pass runs in parallel over slabs; cost is O(voxels) per axis.
/// </summary>
public static class DistanceTransform
{
    /// <summary>
    /// Squared distance (mm²) from every voxel centre to the nearest voxel centre whose value is an object value.
    /// Voxels that are objects get 0. When no voxel is an object every value is <see cref="float.PositiveInfinity"/>.
    /// </summary>
    /// <param name="labels">Label or mask volume.</param>
    /// <param name="isObject">256 flags, one per byte value: true for values that form the object.</param>
    /// <param name="cancellationToken">Cancels between grid lines.</param>
    public static Volume<float> Squared(Volume<byte> labels, ReadOnlySpan<bool> isObject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (isObject.Length != 256)
            throw new ArgumentException($"Expected 256 object flags (one per byte value), got {isObject.Length}.", nameof(isObject));
        var flags = isObject.ToArray();
        var result = new Volume<float>(labels.Geometry);
        var g = labels.Geometry;
        var src = labels.Data;
        var dst = result.Data;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        var options = new ParallelOptions { CancellationToken = cancellationToken };

        // Initialise: 0 on object voxels, +inf elsewhere.
        Parallel.For(0, nz, options, k =>
        {
            long start = (long)k * nx * ny, end = start + (long)nx * ny;
            for (long n = start; n < end; n++) dst[n] = flags[src[n]] ? 0f : float.PositiveInfinity;
        });

        double sx2 = g.Spacing.X * g.Spacing.X, sy2 = g.Spacing.Y * g.Spacing.Y, sz2 = g.Spacing.Z * g.Spacing.Z;
        int maxN = Math.Max(nx, Math.Max(ny, nz));

        // Pass along i: contiguous lines, parallel over slices.
        if (nx > 1)
            Parallel.For(0, nz, options, () => new LineScratch(maxN), (k, _, s) =>
            {
                for (int j = 0; j < ny; j++)
                {
                    long b = ((long)k * ny + j) * nx;
                    Transform1D(dst, b, 1, nx, sx2, s);
                }
                return s;
            }, _ => { });

        // Pass along j: parallel over slices, one column per i.
        if (ny > 1)
            Parallel.For(0, nz, options, () => new LineScratch(maxN), (k, _, s) =>
            {
                long b0 = (long)k * ny * nx;
                for (int i = 0; i < nx; i++) Transform1D(dst, b0 + i, nx, ny, sy2, s);
                return s;
            }, _ => { });

        // Pass along k: parallel over rows j, one line per i.
        if (nz > 1)
            Parallel.For(0, ny, options, () => new LineScratch(maxN), (j, _, s) =>
            {
                long plane = (long)nx * ny;
                for (int i = 0; i < nx; i++) Transform1D(dst, (long)j * nx + i, plane, nz, sz2, s);
                return s;
            }, _ => { });

        return result;
    }

    /// <summary>
    /// Squared distance (mm²) as <see cref="Squared(Volume{byte}, ReadOnlySpan{bool}, CancellationToken)"/>, but computed
    /// and returned only for the box of voxels starting at index <paramref name="start"/> with <paramref name="size"/>
    /// voxels per axis. Objects outside the box count: the values are identical to those of the whole-volume transform at
    /// the same voxels. The first pass (along i) still reads every grid line, the second only the box's columns i, the third
    /// only its columns (i, j), so the cost falls with the box's share of the volume.
    /// </summary>
    /// <returns>A volume on the box's grid: same spacing and direction, origin at the box's first voxel.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The box is empty or not inside the grid.</exception>
    public static Volume<float> Squared(Volume<byte> labels, ReadOnlySpan<bool> isObject, (int I, int J, int K) start,
        (int Nx, int Ny, int Nz) size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (isObject.Length != 256)
            throw new ArgumentException($"Expected 256 object flags (one per byte value), got {isObject.Length}.", nameof(isObject));
        var g = labels.Geometry;
        int nx = g.Nx, ny = g.Ny, nz = g.Nz;
        if (size.Nx < 1 || size.Ny < 1 || size.Nz < 1 || start.I < 0 || start.J < 0 || start.K < 0 ||
            start.I + size.Nx > nx || start.J + size.Ny > ny || start.K + size.Nz > nz)
            throw new ArgumentOutOfRangeException(nameof(size), $"Box {start} + {size} is empty or leaves the {nx}×{ny}×{nz} grid.");
        var flags = isObject.ToArray();
        var src = labels.Data;
        int bx = size.Nx, by = size.Ny, bz = size.Nz, i0 = start.I, j0 = start.J, k0 = start.K;
        var result = new Volume<float>(new VolumeGeometry(bx, by, bz, g.Spacing, g.IndexToPhysical(i0, j0, k0), g.Direction));
        var dst = result.Data;
        var columns = new float[(long)bx * by * nz]; // passes i and j done, box columns (i, j), every k
        double sx2 = g.Spacing.X * g.Spacing.X, sy2 = g.Spacing.Y * g.Spacing.Y, sz2 = g.Spacing.Z * g.Spacing.Z;
        int maxN = Math.Max(nx, Math.Max(ny, nz));
        var options = new ParallelOptions { CancellationToken = cancellationToken };

        // Passes along i (every row) and j (box columns i) slice by slice.
        Parallel.For(0, nz, options, () => (new LineScratch(maxN), new float[(long)bx * ny]), (k, _, state) =>
        {
            var (s, slice) = state;
            bool anyInSlice = false;
            for (int j = 0; j < ny; j++)
            {
                long row = ((long)k * ny + j) * nx;
                bool any = false;
                for (int q = 0; q < nx; q++)
                {
                    bool o = flags[src[row + q]];
                    s.F[q] = o ? 0f : float.PositiveInfinity;
                    any |= o;
                }
                if (any) Envelope1D(s, nx, sx2, slice, (long)j * bx, 1, i0, bx);
                else slice.AsSpan(j * bx, bx).Fill(float.PositiveInfinity);
                anyInSlice |= any;
            }
            if (!anyInSlice)
            {
                columns.AsSpan((int)((long)k * by * bx), by * bx).Fill(float.PositiveInfinity);
                return state;
            }
            for (int i = 0; i < bx; i++)
            {
                for (int q = 0; q < ny; q++) s.F[q] = slice[(long)q * bx + i];
                Envelope1D(s, ny, sy2, columns, (long)k * by * bx + i, bx, j0, by);
            }
            return state;
        }, _ => { });

        // Pass along k over the box columns.
        long plane = (long)bx * by;
        Parallel.For(0, by, options, () => new LineScratch(maxN), (j, _, s) =>
        {
            for (int i = 0; i < bx; i++)
            {
                long at = (long)j * bx + i;
                for (int q = 0; q < nz; q++) s.F[q] = columns[q * plane + at];
                Envelope1D(s, nz, sz2, dst, at, plane, k0, bz);
            }
            return s;
        }, _ => { });
        return result;
    }

    /// <summary>
    /// Distance (mm) from every voxel centre to the nearest non-zero voxel centre of <paramref name="mask"/>;
    /// 0 on the mask, <see cref="float.PositiveInfinity"/> everywhere when the mask is empty.
    /// </summary>
    public static Volume<float> Unsigned(Volume<byte> mask, CancellationToken cancellationToken = default)
    {
        var sq = Squared(mask, NonZeroFlags(invert: false), cancellationToken);
        SqrtInPlace(sq.Data, cancellationToken);
        return sq;
    }

    /// <summary>
    /// Signed distance (mm): outside the mask (value 0) the distance to the nearest non-zero voxel centre (&gt; 0);
    /// inside the mask minus the distance to the nearest zero voxel centre (&lt; 0). The zero level lies between the
    /// two, so no voxel has the value 0. An empty mask gives +∞ everywhere, a full mask −∞ everywhere.
    /// </summary>
    public static Volume<float> Signed(Volume<byte> mask, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var outside = Squared(mask, NonZeroFlags(invert: false), cancellationToken);
        var inside = Squared(mask, NonZeroFlags(invert: true), cancellationToken);
        var o = outside.Data;
        var n = inside.Data;
        var m = mask.Data;
        long plane = (long)mask.Geometry.Nx * mask.Geometry.Ny;
        Parallel.For(0, mask.Geometry.Nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            for (long v = plane * k, end = v + plane; v < end; v++)
                o[v] = m[v] != 0 ? -MathF.Sqrt(n[v]) : MathF.Sqrt(o[v]);
        });
        return outside;
    }

    /// <summary>Flags marking the non-zero byte values (or the zero value when <paramref name="invert"/>).</summary>
    public static bool[] NonZeroFlags(bool invert)
    {
        var f = new bool[256];
        for (int v = 0; v < 256; v++) f[v] = (v != 0) != invert;
        return f;
    }

    private static void SqrtInPlace(float[] data, CancellationToken ct)
    {
        const int chunk = 1 << 16;
        int chunks = (int)((data.LongLength + chunk - 1) / chunk);
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = ct }, c =>
        {
            int start = c * chunk, end = (int)Math.Min(data.LongLength, (long)start + chunk);
            for (int n = start; n < end; n++) data[n] = MathF.Sqrt(data[n]);
        });
    }

    private sealed class LineScratch(int n)
    {
        public readonly float[] F = new float[n];
        public readonly int[] V = new int[n];
        public readonly double[] Z = new double[n + 1];
    }

    /// <summary>
    /// In-place 1-D squared distance transform of the line <c>data[start + q·stride]</c>, q &lt; n, with sample spacing²
    /// <paramref name="w"/>: d(p) = min_q w·(p−q)² + f(q). Lines without a finite site, or with only zeros, are unchanged.
    /// </summary>
    private static void Transform1D(float[] data, long start, long stride, int n, double w, LineScratch s)
    {
        var f = s.F;
        int finite = 0;
        for (int q = 0; q < n; q++)
        {
            float val = data[start + q * stride];
            f[q] = val;
            if (!float.IsPositiveInfinity(val)) finite++;
        }
        if (finite == 0 || finite == n && AllZero(f, n)) return;
        Envelope1D(s, n, w, data, start, stride, 0, n);
    }

    /// <summary>
    /// 1-D squared distance transform of the <paramref name="n"/> values in <c>s.F</c> (spacing² <paramref name="w"/>),
    /// written for p in [<paramref name="lo"/>, lo + <paramref name="count"/>) to <c>dst[dstStart + (p − lo)·dstStride]</c>.
    /// Infinite sites are skipped (they never form the envelope); with none finite the output is +∞.
    /// </summary>
    private static void Envelope1D(LineScratch s, int n, double w, float[] dst, long dstStart, long dstStride, int lo, int count)
    {
        var f = s.F;
        var v = s.V;
        var z = s.Z;
        int k = -1;
        for (int q = 0; q < n; q++)
        {
            if (float.IsPositiveInfinity(f[q])) continue;
            if (k < 0)
            {
                k = 0; v[0] = q; z[0] = double.NegativeInfinity; z[1] = double.PositiveInfinity;
                continue;
            }
            double hq = f[q] + w * q * q;
            double sInt = Intersection(f, v[k], q, hq, w);
            while (sInt <= z[k]) // z[0] = −∞ stops the loop at k = 0
            {
                k--;
                sInt = Intersection(f, v[k], q, hq, w);
            }
            k++;
            v[k] = q; z[k] = sInt; z[k + 1] = double.PositiveInfinity;
        }
        if (k < 0)
        {
            for (int p = 0; p < count; p++) dst[dstStart + p * dstStride] = float.PositiveInfinity;
            return;
        }

        k = 0;
        for (int p = lo; p < lo + count; p++)
        {
            while (z[k + 1] < p) k++;
            int r = v[k];
            double d = p - r;
            dst[dstStart + (p - lo) * dstStride] = (float)(w * d * d + f[r]);
        }
    }

    private static double Intersection(float[] f, int r, int q, double hq, double w) =>
        (hq - (f[r] + w * r * r)) / (2.0 * w * (q - r));

    private static bool AllZero(float[] f, int n)
    {
        for (int q = 0; q < n; q++) if (f[q] != 0f) return false;
        return true;
    }
}
