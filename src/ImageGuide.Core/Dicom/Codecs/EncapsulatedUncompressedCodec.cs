namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes Encapsulated Uncompressed Explicit VR Little Endian (1.2.840.10008.1.2.1.98, PS3.5 A.4.11): each
/// frame is stored uncompressed in native layout inside the encapsulated fragments, padded to an even length.
/// </summary>
public sealed class EncapsulatedUncompressedCodec : IDicomCodec
{
    private static readonly string[] Uids = [TransferSyntaxNames.EncapsulatedUncompressedExplicitVRLittleEndian];

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "Encapsulated Uncompressed";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
    {
        format.Validate();
        long frameSize = format.FrameSizeBytes;
        if (destination.Length < frameSize)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {frameSize}.", nameof(destination));
        // One padding byte may follow an odd-sized frame.
        if (encodedFrame.Length < frameSize || encodedFrame.Length > frameSize + 1)
            throw new DicomCodecException(
                $"Encapsulated uncompressed frame holds {encodedFrame.Length} bytes; the pixel description needs {frameSize} (plus at most one padding byte).",
                Math.Min(encodedFrame.Length, frameSize));
        encodedFrame[..(int)frameSize].CopyTo(destination);
    }
}
