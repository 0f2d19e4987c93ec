namespace ImageGuide.Phantoms;

/// <summary>Clinical role of a labelled structure (the roles of the label-table JSON in ARCHITECTURE.md).</summary>
public enum StructureRole
{
    /// <summary>What the procedure treats (the tumour).</summary>
    Target,
    /// <summary>A structure a needle or ice ball must keep clear of (cord, nerve roots, great vessels).</summary>
    Critical,
    /// <summary>Bone (cortical or cancellous).</summary>
    Bone,
    /// <summary>Body envelope and generic soft tissue (skin, fat).</summary>
    Body,
    /// <summary>Any other tissue (muscle, disc).</summary>
    Other,
}
