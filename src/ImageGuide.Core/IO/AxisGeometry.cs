using System.Globalization;

using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>Builds a <see cref="VolumeGeometry"/> from per-axis step vectors (direction × spacing) in LPS.</summary>
internal static class AxisGeometry
{
    /// <summary>Tolerance on the orthonormality of file axes (float32 headers carry ~1e-7 rounding).</summary>
    internal const double Tolerance = 1e-4;

    /// <summary>
    /// Splits a matrix whose columns are the i, j, k steps into spacing (column lengths) and unit directions.
    /// Returns false (with the deviation) when the unit axes are not orthonormal (shear).
    /// </summary>
    internal static bool TrySplit(Mat3 steps, out Vec3 spacing, out Mat3 direction, out double deviation)
    {
        var c0 = steps.Column(0); var c1 = steps.Column(1); var c2 = steps.Column(2);
        spacing = new Vec3(c0.Length, c1.Length, c2.Length);
        direction = Mat3.Identity;
        deviation = double.PositiveInfinity;
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0) || !double.IsFinite(spacing.X + spacing.Y + spacing.Z)) return false;
        direction = Mat3.FromColumns(c0 / spacing.X, c1 / spacing.Y, c2 / spacing.Z);
        deviation = direction.OrthonormalityError();
        return deviation <= Tolerance;
    }

    /// <summary>Builds the geometry or raises <see cref="GeometryException"/> naming the file and the sheared axes.</summary>
    internal static VolumeGeometry Build(string file, string source, int nx, int ny, int nz, Mat3 steps, Vec3 origin)
    {
        if ((double)nx * ny * nz > Array.MaxLength)
            throw new InvalidImageDataException($"{file}: the size {nx}×{ny}×{nz} is more voxels than one buffer can hold ({Array.MaxLength}); the header is corrupt or the image must be cropped.");
        if (!TrySplit(steps, out var spacing, out var direction, out double dev))
            throw new GeometryException(string.Create(CultureInfo.InvariantCulture,
                $"{file}: the axes in {source} are zero, not finite or not orthogonal (deviation {dev:G3}); sheared grids are not supported — resample the image onto an orthogonal grid first."));
        return new VolumeGeometry(nx, ny, nz, spacing, origin, direction);
    }

    /// <summary>The k step for a 2-D image: the unit normal of the i and j axes times <paramref name="spacing"/>.</summary>
    internal static Vec3 Normal(Vec3 i, Vec3 j, double spacing) => Vec3.Cross(i, j).Normalized() * spacing;

    /// <summary>The LPS ↔ RAS flip diag(−1, −1, 1) applied to a vector.</summary>
    internal static Vec3 FlipXY(Vec3 v) => new(-v.X, -v.Y, v.Z);

    /// <summary>The LPS ↔ RAS flip applied to the rows of a matrix (diag(−1, −1, 1)·M).</summary>
    internal static Mat3 FlipXY(Mat3 m) => new(-m.M00, -m.M01, -m.M02, -m.M10, -m.M11, -m.M12, m.M20, m.M21, m.M22);

    /// <summary>Columns of Direction·diag(Spacing) for writing.</summary>
    internal static Mat3 Steps(VolumeGeometry g) => g.IndexToPhysicalMatrix;
}
