using System.Numerics;

namespace ImageGuide.Imaging;

/// <summary>Resamples a volume onto any grid through an optional rigid transform or any <see cref="ISpatialTransform"/>.</summary>
public static class Resampler
{
    /// <summary>
    /// For every voxel of <paramref name="target"/>, maps its physical point through
    /// <paramref name="targetToSource"/> (ITK convention: fixed → moving, so pass a registration result directly)
    /// and reads <paramref name="source"/> there. Parallel over slices; deterministic.
    /// </summary>
    /// <param name="source">Volume to read from (the moving image).</param>
    /// <param name="target">Output grid (the fixed image's geometry, or any other).</param>
    /// <param name="targetToSource">Maps target points to source points; identity when null.</param>
    /// <param name="mode">Interpolation; use <see cref="InterpolationMode.Nearest"/> for labels.</param>
    /// <param name="outside">Value for target voxels that map outside the source.</param>
    /// <param name="cancellationToken">Cancels between slices.</param>
    public static Volume<T> Resample<T>(Volume<T> source, VolumeGeometry target, RigidTransform? targetToSource = null,
        InterpolationMode mode = InterpolationMode.Linear, T outside = default, CancellationToken cancellationToken = default)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var result = new Volume<T>(target, source.Metadata);
        var t = targetToSource ?? RigidTransform.Identity;
        // target index → source index is affine: s = A·t + b
        var sg = source.Geometry;
        var toPhys = t.Matrix * target.IndexToPhysicalMatrix;
        var a = sg.PhysicalVectorToIndex(toPhys.Column(0));
        var bcol = sg.PhysicalVectorToIndex(toPhys.Column(1));
        var ccol = sg.PhysicalVectorToIndex(toPhys.Column(2));
        var origin = sg.PhysicalToIndex(t.TransformPoint(target.Origin));
        double outsideD = double.CreateTruncating(outside);
        bool integral = typeof(T) != typeof(float) && typeof(T) != typeof(double);
        var dst = result.Data;
        var po = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, target.Nz, po, k =>
        {
            for (int j = 0; j < target.Ny; j++)
            {
                var row = origin + bcol * j + ccol * k;
                long n = target.LinearIndex(0, j, k);
                for (int i = 0; i < target.Nx; i++, n++)
                {
                    double x = row.X + a.X * i, y = row.Y + a.Y * i, z = row.Z + a.Z * i;
                    double v = mode == InterpolationMode.Nearest
                        ? Interpolator.SampleNearest(source, x, y, z, outsideD)
                        : Interpolator.SampleLinear(source, x, y, z, outsideD);
                    dst[n] = integral ? T.CreateSaturating(Math.Round(v)) : T.CreateSaturating(v);
                }
            }
        });
        return result;
    }
    /// <summary>
    /// As the rigid overload, through any transform (e.g. a <see cref="DisplacementField"/>): every target voxel's
    /// point is mapped by <paramref name="targetToSource"/> (fixed → moving) and read there. A
    /// <see cref="RigidTransform"/> takes the rigid overload's faster path.
    /// </summary>
    public static Volume<T> Resample<T>(Volume<T> source, VolumeGeometry target, ISpatialTransform targetToSource,
        InterpolationMode mode = InterpolationMode.Linear, T outside = default, CancellationToken cancellationToken = default)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(targetToSource);
        if (targetToSource is RigidTransform rigid) return Resample(source, target, rigid, mode, outside, cancellationToken);
        var result = new Volume<T>(target, source.Metadata);
        var sg = source.Geometry;
        double outsideD = double.CreateTruncating(outside);
        bool integral = typeof(T) != typeof(float) && typeof(T) != typeof(double);
        var dst = result.Data;
        Parallel.For(0, target.Nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            for (int j = 0; j < target.Ny; j++)
            {
                long n = target.LinearIndex(0, j, k);
                for (int i = 0; i < target.Nx; i++, n++)
                {
                    var c = sg.PhysicalToIndex(targetToSource.TransformPoint(target.IndexToPhysical(i, j, k)));
                    double v = mode == InterpolationMode.Nearest
                        ? Interpolator.SampleNearest(source, c.X, c.Y, c.Z, outsideD)
                        : Interpolator.SampleLinear(source, c.X, c.Y, c.Z, outsideD);
                    dst[n] = integral ? T.CreateSaturating(Math.Round(v)) : T.CreateSaturating(v);
                }
            }
        });
        return result;
    }
}
