using System.Collections.Frozen;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Names of the DICOM transfer syntaxes listed in PS3.6 Table A-1 (including retired ones), for messages and
/// for telling native from encapsulated pixel data.
/// </summary>
public static class TransferSyntaxNames
{
    /// <summary>Implicit VR Little Endian, the DICOM default.</summary>
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";

    /// <summary>Explicit VR Little Endian.</summary>
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Deflated Explicit VR Little Endian (the whole data set is deflated; pixel data is native).</summary>
    public const string DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";

    /// <summary>Explicit VR Big Endian (retired).</summary>
    public const string ExplicitVRBigEndian = "1.2.840.10008.1.2.2";

    /// <summary>Encapsulated Uncompressed Explicit VR Little Endian.</summary>
    public const string EncapsulatedUncompressedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.98";

    /// <summary>RLE Lossless (PS3.5 Annex G).</summary>
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>JPEG Baseline (Process 1).</summary>
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    /// <summary>JPEG Extended (Process 2 &amp; 4).</summary>
    public const string JpegExtended = "1.2.840.10008.1.2.4.51";

    /// <summary>JPEG Lossless, Non-Hierarchical (Process 14).</summary>
    public const string JpegLossless = "1.2.840.10008.1.2.4.57";

    /// <summary>JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1]).</summary>
    public const string JpegLosslessSV1 = "1.2.840.10008.1.2.4.70";

    /// <summary>JPEG-LS Lossless Image Compression.</summary>
    public const string JpegLsLossless = "1.2.840.10008.1.2.4.80";

    /// <summary>JPEG-LS Lossy (Near-Lossless) Image Compression.</summary>
    public const string JpegLsNearLossless = "1.2.840.10008.1.2.4.81";

    /// <summary>JPEG 2000 Image Compression (Lossless Only).</summary>
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";

    /// <summary>JPEG 2000 Image Compression.</summary>
    public const string Jpeg2000 = "1.2.840.10008.1.2.4.91";

    /// <summary>High-Throughput JPEG 2000 Image Compression (Lossless Only).</summary>
    public const string HtJpeg2000Lossless = "1.2.840.10008.1.2.4.201";

    /// <summary>High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only).</summary>
    public const string HtJpeg2000RpclLossless = "1.2.840.10008.1.2.4.202";

