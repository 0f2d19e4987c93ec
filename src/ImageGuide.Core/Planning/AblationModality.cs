namespace ImageGuide.Planning;

/// <summary>The kind of ablation an applicator makes.</summary>
public enum AblationModality
{
    /// <summary>Cryoablation: cryoprobes and their ice ball.</summary>
    Cryo,

    /// <summary>Radiofrequency ablation: RF electrodes (monopolar cool-tip, cluster, bipolar bone RF).</summary>
    Rfa,

    /// <summary>Microwave ablation: MW antennas.</summary>
    Mwa,
}

/// <summary>The modality's name in plan.json and on the command line: <c>cryo</c>, <c>rfa</c> or <c>mwa</c>.</summary>
public static class AblationModalityNames
{
    /// <summary>The lower-case name.</summary>
    public static string Name(this AblationModality modality) => modality switch
    {
        AblationModality.Cryo => "cryo",
        AblationModality.Rfa => "rfa",
        AblationModality.Mwa => "mwa",
        _ => throw new ArgumentOutOfRangeException(nameof(modality), modality, "unknown modality"),
    };

    /// <summary>Parses <c>cryo</c>, <c>rfa</c> or <c>mwa</c> (any case).</summary>
    /// <exception cref="ImageGuideException">Anything else.</exception>
    public static AblationModality Parse(string text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "cryo" => AblationModality.Cryo,
        "rfa" => AblationModality.Rfa,
        "mwa" => AblationModality.Mwa,
        _ => throw new ImageGuideException($"Unknown ablation modality '{text}'; use cryo, rfa or mwa."),
    };
}
