using ImageGuide.Imaging;
using ImageGuide.Registration;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// ImageGuide's <see cref="RigidRegistration"/> with each case's preset: a preset name, a preset JSON file, or
/// <c>auto</c> (<see cref="PresetSelection.Choose"/> picks the preset from the two images). Every result carries the
/// registration's quality verdict. A per-vertebra case is also refined per vertebra (<see cref="PerVertebraRegistration"/>).
/// </summary>
public sealed class ImageGuideRegistrationTool : IRegistrationTool
{
    /// <summary>The case preset that lets <see cref="PresetSelection"/> choose from the images.</summary>
    public const string AutoPreset = PresetSelection.AutoPresetName;

    /// <inheritdoc />
    public string Name => "imageguide";

    /// <inheritdoc />
    public RigidTransform Register(ValidationCaseData data, CancellationToken cancellationToken) => RegisterCase(data, cancellationToken).Transform;

    /// <inheritdoc />
    public ToolRegistration RegisterCase(ValidationCaseData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        string preset = data.Case.Preset;
        RegistrationSettings settings;
        string used;
        if (string.Equals(preset, AutoPreset, StringComparison.OrdinalIgnoreCase))
        {
            var choice = PresetSelection.Choose(data.Fixed, data.Moving);
            (settings, used) = (choice.Settings, $"{AutoPreset} ({choice.PresetName})");
        }
        else
            (settings, used) = (RegistrationPreset.Resolve(preset).Settings, preset);
        // The phantom places its acquisitions in one patient frame (its truth is the motion between scans): trust
        // patient coordinates there, as `register --start patient` does; file cases start as their preset says.
        if (data.Case.Images is PhantomCaseImages) settings = settings with { Initializer = InitializerKind.None };
        var r = new RigidRegistration(settings).Execute(data.Fixed, data.Moving, new RegistrationInputs { FixedMask = data.FixedMask, MovingMask = data.MovingMask }, cancellationToken);
        // a per-vertebra case: every level refined from the global result, as `register --per-vertebra` does
        var levels = data.Vertebrae is { } v
            ? new PerVertebraRegistration(new PerVertebraSettings()).Execute(data.Fixed, data.Moving, v.Labels, v.Levels, r, settings, null, cancellationToken)
            : null;
        return new ToolRegistration(r.Transform, r.Verdict, used, levels);
    }
}