    /// <summary>High-Throughput JPEG 2000 Image Compression.</summary>
    public const string HtJpeg2000 = "1.2.840.10008.1.2.4.203";

    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ImplicitVRLittleEndian] = "Implicit VR Little Endian",
        [ExplicitVRLittleEndian] = "Explicit VR Little Endian",
        [EncapsulatedUncompressedExplicitVRLittleEndian] = "Encapsulated Uncompressed Explicit VR Little Endian",
        [DeflatedExplicitVRLittleEndian] = "Deflated Explicit VR Little Endian",
        [ExplicitVRBigEndian] = "Explicit VR Big Endian (retired)",
        [JpegBaseline] = "JPEG Baseline (Process 1)",
        [JpegExtended] = "JPEG Extended (Process 2 & 4)",
        ["1.2.840.10008.1.2.4.52"] = "JPEG Extended (Process 3 & 5) (retired)",
        ["1.2.840.10008.1.2.4.53"] = "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (retired)",
        ["1.2.840.10008.1.2.4.54"] = "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9) (retired)",
        ["1.2.840.10008.1.2.4.55"] = "JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (retired)",
        ["1.2.840.10008.1.2.4.56"] = "JPEG Full Progression, Non-Hierarchical (Process 11 & 13) (retired)",
        [JpegLossless] = "JPEG Lossless, Non-Hierarchical (Process 14)",
        ["1.2.840.10008.1.2.4.58"] = "JPEG Lossless, Non-Hierarchical (Process 15) (retired)",
        ["1.2.840.10008.1.2.4.59"] = "JPEG Extended, Hierarchical (Process 16 & 18) (retired)",
        ["1.2.840.10008.1.2.4.60"] = "JPEG Extended, Hierarchical (Process 17 & 19) (retired)",
        ["1.2.840.10008.1.2.4.61"] = "JPEG Spectral Selection, Hierarchical (Process 20 & 22) (retired)",
        ["1.2.840.10008.1.2.4.62"] = "JPEG Spectral Selection, Hierarchical (Process 21 & 23) (retired)",
        ["1.2.840.10008.1.2.4.63"] = "JPEG Full Progression, Hierarchical (Process 24 & 26) (retired)",
        ["1.2.840.10008.1.2.4.64"] = "JPEG Full Progression, Hierarchical (Process 25 & 27) (retired)",
        ["1.2.840.10008.1.2.4.65"] = "JPEG Lossless, Hierarchical (Process 28) (retired)",
        ["1.2.840.10008.1.2.4.66"] = "JPEG Lossless, Hierarchical (Process 29) (retired)",
        [JpegLosslessSV1] = "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
        [JpegLsLossless] = "JPEG-LS Lossless Image Compression",
        [JpegLsNearLossless] = "JPEG-LS Lossy (Near-Lossless) Image Compression",
        [Jpeg2000Lossless] = "JPEG 2000 Image Compression (Lossless Only)",
        [Jpeg2000] = "JPEG 2000 Image Compression",
        ["1.2.840.10008.1.2.4.92"] = "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)",
        ["1.2.840.10008.1.2.4.93"] = "JPEG 2000 Part 2 Multi-component Image Compression",
        ["1.2.840.10008.1.2.4.94"] = "JPIP Referenced",
        ["1.2.840.10008.1.2.4.95"] = "JPIP Referenced Deflate",
        ["1.2.840.10008.1.2.4.100"] = "MPEG2 Main Profile / Main Level",
        ["1.2.840.10008.1.2.4.100.1"] = "Fragmentable MPEG2 Main Profile / Main Level",
        ["1.2.840.10008.1.2.4.101"] = "MPEG2 Main Profile / High Level",
        ["1.2.840.10008.1.2.4.101.1"] = "Fragmentable MPEG2 Main Profile / High Level",
        ["1.2.840.10008.1.2.4.102"] = "MPEG-4 AVC/H.264 High Profile / Level 4.1",
        ["1.2.840.10008.1.2.4.102.1"] = "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1",
        ["1.2.840.10008.1.2.4.103"] = "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
        ["1.2.840.10008.1.2.4.103.1"] = "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
        ["1.2.840.10008.1.2.4.104"] = "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
        ["1.2.840.10008.1.2.4.104.1"] = "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
        ["1.2.840.10008.1.2.4.105"] = "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video",
        ["1.2.840.10008.1.2.4.105.1"] = "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video",
        ["1.2.840.10008.1.2.4.106"] = "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
        ["1.2.840.10008.1.2.4.106.1"] = "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
        ["1.2.840.10008.1.2.4.107"] = "HEVC/H.265 Main Profile / Level 5.1",
        ["1.2.840.10008.1.2.4.108"] = "HEVC/H.265 Main 10 Profile / Level 5.1",
        ["1.2.840.10008.1.2.4.110"] = "JPEG XL Lossless",
        ["1.2.840.10008.1.2.4.111"] = "JPEG XL JPEG Recompression",
        ["1.2.840.10008.1.2.4.112"] = "JPEG XL",
        [HtJpeg2000Lossless] = "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
        [HtJpeg2000RpclLossless] = "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
        [HtJpeg2000] = "High-Throughput JPEG 2000 Image Compression",
        ["1.2.840.10008.1.2.4.204"] = "JPIP HTJ2K Referenced",
        ["1.2.840.10008.1.2.4.205"] = "JPIP HTJ2K Referenced Deflate",
        [RleLossless] = "RLE Lossless",
        ["1.2.840.10008.1.2.6.1"] = "RFC 2557 MIME encapsulation (retired)",
        ["1.2.840.10008.1.2.6.2"] = "XML Encoding (retired)",
        ["1.2.840.10008.1.2.7.1"] = "SMPTE ST 2110-20 Uncompressed Progressive Active Video",
        ["1.2.840.10008.1.2.7.2"] = "SMPTE ST 2110-20 Uncompressed Interlaced Active Video",
        ["1.2.840.10008.1.2.7.3"] = "SMPTE ST 2110-30 PCM Digital Audio",
        ["1.2.840.10008.1.20"] = "Papyrus 3 Implicit VR Little Endian (retired)",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The PS3.6 name of <paramref name="transferSyntaxUid"/>, or null when the UID is not a known transfer
    /// syntax. Trailing NUL or space padding (as stored in UI elements) is ignored.
    /// </summary>
    public static string? GetName(string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        return Names.TryGetValue(Normalize(transferSyntaxUid), out string? name) ? name : null;
    }

    /// <summary>True when <paramref name="transferSyntaxUid"/> is listed in PS3.6 Table A-1.</summary>
    public static bool IsKnown(string transferSyntaxUid) => GetName(transferSyntaxUid) is not null;

    /// <summary>
    /// True for the transfer syntaxes whose Pixel Data is stored natively (not encapsulated): Implicit and
    /// Explicit VR Little Endian, Deflated Explicit VR Little Endian, Explicit VR Big Endian and Papyrus 3.
    /// </summary>
    public static bool IsNative(string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        return Normalize(transferSyntaxUid) is ImplicitVRLittleEndian or ExplicitVRLittleEndian
            or DeflatedExplicitVRLittleEndian or ExplicitVRBigEndian or "1.2.840.10008.1.20";
    }

    /// <summary>Removes the trailing NUL / space padding a UI value may carry.</summary>
    internal static string Normalize(string uid) => uid.TrimEnd('\0', ' ');
}
