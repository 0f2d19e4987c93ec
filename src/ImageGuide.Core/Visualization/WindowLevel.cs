namespace ImageGuide.Visualization;

/// <summary>
/// A display window: values ≤ Center − Width/2 map to 0, ≥ Center + Width/2 to 1, linear between.
/// </summary>
public readonly record struct WindowLevel(double Center, double Width)
{
    /// <summary>CT bone window (W 2000, L 500 HU).</summary>
    public static WindowLevel CtBone => new(500, 2000);
    /// <summary>CT soft-tissue window (W 400, L 40 HU) — where the ice ball is read.</summary>
    public static WindowLevel CtSoftTissue => new(40, 400);
    /// <summary>CT brain window (W 80, L 40 HU).</summary>
    public static WindowLevel CtBrain => new(40, 80);

    /// <summary>Named presets accepted by the CLI: bone, soft-tissue, brain.</summary>
    public static WindowLevel FromName(string name) => name.ToLowerInvariant() switch
    {
        "bone" => CtBone,
        "soft-tissue" or "soft" => CtSoftTissue,
        "brain" => CtBrain,
        _ => throw new ImageGuideException($"Unknown window preset '{name}'; use bone, soft-tissue or brain, or give centre and width."),
    };

    /// <summary>
    /// Window spanning the <paramref name="lowPercent"/>–<paramref name="highPercent"/> percentiles of the finite
    /// values (MR and CBCT, which have no absolute units).
    /// </summary>
    public static WindowLevel FromPercentiles(ReadOnlySpan<float> values, double lowPercent = 1, double highPercent = 99)
    {
        var finite = new List<float>(values.Length);
        foreach (var v in values) if (float.IsFinite(v)) finite.Add(v);
        if (finite.Count == 0) return new WindowLevel(0, 1);
        finite.Sort();
        double lo = At(finite, lowPercent), hi = At(finite, highPercent);
        if (!(hi > lo)) hi = lo + 1;
        return new WindowLevel((lo + hi) / 2, hi - lo);

        static double At(List<float> sorted, double p)
        {
            double pos = p / 100 * (sorted.Count - 1);
            int i = (int)Math.Floor(pos);
            int j = Math.Min(i + 1, sorted.Count - 1);
            return sorted[i] + (sorted[j] - sorted[i]) * (pos - i);
        }
    }

    /// <summary>Maps a value to [0, 1].</summary>
    public double Apply(double value)
    {
        double lo = Center - Width / 2;
        return Math.Clamp((value - lo) / Width, 0, 1);
    }
}
