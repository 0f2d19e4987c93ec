using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>Starts and merging for <see cref="MultiStartSettings"/>.</summary>
internal static class MultiStart
{
    /// <summary>
    /// The start itself, then up to <see cref="MultiStartSettings.Starts"/> shifted starts: the local minima of the
    /// metric over a cubic grid of shifts (26-neighbourhood, grid points with too few valid samples excluded), best
    /// first. Deterministic: ties keep grid order.
    /// </summary>
    public static List<RigidTransform> Starts(MattesMutualInformation metric, RigidTransform start, MultiStartSettings ms, int minValid, CancellationToken ct)
    {
        int s = (int)Math.Floor(ms.MaximumShiftMm / ms.StepMm + 1e-9), n = 2 * s + 1;
        var values = new double[n * n * n];
        for (int c = 0; c < n; c++)
            for (int b = 0; b < n; b++)
                for (int a = 0; a < n; a++)
                {
                    ct.ThrowIfCancellationRequested();
                    double v = metric.GetValue(Shifted(start, a - s, b - s, c - s, ms.StepMm));
                    values[a + n * (b + n * c)] = metric.ValidSampleCount >= minValid ? v : double.PositiveInfinity;
                }
        var minima = new List<(double Value, int Index)>();
        for (int c = 0; c < n; c++)
            for (int b = 0; b < n; b++)
                for (int a = 0; a < n; a++)
                {
                    int idx = a + n * (b + n * c);
                    double v = values[idx];
                    if (!double.IsFinite(v) || (a == s && b == s && c == s)) continue;
                    if (IsLocalMinimum(values, n, a, b, c, v)) minima.Add((v, idx));
                }
        minima.Sort((x, y) => x.Value != y.Value ? x.Value.CompareTo(y.Value) : x.Index.CompareTo(y.Index));
        var starts = new List<RigidTransform>(ms.Starts + 1) { start };
        for (int m = 0; m < minima.Count && m < ms.Starts; m++)
        {
            int idx = minima[m].Index;
            starts.Add(Shifted(start, idx % n - s, idx / n % n - s, idx / (n * n) - s, ms.StepMm));
        }
        return starts;
    }

    private static bool IsLocalMinimum(double[] values, int n, int a, int b, int c, double v)
    {
        for (int dc = -1; dc <= 1; dc++)
            for (int db = -1; db <= 1; db++)
                for (int da = -1; da <= 1; da++)
                {
                    int x = a + da, y = b + db, z = c + dc;
                    if ((da | db | dc) == 0 || x < 0 || y < 0 || z < 0 || x >= n || y >= n || z >= n) continue;
                    if (values[x + n * (y + n * z)] < v) return false;
                }
        return true;
    }

    private static RigidTransform Shifted(RigidTransform t, int a, int b, int c, double step) =>
        new(t.Rotation, t.Translation + new Vec3(a, b, c) * step, t.Center);

    /// <summary>
    /// Largest displacement between two transforms over the centre and the six points at ± the radius along each
    /// axis from it — a bound on how differently they map the sampled region.
    /// </summary>
    public static double Distance(RigidTransform x, RigidTransform y, Vec3 center, double radius)
    {
        double d = (x.TransformPoint(center) - y.TransformPoint(center)).Length;
        for (int axis = 0; axis < 3; axis++)
            for (int sign = -1; sign <= 1; sign += 2)
            {
                var p = center + new Vec3(axis == 0 ? sign * radius : 0, axis == 1 ? sign * radius : 0, axis == 2 ? sign * radius : 0);
                d = Math.Max(d, (x.TransformPoint(p) - y.TransformPoint(p)).Length);
            }
        return d;
    }
}
