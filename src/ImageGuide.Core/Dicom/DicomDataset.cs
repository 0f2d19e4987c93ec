using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ImageGuide.Dicom;

/// <summary>
/// A DICOM data set (the top-level one of a file, the file meta group, or an item of a sequence): its elements
/// by tag, with typed getters that parse text and binary values. Immutable once read and safe to share between
/// threads.
/// </summary>
/// <remarks>
/// Text of LO, LT, PN, SH, ST, UC and UT is decoded with the data set's Specific Character Set (0008,0005),
/// inherited by sequence items that do not carry their own. Elements read as UN whose tag is in ImageGuide's
/// dictionary are interpreted with the dictionary VR.
/// </remarks>
public sealed class DicomDataset
{
    private readonly List<DicomElement> _elements = new();
    private readonly Dictionary<DicomTag, DicomElement> _byTag = new();
    private readonly List<string> _warnings;

    internal DicomDataset(string? filePath, DicomCharset charset, List<string> warnings)
    {
        FilePath = filePath;
        Charset = charset;
        _warnings = warnings;
    }

    /// <summary>The file this data set was read from, when known (used in error messages).</summary>
    public string? FilePath { get; }

    /// <summary>The elements in the order they were read.</summary>
    public IReadOnlyList<DicomElement> Elements => _elements;

    /// <summary>Number of elements (sequence items count as one element of their sequence).</summary>
    public int Count => _elements.Count;

    /// <summary>
    /// Problems that did not stop reading (for example an unsupported Specific Character Set), shared by the
    /// file's data sets.
    /// </summary>
    public IReadOnlyList<string> Warnings => _warnings;

    internal DicomCharset Charset { get; private set; }

    internal List<string> WarningList => _warnings;

    internal void Add(DicomElement element)
    {
        if (_byTag.TryAdd(element.Tag, element))
            _elements.Add(element);
        else
            _warnings.Add($"element {element.Tag} at byte {element.ValueOffset} appears twice in one data set; the first value was kept.");
    }

    internal void SetCharset(DicomCharset charset) => Charset = charset;

    /// <summary>True when the data set has an element with this tag.</summary>
    public bool Contains(DicomTag tag) => _byTag.ContainsKey(tag);

    /// <summary>The element with this tag, if present.</summary>
    public bool TryGetElement(DicomTag tag, [NotNullWhen(true)] out DicomElement? element) =>
        _byTag.TryGetValue(tag, out element);

    /// <summary>
    /// The whole text value, with the padding its VR allows removed (trailing spaces and NULs; leading spaces too
    /// except for LT, ST, UT and UR). Multiple values stay joined by backslashes; see <see cref="TryGetStrings"/>.
    /// False when the element is absent, is not text, or is empty.
    /// </summary>
    public bool TryGetString(DicomTag tag, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (!TryGetText(tag, out string? text, out DicomVR vr)) return false;
        value = vr.IsSingleValuedText ? text.TrimEnd(' ', '\0') : text.Trim(' ', '\0');
        return value.Length > 0;
    }

    /// <summary>The text value as <see cref="TryGetString"/> gives it.</summary>
    /// <exception cref="DicomException">The element is absent, empty or not text.</exception>
    public string GetString(DicomTag tag) =>
        TryGetString(tag, out string? value) ? value : throw Missing(tag, "a text value");

    /// <summary>
    /// The values of a text element, split on backslashes (except for LT, ST, UT and UR, which hold one value)
    /// and each trimmed of its padding. False when the element is absent, not text, or empty.
    /// </summary>
    public bool TryGetStrings(DicomTag tag, [NotNullWhen(true)] out string[]? values)
    {
        values = null;
        if (!TryGetText(tag, out string? text, out DicomVR vr)) return false;
        if (vr.IsSingleValuedText)
        {
            string single = text.TrimEnd(' ', '\0');
            if (single.Length == 0) return false;
            values = [single];
            return true;
        }
        if (text.Trim(' ', '\0').Length == 0) return false;
        values = text.Split('\\');
        for (int i = 0; i < values.Length; i++) values[i] = values[i].Trim(' ', '\0');
        return true;
    }

    /// <summary>
    /// The first numeric value: parsed from DS or IS text (invariant culture, surrounding spaces allowed), or
    /// read from US, SS, UL, SL, SV, UV, FL or FD binary values.
    /// </summary>
    public bool TryGetDouble(DicomTag tag, out double value)
    {
        value = 0;
        if (!TryGetDoubles(tag, out double[]? values) || values.Length == 0) return false;
        value = values[0];
        return true;
    }

    /// <summary>The first numeric value as <see cref="TryGetDouble"/> reads it.</summary>
    /// <exception cref="DicomException">The element is absent, empty or not numeric.</exception>
    public double GetDouble(DicomTag tag) =>
        TryGetDouble(tag, out double value) ? value : throw Missing(tag, "a numeric value");

