namespace ImageGuide.Imaging;

/// <summary>Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations (principal axes of point sets).</summary>
internal static class SymmetricEigen3
{
    /// <summary>Eigenvalues in decreasing order and the matching unit eigenvectors.</summary>
    public static (double[] Values, Vec3[] Vectors) Decompose(double[,] m)
    {
        var a = (double[,])m.Clone();
        var v = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = Math.Abs(a[0, 1]) + Math.Abs(a[0, 2]) + Math.Abs(a[1, 2]);
            if (off < 1e-15 * (Math.Abs(a[0, 0]) + Math.Abs(a[1, 1]) + Math.Abs(a[2, 2]) + 1e-300)) break;
            for (int p = 0; p < 2; p++)
                for (int q = p + 1; q < 3; q++)
                {
                    if (a[p, q] == 0) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < 3; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < 3; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        var order = new[] { 0, 1, 2 };
        Array.Sort(order, (x, y) => a[y, y].CompareTo(a[x, x]));
        var values = new double[3];
        var vectors = new Vec3[3];
        for (int n = 0; n < 3; n++)
        {
            int c = order[n];
            values[n] = a[c, c];
            vectors[n] = new Vec3(v[0, c], v[1, c], v[2, c]).Normalized();
        }
        return (values, vectors);
    }

    /// <summary>Centroid and covariance of points.</summary>
    public static (Vec3 Centroid, double[,] Covariance) Moments(IReadOnlyList<Vec3> points)
    {
        var c = Vec3.Zero;
        foreach (var p in points) c += p;
        c /= Math.Max(1, points.Count);
        var m = new double[3, 3];
        foreach (var p in points)
        {
            var d = p - c;
            m[0, 0] += d.X * d.X; m[0, 1] += d.X * d.Y; m[0, 2] += d.X * d.Z;
            m[1, 1] += d.Y * d.Y; m[1, 2] += d.Y * d.Z; m[2, 2] += d.Z * d.Z;
        }
        m[1, 0] = m[0, 1]; m[2, 0] = m[0, 2]; m[2, 1] = m[1, 2];
        return (c, m);
    }
}
