namespace ImageGuide.Workflows;

/// <summary>
/// A workflow's own arguments are wrong (a spatial registration that relates other frames, a DICOM output for an image
/// without a modality): the job must be given differently, the data themselves may be fine. The CLI reports it as bad usage.
/// </summary>
public class InvalidJobException : ImageGuideException
{
    /// <summary>Creates the exception with a message saying which argument is wrong and what to give instead.</summary>
    public InvalidJobException(string message) : base(message) { }
}
