using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>All points within <see cref="Radius"/> of the segment <see cref="A"/>–<see cref="B"/> (exact distance).</summary>
public sealed class Capsule : Shape
{
    private readonly Vec3 _ab;
    private readonly double _invLen2;

    /// <summary>Creates a capsule around segment a–b.</summary>
    public Capsule(Vec3 a, Vec3 b, double radius)
    {
        if (!(radius > 0)) throw new GeometryException($"Capsule radius {radius} mm must be > 0.");
        A = a;
        B = b;
        Radius = radius;
        _ab = b - a;
        double l2 = Vec3.Dot(_ab, _ab);
        _invLen2 = l2 > 0 ? 1 / l2 : 0;
        var r = new Vec3(radius, radius, radius);
        Bounds = (new Vec3(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z)) - r,
                  new Vec3(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z)) + r);
    }

    /// <summary>First end of the axis segment.</summary>
    public Vec3 A { get; }
    /// <summary>Second end of the axis segment.</summary>
    public Vec3 B { get; }
    /// <summary>Radius (mm).</summary>
    public double Radius { get; }

    /// <inheritdoc />
    public override (Vec3 Min, Vec3 Max) Bounds { get; }

    /// <summary>Distance from <paramref name="p"/> to the axis segment.</summary>
    public double AxisDistance(Vec3 p)
    {
        var ap = p - A;
        double t = Math.Clamp(Vec3.Dot(ap, _ab) * _invLen2, 0, 1);
        return (ap - _ab * t).Length;
    }

    /// <inheritdoc />
    public override double SignedDistance(Vec3 p) => AxisDistance(p) - Radius;
}
