namespace ImageGuide.Dicom;

/// <summary>
/// A DICOM value representation: the two-letter code that says how a value is encoded. Unknown codes read from
/// a file are kept as they are (<see cref="IsKnown"/> is then false).
/// </summary>
public readonly struct DicomVR : IEquatable<DicomVR>
{
    private readonly ushort _code;

    private DicomVR(char first, char second) => _code = (ushort)((first << 8) | second);

    private DicomVR(ushort code) => _code = code;

    /// <summary>Application Entity.</summary>
    public static DicomVR AE { get; } = new('A', 'E');
    /// <summary>Age String.</summary>
    public static DicomVR AS { get; } = new('A', 'S');
    /// <summary>Attribute Tag.</summary>
    public static DicomVR AT { get; } = new('A', 'T');
    /// <summary>Code String.</summary>
    public static DicomVR CS { get; } = new('C', 'S');
    /// <summary>Date.</summary>
    public static DicomVR DA { get; } = new('D', 'A');
    /// <summary>Decimal String.</summary>
    public static DicomVR DS { get; } = new('D', 'S');
    /// <summary>Date Time.</summary>
    public static DicomVR DT { get; } = new('D', 'T');
    /// <summary>Floating Point Double.</summary>
    public static DicomVR FD { get; } = new('F', 'D');
    /// <summary>Floating Point Single.</summary>
    public static DicomVR FL { get; } = new('F', 'L');
    /// <summary>Integer String.</summary>
    public static DicomVR IS { get; } = new('I', 'S');
    /// <summary>Long String.</summary>
    public static DicomVR LO { get; } = new('L', 'O');
    /// <summary>Long Text.</summary>
    public static DicomVR LT { get; } = new('L', 'T');
    /// <summary>Other Byte.</summary>
    public static DicomVR OB { get; } = new('O', 'B');
    /// <summary>Other Double.</summary>
    public static DicomVR OD { get; } = new('O', 'D');
    /// <summary>Other Float.</summary>
    public static DicomVR OF { get; } = new('O', 'F');
    /// <summary>Other Long.</summary>
    public static DicomVR OL { get; } = new('O', 'L');
    /// <summary>Other 64-bit Very Long.</summary>
    public static DicomVR OV { get; } = new('O', 'V');
    /// <summary>Other Word.</summary>
    public static DicomVR OW { get; } = new('O', 'W');
    /// <summary>Person Name.</summary>
    public static DicomVR PN { get; } = new('P', 'N');
    /// <summary>Short String.</summary>
    public static DicomVR SH { get; } = new('S', 'H');
    /// <summary>Signed Long.</summary>
    public static DicomVR SL { get; } = new('S', 'L');
    /// <summary>Sequence of Items.</summary>
    public static DicomVR SQ { get; } = new('S', 'Q');
    /// <summary>Signed Short.</summary>
    public static DicomVR SS { get; } = new('S', 'S');
    /// <summary>Short Text.</summary>
    public static DicomVR ST { get; } = new('S', 'T');
    /// <summary>Signed 64-bit Very Long.</summary>
    public static DicomVR SV { get; } = new('S', 'V');
    /// <summary>Time.</summary>
    public static DicomVR TM { get; } = new('T', 'M');
    /// <summary>Unlimited Characters.</summary>
    public static DicomVR UC { get; } = new('U', 'C');
    /// <summary>Unique Identifier.</summary>
    public static DicomVR UI { get; } = new('U', 'I');
    /// <summary>Unsigned Long.</summary>
    public static DicomVR UL { get; } = new('U', 'L');
    /// <summary>Unknown.</summary>
    public static DicomVR UN { get; } = new('U', 'N');
    /// <summary>Universal Resource Identifier.</summary>
    public static DicomVR UR { get; } = new('U', 'R');
    /// <summary>Unsigned Short.</summary>
    public static DicomVR US { get; } = new('U', 'S');
    /// <summary>Unlimited Text.</summary>
    public static DicomVR UT { get; } = new('U', 'T');
    /// <summary>Unsigned 64-bit Very Long.</summary>
    public static DicomVR UV { get; } = new('U', 'V');

    /// <summary>The VR of a value that has none (an item, a delimiter, a fragment).</summary>
    public static DicomVR None => default;

    /// <summary>The two-character code, for example <c>"DS"</c>; empty for <see cref="None"/>.</summary>
    public string Code => _code == 0 ? string.Empty : new string([(char)(_code >> 8), (char)(_code & 0xFF)]);

    /// <summary>True for the 34 value representations defined by the standard.</summary>
    public bool IsKnown => IsKnownCode(_code);

    /// <summary>
    /// True when explicit VR encoding gives this VR a 2-byte reserved field and a 4-byte length
    /// (OB OD OF OL OV OW SQ SV UC UN UR UT UV); false for the 2-byte-length VRs.
    /// </summary>
    public bool HasLongLength => _code switch
    {
        0x4F42 or 0x4F44 or 0x4F46 or 0x4F4C or 0x4F56 or 0x4F57 // OB OD OF OL OV OW
            or 0x5351 or 0x5356 // SQ SV
            or 0x5543 or 0x554E or 0x5552 or 0x5554 or 0x5556 => true, // UC UN UR UT UV
        _ => false,
    };

    /// <summary>True for VRs whose value is character text (AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT).</summary>
    public bool IsText => _code switch
    {
        0x4145 or 0x4153 or 0x4353 or 0x4441 or 0x4453 or 0x4454 or 0x4953 or 0x4C4F or 0x4C54
            or 0x504E or 0x5348 or 0x5354 or 0x544D or 0x5543 or 0x5549 or 0x5552 or 0x5554 => true,
        _ => false,
    };

    /// <summary>True for text VRs whose bytes depend on Specific Character Set (LO LT PN SH ST UC UT).</summary>
    public bool UsesSpecificCharacterSet => _code switch
    {
        0x4C4F or 0x4C54 or 0x504E or 0x5348 or 0x5354 or 0x5543 or 0x5554 => true,
        _ => false,
    };

    /// <summary>True for text VRs in which a backslash is a character, not a value separator (LT ST UT UR).</summary>
    public bool IsSingleValuedText => _code is 0x4C54 or 0x5354 or 0x5554 or 0x5552;

    /// <summary>
    /// Size in bytes of one binary value (2 for US/SS/OW/AT halves, 4 for UL/SL/FL/OF/OL, 8 for FD/OD/SV/UV/OV);
    /// 1 for byte data and text, which have no byte order.
    /// </summary>
    public int BinaryUnitSize => _code switch
    {
        0x5553 or 0x5353 or 0x4F57 or 0x4154 => 2, // US SS OW AT
        0x554C or 0x534C or 0x464C or 0x4F46 or 0x4F4C => 4, // UL SL FL OF OL
        0x4644 or 0x4F44 or 0x5356 or 0x5556 or 0x4F56 => 8, // FD OD SV UV OV
        _ => 1,
    };

    /// <summary>Reads a VR from the two code bytes of an explicit-VR element header.</summary>
    public static DicomVR FromBytes(byte first, byte second) => new((ushort)((first << 8) | second));

    /// <summary>Parses a two-letter code such as <c>"US"</c>; returns false when it is not a known VR.</summary>
    public static bool TryParse(string? code, out DicomVR vr)
    {
        vr = default;
        if (code is null || code.Length != 2 || code[0] > 0x7F || code[1] > 0x7F) return false;
        var candidate = new DicomVR(code[0], code[1]);
        if (!candidate.IsKnown) return false;
        vr = candidate;
        return true;
    }

    private static bool IsKnownCode(ushort code) => code switch
    {
        0x4145 or 0x4153 or 0x4154 or 0x4353 or 0x4441 or 0x4453 or 0x4454 or 0x4644 or 0x464C or 0x4953
            or 0x4C4F or 0x4C54 or 0x4F42 or 0x4F44 or 0x4F46 or 0x4F4C or 0x4F56 or 0x4F57 or 0x504E
            or 0x5348 or 0x534C or 0x5351 or 0x5353 or 0x5354 or 0x5356 or 0x544D or 0x5543 or 0x5549
            or 0x554C or 0x554E or 0x5552 or 0x5553 or 0x5554 or 0x5556 => true,
        _ => false,
    };

    /// <summary>The two-character code, or <c>"??"</c>-style hex for codes that are not printable.</summary>
    public override string ToString()
    {
        if (_code == 0) return "--";
        char a = (char)(_code >> 8), b = (char)(_code & 0xFF);
        return a is >= ' ' and < (char)0x7F && b is >= ' ' and < (char)0x7F ? Code : $"0x{_code:X4}";
    }

    /// <inheritdoc />
    public bool Equals(DicomVR other) => _code == other._code;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DicomVR other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _code;

    /// <summary>True when both VRs are the same.</summary>
    public static bool operator ==(DicomVR left, DicomVR right) => left.Equals(right);

    /// <summary>True when the VRs differ.</summary>
    public static bool operator !=(DicomVR left, DicomVR right) => !left.Equals(right);
}
