using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>One modelled vertebra of the phantom.</summary>
/// <param name="Name">Level name (T11 … L3).</param>
/// <param name="BodyCenter">Centre of the vertebral body in the anatomy frame (LPS mm, curvature applied).</param>
/// <param name="HalfWidth">Lateral semi-axis of the vertebral body, mm.</param>
/// <param name="HalfDepth">Antero-posterior semi-axis of the vertebral body, mm.</param>
/// <param name="HalfHeight">Half the height of the vertebral body, mm.</param>
public sealed record VertebralLevel(string Name, Vec3 BodyCenter, double HalfWidth, double HalfDepth, double HalfHeight);
