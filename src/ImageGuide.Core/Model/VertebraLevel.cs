using System.Globalization;

namespace ImageGuide.Model;

/// <summary>A vertebra in a fixed-image label map: its label value and its level name (C1…C7, T1…T13, L1…L6, S1, sacrum).</summary>
/// <param name="Label">Value in the label map.</param>
/// <param name="Name">Level name, e.g. "L3".</param>
public readonly record struct VertebraLevel(byte Label, string Name)
{
    /// <summary>Cranio-caudal rank of a level name (C1 = 1 … C7 = 7, T1 = 8 … T12 = 19, T13 = 19.5, L1 = 20 … L6 = 25, S1 = 26, sacrum = 27); null when the name is not a level.</summary>
    public static double? Rank(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string n = name.Trim().ToUpperInvariant().Replace("VERTEBRAE_", "", StringComparison.Ordinal).Replace("VERTEBRA_", "", StringComparison.Ordinal);
        if (n is "SACRUM") return 27;
        if (n.Length < 2 || !int.TryParse(n.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int k)) return null;
        return n[0] switch
        {
            'C' when k is >= 1 and <= 7 => k,
            'T' when k is >= 1 and <= 12 => 7 + k,
            'T' when k == 13 => 19.5,
            'L' when k is >= 1 and <= 6 => 19 + k,
            'S' when k == 1 => 26,
            _ => null,
        };
    }

    /// <summary>
    /// TotalSegmentator's "total" class map (v2): 25 sacrum, 26 S1, 27 L5 … 31 L1, 32 T12 … 43 T1, 44 C7 … 50 C1; null
    /// for other values.
    /// </summary>
    public static string? TotalSegmentatorName(int label) => label switch
    {
        25 => "sacrum",
        26 => "S1",
        >= 27 and <= 31 => "L" + (32 - label).ToString(CultureInfo.InvariantCulture),
        >= 32 and <= 43 => "T" + (44 - label).ToString(CultureInfo.InvariantCulture),
        >= 44 and <= 50 => "C" + (51 - label).ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>
    /// TotalSegmentator's label of a cranio-caudal rank (<see cref="Rank"/>): 51 − rank for C1 … L5 (ranks 1–24), 26 for S1,
    /// 25 for the sacrum; null for ranks it has no label for (L6, T13).
    /// </summary>
    public static byte? TotalSegmentatorLabelOfRank(int rank) => rank switch
    {
        >= 1 and <= 24 => (byte)(51 - rank),
        26 => 26,
        27 => 25,
        _ => null,
    };

    /// <summary>TotalSegmentator's label of a level name; null when the name is not a level it numbers.</summary>
    public static byte? TotalSegmentatorLabel(string name) =>
        Rank(name) is { } r && r == Math.Floor(r) ? TotalSegmentatorLabelOfRank((int)r) : null;

    /// <summary>The VerSe challenge's labels: 1–7 C1–C7, 8–19 T1–T12, 20–25 L1–L6, 26 sacrum, 28 T13; null for other values.</summary>
    public static string? VerSeName(int label) => label switch
    {
        >= 1 and <= 7 => "C" + label.ToString(CultureInfo.InvariantCulture),
        >= 8 and <= 19 => "T" + (label - 7).ToString(CultureInfo.InvariantCulture),
        >= 20 and <= 25 => "L" + (label - 19).ToString(CultureInfo.InvariantCulture),
        26 => "sacrum",
        28 => "T13",
        _ => null,
    };
}
