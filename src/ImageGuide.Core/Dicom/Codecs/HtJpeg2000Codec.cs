namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes High-Throughput JPEG 2000 (HTJ2K, ITU-T T.814 | ISO/IEC 15444-15; DICOM 1.2.840.10008.1.2.4.201 lossless,
/// .202 lossless with RPCL options, .203 lossy) in managed code. HTJ2K keeps the JPEG 2000 Part 1 codestream, packets,
/// wavelets and component transforms (shared with <see cref="Jpeg2000Codec"/>) and replaces the block coder: code-blocks
/// whose style says HT are decoded by the HT cleanup pass and its optional SigProp and MagRef passes. Supported: one HT
/// set per code-block (what encoders write), vertically causal contexts; refused with a typed error: mixed HT/Part 1
/// code-blocks, placeholder passes without a cleanup pass, region of interest. Thread-safe: the codec holds no state.
/// </summary>
public sealed class HtJpeg2000Codec : IDicomCodec
{
    private static readonly string[] Uids = [TransferSyntaxNames.HtJpeg2000Lossless, TransferSyntaxNames.HtJpeg2000RpclLossless, TransferSyntaxNames.HtJpeg2000];
    private static readonly Jpeg2000Codec Shared = new();

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "High-Throughput JPEG 2000 (Part 15)";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination) =>
        Shared.DecodeFrame(encodedFrame, format, destination);
}
