using System.Globalization;

namespace ImageGuide.Imaging;

/// <summary>
/// A rigid transform in LPS millimetres, ITK's <c>VersorRigid3DTransform</c> convention:
/// <c>T(p) = R·(p − Center) + Center + Translation</c>, with R the rotation of <see cref="Rotation"/>.
/// A registration result maps points of the <b>fixed</b> image to the <b>moving</b> image, so resampling the
/// moving image onto the fixed grid uses it directly. Immutable and thread-safe.
/// </summary>
public sealed record RigidTransform : ISpatialTransform
{
    /// <summary>Creates a transform; the versor is normalised.</summary>
    public RigidTransform(Versor rotation, Vec3 translation, Vec3 center)
    {
        Rotation = rotation.Normalized();
        Translation = translation;
        Center = center;
        Matrix = Rotation.ToMatrix();
    }

    /// <summary>Creates a rotation-free transform.</summary>
    public static RigidTransform FromTranslation(Vec3 translation) => new(Versor.Identity, translation, Vec3.Zero);

    /// <summary>The identity transform.</summary>
    public static RigidTransform Identity { get; } = new(Versor.Identity, Vec3.Zero, Vec3.Zero);

    /// <summary>Rotation as a unit quaternion.</summary>
    public Versor Rotation { get; }
    /// <summary>Translation applied after rotating about the centre.</summary>
    public Vec3 Translation { get; }
    /// <summary>Centre of rotation in LPS mm (a fixed parameter: it does not change the mapping's family).</summary>
    public Vec3 Center { get; }
    /// <summary>Rotation matrix R.</summary>
    public Mat3 Matrix { get; }

    /// <summary>Offset o of the equivalent affine form <c>T(p) = R·p + o</c>.</summary>
    public Vec3 Offset => Center + Translation - Matrix * Center;

    /// <summary>Maps a point.</summary>
    public Vec3 TransformPoint(Vec3 p) => Matrix * (p - Center) + Center + Translation;

    /// <summary>Maps a direction vector (rotation only).</summary>
    public Vec3 TransformVector(Vec3 v) => Matrix * v;

    /// <summary>The inverse mapping, about the same centre.</summary>
    public RigidTransform Inverse()
    {
        var rInv = Rotation.Conjugate();
        return new RigidTransform(rInv, -(rInv.ToMatrix() * Translation), Center);
    }

    /// <summary>
    /// The transform that applies <paramref name="first"/> and then <paramref name="second"/>:
    /// <c>result(p) = second(first(p))</c>; the centre of <paramref name="first"/> is kept.
    /// </summary>
    public static RigidTransform Compose(RigidTransform first, RigidTransform second)
    {
        var r = second.Rotation * first.Rotation;
        var rm = r.ToMatrix();
        var offset = second.Matrix * first.Offset + second.Offset;
        var c = first.Center;
        return new RigidTransform(r, offset - c + rm * c, c);
    }

    /// <summary>The same mapping expressed about another centre.</summary>
    public RigidTransform WithCenter(Vec3 center) => new(Rotation, Offset - center + Matrix * center, center);

    /// <summary>Homogeneous 4×4 matrix, row-major: rows 0–2 are [R | o], row 3 is [0 0 0 1].</summary>
    public double[,] ToMatrix4x4()
    {
        var o = Offset;
        return new double[,]
        {
            { Matrix.M00, Matrix.M01, Matrix.M02, o.X },
            { Matrix.M10, Matrix.M11, Matrix.M12, o.Y },
            { Matrix.M20, Matrix.M21, Matrix.M22, o.Z },
            { 0, 0, 0, 1 },
        };
    }

    /// <summary>
    /// Builds a rigid transform from a 4×4 homogeneous matrix, about <paramref name="center"/> (origin by default).
    /// Throws <see cref="GeometryException"/> when the upper 3×3 is not a proper rotation within
    /// <paramref name="tolerance"/> or the last row is not [0 0 0 1].
    /// </summary>
    public static RigidTransform FromMatrix4x4(double[,] m, Vec3? center = null, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.GetLength(0) != 4 || m.GetLength(1) != 4)
            throw new GeometryException($"Expected a 4×4 matrix, got {m.GetLength(0)}×{m.GetLength(1)}.");
        if (Math.Abs(m[3, 0]) > tolerance || Math.Abs(m[3, 1]) > tolerance || Math.Abs(m[3, 2]) > tolerance || Math.Abs(m[3, 3] - 1) > tolerance)
            throw new GeometryException("The last row of a rigid 4×4 matrix must be [0 0 0 1].");
        var r = new Mat3(m[0, 0], m[0, 1], m[0, 2], m[1, 0], m[1, 1], m[1, 2], m[2, 0], m[2, 1], m[2, 2]);
        return FromRotationAndOffset(r, new Vec3(m[0, 3], m[1, 3], m[2, 3]), center ?? Vec3.Zero, tolerance);
    }

    /// <summary>Builds a rigid transform from <c>T(p) = R·p + offset</c>, validating that R is a rotation.</summary>
    public static RigidTransform FromRotationAndOffset(Mat3 r, Vec3 offset, Vec3 center, double tolerance = 1e-5)
    {
        double err = r.OrthonormalityError();
        if (!(err <= tolerance))
            throw new GeometryException($"Matrix is not a rotation (orthonormality error {err.ToString("G3", CultureInfo.InvariantCulture)}); scaling or shear cannot be a rigid transform.");
        if (r.Determinant() < 0)
            throw new GeometryException("Matrix has determinant −1: it is a reflection, not a rotation (check LPS/RAS conversion).");
        var q = Versor.FromMatrix(r);
        var rm = q.ToMatrix();
        return new RigidTransform(q, offset - center + rm * center, center);
    }

    /// <summary>Largest distance between this and another transform's images of the given points.</summary>
    public double MaxPointDifference(RigidTransform other, ReadOnlySpan<Vec3> points)
    {
        double m = 0;
        foreach (var p in points) m = Math.Max(m, Vec3.Distance(TransformPoint(p), other.TransformPoint(p)));
        return m;
    }
}
