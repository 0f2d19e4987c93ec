namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes JPEG-LS (ITU-T T.87 / ISO/IEC 14495-1) lossless (1.2.840.10008.1.2.4.80) and near-lossless
/// (1.2.840.10008.1.2.4.81) frames: SOF55 frames of 2- to 16-bit precision with one to four components, scans
/// without interleaving, line-interleaved or sample-interleaved, any NEAR, preset coding parameters (LSE type 1,
/// with the default thresholds of T.87 C.2.4.1.1 where a value is absent or 0) and restart intervals.
/// </summary>
/// <remarks>
/// The decoded samples are written as native little-endian stored values, interleaved or planar as the pixel
/// description's Planar Configuration says. Values are the precision-P bit patterns; nothing is sign-extended
/// (like native Pixel Data, whose bits above High Bit are not interpreted here). Not supported, each refused with
/// <see cref="DicomCodecException"/>: mapping tables (palettised images), a point transform, subsampled
/// components, the HP colour transform extension and DNL. Every length is checked against the data, every loop
/// is bounded by the frame size, and corrupt data raises <see cref="DicomCodecException"/> with the byte offset.
/// Thread-safe: the codec holds no state.
/// </remarks>
public sealed class JpegLsCodec : IDicomCodec
{
    private static readonly string[] Uids = [TransferSyntaxNames.JpegLsLossless, TransferSyntaxNames.JpegLsNearLossless];

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "JPEG-LS (lossless and near-lossless)";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
    {
        format.Validate();
        if (format.BitsAllocated == 1)
            throw new DicomCodecException("JPEG-LS cannot hold 1-bit samples: Bits Allocated (0028,0100) must be 8, 16 or 32.");
        if (destination.Length < format.FrameSizeBytes)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {format.FrameSizeBytes}.", nameof(destination));

        var frame = new JpegLsFrame(format);
        frame.Decode(encodedFrame, destination);
    }
}
