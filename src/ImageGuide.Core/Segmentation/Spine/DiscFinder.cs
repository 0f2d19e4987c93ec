namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Intervertebral discs as dips of the body profile. A disc (50–110 HU) lies between the bony end plates of two bodies a
/// few millimetres apart, so its dip is flanked closely on both sides by bright bone; the marrow in the middle of an
/// osteoporotic body can be nearly as dark, but its flanking end plates are a body height (≥ 12 mm) apart. The depth of a
/// dip is therefore measured against the brightest sample within ±<see cref="FlankMm"/> on each side (the lower of the two);
/// dips at least <see cref="VertebraFinderSettings.MinDiscContrastHu"/> deep are discs, the deepest kept when two are closer
/// than <see cref="VertebraFinderSettings.MinPeriodMm"/>.
/// </summary>
internal static class DiscFinder
{
    /// <summary>How far each side of a dip its end plate is looked for (mm): half a lumbar disc (≈ 5 mm) plus the end plate.</summary>
    public const double FlankMm = 7;

    /// <summary>Sample indices of the discs along the profile, caudal first.</summary>
    public static List<int> Find(BodyProfile profile, VertebraFinderSettings s)
    {
        var hu = (double[])profile.Hu.Clone();
        BodyProfile.GaussianSmooth(hu, 1.0 / BodyProfile.StepMm);
        int n = hu.Length, w = Math.Max(1, (int)Math.Round(FlankMm / BodyProfile.StepMm));
        var candidates = new List<(int I, double Depth)>();
        for (int i = w; i < n - w; i++)
        {
            if (double.IsNaN(hu[i]) || hu[i] > hu[i - 1] || hu[i] > hu[i + 1]) continue;
            double left = double.MinValue, right = double.MinValue;
            for (int m = i - w; m < i; m++) if (!double.IsNaN(hu[m])) left = Math.Max(left, hu[m]);
            for (int m = i + 1; m <= i + w; m++) if (!double.IsNaN(hu[m])) right = Math.Max(right, hu[m]);
            double depth = Math.Min(left, right) - hu[i];
            // Both flanks must be bone-bright: a dip between bone and soft tissue (the end of the column) is no disc.
            if (depth >= s.MinDiscContrastHu && Math.Min(left, right) >= s.BoneGrowHu) candidates.Add((i, depth));
        }
        candidates.Sort((a, b) => b.Depth.CompareTo(a.Depth));
        int minSep = (int)Math.Round(s.MinPeriodMm / BodyProfile.StepMm);
        var kept = new List<int>();
        foreach (var (i, _) in candidates)
        {
            bool near = false;
            foreach (int k in kept) if (Math.Abs(k - i) < minSep) { near = true; break; }
            if (!near) kept.Add(i);
        }
        kept.Sort();
        DropSplits(kept);
        return kept;
    }

    /// <summary>
    /// A dark mid-body (osteoporotic marrow) can pass for a disc and split one vertebra in two short segments. While a
    /// spacing is below 0.6 × the median of the spacings around it, one of its two discs is dropped: the one whose removal
    /// leaves a merged spacing closest to that median.
    /// </summary>
    private static void DropSplits(List<int> discs)
    {
        while (discs.Count >= 3)
        {
            int worst = -1; double worstRatio = 0.6, worstRef = 0;
            for (int k = 0; k + 1 < discs.Count; k++)
            {
                double reference = LocalMedian(discs, k);
                double ratio = (discs[k + 1] - discs[k]) / reference;
                if (ratio < worstRatio) { worstRatio = ratio; worst = k; worstRef = reference; }
            }
            if (worst < 0) return;
            // Candidates: drop discs[worst] (merging with the spacing before) or discs[worst + 1] (with the one after).
            double costA = worst > 0 ? Math.Abs(discs[worst + 1] - discs[worst - 1] - worstRef) : double.MaxValue / 2;
            double costB = worst + 2 < discs.Count ? Math.Abs(discs[worst + 2] - discs[worst] - worstRef) : double.MaxValue / 2;
            discs.RemoveAt(costA <= costB ? worst : worst + 1);
        }
    }

    /// <summary>Median of the spacings k − 3 … k + 3 other than spacing k itself (spacing k is discs[k + 1] − discs[k]).</summary>
    private static double LocalMedian(List<int> discs, int k)
    {
        var d = new List<double>();
        for (int m = Math.Max(0, k - 3); m <= Math.Min(discs.Count - 2, k + 3); m++)
            if (m != k) d.Add(discs[m + 1] - discs[m]);
        if (d.Count == 0) return discs[k + 1] - discs[k];
        d.Sort();
        return d.Count % 2 == 1 ? d[d.Count / 2] : 0.5 * (d[d.Count / 2 - 1] + d[d.Count / 2]);
    }
}
