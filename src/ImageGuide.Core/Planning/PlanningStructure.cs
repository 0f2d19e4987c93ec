using ImageGuide.Imaging;
namespace ImageGuide.Planning;

/// <summary>Clinical role of a labelled structure, as in the label table of the CLI contract.</summary>
public enum StructureRole
{
    /// <summary>The tumour to reach and ablate.</summary>
    Target,
    /// <summary>A structure the needle and the ice must keep a clearance from (cord, nerve root, vessel, bowel, joint).</summary>
    Critical,
    /// <summary>Bone: crossing it is governed by <see cref="BoneTraversalPolicy"/>.</summary>
    Bone,
    /// <summary>The body (soft tissue); its outer surface is the skin where needles enter.</summary>
    Body,
    /// <summary>Anything else inside the body; passable.</summary>
    Other,
}

/// <summary>
/// One labelled structure as the planner sees it: the label value in the label map, its name (used as the key of
/// <c>clearancesMm</c> in the plan JSON), its role and an optional clearance that overrides the default of its role.
/// Build these from a label table (value → name, role, clearanceMm).
/// </summary>
/// <param name="Value">Label value in the label map (1–255; 0 is outside the body).</param>
/// <param name="Name">Structure name, e.g. "cord", "aorta".</param>
/// <param name="Role">Clinical role.</param>
/// <param name="ClearanceMm">Minimum clearance (mm) for this structure; null uses <see cref="PlanningConstraints.CriticalClearanceMm"/>.</param>
public sealed record PlanningStructure(byte Value, string Name, StructureRole Role, double? ClearanceMm = null);
