namespace ImageGuide.Phantoms;

/// <summary>Helpers shared by the slice finishers.</summary>
internal static class SliceNoise
{
    /// <summary>Stream identifiers of the per-slice random streams (one per output image).</summary>
    public const ulong DiagnosticCt = 101, PreFreezeCt = 102, IntraOpCt = 103, MrT1 = 104, MrT2 = 105, Cbct = 106;

    /// <summary>Rounds to the nearest short, saturating at the type's range.</summary>
    public static short ToShort(double v) => (short)Math.Clamp(Math.Round(v), short.MinValue, short.MaxValue);
}