    /// <summary>
    /// All numeric values (see <see cref="TryGetDouble"/>). False when the element is absent or empty, or when any
    /// text value is not a number.
    /// </summary>
    public bool TryGetDoubles(DicomTag tag, [NotNullWhen(true)] out double[]? values)
    {
        values = null;
        if (!_byTag.TryGetValue(tag, out DicomElement? element) || element.IsSequence) return false;
        DicomVR vr = EffectiveVR(element);
        ReadOnlySpan<byte> bytes = element.Value.Span;
        if (vr == DicomVR.DS || vr == DicomVR.IS)
        {
            if (!TryGetStrings(tag, out string[]? parts)) return false;
            var result = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                    return false;
            values = result;
            return true;
        }
        int unit = vr.BinaryUnitSize;
        if (unit == 1 || vr == DicomVR.AT || vr == DicomVR.OW || vr == DicomVR.OF || vr == DicomVR.OD
            || vr == DicomVR.OL || vr == DicomVR.OV)
            return false;
        int count = bytes.Length / unit;
        if (count == 0) return false;
        values = new double[count];
        for (int i = 0; i < count; i++) values[i] = ReadBinary(vr, bytes.Slice(i * unit, unit));
        return true;
    }

    /// <summary>
    /// The first value as an integer: from IS text (a whole number written with a decimal point, such as "1.0",
    /// is accepted), or from US, SS, UL, SL, SV or UV binary values. False when absent, empty, not an integer, or
    /// out of the <see cref="int"/> range.
    /// </summary>
    public bool TryGetInt(DicomTag tag, out int value)
    {
        value = 0;
        if (!_byTag.TryGetValue(tag, out DicomElement? element) || element.IsSequence) return false;
        DicomVR vr = EffectiveVR(element);
        if (vr == DicomVR.IS)
        {
            if (!TryGetStrings(tag, out string[]? parts)) return false;
            if (int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out value)) return true;
            // Writers sometimes put "1.0" in an IS; like pydicom, accept it when the number is a whole one.
            if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                || d != Math.Floor(d) || d < int.MinValue || d > int.MaxValue) return false;
            value = (int)d;
            return true;
        }
        if (vr == DicomVR.FL || vr == DicomVR.FD || vr == DicomVR.DS) return false;
        if (!TryGetDoubles(tag, out double[]? values)) return false;
        double v = values[0];
        if (v < int.MinValue || v > int.MaxValue) return false;
        value = (int)v;
        return true;
    }

    /// <summary>The first value as an integer, as <see cref="TryGetInt"/> reads it.</summary>
    /// <exception cref="DicomException">The element is absent, empty or not an integer.</exception>
    public int GetInt(DicomTag tag) =>
        TryGetInt(tag, out int value) ? value : throw Missing(tag, "an integer value");

    /// <summary>The first value as an unsigned 16-bit integer (US, or any integer value in 0..65535).</summary>
    public bool TryGetUInt16(DicomTag tag, out ushort value)
    {
        value = 0;
        if (!TryGetInt(tag, out int v) || v < 0 || v > ushort.MaxValue) return false;
        value = (ushort)v;
        return true;
    }

    /// <summary>The first value as an unsigned 16-bit integer, as <see cref="TryGetUInt16"/> reads it.</summary>
    /// <exception cref="DicomException">The element is absent, empty or not in 0..65535.</exception>
    public ushort GetUInt16(DicomTag tag) =>
        TryGetUInt16(tag, out ushort value) ? value : throw Missing(tag, "an unsigned 16-bit value");

    /// <summary>The items of a sequence element. False when absent or not a sequence; an empty sequence gives an empty list.</summary>
    public bool TryGetSequence(DicomTag tag, [NotNullWhen(true)] out IReadOnlyList<DicomDataset>? items)
    {
        items = null;
        if (!_byTag.TryGetValue(tag, out DicomElement? element) || !element.IsSequence) return false;
        items = element.Items;
        return true;
    }

    private bool TryGetText(DicomTag tag, [NotNullWhen(true)] out string? text, out DicomVR vr)
    {
        text = null;
        vr = default;
        if (!_byTag.TryGetValue(tag, out DicomElement? element) || element.IsSequence) return false;
        vr = EffectiveVR(element);
        if (!vr.IsText && vr != DicomVR.UN) return false;
        ReadOnlySpan<byte> bytes = element.Value.Span;
        text = vr.UsesSpecificCharacterSet || vr == DicomVR.UN ? Charset.Decode(bytes) : DicomCharset.Default.Decode(bytes);
        return true;
    }

    private static DicomVR EffectiveVR(DicomElement element)
    {
        if (element.VR != DicomVR.UN) return element.VR;
        return DicomDictionary.LookupVR(element.Tag);
    }

    private static double ReadBinary(DicomVR vr, ReadOnlySpan<byte> b)
    {
        if (vr == DicomVR.US) return BinaryPrimitives.ReadUInt16LittleEndian(b);
        if (vr == DicomVR.SS) return BinaryPrimitives.ReadInt16LittleEndian(b);
        if (vr == DicomVR.UL) return BinaryPrimitives.ReadUInt32LittleEndian(b);
        if (vr == DicomVR.SL) return BinaryPrimitives.ReadInt32LittleEndian(b);
        if (vr == DicomVR.FL) return BinaryPrimitives.ReadSingleLittleEndian(b);
        if (vr == DicomVR.FD) return BinaryPrimitives.ReadDoubleLittleEndian(b);
        if (vr == DicomVR.SV) return BinaryPrimitives.ReadInt64LittleEndian(b);
        return BinaryPrimitives.ReadUInt64LittleEndian(b); // UV
    }

    private DicomException Missing(DicomTag tag, string what) =>
        new(Contains(tag)
                ? $"element {tag} does not hold {what}; check the file against the modality's IOD."
                : $"required element {tag} is missing; check that the file is the kind of DICOM object expected.",
            FilePath, tag);
}
