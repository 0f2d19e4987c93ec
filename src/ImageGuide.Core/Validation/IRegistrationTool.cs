using ImageGuide.Imaging;

namespace ImageGuide.Validation;

/// <summary>A registration method under validation: ImageGuide itself, or a peer tool run on the same cases.</summary>
public interface IRegistrationTool
{
    /// <summary>Short lower-case name used in file names, tables and plots (e.g. "imageguide", "elastix").</summary>
    string Name { get; }

    /// <summary>Registers the case's moving image to its fixed image; the result maps fixed → moving points.</summary>
    /// <exception cref="ImageGuideException">The registration failed; the message is reported as the case's failure reason.</exception>
    RigidTransform Register(ValidationCaseData data, CancellationToken cancellationToken);
}
