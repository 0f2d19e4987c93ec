namespace ImageGuide;

/// <summary>
/// Root of every error ImageGuide raises on purpose. Catch this type to handle any bad or unsupported
/// input reported by the library; any other exception type escaping the library is a bug.
/// </summary>
public class ImageGuideException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong, where, and what to do.</summary>
    public ImageGuideException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the low-level cause.</summary>
    public ImageGuideException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>Input that cannot be read as the format it claims to be (corrupt, truncated, inconsistent).</summary>
public class InvalidImageDataException : ImageGuideException
{
    /// <summary>Creates the exception.</summary>
    public InvalidImageDataException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the low-level cause.</summary>
    public InvalidImageDataException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>Geometry that is inconsistent or cannot be handled (non-orthogonal axes, zero spacing, mixed orientations).</summary>
public class GeometryException : ImageGuideException
{
    /// <summary>Creates the exception.</summary>
    public GeometryException(string message) : base(message) { }
}

/// <summary>A file format or file variant ImageGuide recognises but does not read.</summary>
public class UnsupportedFormatException : ImageGuideException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedFormatException(string message) : base(message) { }
}
