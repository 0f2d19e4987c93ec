using ImageGuide.Imaging;

namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Keeps the discs out of the bone. Hole filling and the marrow enclosure take soft tissue walled in by bone for a body's
/// marrow, and a disc is walled in too (by the end plates above and below). Each disc's slab is measured on the body
/// profile — from its dip to where the profile has climbed halfway back to the bone on each side — about the disc's fitted
/// plane, and voxels in that slab in front of the canal that are not seed-bright bone (below
/// <see cref="VertebraFinderSettings.BoneSeedHu"/>) and not shielded from the mid-plane by an end plate are taken back out:
/// those filled in, and the partial-volume rim of the end plates and the outer annulus (120–200 HU), which grew with the
/// bone but which the reference labels leave to the disc (measured on the real example CT: L1–L5 Dice +0.002…+0.008, the
/// CBCT-like copy +0.002…+0.012, the 1.5 mm crop +0.001…+0.010; the cut T12 −0.003).
/// </summary>
internal static class DiscSpaces
{
    /// <summary>How far along the profile the bone beside a disc is looked for (mm): beyond half a disc height plus an end plate.</summary>
    private const double SearchMm = 15;

    /// <summary>Clears voxels of <paramref name="bone"/> below <see cref="VertebraFinderSettings.BoneSeedHu"/> inside the disc slabs (about the fitted disc <paramref name="planes"/>, widths from the profile) in front of the canal.</summary>
    public static void Clear(SpineGrid g, byte[] bone, SpinalCanal canal, BodyProfile profile, IReadOnlyList<int> discs,
        (Vec3[] Points, Vec3[] Normals) planes, VertebraFinderSettings s, CancellationToken cancellationToken)
    {
        int n = discs.Count, search = (int)Math.Round(SearchMm / BodyProfile.StepMm);
        var (points, normals) = planes;
        var lo = new double[n]; var hi = new double[n];
        var hu = profile.Hu;
        for (int k = 0; k < n; k++)
        {
            int c = discs[k];
            lo[k] = Half(hu, c, -1, search) * BodyProfile.StepMm;
            hi[k] = Half(hu, c, +1, search) * BodyProfile.StepMm;
        }
        int nx = g.Nx, ny = g.Ny;
        float seed = (float)s.BoneSeedHu;
        var d = g.Data;
        Parallel.For(0, g.Nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            double zm = z * g.Sz, yMax = canal.Y[z];
            for (int y = 0; y < ny; y++)
            {
                double ym = y * g.Sy;
                if (ym >= yMax) continue;
                int row = (z * ny + y) * nx;
                for (int x = 0; x < nx; x++)
                {
                    int i = row + x;
                    if (bone[i] == 0 || d[i] >= seed) continue;
                    var p = new Vec3(x * g.Sx, ym, zm);
                    for (int k = 0; k < n; k++)
                    {
                        double t = Vec3.Dot(p - points[k], normals[k]);
                        if (t >= -lo[k] && t <= hi[k] && !EndPlateBetween(g, p, normals[k], t, seed)) { bone[i] = 0; break; }
                    }
                }
            }
        });
    }

    /// <summary>
    /// Whether bone of seed level (an end plate) lies on the way from <paramref name="p"/> to the disc's mid-plane (at
    /// signed distance <paramref name="t"/> along <paramref name="normal"/>): then <paramref name="p"/> is the marrow beyond
    /// the end plate, not the disc, however dark (fatty marrow) it is.
    /// </summary>
    private static bool EndPlateBetween(SpineGrid g, Vec3 p, Vec3 normal, double t, float seedHu)
    {
        double step = 0.5 * Math.Min(g.Sz, Math.Min(g.Sx, g.Sy));
        int n = (int)Math.Floor(Math.Abs(t) / step);
        var dir = normal * (t > 0 ? -step : step);
        var q = p;
        for (int m = 1; m <= n; m++)
        {
            q += dir;
            if (g.Sample(q.X, q.Y, q.Z, float.MinValue) >= seedHu) return true;
        }
        return false;
    }

    /// <summary>Steps from the dip at <paramref name="c"/> in direction <paramref name="dir"/> until the profile is halfway back up to the bone's peak.</summary>
    private static int Half(double[] hu, int c, int dir, int search)
    {
        double peak = double.MinValue;
        for (int m = 1; m <= search; m++)
        {
            int j = c + dir * m;
            if ((uint)j >= (uint)hu.Length || double.IsNaN(hu[j])) break;
            peak = Math.Max(peak, hu[j]);
        }
        if (peak == double.MinValue) return 0;
        double half = (hu[c] + peak) / 2;
        for (int m = 1; m <= search; m++)
        {
            int j = c + dir * m;
            if ((uint)j >= (uint)hu.Length || double.IsNaN(hu[j]) || hu[j] >= half) return m - 1;
        }
        return search;
    }
}
