using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>Summary of target registration errors (mm).</summary>
/// <param name="Count">Number of points.</param>
/// <param name="Median">Median error.</param>
/// <param name="Mean">Mean error.</param>
/// <param name="P95">95th percentile (linear interpolation between order statistics, numpy's default).</param>
/// <param name="Max">Largest error.</param>
public readonly record struct TreStatistics(int Count, double Median, double Mean, double P95, double Max)
{
    /// <summary>Summarises a set of per-point errors.</summary>
    /// <exception cref="ArgumentException">No errors given.</exception>
    public static TreStatistics FromErrors(ReadOnlySpan<double> errors)
    {
        if (errors.IsEmpty) throw new ArgumentException("At least one error value is needed.", nameof(errors));
        var sorted = errors.ToArray();
        Array.Sort(sorted);
        double sum = 0;
        foreach (var e in sorted) sum += e;
        return new TreStatistics(sorted.Length, Quantile(sorted, 0.5), sum / sorted.Length, Quantile(sorted, 0.95), sorted[^1]);
    }

    /// <summary>Quantile <paramref name="q"/> of ascending <paramref name="sorted"/> values (linear interpolation, numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}

/// <summary>
/// Fusion-accuracy measures: target registration error from landmark pairs or against a ground-truth transform
/// (the SimpleITK RIRE notebook method: random points in the fixed foreground), and Dice overlap of label maps.
/// </summary>
public static class RegistrationEvaluation
{
    /// <summary>TRE from corresponding landmarks: ‖T(fᵢ) − mᵢ‖ with T = <paramref name="fixedToMoving"/>.</summary>
    /// <exception cref="RegistrationException">The landmark lists differ in length or are empty.</exception>
    public static TreStatistics Tre(ISpatialTransform fixedToMoving, IReadOnlyList<Vec3> fixedLandmarks, IReadOnlyList<Vec3> movingLandmarks)
    {
        ArgumentNullException.ThrowIfNull(fixedToMoving);
        ArgumentNullException.ThrowIfNull(fixedLandmarks);
        ArgumentNullException.ThrowIfNull(movingLandmarks);
        if (fixedLandmarks.Count != movingLandmarks.Count || fixedLandmarks.Count == 0)
            throw new RegistrationException($"Landmark lists must pair up: {fixedLandmarks.Count} fixed and {movingLandmarks.Count} moving points given.");
        var e = new double[fixedLandmarks.Count];
        for (int i = 0; i < e.Length; i++) e[i] = Vec3.Distance(fixedToMoving.TransformPoint(fixedLandmarks[i]), movingLandmarks[i]);
        return TreStatistics.FromErrors(e);
    }

    /// <summary>TRE of an estimated transform (rigid, or a displacement field) against the ground truth at the given fixed-space points.</summary>
    public static TreStatistics Tre(ISpatialTransform estimated, ISpatialTransform truth, IReadOnlyList<Vec3> fixedPoints)
    {
        ArgumentNullException.ThrowIfNull(estimated);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(fixedPoints);
        if (fixedPoints.Count == 0) throw new RegistrationException("At least one evaluation point is needed.");
        var e = new double[fixedPoints.Count];
        for (int i = 0; i < e.Length; i++) e[i] = Vec3.Distance(estimated.TransformPoint(fixedPoints[i]), truth.TransformPoint(fixedPoints[i]));
        return TreStatistics.FromErrors(e);
    }

    /// <summary>
    /// Dice coefficient 2|A∩B| / (|A| + |B|) of label <paramref name="label"/> between <paramref name="fixedLabels"/>
    /// and <paramref name="movingLabels"/> warped onto the fixed grid through <paramref name="fixedToMoving"/>
    /// (nearest neighbour). Returns 1 when the label is absent from both.
    /// </summary>
    public static double Dice(Volume<byte> fixedLabels, Volume<byte> movingLabels, RigidTransform fixedToMoving, byte label)
    {
        ArgumentNullException.ThrowIfNull(fixedLabels);
        ArgumentNullException.ThrowIfNull(movingLabels);
        var warped = Resampler.Resample(movingLabels, fixedLabels.Geometry, fixedToMoving, InterpolationMode.Nearest);
        long a = 0, b = 0, both = 0;
        var f = fixedLabels.Data;
        var w = warped.Data;
        for (long n = 0; n < f.LongLength; n++)
        {
            bool inA = f[n] == label, inB = w[n] == label;
            if (inA) a++;
            if (inB) b++;
            if (inA && inB) both++;
        }
        return a + b == 0 ? 1.0 : 2.0 * both / (a + b);
    }
}
