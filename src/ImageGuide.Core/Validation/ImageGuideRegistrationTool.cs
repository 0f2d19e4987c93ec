using ImageGuide.Imaging;
using ImageGuide.Registration;

namespace ImageGuide.Validation;

/// <summary>ImageGuide's <see cref="RigidRegistration"/> with each case's preset (name or preset JSON file).</summary>
public sealed class ImageGuideRegistrationTool : IRegistrationTool
{
    /// <inheritdoc />
    public string Name => "imageguide";

    /// <inheritdoc />
    public RigidTransform Register(ValidationCaseData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        string preset = data.Case.Preset;
        var settings = RegistrationPreset.TryGet(preset, out var s) ? s : RegistrationPreset.FromJson(File.ReadAllText(preset), preset);
        return new RigidRegistration(settings).Execute(data.Fixed, data.Moving, data.FixedMask, data.MovingMask, cancellationToken: cancellationToken).Transform;
    }
}
