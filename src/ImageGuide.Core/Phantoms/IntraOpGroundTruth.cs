using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>Truth of the freeze on the intra-procedural CT's grid (masks are 1 inside, 0 outside; voxel-centre tests).</summary>
/// <param name="Probes">Probe entries and tips in the intra-procedural frame (LPS mm).</param>
/// <param name="IceBall">Voxels inside the 0 °C isotherm (in every tissue, bone included).</param>
/// <param name="LethalZone">Voxels inside the lethal isotherm.</param>
/// <param name="MetalArtifact">Voxels holding metal or touched by a metal streak of more than 2 HU.</param>
public sealed record IntraOpGroundTruth(IReadOnlyList<CryoProbe> Probes, Volume<byte> IceBall, Volume<byte> LethalZone, Volume<byte> MetalArtifact);
