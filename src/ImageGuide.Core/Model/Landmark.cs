using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>A named point in patient space (LPS millimetres).</summary>
/// <param name="Name">Label of the point (file label, or P1, P2, … when the file has none).</param>
/// <param name="PositionLps">Position in LPS mm.</param>
public sealed record Landmark(string Name, Vec3 PositionLps);
