namespace ImageGuide.Imaging;

/// <summary>A 3×3 matrix in double precision, stored row-major (<c>M[row, col]</c> is <c>Mrc</c>).</summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    /// <summary>The identity matrix.</summary>
    public static Mat3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>Builds a matrix whose columns are the given vectors.</summary>
    public static Mat3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) =>
        new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);

    /// <summary>Builds a matrix from 9 row-major values.</summary>
    public static Mat3 FromRowMajor(ReadOnlySpan<double> v) =>
        v.Length == 9 ? new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8])
                      : throw new ArgumentException($"Expected 9 values, got {v.Length}.", nameof(v));

    /// <summary>Element by row and column.</summary>
    public double this[int row, int col] => (row * 3 + col) switch
    {
        0 => M00, 1 => M01, 2 => M02,
        3 => M10, 4 => M11, 5 => M12,
        6 => M20, 7 => M21, 8 => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(row), "Row and column must be 0..2."),
    };

    /// <summary>Column <paramref name="c"/> as a vector.</summary>
    public Vec3 Column(int c) => new(this[0, c], this[1, c], this[2, c]);

    /// <summary>Row <paramref name="r"/> as a vector.</summary>
    public Vec3 Row(int r) => new(this[r, 0], this[r, 1], this[r, 2]);

    /// <summary>Transpose.</summary>
    public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    /// <summary>Determinant.</summary>
    public double Determinant() =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    /// <summary>Inverse; throws <see cref="GeometryException"/> for a singular matrix.</summary>
    public Mat3 Inverse()
    {
        double det = Determinant();
        if (!(Math.Abs(det) > 1e-15)) throw new GeometryException($"Matrix is singular (determinant {det:G3}).");
        double s = 1.0 / det;
        return new(
            (M11 * M22 - M12 * M21) * s, (M02 * M21 - M01 * M22) * s, (M01 * M12 - M02 * M11) * s,
            (M12 * M20 - M10 * M22) * s, (M00 * M22 - M02 * M20) * s, (M02 * M10 - M00 * M12) * s,
            (M10 * M21 - M11 * M20) * s, (M01 * M20 - M00 * M21) * s, (M00 * M11 - M01 * M10) * s);
    }

#pragma warning disable CS1591
    public static Vec3 operator *(Mat3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    public static Mat3 operator *(Mat3 a, Mat3 b) => FromColumns(a * b.Column(0), a * b.Column(1), a * b.Column(2));
#pragma warning restore CS1591

    /// <summary>Largest absolute element difference.</summary>
    public static double MaxAbsDifference(Mat3 a, Mat3 b)
    {
        double m = 0;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                m = Math.Max(m, Math.Abs(a[r, c] - b[r, c]));
        return m;
    }

    /// <summary>Largest deviation of <c>MᵀM</c> from identity: 0 for an exactly orthonormal matrix.</summary>
    public double OrthonormalityError() => MaxAbsDifference(Transpose() * this, Identity);

    /// <summary>Row-major values as a 9-element array.</summary>
    public double[] ToRowMajorArray() => [M00, M01, M02, M10, M11, M12, M20, M21, M22];
}
