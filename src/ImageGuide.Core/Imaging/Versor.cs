namespace ImageGuide.Imaging;

/// <summary>A unit quaternion (x, y, z, w) representing a 3-D rotation; w is the scalar part.</summary>
public readonly record struct Versor(double X, double Y, double Z, double W)
{
    /// <summary>No rotation.</summary>
    public static Versor Identity => new(0, 0, 0, 1);

    /// <summary>Rotation by <paramref name="angleRad"/> (right-handed) about <paramref name="axis"/>.</summary>
    public static Versor FromAxisAngle(Vec3 axis, double angleRad)
    {
        var a = axis.Normalized();
        double s = Math.Sin(angleRad / 2);
        return new Versor(a.X * s, a.Y * s, a.Z * s, Math.Cos(angleRad / 2));
    }

    /// <summary>
    /// Versor from its vector part (x, y, z), as ITK's <c>VersorRigid3DTransform</c> parameters store it;
    /// w = sqrt(1 − |v|²). Throws <see cref="GeometryException"/> when |v| &gt; 1.
    /// </summary>
    public static Versor FromVectorPart(Vec3 v)
    {
        double n2 = Vec3.Dot(v, v);
        if (n2 > 1 + 1e-12) throw new GeometryException($"Versor vector part {v} has norm > 1.");
        return new Versor(v.X, v.Y, v.Z, Math.Sqrt(Math.Max(0, 1 - n2)));
    }

    /// <summary>Versor of an orthonormal, right-handed rotation matrix (Shepperd's method).</summary>
    public static Versor FromMatrix(Mat3 m)
    {
        double tr = m.M00 + m.M11 + m.M22;
        Versor q;
        if (tr > 0)
        {
            double s = Math.Sqrt(tr + 1) * 2;
            q = new((m.M21 - m.M12) / s, (m.M02 - m.M20) / s, (m.M10 - m.M01) / s, s / 4);
        }
        else if (m.M00 > m.M11 && m.M00 > m.M22)
        {
            double s = Math.Sqrt(1 + m.M00 - m.M11 - m.M22) * 2;
            q = new(s / 4, (m.M01 + m.M10) / s, (m.M02 + m.M20) / s, (m.M21 - m.M12) / s);
        }
        else if (m.M11 > m.M22)
        {
            double s = Math.Sqrt(1 + m.M11 - m.M00 - m.M22) * 2;
            q = new((m.M01 + m.M10) / s, s / 4, (m.M12 + m.M21) / s, (m.M02 - m.M20) / s);
        }
        else
        {
            double s = Math.Sqrt(1 + m.M22 - m.M00 - m.M11) * 2;
            q = new((m.M02 + m.M20) / s, (m.M12 + m.M21) / s, s / 4, (m.M10 - m.M01) / s);
        }
        q = q.Normalized();
        return q.W < 0 ? new Versor(-q.X, -q.Y, -q.Z, -q.W) : q;
    }

    /// <summary>The quaternion scaled to unit norm.</summary>
    public Versor Normalized()
    {
        double n = Math.Sqrt(X * X + Y * Y + Z * Z + W * W);
        if (!(n > 1e-12)) throw new GeometryException("Cannot normalise a zero quaternion.");
        return new Versor(X / n, Y / n, Z / n, W / n);
    }

    /// <summary>Inverse rotation.</summary>
    public Versor Conjugate() => new(-X, -Y, -Z, W);

    /// <summary>Hamilton product: the rotation <paramref name="b"/> followed by <paramref name="a"/>.</summary>
    public static Versor operator *(Versor a, Versor b) => new(
        a.W * b.X + a.X * b.W + a.Y * b.Z - a.Z * b.Y,
        a.W * b.Y - a.X * b.Z + a.Y * b.W + a.Z * b.X,
        a.W * b.Z + a.X * b.Y - a.Y * b.X + a.Z * b.W,
        a.W * b.W - a.X * b.X - a.Y * b.Y - a.Z * b.Z);

    /// <summary>Rotation matrix.</summary>
    public Mat3 ToMatrix()
    {
        double xx = X * X, yy = Y * Y, zz = Z * Z, xy = X * Y, xz = X * Z, yz = Y * Z, wx = W * X, wy = W * Y, wz = W * Z;
        return new Mat3(
            1 - 2 * (yy + zz), 2 * (xy - wz), 2 * (xz + wy),
            2 * (xy + wz), 1 - 2 * (xx + zz), 2 * (yz - wx),
            2 * (xz - wy), 2 * (yz + wx), 1 - 2 * (xx + yy));
    }

    /// <summary>Rotation angle in radians, in [0, π].</summary>
    public double AngleRad => 2 * Math.Atan2(Math.Sqrt(X * X + Y * Y + Z * Z), Math.Abs(W));

    /// <summary>
    /// Spherical linear interpolation from <paramref name="a"/> (<paramref name="t"/> = 0) to <paramref name="b"/>
    /// (t = 1) along the shorter arc (q and −q are one rotation).
    /// </summary>
    public static Versor Slerp(Versor a, Versor b, double t)
    {
        a = a.Normalized();
        b = b.Normalized();
        double dot = a.X * b.X + a.Y * b.Y + a.Z * b.Z + a.W * b.W;
        if (dot < 0) { b = new Versor(-b.X, -b.Y, -b.Z, -b.W); dot = -dot; }
        double wa, wb;
        if (dot > 0.9995) { wa = 1 - t; wb = t; }
        else
        {
            double theta = Math.Acos(Math.Min(1, dot)), sin = Math.Sin(theta);
            wa = Math.Sin((1 - t) * theta) / sin;
            wb = Math.Sin(t * theta) / sin;
        }
        return new Versor(wa * a.X + wb * b.X, wa * a.Y + wb * b.Y, wa * a.Z + wb * b.Z, wa * a.W + wb * b.W).Normalized();
    }

    /// <summary>Rotates a vector.</summary>
    public Vec3 Rotate(Vec3 v) => ToMatrix() * v;
}
