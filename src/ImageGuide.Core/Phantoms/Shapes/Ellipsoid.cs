using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// An ellipsoid with semi-axes <see cref="Radii"/> along the columns of <see cref="Axes"/>. The distance
/// bound is (‖D⁻¹Rᵀ(p − c)‖ − 1)·min(radii), which never exceeds the true distance.
/// </summary>
public sealed class Ellipsoid : Shape
{
    private readonly Mat3 _toLocal;
    private readonly double _ix, _iy, _iz, _rMin;

    /// <summary>Creates an ellipsoid; <paramref name="axes"/> must be a rotation (orthonormal columns).</summary>
    public Ellipsoid(Vec3 center, Vec3 radii, Mat3 axes)
    {
        if (!(radii.X > 0 && radii.Y > 0 && radii.Z > 0))
            throw new GeometryException($"Ellipsoid radii {radii} must all be > 0.");
        Center = center;
        Radii = radii;
        Axes = axes;
        _toLocal = axes.Transpose();
        _ix = 1 / radii.X; _iy = 1 / radii.Y; _iz = 1 / radii.Z;
        _rMin = Math.Min(radii.X, Math.Min(radii.Y, radii.Z));
        var h = RotatedHalfExtent(axes, radii);
        Bounds = (center - h, center + h);
    }

    /// <summary>Creates an axis-aligned ellipsoid.</summary>
    public Ellipsoid(Vec3 center, Vec3 radii) : this(center, radii, Mat3.Identity) { }

    /// <summary>Centre (LPS mm).</summary>
    public Vec3 Center { get; }
    /// <summary>Semi-axis lengths (mm) along the three columns of <see cref="Axes"/>.</summary>
    public Vec3 Radii { get; }
    /// <summary>Columns are the ellipsoid's axes in LPS.</summary>
    public Mat3 Axes { get; }

    /// <inheritdoc />
    public override (Vec3 Min, Vec3 Max) Bounds { get; }

    /// <inheritdoc />
    public override double SignedDistance(Vec3 p)
    {
        var q = _toLocal * (p - Center);
        double x = q.X * _ix, y = q.Y * _iy, z = q.Z * _iz;
        return (Math.Sqrt(x * x + y * y + z * z) - 1) * _rMin;
    }

    /// <summary>The same ellipsoid with every semi-axis reduced by <paramref name="inset"/> mm (null when it vanishes).</summary>
    public Ellipsoid? Inset(double inset)
    {
        var r = new Vec3(Radii.X - inset, Radii.Y - inset, Radii.Z - inset);
        return r.X > 0 && r.Y > 0 && r.Z > 0 ? new Ellipsoid(Center, r, Axes) : null;
    }
}
