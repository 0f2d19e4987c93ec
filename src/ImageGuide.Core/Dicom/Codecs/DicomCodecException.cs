namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Compressed pixel data that cannot be decoded (corrupt, truncated or inconsistent with the image's pixel
/// description). The message says what is wrong and, where known, the byte offset within the encoded frame;
/// the DICOM reader that calls the codec adds the file name and the tag.
/// </summary>
public class DicomCodecException : InvalidImageDataException
{
    /// <summary>Creates the exception with a message that says what is wrong.</summary>
    public DicomCodecException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the low-level cause.</summary>
    public DicomCodecException(string message, Exception? inner) : base(message, inner) { }

    /// <summary>
    /// Creates the exception for a problem found at <paramref name="byteOffset"/> within the encoded frame;
    /// the offset is appended to the message and kept in <see cref="ByteOffset"/>.
    /// </summary>
    public DicomCodecException(string message, long byteOffset)
        : base($"{message} (at byte offset {byteOffset} within the encoded frame)")
    {
        ByteOffset = byteOffset;
    }

    /// <summary>Byte offset within the encoded frame where the problem was found; null when not tied to one place.</summary>
    public long? ByteOffset { get; }
}
