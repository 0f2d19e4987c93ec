using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>
/// A cylinder along the superior (z) axis with an elliptic cross-section of semi-axes
/// <see cref="RadiusX"/> × <see cref="RadiusY"/>, between z = centre ± <see cref="HalfLength"/>.
/// The distance bound combines the elliptic bound (scaled by the smaller radius) with the caps.
/// </summary>
public sealed class EllipticCylinder : Shape
{
    private readonly double _ix, _iy, _rMin;

    /// <summary>Creates the cylinder.</summary>
    public EllipticCylinder(Vec3 center, double radiusX, double radiusY, double halfLength)
    {
        if (!(radiusX > 0 && radiusY > 0 && halfLength > 0))
            throw new GeometryException($"Elliptic cylinder radii {radiusX}, {radiusY} and half length {halfLength} mm must be > 0.");
        Center = center;
        RadiusX = radiusX;
        RadiusY = radiusY;
        HalfLength = halfLength;
        _ix = 1 / radiusX;
        _iy = 1 / radiusY;
        _rMin = Math.Min(radiusX, radiusY);
        var h = new Vec3(radiusX, radiusY, halfLength);
        Bounds = (center - h, center + h);
    }

    /// <summary>Centre (LPS mm).</summary>
    public Vec3 Center { get; }
    /// <summary>Semi-axis along x (left–right), mm.</summary>
    public double RadiusX { get; }
    /// <summary>Semi-axis along y (anterior–posterior), mm.</summary>
    public double RadiusY { get; }
    /// <summary>Half the length along z, mm.</summary>
    public double HalfLength { get; }

    /// <inheritdoc />
    public override (Vec3 Min, Vec3 Max) Bounds { get; }

    /// <inheritdoc />
    public override double SignedDistance(Vec3 p)
    {
        double x = (p.X - Center.X) * _ix, y = (p.Y - Center.Y) * _iy;
        double side = (Math.Sqrt(x * x + y * y) - 1) * _rMin;
        double cap = Math.Abs(p.Z - Center.Z) - HalfLength;
        return Math.Max(side, cap);
    }
}
