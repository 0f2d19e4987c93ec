namespace ImageGuide.Registration.Spine;

/// <summary>
/// Settings of <see cref="PerVertebraRegistration"/>. The motion bounds do not model the spine's range of motion
/// (that is what the refinement measures); they reject a refinement that slid to a neighbouring level or off the bone.
/// Their scale: posture changes between a supine MR and a prone CT are 2–5° per joint (lordosis), and the largest
/// physiological segmental motion is ≈ 20° of flexion–extension at L5–S1 with ≈ 2–3 mm of sagittal translation
/// (White &amp; Panjabi, Clinical Biomechanics of the Spine, 2nd ed., 1990, table 2-7); a vertebra a level away sits
/// 25–40 mm off (vertebral body heights). See docs/SPINE.md.
/// </summary>
public sealed record PerVertebraSettings
{
    /// <summary>Each level's fixed mask: its vertebra dilated by this margin, mm (some soft tissue and the disc edges give the metric context).</summary>
    public double MarginMm { get; init; } = 6;
    /// <summary>A level whose refined motion turns farther than this from the global result is rejected, degrees.</summary>
    public double MaximumRotationFromGlobalDeg { get; init; } = 25;
    /// <summary>A level whose refined motion moves its centroid farther than this from where the global result puts it is rejected, mm.</summary>
    public double MaximumShiftFromGlobalMm { get; init; } = 25;
    /// <summary>Largest rotation of a level relative to an accepted adjacent level, degrees (≈ the largest segmental flexion–extension).</summary>
    public double MaximumNeighbourRotationDeg { get; init; } = 20;
    /// <summary>Largest displacement of a level's centroid under its motion relative to an accepted adjacent level, mm (well under a level's height, well over a joint's motion).</summary>
    public double MaximumNeighbourShiftMm { get; init; } = 10;
    /// <summary>A level of which less than this fraction maps inside the moving image (cut by its field of view) is rejected: its own registration rests on a part of it.</summary>
    public double MinimumVisibleFraction { get; init; } = 0.8;
    /// <summary>Inverse-distance exponent of the blend between levels in the displacement field.</summary>
    public double BlendPower { get; init; } = 3;
    /// <summary>Smallest spacing of the displacement field's grid, mm (the fixed grid, coarsened to at least this).</summary>
    public double FieldSpacingMm { get; init; } = 2;
    /// <summary>The local registration of each level; null: derived from the global settings (two levels, samples inside the mask, no search, no inverse-consistency run).</summary>
    public RegistrationSettings? Local { get; init; }

    /// <summary>Throws <see cref="RegistrationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Fail(string what) => throw new RegistrationException($"Invalid per-vertebra settings: {what}.");
        if (!(MarginMm >= 0 && MarginMm <= 50)) Fail("marginMm must lie in 0..50");
        if (!(MaximumRotationFromGlobalDeg > 0 && MaximumRotationFromGlobalDeg <= 90)) Fail("maximumRotationFromGlobalDeg must lie in (0, 90]");
        if (!(MaximumShiftFromGlobalMm > 0 && MaximumShiftFromGlobalMm <= 100)) Fail("maximumShiftFromGlobalMm must lie in (0, 100]");
        if (!(MaximumNeighbourRotationDeg > 0 && MaximumNeighbourRotationDeg <= 90)) Fail("maximumNeighbourRotationDeg must lie in (0, 90]");
        if (!(MaximumNeighbourShiftMm > 0 && MaximumNeighbourShiftMm <= 100)) Fail("maximumNeighbourShiftMm must lie in (0, 100]");
        if (!(MinimumVisibleFraction >= 0 && MinimumVisibleFraction <= 1)) Fail("minimumVisibleFraction must lie in 0..1");
        if (!(BlendPower >= 1 && BlendPower <= 16)) Fail("blendPower must lie in 1..16");
        if (!(FieldSpacingMm >= 0.25 && FieldSpacingMm <= 20)) Fail("fieldSpacingMm must lie in 0.25..20");
        Local?.Validate();
    }
}
