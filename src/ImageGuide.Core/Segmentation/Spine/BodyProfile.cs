namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// The line through the vertebral bodies and the intensity along it. Per slice, the body's back wall is the first bone met
/// going forward from the canal centre and its depth reaches to the last bone before prevertebral fat; the body centre line
/// runs half a (locally median) depth in front of the back wall, smoothed. Along it, at 1 mm steps of arc length, the mean
/// HU over a disc-shaped patch perpendicular to the line is the profile in which intervertebral discs are dips.
/// </summary>
/// <param name="Points">Body centre line samples (canonical mm), cranial last, 1 mm apart.</param>
/// <param name="Tangents">Unit tangent at each sample (pointing cranially).</param>
/// <param name="Hu">Mean HU across the body at each sample.</param>
/// <param name="BodyDepthMm">Median front-to-back depth of the bodies (mm).</param>
internal sealed record BodyProfile(Imaging.Vec3[] Points, Imaging.Vec3[] Tangents, double[] Hu, double BodyDepthMm)
{
    /// <summary>Below this (HU) tissue is fat-like (fat −100, fat with partial volume up to ≈ 0; muscle and marrow are above).</summary>
    private const double FatHu = 10;

    /// <summary>Step between samples (mm).</summary>
    public const double StepMm = 1;

    /// <summary>Builds the body line and its profile from the canal; null when no body wall is seen in front of the canal.</summary>
    public static BodyProfile? Build(SpineGrid g, SpinalCanal canal, VertebraFinderSettings s, CancellationToken cancellationToken)
    {
        int nz = g.Nz;
        var back = new double[nz];
        var depth = new double[nz];
        Parallel.For(0, nz, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            (back[z], depth[z]) = BodyWalls(g, s, canal.X[z], canal.Y[z], z);
        });
        var depths = new List<double>();
        var offsets = new List<double>();
        for (int z = 0; z < nz; z++)
            if (!double.IsNaN(back[z])) { depths.Add(depth[z]); offsets.Add(canal.Y[z] - back[z]); }
        if (depths.Count < 3) return null;
        depths.Sort();
        double medianDepth = depths[depths.Count / 2];

        // Offset canal → body centre per slice, gaps bridged, then smoothed over ≈ 10 mm.
        var off = new double[nz];
        var known = new bool[nz];
        for (int z = 0; z < nz; z++)
        {
            if (double.IsNaN(back[z])) continue;
            off[z] = canal.Y[z] - back[z] + Math.Clamp(depth[z], 0.7 * medianDepth, 1.3 * medianDepth) / 2;
            known[z] = true;
        }
        Bridge(off, known);
        GaussianSmooth(off, 10 / g.Sz);

        var centres = new Imaging.Vec3[nz];
        for (int z = 0; z < nz; z++) centres[z] = new Imaging.Vec3(canal.X[z], canal.Y[z] - off[z], z * g.Sz);

