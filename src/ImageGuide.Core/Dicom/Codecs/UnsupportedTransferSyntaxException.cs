namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Pixel data encoded with a transfer syntax that no registered codec decodes. The message names the
/// syntax and says how to get past it (convert the files to uncompressed, or register a codec).
/// </summary>
public class UnsupportedTransferSyntaxException : UnsupportedFormatException
{
    /// <summary>Creates the exception for <paramref name="transferSyntaxUid"/> with the standard message.</summary>
    public UnsupportedTransferSyntaxException(string transferSyntaxUid)
        : this(transferSyntaxUid, TransferSyntaxNames.GetName(transferSyntaxUid))
    {
    }

    private UnsupportedTransferSyntaxException(string uid, string? name)
        : base(BuildMessage(uid, name))
    {
        TransferSyntaxUid = uid;
        TransferSyntaxName = name ?? "unknown transfer syntax";
    }

    /// <summary>The transfer syntax UID that could not be decoded.</summary>
    public string TransferSyntaxUid { get; }

    /// <summary>The syntax's name from PS3.6 when known, otherwise "unknown transfer syntax".</summary>
    public string TransferSyntaxName { get; }

    private static string BuildMessage(string uid, string? name)
    {
        const string wayOut = "Convert the files to uncompressed first (gdcmconv --raw IN OUT, or dcmdjpeg / dcmdrle), "
            + "or register a codec for this syntax with DicomCodecRegistry.Register.";
        if (name is null)
            return $"Transfer syntax {uid} is not a transfer syntax ImageGuide knows (not in PS3.6), so its pixel data "
                + "cannot be decoded. Check the file's (0002,0010) TransferSyntaxUID; if it is a private compressed syntax, "
                + wayOut;
        if (TransferSyntaxNames.IsNative(uid))
            return $"Transfer syntax {uid} ({name}) stores uncompressed pixel data and needs no codec: read the native "
                + "Pixel Data directly instead of asking the codec registry.";
        return $"Transfer syntax {uid} ({name}) is not decoded by ImageGuide's built-in codecs. " + wayOut;
    }
}
