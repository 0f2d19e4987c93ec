namespace ImageGuide.Workflows.Validation;

/// <summary>
/// A validation manifest, report or tool set-up that cannot be used: the message names the manifest, the case
/// (id and index) and the field, and says what to do.
/// </summary>
public class ValidationException : ImageGuideException
{
    /// <summary>Creates the exception.</summary>
    public ValidationException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the low-level cause.</summary>
    public ValidationException(string message, Exception? inner) : base(message, inner) { }
}
