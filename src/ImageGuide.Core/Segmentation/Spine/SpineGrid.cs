using ImageGuide.Imaging;

namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// A volume's voxels re-indexed (exactly, without interpolation) so that x runs to the patient's left, y to posterior and
/// z to superior — the voxel axis nearest to each LPS axis is taken, flipped when it points the other way. Every spine step
/// works on this grid in millimetres (x·Sx, y·Sy, z·Sz); labels come back to the scan's own grid with
/// <see cref="ToOriginal"/>. Oblique scans (tilted gantry, rotated CBCT) are handled to within the nearest axis; the spine's
/// own tilt is followed by the centreline tracking.
/// </summary>
internal sealed class SpineGrid
{
    private readonly int[] _axisOf = new int[3];   // original voxel axis holding canonical axis c
    private readonly bool[] _flip = new bool[3];    // canonical axis c runs against the original axis
    private readonly int[] _n = new int[3];         // original sizes

    private SpineGrid(SpineGrid other, float[] data)
    {
        Original = other.Original;
        Array.Copy(other._axisOf, _axisOf, 3); Array.Copy(other._flip, _flip, 3); Array.Copy(other._n, _n, 3);
        Nx = other.Nx; Ny = other.Ny; Nz = other.Nz; Sx = other.Sx; Sy = other.Sy; Sz = other.Sz;
        Data = data;
    }

    private SpineGrid(VolumeGeometry g)
    {
        Original = g;
        _n[0] = g.Nx; _n[1] = g.Ny; _n[2] = g.Nz;
        var used = new bool[3];
        // Assign the most clearly aligned pairs first so that a slightly oblique axis cannot steal another's slot.
        var pairs = new List<(double W, int Axis, int Lps)>(9);
        for (int a = 0; a < 3; a++)
        for (int r = 0; r < 3; r++) pairs.Add((Math.Abs(g.Direction[r, a]), a, r));
        pairs.Sort((p, q) => q.W.CompareTo(p.W));
        var lpsTaken = new bool[3];
        foreach (var (_, a, r) in pairs)
        {
            if (used[a] || lpsTaken[r]) continue;
            used[a] = lpsTaken[r] = true;
            _axisOf[r] = a;
            _flip[r] = g.Direction[r, a] < 0;
        }
        var sp = new[] { g.Spacing.X, g.Spacing.Y, g.Spacing.Z };
        Nx = _n[_axisOf[0]]; Ny = _n[_axisOf[1]]; Nz = _n[_axisOf[2]];
        Sx = sp[_axisOf[0]]; Sy = sp[_axisOf[1]]; Sz = sp[_axisOf[2]];
        Data = new float[(long)Nx * Ny * Nz];
    }

    /// <summary>The scan's own geometry.</summary>
    public VolumeGeometry Original { get; }

    /// <summary>Size along left, posterior, superior.</summary>
    public int Nx { get; }
    /// <summary>Size along posterior.</summary>
    public int Ny { get; }
    /// <summary>Size along superior.</summary>
    public int Nz { get; }
    /// <summary>Voxel size along left (mm).</summary>
    public double Sx { get; }
    /// <summary>Voxel size along posterior (mm).</summary>
    public double Sy { get; }
    /// <summary>Voxel size along superior (mm).</summary>
    public double Sz { get; }

    /// <summary>The voxels, x fastest.</summary>
    public float[] Data { get; }

    /// <summary>Index of canonical voxel (x, y, z).</summary>
    public int Index(int x, int y, int z) => (z * Ny + y) * Nx + x;

