using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom;

/// <summary>How a data set is encoded: VR explicit or implicit, byte order, deflated or not.</summary>
internal readonly record struct DicomEncoding(bool ExplicitVr, bool LittleEndian, bool Deflated)
{
    public static DicomEncoding ImplicitLittle => new(false, true, false);

    public static DicomEncoding ExplicitLittle => new(true, true, false);

    public static DicomEncoding ExplicitBig => new(true, false, false);

    /// <summary>
    /// The data set encoding of a transfer syntax. Syntaxes other than the native ones (compressed, or unknown)
    /// use Explicit VR Little Endian for the data set, as PS3.5 §10 requires of every encapsulated syntax.
    /// </summary>
    public static DicomEncoding FromTransferSyntax(string uid) => uid switch
    {
        TransferSyntaxNames.ImplicitVRLittleEndian or "1.2.840.10008.1.20" => ImplicitLittle,
        TransferSyntaxNames.ExplicitVRBigEndian => ExplicitBig,
        TransferSyntaxNames.DeflatedExplicitVRLittleEndian => new(true, true, true),
        _ => ExplicitLittle,
    };

    /// <summary>The transfer syntax UID this (guessed) encoding corresponds to.</summary>
    public string TransferSyntaxUid =>
        !ExplicitVr ? TransferSyntaxNames.ImplicitVRLittleEndian
        : LittleEndian ? TransferSyntaxNames.ExplicitVRLittleEndian
        : TransferSyntaxNames.ExplicitVRBigEndian;

    /// <summary>
    /// Guesses the encoding of a data set from its first element, as pydicom does for files without a
    /// transfer syntax: a group number that reads small in big endian but not in little endian means big
    /// endian; two upper-case letters forming a known VR in bytes 4–5 mean explicit VR.
    /// </summary>
    public static DicomEncoding Guess(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8) return ImplicitLittle;
        int groupLittle = data[0] | (data[1] << 8);
        int groupBig = (data[0] << 8) | data[1];
        bool little = !(groupLittle > 0x00FF && groupBig <= 0x00FF);
        bool explicitVr = DicomVR.FromBytes(data[4], data[5]).IsKnown;
        return new DicomEncoding(explicitVr, little, false);
    }
}
