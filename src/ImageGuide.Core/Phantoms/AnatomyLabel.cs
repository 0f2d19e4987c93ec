namespace ImageGuide.Phantoms;

/// <summary>One entry of a label table: voxel value, name, clinical role and, for critical structures, the clearance (mm) to keep.</summary>
/// <param name="Value">Voxel value in the label map (1–255; 0 is background/air).</param>
/// <param name="Name">Short lower-case name, unique in its table (e.g. "cord").</param>
/// <param name="Role">Clinical role.</param>
/// <param name="ClearanceMm">Default clearance a needle or ice ball keeps from the structure, or null when none applies.</param>
public sealed record AnatomyLabel(byte Value, string Name, StructureRole Role, double? ClearanceMm = null);
