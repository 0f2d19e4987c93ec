using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// An analytic solid in the phantom's anatomy frame (LPS mm). <see cref="SignedDistance"/> is negative inside
/// and its magnitude never exceeds the true Euclidean distance to the surface (a conservative bound), so a
/// renderer can prove a voxel pure when the bound exceeds the voxel's half-diagonal and supersample only near
/// edges. Immutable and thread-safe.
/// </summary>
public abstract class Shape
{
    /// <summary>Signed distance bound at <paramref name="p"/>: &lt; 0 inside, |value| ≤ distance to the surface.</summary>
    public abstract double SignedDistance(Vec3 p);

    /// <summary>Axis-aligned bounding box (min and max corners, LPS mm) that contains the whole solid.</summary>
    public abstract (Vec3 Min, Vec3 Max) Bounds { get; }

    /// <summary>True when <paramref name="p"/> lies strictly inside the solid.</summary>
    public bool Contains(Vec3 p) => SignedDistance(p) < 0;

    /// <summary>Half-extents of a box with half sizes <paramref name="h"/> rotated by the columns of <paramref name="axes"/>.</summary>
    private protected static Vec3 RotatedHalfExtent(Mat3 axes, Vec3 h) => new(
        Math.Abs(axes.M00) * h.X + Math.Abs(axes.M01) * h.Y + Math.Abs(axes.M02) * h.Z,
        Math.Abs(axes.M10) * h.X + Math.Abs(axes.M11) * h.Y + Math.Abs(axes.M12) * h.Z,
        Math.Abs(axes.M20) * h.X + Math.Abs(axes.M21) * h.Y + Math.Abs(axes.M22) * h.Z);

    /// <summary>An orthonormal right-handed frame whose third column is <paramref name="axis"/>.</summary>
    public static Mat3 FrameAlong(Vec3 axis)
    {
        var w = axis.Normalized();
        var helper = Math.Abs(w.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        var u = Vec3.Cross(helper, w).Normalized();
        var v = Vec3.Cross(w, u);
        return Mat3.FromColumns(u, v, w);
    }
}
