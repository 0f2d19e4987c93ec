namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes JPEG Baseline (Process 1, 1.2.840.10008.1.2.4.50) and JPEG Extended (Processes 2 &amp; 4,
/// 1.2.840.10008.1.2.4.51): ITU T.81 DCT-based Huffman-coded frames (SOF0, SOF1 and progressive SOF2), 8- or
/// 12-bit precision, one to four components with any integral sampling factors, restart intervals, interleaved
/// or single-component scans.
/// </summary>
/// <remarks>
/// The arithmetic matches the IJG libjpeg 6b decoder that GDCM (and so pydicom's reference values) uses: the
/// accurate integer inverse DCT ("islow") with its range limiting, and "fancy" triangle-filter upsampling of
/// 2×1 and 2×2 subsampled components (other integral ratios are replicated). No colour transform is applied:
/// the samples are the JPEG components as coded (Y, Cb, Cr for YBR_FULL / YBR_FULL_422, R, G, B where the
/// encoder kept RGB), which is what the DICOM Photometric Interpretation describes and what GDCM returns.
/// Samples are written as native little-endian stored values, interleaved or planar as the pixel
/// description's Planar Configuration says.
/// <para>
/// The frame header must agree with Rows, Columns and Samples per Pixel before anything is allocated; a
/// progressive frame may hold at most <see cref="JpegDctFrame.MaxScans"/> scans and each coefficient's
/// successive-approximation bits must follow T.81 G.1.1.1.1, so time and memory stay proportional to the
/// frame. Arithmetic coding (SOF9–SOF11), hierarchical frames (SOF5–SOF7) and DNL are refused with a
/// <see cref="DicomCodecException"/>, as is corrupt or truncated data. Thread-safe: the codec holds no state.
/// </para>
/// </remarks>
public sealed class JpegBaselineCodec : IDicomCodec
{
    private static readonly string[] Uids = [TransferSyntaxNames.JpegBaseline, TransferSyntaxNames.JpegExtended];

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "JPEG Baseline / Extended (Processes 1, 2 & 4)";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
    {
        format.Validate();
        if (format.BitsAllocated == 1)
            throw new DicomCodecException("JPEG cannot hold 1-bit samples: Bits Allocated (0028,0100) must be 8, 16 or 32.");
        if (destination.Length < format.FrameSizeBytes)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {format.FrameSizeBytes}.", nameof(destination));

        var frame = new JpegDctFrame(format);
        frame.Decode(encodedFrame, destination);
    }
}
