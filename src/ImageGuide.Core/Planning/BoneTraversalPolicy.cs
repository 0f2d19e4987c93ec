namespace ImageGuide.Planning;

/// <summary>Whether a needle path may cross bone.</summary>
public enum BoneTraversalPolicy
{
    /// <summary>No bone anywhere along the path.</summary>
    Forbidden,
    /// <summary>Bone may be crossed freely (e.g. with a bone drill or coaxial trocar).</summary>
    Allowed,
    /// <summary>
    /// One entry into bone that continues to the target, as in a transpedicular approach (pedicle → anterior third of
    /// the vertebral body, docs/CLINICAL.md citing 001). The label map has no separate pedicle label, so this is approximated
    /// as: at most one contiguous run of bone along the path, and that run reaches the target. Target voxels neither start
    /// nor end a run, so a lesion inside the vertebral body is crossed as part of its bone (pedicle → lesion → anterior body).
    /// </summary>
    TranspedicularOnly,
}
