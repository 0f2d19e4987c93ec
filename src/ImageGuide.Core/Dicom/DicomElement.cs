namespace ImageGuide.Dicom;

/// <summary>
/// One data element of a <see cref="DicomDataset"/>: its tag, VR and value bytes, the items of a sequence, or
/// the fragments of encapsulated pixel data. Immutable.
/// </summary>
public sealed class DicomElement
{
    private static readonly IReadOnlyList<DicomDataset> NoItems = Array.Empty<DicomDataset>();
    private static readonly IReadOnlyList<ReadOnlyMemory<byte>> NoFragments = Array.Empty<ReadOnlyMemory<byte>>();

    internal DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value, uint length, long valueOffset,
        IReadOnlyList<DicomDataset>? items = null, IReadOnlyList<ReadOnlyMemory<byte>>? fragments = null,
        bool isByteOrderNormalized = true)
    {
        Tag = tag;
        VR = vr;
        Value = value;
        Length = length;
        ValueOffset = valueOffset;
        Items = items ?? NoItems;
        Fragments = fragments ?? NoFragments;
        IsSequence = items is not null;
        IsEncapsulated = fragments is not null;
        IsByteOrderNormalized = isByteOrderNormalized;
    }

    /// <summary>The element's tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The VR as written (explicit VR) or looked up in the dictionary (implicit VR; UN when unknown).</summary>
    public DicomVR VR { get; }

    /// <summary>
    /// The value bytes. Binary values are little endian even when the file is big endian (they are swapped on
    /// reading), except the top-level Pixel Data, which keeps the file's byte order (see
    /// <see cref="IsByteOrderNormalized"/>); <see cref="DicomPixelData"/> decodes it. Empty for sequences,
    /// encapsulated pixel data, and pixel data that a header-only read did not load.
    /// </summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The length field as written (0xFFFFFFFF for undefined length).</summary>
    public uint Length { get; }

    /// <summary>Absolute byte offset of the value in the file (in the inflated data set for deflated files).</summary>
    public long ValueOffset { get; }

    /// <summary>True for a sequence (SQ, or UN of undefined length read as a sequence).</summary>
    public bool IsSequence { get; }

    /// <summary>The items of a sequence, in order; empty for other elements.</summary>
    public IReadOnlyList<DicomDataset> Items { get; }

    /// <summary>True for encapsulated (compressed) pixel data.</summary>
    public bool IsEncapsulated { get; }

    /// <summary>
    /// The items of encapsulated pixel data as read: the Basic Offset Table first (possibly empty), then the
    /// compressed fragments. Empty when not encapsulated or when a header-only read stopped before them.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Fragments { get; }

    /// <summary>Absolute byte offset of the element's header (its tag).</summary>
    internal long HeaderOffset { get; init; }

    /// <summary>False only when <see cref="Value"/> keeps a big endian file's byte order (top-level Pixel Data).</summary>
    public bool IsByteOrderNormalized { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} length {(Length == 0xFFFFFFFF ? "undefined" : Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}
