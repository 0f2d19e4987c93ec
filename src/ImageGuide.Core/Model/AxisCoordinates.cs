using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>Where a point lies relative to an applicator's axis: the distance across it and the signed distance along it.</summary>
public static class AxisCoordinates
{
    /// <summary>
    /// Distance (mm) of the point (<paramref name="x"/>, <paramref name="y"/>, <paramref name="z"/>) from the line through
    /// <paramref name="centre"/> along the unit <paramref name="axis"/>, and its signed distance along the axis from the centre.
    /// </summary>
    public static (double Across, double Along) Of(Vec3 centre, Vec3 axis, double x, double y, double z)
    {
        double dx = x - centre.X, dy = y - centre.Y, dz = z - centre.Z;
        double along = dx * axis.X + dy * axis.Y + dz * axis.Z;
        return (Math.Sqrt(Math.Max(0, dx * dx + dy * dy + dz * dz - along * along)), along);
    }
}
