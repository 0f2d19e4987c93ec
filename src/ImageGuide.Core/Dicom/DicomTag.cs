using System.Globalization;

namespace ImageGuide.Dicom;

/// <summary>A DICOM attribute tag: (group, element), ordered as the standard orders data elements.</summary>
public readonly struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element)
    {
        Group = group;
        Element = element;
    }

    /// <summary>Group number (first half of the tag).</summary>
    public ushort Group { get; }

    /// <summary>Element number (second half of the tag).</summary>
    public ushort Element { get; }

    /// <summary>The tag as one 32-bit number, group in the high half (the order of elements in a data set).</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>True for private tags (odd group number).</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>True for private creator tags: odd group, element 0x0010–0x00FF.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>Creates a tag from its 32-bit value (group in the high half).</summary>
    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)value);

    /// <summary>Formats the tag as the standard writes it, for example <c>(0020,0032)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <inheritdoc />
    public bool Equals(DicomTag other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DicomTag other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Value;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>True when both tags are the same.</summary>
    public static bool operator ==(DicomTag left, DicomTag right) => left.Equals(right);

    /// <summary>True when the tags differ.</summary>
    public static bool operator !=(DicomTag left, DicomTag right) => !left.Equals(right);

    /// <summary>True when <paramref name="left"/> sorts before <paramref name="right"/>.</summary>
    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    /// <summary>True when <paramref name="left"/> sorts after <paramref name="right"/>.</summary>
    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    /// <summary>True when <paramref name="left"/> sorts before or equals <paramref name="right"/>.</summary>
    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    /// <summary>True when <paramref name="left"/> sorts after or equals <paramref name="right"/>.</summary>
    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;
}
