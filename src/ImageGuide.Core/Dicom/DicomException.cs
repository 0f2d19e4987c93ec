namespace ImageGuide.Dicom;

/// <summary>
/// A DICOM file or byte stream that cannot be read: truncated, corrupt, or inconsistent. The message names the
/// file, the element and the byte offset where the problem was found, and what to do about it.
/// </summary>
public class DicomException : InvalidImageDataException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, already naming the element and offset; the file name is prefixed.</param>
    /// <param name="filePath">The file being read, when known.</param>
    /// <param name="tag">The element where the problem was found, when known.</param>
    /// <param name="byteOffset">Absolute byte offset in the file (or stream) where the problem was found.</param>
    /// <param name="inner">The low-level cause, if any.</param>
    public DicomException(string message, string? filePath = null, DicomTag? tag = null, long? byteOffset = null,
        Exception? inner = null)
        : base(Prefix(filePath) + message, inner)
    {
        FilePath = filePath;
        Tag = tag;
        ByteOffset = byteOffset;
    }

    /// <summary>The file being read, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The element where the problem was found, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>Absolute byte offset where the problem was found, when known.</summary>
    public long? ByteOffset { get; }

    private static string Prefix(string? filePath) =>
        string.IsNullOrEmpty(filePath) ? string.Empty : Path.GetFileName(filePath) + ": ";
}
