using System.Text;

namespace ImageGuide.Dicom;

/// <summary>
/// Decodes the text of a data set according to its Specific Character Set (0008,0005). Single-byte character
/// sets and UTF-8 / GB18030 / GBK are supported; ISO 2022 code extensions (several character sets switched by
/// escape sequences) and unknown defined terms are not: their text is decoded as ASCII with U+FFFD for other
/// bytes and a warning is recorded.
/// </summary>
internal sealed class DicomCharset
{
    /// <summary>
    /// The default repertoire. Strictly ISO 646 (ASCII); bytes above 0x7F are decoded as Latin-1, as pydicom and
    /// most viewers do, so that mislabelled Latin-1 text still reads.
    /// </summary>
    public static DicomCharset Default { get; } = new(Encoding.Latin1, "ISO_IR 6");

    private static readonly Encoding AsciiWithReplacement =
        Encoding.GetEncoding("us-ascii", EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));

    private readonly Encoding _encoding;

    private DicomCharset(Encoding encoding, string name)
    {
        _encoding = encoding;
        Name = name;
    }

    /// <summary>The Specific Character Set value this charset came from.</summary>
    public string Name { get; }

    /// <summary>Decodes <paramref name="bytes"/> to a string; never throws.</summary>
    public string Decode(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? string.Empty : _encoding.GetString(bytes);

    /// <summary>
    /// The charset for the values of (0008,0005). Returns <see cref="Default"/> for an empty value; for an
    /// unsupported value returns an ASCII decoder and sets <paramref name="warning"/>.
    /// </summary>
    public static DicomCharset FromSpecificCharacterSet(IReadOnlyList<string> terms, out string? warning)
    {
        warning = null;
        string? chosen = null;
        foreach (string raw in terms)
        {
            string term = raw.Trim();
            if (term.Length == 0 || term is "ISO_IR 6" or "ISO 2022 IR 6") continue;
            if (chosen is not null && chosen != term)
            {
                warning = $"Specific Character Set '{string.Join('\\', terms)}' uses ISO 2022 code extensions, which ImageGuide does not decode; text was read as ASCII with U+FFFD for other bytes.";
                return new DicomCharset(AsciiWithReplacement, string.Join('\\', terms));
            }
            chosen = term;
        }
        if (chosen is null) return Default;
        Encoding? encoding = Resolve(chosen);
        if (encoding is null)
        {
            warning = $"Specific Character Set '{string.Join('\\', terms)}' is not supported; text was read as ASCII with U+FFFD for other bytes.";
            return new DicomCharset(AsciiWithReplacement, chosen);
        }
        return new DicomCharset(encoding, chosen);
    }

    private static Encoding? Resolve(string term)
    {
        int codePage = term switch
        {
            "ISO_IR 100" or "ISO 2022 IR 100" => 28591,
            "ISO_IR 101" or "ISO 2022 IR 101" => 28592,
            "ISO_IR 109" or "ISO 2022 IR 109" => 28593,
            "ISO_IR 110" or "ISO 2022 IR 110" => 28594,
            "ISO_IR 144" or "ISO 2022 IR 144" => 28595,
            "ISO_IR 127" or "ISO 2022 IR 127" => 28596,
            "ISO_IR 126" or "ISO 2022 IR 126" => 28597,
            "ISO_IR 138" or "ISO 2022 IR 138" => 28598,
            "ISO_IR 148" or "ISO 2022 IR 148" => 28599,
            "ISO_IR 203" or "ISO 2022 IR 203" => 28605,
            "ISO_IR 166" or "ISO 2022 IR 166" => 874,
            "ISO_IR 192" => 65001,
            "GB18030" => 54936,
            "GBK" => 936,
            _ => 0,
        };
        return codePage switch
        {
            0 => null,
            28591 => Encoding.Latin1,
            65001 => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
            _ => CodePagesEncodingProvider.Instance.GetEncoding(codePage),
        };
    }
}
