using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>A rectangular box with half sizes <see cref="HalfSize"/> along the columns of <see cref="Axes"/> (exact distance).</summary>
public sealed class OrientedBox : Shape
{
    private readonly Mat3 _toLocal;

    /// <summary>Creates a box; <paramref name="axes"/> must be a rotation.</summary>
    public OrientedBox(Vec3 center, Vec3 halfSize, Mat3 axes)
    {
        if (!(halfSize.X > 0 && halfSize.Y > 0 && halfSize.Z > 0))
            throw new GeometryException($"Box half sizes {halfSize} must all be > 0.");
        Center = center;
        HalfSize = halfSize;
        Axes = axes;
        _toLocal = axes.Transpose();
        var h = RotatedHalfExtent(axes, halfSize);
        Bounds = (center - h, center + h);
    }

    /// <summary>Centre (LPS mm).</summary>
    public Vec3 Center { get; }
    /// <summary>Half sizes (mm) along the columns of <see cref="Axes"/>.</summary>
    public Vec3 HalfSize { get; }
    /// <summary>Columns are the box's edge directions in LPS.</summary>
    public Mat3 Axes { get; }

    /// <inheritdoc />
    public override (Vec3 Min, Vec3 Max) Bounds { get; }

    /// <inheritdoc />
    public override double SignedDistance(Vec3 p)
    {
        var q = _toLocal * (p - Center);
        double dx = Math.Abs(q.X) - HalfSize.X, dy = Math.Abs(q.Y) - HalfSize.Y, dz = Math.Abs(q.Z) - HalfSize.Z;
        double ox = Math.Max(dx, 0), oy = Math.Max(dy, 0), oz = Math.Max(dz, 0);
        return Math.Sqrt(ox * ox + oy * oy + oz * oz) + Math.Min(Math.Max(dx, Math.Max(dy, dz)), 0);
    }
}
