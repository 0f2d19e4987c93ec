using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>The union of several solids (distance bound = minimum of the parts' bounds).</summary>
public sealed class ShapeUnion : Shape
{
    private readonly Shape[] _parts;

    /// <summary>Creates the union of at least one shape.</summary>
    public ShapeUnion(IReadOnlyList<Shape> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new GeometryException("A shape union needs at least one part.");
        _parts = [.. parts];
        var (min, max) = _parts[0].Bounds;
        foreach (var s in _parts)
        {
            var (a, b) = s.Bounds;
            min = new Vec3(Math.Min(min.X, a.X), Math.Min(min.Y, a.Y), Math.Min(min.Z, a.Z));
            max = new Vec3(Math.Max(max.X, b.X), Math.Max(max.Y, b.Y), Math.Max(max.Z, b.Z));
        }
        Bounds = (min, max);
    }

    /// <summary>The solids joined.</summary>
    public IReadOnlyList<Shape> Parts => _parts;

    /// <inheritdoc />
    public override (Vec3 Min, Vec3 Max) Bounds { get; }

    /// <inheritdoc />
    public override double SignedDistance(Vec3 p)
    {
        double d = double.MaxValue;
        foreach (var s in _parts) d = Math.Min(d, s.SignedDistance(p));
        return d;
    }
}
