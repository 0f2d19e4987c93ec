namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes JPEG Lossless, Non-Hierarchical (Process 14, 1.2.840.10008.1.2.4.57) with any of the predictors
/// 1–7, and its First-Order Prediction subset (Selection Value 1, 1.2.840.10008.1.2.4.70): ITU T.81 Annex H
/// with Huffman coding (SOF3), 2- to 16-bit precision, one to four components in one interleaved scan or in
/// several scans, restart intervals and point transform.
/// </summary>
/// <remarks>
/// The decoded samples are written as native little-endian stored values (the reconstructed value shifted
/// left by the point transform Al), interleaved or planar as the pixel description's Planar Configuration
/// says. Values are the precision-P bit patterns; nothing is sign-extended (like native Pixel Data, whose
/// bits above High Bit are not interpreted here). Every length and table is checked against the data, every
/// loop is bounded by the frame size, and corrupt data raises <see cref="DicomCodecException"/> with the byte
/// offset. Thread-safe: the codec holds no state.
/// </remarks>
public sealed class JpegLosslessCodec : IDicomCodec
{
    private static readonly string[] Uids = [TransferSyntaxNames.JpegLossless, TransferSyntaxNames.JpegLosslessSV1];

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "JPEG Lossless (Process 14)";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
    {
        format.Validate();
        if (format.BitsAllocated == 1)
            throw new DicomCodecException("JPEG Lossless cannot hold 1-bit samples: Bits Allocated (0028,0100) must be 8, 16 or 32.");
        if (destination.Length < format.FrameSizeBytes)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {format.FrameSizeBytes}.", nameof(destination));

        var state = new JpegLosslessFrame(format);
        state.Decode(encodedFrame, destination);
    }
}
