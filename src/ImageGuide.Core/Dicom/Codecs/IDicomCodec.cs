namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes the encapsulated pixel data of one or more compressed DICOM transfer syntaxes into the native
/// layout, so the rest of the reader treats native and decoded pixel data alike. Implementations must be
/// stateless or thread-safe: one instance decodes frames of many files, possibly in parallel.
/// </summary>
public interface IDicomCodec
{
    /// <summary>The transfer syntax UIDs this codec decodes.</summary>
    IReadOnlyList<string> TransferSyntaxUids { get; }

    /// <summary>Short human-readable name, e.g. "RLE Lossless".</summary>
    string Name { get; }

    /// <summary>
    /// Decodes one frame.
    /// </summary>
    /// <param name="encodedFrame">The concatenation of the Pixel Data fragments belonging to the frame (item values only, no item tags).</param>
    /// <param name="format">The image's pixel description; callers should have called <see cref="DicomPixelFormat.Validate"/>.</param>
    /// <param name="destination">
    /// Receives exactly <see cref="DicomPixelFormat.FrameSizeBytes"/> bytes: the frame in the DICOM native
    /// little-endian layout an Explicit VR Little Endian file would store for <paramref name="format"/>
    /// (samples interleaved when PlanarConfiguration is 0, one plane per sample when it is 1).
    /// Must be at least FrameSizeBytes long.
    /// </param>
    /// <exception cref="DicomCodecException">The encoded data is corrupt, truncated or disagrees with <paramref name="format"/>.</exception>
    void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination);
}
