namespace ImageGuide.Registration;

/// <summary>
/// Registration cannot proceed with the given images, masks or settings (e.g. an empty mask, images that do not
/// overlap, too many samples mapping outside the moving image). The message says which and what to change.
/// </summary>
public class RegistrationException : ImageGuideException
{
    /// <summary>Creates the exception.</summary>
    public RegistrationException(string message) : base(message) { }
}
