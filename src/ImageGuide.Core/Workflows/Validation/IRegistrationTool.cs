using ImageGuide.Imaging;
using ImageGuide.Registration;

namespace ImageGuide.Workflows.Validation;

/// <summary>A registration method under validation: ImageGuide itself, or a peer tool run on the same cases.</summary>
public interface IRegistrationTool
{
    /// <summary>Short lower-case name used in file names, tables and plots (e.g. "imageguide", "elastix").</summary>
    string Name { get; }

    /// <summary>
    /// The tool's version, stored in every case file: a stored result is reused, and case files from several shards are
    /// merged, only when their versions agree. The default is the informational version of the assembly implementing
    /// the tool (for ImageGuide: its build, including the source revision when the build knows it).
    /// </summary>
    string Version => ToolVersion.Of(GetType().Assembly);

    /// <summary>Registers the case's moving image to its fixed image; the result maps fixed → moving points.</summary>
    /// <exception cref="ImageGuideException">The registration failed; the message is reported as the case's failure reason.</exception>
    RigidTransform Register(ValidationCaseData data, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="Register"/>, with what the tool says about its own result: its quality verdict and the preset it
    /// used. The runner calls this; the default wraps <see cref="Register"/> (no verdict) for tools that do not judge
    /// their results.
    /// </summary>
    /// <exception cref="ImageGuideException">The registration failed.</exception>
    ToolRegistration RegisterCase(ValidationCaseData data, CancellationToken cancellationToken) => new(Register(data, cancellationToken));
}

/// <summary>Version strings of tools.</summary>
public static class ToolVersion
{
    /// <summary>The informational version of <paramref name="assembly"/> (else its assembly version, else "unknown").</summary>
    public static string Of(System.Reflection.Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var a in assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false))
            if (a is System.Reflection.AssemblyInformationalVersionAttribute { InformationalVersion: { Length: > 0 } v }) return v;
        return assembly.GetName().Version?.ToString() ?? "unknown";
    }
}

/// <summary>A tool's answer on one case.</summary>
/// <param name="Transform">The fixed → moving result.</param>
/// <param name="Verdict">The tool's own quality verdict on it, or null when the tool gives none.</param>
/// <param name="Preset">The preset actually used (e.g. "auto (ct-mr)"), or null to record the case's preset.</param>
/// <param name="PerVertebra">The per-vertebra refinement of a per-vertebra case (its global result is <paramref name="Transform"/>), or null.</param>
public sealed record ToolRegistration(RigidTransform Transform, RegistrationVerdict? Verdict = null, string? Preset = null,
    Registration.Spine.PerVertebraResult? PerVertebra = null);
