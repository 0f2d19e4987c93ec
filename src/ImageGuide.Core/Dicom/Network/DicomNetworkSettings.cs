using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom.Network;

/// <summary>
/// Limits and timeouts of one DICOM association (both roles). Defaults are those of DCMTK's tools where they have
/// one (docs/NETWORK.md cites them); every wait is bounded so a stalled peer never holds an association forever.
/// </summary>
public sealed record DicomNetworkSettings
{
    /// <summary>ImageGuide's Implementation Class UID (also in the File Meta of every file it writes).</summary>
    public const string ImageGuideImplementationClassUid = "2.25.229012948393718407317004306473532466573";

    /// <summary>ImageGuide's Implementation Version Name.</summary>
    public const string ImageGuideImplementationVersion = "IMAGEGUIDE_1";

    /// <summary>The defaults.</summary>
    public static DicomNetworkSettings Default { get; } = new();

    /// <summary>
    /// Largest P-DATA-TF PDU this side accepts (its length field), announced in the A-ASSOCIATE; a bigger incoming
    /// PDU ends the association. Bounds the memory one association holds. Default 256 KiB.
    /// </summary>
    public int MaxPduLength { get; init; } = 256 * 1024;

    /// <summary>
    /// ARTIM timer (PS3.8 §9.1.5): longest wait for the A-ASSOCIATE-RQ after a connection opens, for the answer to
    /// an A-ASSOCIATE-RQ, and for the A-RELEASE-RP. Default 30 s (DCMTK's <c>--acse-timeout</c>).
    /// </summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// DIMSE timeout: longest wait for the next PDU while a message is expected (a response, the next fragment of a
    /// data set, the next request on an idle association). Default 60 s.
    /// </summary>
    public TimeSpan DimseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>TCP connect timeout of an SCU. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest command set accepted (bytes); command sets are a few hundred bytes. Default 64 KiB.</summary>
    public int MaxCommandLength { get; init; } = 64 * 1024;

    /// <summary>
    /// Largest data set held in memory (C-FIND identifiers and responses; C-STORE data sets go to disk instead).
    /// Default 4 MiB.
    /// </summary>
    public int MaxInMemoryDatasetLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>Implementation Version Name sent in the A-ASSOCIATE.</summary>
    public string ImplementationVersionName { get; init; } = ImageGuideImplementationVersion;

    /// <summary>
    /// Transfer syntaxes ImageGuide reads (README, "DICOM support"), in its order of preference for uncompressed data.
    /// </summary>
    public static IReadOnlyList<string> ReadableTransferSyntaxes { get; } =
    [
        TransferSyntaxNames.ExplicitVRLittleEndian,
        TransferSyntaxNames.ImplicitVRLittleEndian,
        TransferSyntaxNames.DeflatedExplicitVRLittleEndian,
        TransferSyntaxNames.ExplicitVRBigEndian,
        TransferSyntaxNames.EncapsulatedUncompressedExplicitVRLittleEndian,
        TransferSyntaxNames.RleLossless,
        TransferSyntaxNames.JpegBaseline,
        TransferSyntaxNames.JpegExtended,
        TransferSyntaxNames.JpegLossless,
        TransferSyntaxNames.JpegLosslessSV1,
        TransferSyntaxNames.JpegLsLossless,
        TransferSyntaxNames.JpegLsNearLossless,
        TransferSyntaxNames.Jpeg2000Lossless,
        TransferSyntaxNames.Jpeg2000,
    ];

    /// <summary>Checks the settings' ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit or timeout is out of range.</exception>
    public void Validate()
    {
        if (MaxPduLength is < 4096 or > 64 * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxPduLength), MaxPduLength, "must lie in [4 KiB, 64 MiB]");
        foreach (var (name, t) in new[] { (nameof(ArtimTimeout), ArtimTimeout), (nameof(DimseTimeout), DimseTimeout), (nameof(ConnectTimeout), ConnectTimeout) })
            if (t <= TimeSpan.Zero || t > TimeSpan.FromDays(1)) throw new ArgumentOutOfRangeException(name, t, "must lie in (0, 1 day]");
        if (MaxCommandLength < 1024) throw new ArgumentOutOfRangeException(nameof(MaxCommandLength), MaxCommandLength, "must be at least 1 KiB");
        if (MaxInMemoryDatasetLength < 1024) throw new ArgumentOutOfRangeException(nameof(MaxInMemoryDatasetLength), MaxInMemoryDatasetLength, "must be at least 1 KiB");
    }

    /// <summary>Checks an AE title: 1–16 characters of printable ASCII other than backslash, not all spaces (PS3.5 §6.2).</summary>
    /// <exception cref="ArgumentException">It is not a valid AE title.</exception>
    public static void ValidateAeTitle(string aeTitle, string name = "aeTitle")
    {
        ArgumentNullException.ThrowIfNull(aeTitle, name);
        string t = aeTitle.Trim(' ');
        if (t.Length is 0 or > 16) throw new ArgumentException($"AE title '{aeTitle}' must hold 1–16 characters (not only spaces)", name);
        foreach (char c in t)
            if (c < 0x20 || c > 0x7E || c == '\\') throw new ArgumentException($"AE title '{aeTitle}' holds '{c}'; use printable ASCII without backslash", name);
    }
}
