namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Maps transfer syntax UIDs to the <see cref="IDicomCodec"/> that decodes them. An instance, not global
/// state: create one with <see cref="CreateDefault"/> (the built-in codecs) or empty, and
/// <see cref="Register"/> further codecs, e.g. a GDCM-backed one that overrides the built-ins for its syntaxes.
/// Registration is meant for start-up; once configured, lookups may run concurrently from many threads.
/// </summary>
public sealed class DicomCodecRegistry
{
    private readonly Dictionary<string, IDicomCodec> _codecs = new(StringComparer.Ordinal);

    /// <summary>
    /// A registry holding ImageGuide's built-in codecs, all managed code: RLE Lossless, JPEG Lossless (Process 14
    /// and SV1), JPEG Baseline (Process 1) and Extended (Processes 2 &amp; 4, 8- and 12-bit, sequential or progressive
    /// Huffman), JPEG-LS (lossless and near-lossless), JPEG 2000 Part 1 (lossless and lossy) and Encapsulated
    /// Uncompressed Explicit VR Little Endian.
    /// </summary>
    public static DicomCodecRegistry CreateDefault()
    {
        var registry = new DicomCodecRegistry();
        registry.Register(new RleLosslessCodec());
        registry.Register(new JpegLosslessCodec());
        registry.Register(new JpegBaselineCodec());
        registry.Register(new JpegLsCodec());
        registry.Register(new EncapsulatedUncompressedCodec());
        registry.Register(new Jpeg2000Codec());
        registry.Register(new HtJpeg2000Codec());
        return registry;
    }

    /// <summary>
    /// The built-in codecs, created once and shared by every read without a registry of its own; internal so that
    /// nobody can register into it (create your own with <see cref="CreateDefault"/>).
    /// </summary>
    internal static DicomCodecRegistry BuiltIn { get; } = CreateDefault();

    /// <summary>The transfer syntax UIDs that currently have a codec.</summary>
    public IReadOnlyCollection<string> SupportedTransferSyntaxes => _codecs.Keys;

    /// <summary>
    /// Registers <paramref name="codec"/> for every UID in its <see cref="IDicomCodec.TransferSyntaxUids"/>,
    /// replacing any codec registered earlier (built-in or not) for those UIDs.
    /// </summary>
    public void Register(IDicomCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (codec.TransferSyntaxUids is null)
            throw new ArgumentException($"Codec '{codec.Name}' lists no transfer syntaxes.", nameof(codec));
        foreach (string uid in codec.TransferSyntaxUids)
        {
            if (string.IsNullOrWhiteSpace(uid))
                throw new ArgumentException($"Codec '{codec.Name}' lists an empty transfer syntax UID.", nameof(codec));
            _codecs[TransferSyntaxNames.Normalize(uid)] = codec;
        }
    }

    /// <summary>Looks up the codec for <paramref name="transferSyntaxUid"/>; false when none is registered.</summary>
    public bool TryGetCodec(string transferSyntaxUid, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out IDicomCodec codec)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        return _codecs.TryGetValue(TransferSyntaxNames.Normalize(transferSyntaxUid), out codec);
    }

    /// <summary>
    /// The codec for <paramref name="transferSyntaxUid"/>.
    /// </summary>
    /// <exception cref="UnsupportedTransferSyntaxException">
    /// No codec is registered for the syntax; the message names it and says how to convert the files or
    /// which registration would decode them.
    /// </exception>
    public IDicomCodec GetCodec(string transferSyntaxUid)
    {
        if (TryGetCodec(transferSyntaxUid, out IDicomCodec? codec)) return codec;
        throw new UnsupportedTransferSyntaxException(TransferSyntaxNames.Normalize(transferSyntaxUid));
    }
}
