namespace ImageGuide.Dicom;

/// <summary>What <see cref="DicomElementReader.Read"/> has just read.</summary>
public enum DicomTokenType : byte
{
    /// <summary>Nothing read yet, or the end of the data was reached.</summary>
    None,

    /// <summary>A data element with a value of defined length (not a sequence).</summary>
    Element,

    /// <summary>The header of a sequence (SQ, or UN of undefined length parsed as a sequence).</summary>
    StartSequence,

    /// <summary>The end of a sequence (its defined length used up, or a sequence delimitation item).</summary>
    EndSequence,

    /// <summary>The start of an item of a sequence; the item's elements follow.</summary>
    StartItem,

    /// <summary>The end of an item (its defined length used up, or an item delimitation item).</summary>
    EndItem,

    /// <summary>The header of encapsulated pixel data (undefined-length (7FE0,0010)); fragments follow.</summary>
    StartFragments,

    /// <summary>One item of encapsulated pixel data: the Basic Offset Table first, then compressed fragments.</summary>
    Fragment,

    /// <summary>The sequence delimitation item that ends encapsulated pixel data.</summary>
    EndFragments,
}
