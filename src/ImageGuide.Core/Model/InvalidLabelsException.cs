namespace ImageGuide.Model;

/// <summary>A label map or label table that cannot name what it is asked to (no vertebrae under a scheme, a scheme without its table).</summary>
public class InvalidLabelsException : ImageGuideException
{
    /// <summary>Creates the exception with a message saying what is wrong and what to do.</summary>
    public InvalidLabelsException(string message) : base(message) { }
}
