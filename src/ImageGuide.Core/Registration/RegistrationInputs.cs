using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>
/// What one <see cref="RigidRegistration.Execute{TF, TM}"/> run is given besides the two images and the settings: masks,
/// a start, a progress sink. Every member is optional; <see cref="None"/> gives none of them.
/// </summary>
public sealed record RegistrationInputs
{
    /// <summary>Nothing besides the images.</summary>
    public static RegistrationInputs None { get; } = new();

    /// <summary>Only fixed voxels where it is non-zero are sampled (any grid); null samples the whole fixed image.</summary>
    public Volume<byte>? FixedMask { get; init; }

    /// <summary>Samples mapping where it is zero are ignored (any grid); null uses the whole moving image.</summary>
    public Volume<byte>? MovingMask { get; init; }

    /// <summary>Start (fixed → moving); when given, the settings' initialiser is skipped.</summary>
    public RigidTransform? InitialTransform { get; init; }

    /// <summary>Receives one report per optimiser iteration.</summary>
    public IProgress<RegistrationProgress>? Progress { get; init; }
}
