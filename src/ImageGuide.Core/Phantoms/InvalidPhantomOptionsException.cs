namespace ImageGuide.Phantoms;

/// <summary>Phantom settings that cannot produce a phantom (out-of-range probe count, negative noise, …).</summary>
public sealed class InvalidPhantomOptionsException : ImageGuideException
{
    /// <summary>Creates the exception with a message naming the setting, its value and the accepted range.</summary>
    public InvalidPhantomOptionsException(string message) : base(message) { }
}
