using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>A straight cryoprobe from its skin entry to its tip, in LPS mm of some frame.</summary>
/// <param name="Entry">Where the shaft crosses the skin.</param>
/// <param name="Tip">The probe tip.</param>
/// <param name="DiameterMm">Outer shaft diameter, mm.</param>
public sealed record CryoProbe(Vec3 Entry, Vec3 Tip, double DiameterMm)
{
    /// <summary>Unit vector from entry to tip.</summary>
    public Vec3 Axis => (Tip - Entry).Normalized();

    /// <summary>Inserted length from entry to tip, mm.</summary>
    public double InsertedLengthMm => Vec3.Distance(Entry, Tip);

    /// <summary>The same probe mapped by a rigid transform (into another frame).</summary>
    public CryoProbe Transformed(RigidTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return this with { Entry = transform.TransformPoint(Entry), Tip = transform.TransformPoint(Tip) };
    }
}
