namespace ImageGuide.Segmentation;

/// <summary>Ice-ball segmentation cannot proceed: no probe found, inputs that do not fit together, a bad setting.</summary>
public class SegmentationException : ImageGuideException
{
    /// <summary>Creates the exception with a message that says what is wrong and what to do.</summary>
    public SegmentationException(string message) : base(message) { }
}