    /// <summary>The scan's voxels on the canonical grid.</summary>
    public static SpineGrid From(Volume<float> ct, CancellationToken cancellationToken)
    {
        var grid = new SpineGrid(ct.Geometry);
        var src = ct.Data;
        var dst = grid.Data;
        Parallel.For(0, grid.Nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            Span<int> c = stackalloc int[3];
            for (int y = 0; y < grid.Ny; y++)
            for (int x = 0; x < grid.Nx; x++)
            {
                c[0] = x; c[1] = y; c[2] = z;
                dst[grid.Index(x, y, z)] = src[grid.OriginalIndex(c)];
            }
        });
        return grid;
    }

    /// <summary>
    /// A copy smoothed by a separable Gaussian of <paramref name="sigmaMm"/> (axes with voxels larger than 1.5 σ are left as
    /// they are): thin-slice and cone-beam noise otherwise scatters "bone" voxels through soft tissue.
    /// </summary>
    public SpineGrid Smoothed(double sigmaMm, CancellationToken cancellationToken)
    {
        var a = (float[])Data.Clone();
        var b = new float[a.Length];
        var po = new ParallelOptions { CancellationToken = cancellationToken };
        int[] n = [Nx, Ny, Nz];
        int[] stride = [1, Nx, Nx * Ny];
        double[] sp = [Sx, Sy, Sz];
        for (int axis = 0; axis < 3; axis++)
        {
            double sig = sigmaMm / sp[axis];
            if (sig < 1 / 1.5) continue;
            int r = (int)Math.Ceiling(2.5 * sig), len = n[axis], st = stride[axis];
            var k = new double[2 * r + 1];
            for (int m = -r; m <= r; m++) k[m + r] = Math.Exp(-0.5 * m * m / (sig * sig));
            int o1 = axis == 0 ? 1 : 0, o2 = axis == 2 ? 1 : 2; // the other two axes
            int n1 = n[o1], n2 = n[o2], s1 = stride[o1], s2 = stride[o2];
            var src = a; var dst = b;
            Parallel.For(0, n2, po, j2 =>
            {
                for (int j1 = 0; j1 < n1; j1++)
                {
                    int baseI = j2 * s2 + j1 * s1;
                    for (int i = 0; i < len; i++)
                    {
                        double sum = 0, w = 0;
                        for (int m = Math.Max(-r, -i); m <= Math.Min(r, len - 1 - i); m++) { sum += k[m + r] * src[baseI + (i + m) * st]; w += k[m + r]; }
                        dst[baseI + i * st] = (float)(sum / w);
                    }
                }
            });
            (a, b) = (b, a);
        }
        return new SpineGrid(this, a);
    }

    /// <summary>A canonical label buffer (same layout as <see cref="Data"/>) moved back onto the scan's own grid.</summary>
    public Volume<byte> ToOriginal(byte[] canonical, CancellationToken cancellationToken)
    {
        var result = new Volume<byte>(Original);
        var dst = result.Data;
        Parallel.For(0, Nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            Span<int> c = stackalloc int[3];
            for (int y = 0; y < Ny; y++)
            for (int x = 0; x < Nx; x++)
            {
                c[0] = x; c[1] = y; c[2] = z;
                dst[OriginalIndex(c)] = canonical[Index(x, y, z)];
            }
        });
        return result;
    }

    private long OriginalIndex(ReadOnlySpan<int> canonical)
    {
        Span<int> o = stackalloc int[3];
        for (int c = 0; c < 3; c++)
        {
            int a = _axisOf[c];
            o[a] = _flip[c] ? _n[a] - 1 - canonical[c] : canonical[c];
        }
        return Original.LinearIndex(o[0], o[1], o[2]);
    }

    /// <summary>Trilinear value at canonical millimetre position (x, y, z); <paramref name="outside"/> beyond the grid.</summary>
    public float Sample(double xMm, double yMm, double zMm, float outside)
    {
        double fx = xMm / Sx, fy = yMm / Sy, fz = zMm / Sz;
        if (fx < 0 || fy < 0 || fz < 0 || fx > Nx - 1 || fy > Ny - 1 || fz > Nz - 1) return outside;
        int x0 = Math.Min((int)fx, Math.Max(0, Nx - 2)), y0 = Math.Min((int)fy, Math.Max(0, Ny - 2)), z0 = Math.Min((int)fz, Math.Max(0, Nz - 2));
        double tx = fx - x0, ty = fy - y0, tz = fz - z0;
        int x1 = Math.Min(x0 + 1, Nx - 1), y1 = Math.Min(y0 + 1, Ny - 1), z1 = Math.Min(z0 + 1, Nz - 1);
        var d = Data;
        double c00 = d[Index(x0, y0, z0)] * (1 - tx) + d[Index(x1, y0, z0)] * tx;
        double c10 = d[Index(x0, y1, z0)] * (1 - tx) + d[Index(x1, y1, z0)] * tx;
        double c01 = d[Index(x0, y0, z1)] * (1 - tx) + d[Index(x1, y0, z1)] * tx;
        double c11 = d[Index(x0, y1, z1)] * (1 - tx) + d[Index(x1, y1, z1)] * tx;
        double c0 = c00 * (1 - ty) + c10 * ty, c1 = c01 * (1 - ty) + c11 * ty;
        return (float)(c0 * (1 - tz) + c1 * tz);
    }
}