        // Resample by arc length.
        var pts = new List<Imaging.Vec3> { centres[0] };
        double carry = 0;
        for (int z = 1; z < nz; z++)
        {
            var a = centres[z - 1];
            var b = centres[z];
            double len = (b - a).Length;
            double t = StepMm - carry;
            while (t <= len) { pts.Add(a + (b - a) * (t / len)); t += StepMm; }
            carry = len - (t - StepMm);
        }
        var points = pts.ToArray();
        int n = points.Length;
        var tangents = new Imaging.Vec3[n];
        int h = (int)Math.Round(10 / StepMm); // tangents over ±10 mm: end plates are flat on that scale
        for (int i = 0; i < n; i++)
        {
            var d = points[Math.Min(n - 1, i + h)] - points[Math.Max(0, i - h)];
            tangents[i] = d.Length > 0 ? d / d.Length : new Imaging.Vec3(0, 0, 1);
        }
        double radius = Math.Clamp(0.25 * medianDepth, 4, 10);
        var hu = new double[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            hu[i] = PatchMean(g, points[i], tangents[i], radius);
        });
        return new BodyProfile(points, tangents, hu, medianDepth);
    }

    /// <summary>Mean HU on a disc of <paramref name="radius"/> mm centred at <paramref name="c"/>, perpendicular to <paramref name="t"/>.</summary>
    internal static double PatchMean(SpineGrid g, Imaging.Vec3 c, Imaging.Vec3 t, double radius)
    {
        var u = Imaging.Vec3.Cross(t, new Imaging.Vec3(1, 0, 0));
        if (u.Length < 1e-3) u = Imaging.Vec3.Cross(t, new Imaging.Vec3(0, 1, 0));
        u = u.Normalized();
        var v = Imaging.Vec3.Cross(t, u);
        double sum = 0; int n = 0;
        for (int ring = 0; ring <= 3; ring++)
        {
            double r = radius * ring / 3;
            int m = ring == 0 ? 1 : 6 * ring;
            for (int a = 0; a < m; a++)
            {
                double ang = 2 * Math.PI * a / m;
                var p = c + u * (r * Math.Cos(ang)) + v * (r * Math.Sin(ang));
                float val = g.Sample(p.X, p.Y, p.Z, float.NaN);
                if (float.IsNaN(val)) continue;
                sum += val; n++;
            }
        }
        return n > 0 ? sum / n : double.NaN;
    }

    /// <summary>Back wall (canonical y, mm) and depth (mm) of the body in front of the canal centre on slice z; NaN when no wall is seen.</summary>
    private static (double Back, double Depth) BodyWalls(SpineGrid g, VertebraFinderSettings s, double cx, double cy, int z)
    {
        int x0 = (int)Math.Round((cx - 3) / g.Sx), x1 = (int)Math.Round((cx + 3) / g.Sx);
        x0 = Math.Clamp(x0, 0, g.Nx - 1); x1 = Math.Clamp(x1, 0, g.Nx - 1);
        int yc = (int)Math.Round(cy / g.Sy);
        if (yc < 0 || yc >= g.Ny) return (double.NaN, double.NaN);
        double Row(int y)
        {
            double sum = 0;
            for (int x = x0; x <= x1; x++) sum += g.Data[g.Index(x, y, z)];
            return sum / (x1 - x0 + 1);
        }
        int yMin = Math.Max(0, (int)Math.Floor((cy - 35) / g.Sy));
        int back = -1;
        for (int y = yc; y >= yMin; y--)
            if (Row(y) >= s.BoneSeedHu) { back = y; break; }
        if (back < 0 || (cy - back * g.Sy) < 2) return (double.NaN, double.NaN);
        // Front: the last bone (the front cortex) before ≥ 5 mm of fat-dark tissue (prevertebral fat); the marrow of
        // osteoporotic bodies can be darker than BoneGrowHu, so only fat ends the body.
        int front = back, run = 0, runMax = Math.Max(1, (int)Math.Ceiling(5 / g.Sy));
        int yEnd = Math.Max(0, back - (int)Math.Ceiling(65 / g.Sy));
        for (int y = back - 1; y >= yEnd; y--)
        {
            double v = Row(y);
            if (v >= s.BoneGrowHu) { front = y; run = 0; }
            else if (v < FatHu && ++run >= runMax) break;
        }
        return (back * g.Sy, (back - front + 1) * g.Sy);
    }

    /// <summary>Fills unknown entries linearly between known ones, constant beyond the ends.</summary>
    internal static void Bridge(double[] v, bool[] known)
    {
        int n = v.Length, prev = -1;
        for (int i = 0; i < n; i++)
        {
            if (!known[i]) continue;
            if (prev < 0) for (int m = 0; m < i; m++) v[m] = v[i];
            else for (int m = prev + 1; m < i; m++) v[m] = v[prev] + (v[i] - v[prev]) * (m - prev) / (i - prev);
            prev = i;
        }
        if (prev >= 0) for (int m = prev + 1; m < n; m++) v[m] = v[prev];
    }

    /// <summary>In-place Gaussian smoothing with edge renormalisation.</summary>
    internal static void GaussianSmooth(double[] v, double sigma)
    {
        if (sigma < 0.3) return;
        int r = (int)Math.Ceiling(2.5 * sigma), n = v.Length;
        var src = (double[])v.Clone();
        for (int i = 0; i < n; i++)
        {
            double sum = 0, w = 0;
            for (int m = Math.Max(0, i - r); m <= Math.Min(n - 1, i + r); m++)
            {
                if (double.IsNaN(src[m])) continue;
                double k = Math.Exp(-0.5 * (m - i) * (m - i) / (sigma * sigma));
                sum += k * src[m]; w += k;
            }
            v[i] = w > 0 ? sum / w : double.NaN;
        }
    }
}
