namespace ImageGuide.Phantoms;

/// <summary>
/// Random stream identifiers (every random choice draws from <see cref="PhantomRandom.ForStream"/> with the seed and
/// one of these, so adding a stream never changes the others) and helpers shared by the slice finishers.
/// </summary>
internal static class PhantomStreams
{
    /// <summary>Streams of the seeded choices made once per case.</summary>
    public const ulong Anatomy = 1, Poses = 3, MetalStreaks = 7, MrBias = 8, CbctStreaks = 9, Placement = 10;

    /// <summary>Streams of the per-slice noise (one per output image; the slice index is the second key).</summary>
    public const ulong DiagnosticCt = 101, PreFreezeCt = 102, IntraOpCt = 103, MrT1 = 104, MrT2 = 105, Cbct = 106;

    /// <summary>Rounds to the nearest short, saturating at the type's range.</summary>
    public static short ToShort(double v) => (short)Math.Clamp(Math.Round(v), short.MinValue, short.MaxValue);
}
