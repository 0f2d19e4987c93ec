using System.Globalization;

namespace ImageGuide.Imaging;

/// <summary>A 3-vector in double precision: a point or direction in LPS millimetres, or a continuous voxel index.</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    /// <summary>The zero vector.</summary>
    public static Vec3 Zero => default;

    /// <summary>Component by axis number 0, 1, 2.</summary>
    public double this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

#pragma warning disable CS1591 // operators are self-explanatory
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);
    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);
    public static Vec3 operator *(double s, Vec3 a) => new(a.X * s, a.Y * s, a.Z * s);
    public static Vec3 operator /(Vec3 a, double s) => new(a.X / s, a.Y / s, a.Z / s);
#pragma warning restore CS1591

    /// <summary>Component-wise product.</summary>
    public static Vec3 Hadamard(Vec3 a, Vec3 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);

    /// <summary>Dot product.</summary>
    public static double Dot(Vec3 a, Vec3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    /// <summary>Cross product a × b.</summary>
    public static Vec3 Cross(Vec3 a, Vec3 b) =>
        new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    /// <summary>Euclidean length.</summary>
    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    /// <summary>Unit vector in the same direction; throws <see cref="GeometryException"/> for a (near) zero vector.</summary>
    public Vec3 Normalized()
    {
        double n = Length;
        if (!(n > 1e-12)) throw new GeometryException($"Cannot normalise the zero-length vector {this}.");
        return this / n;
    }

    /// <summary>Distance between two points.</summary>
    public static double Distance(Vec3 a, Vec3 b) => (a - b).Length;

    /// <summary>Largest absolute component difference.</summary>
    public static double MaxAbsDifference(Vec3 a, Vec3 b) =>
        Math.Max(Math.Abs(a.X - b.X), Math.Max(Math.Abs(a.Y - b.Y), Math.Abs(a.Z - b.Z)));

    /// <summary>The vector as a new 3-element array.</summary>
    public double[] ToArray() => [X, Y, Z];

    /// <summary>Builds a vector from a span of exactly 3 values.</summary>
    public static Vec3 FromSpan(ReadOnlySpan<double> v) =>
        v.Length == 3 ? new(v[0], v[1], v[2]) : throw new ArgumentException($"Expected 3 values, got {v.Length}.", nameof(v));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({X:G9}, {Y:G9}, {Z:G9})");
}
