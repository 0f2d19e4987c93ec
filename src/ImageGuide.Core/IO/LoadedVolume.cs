using System.Numerics;
using ImageGuide.Dicom.Series;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// A volume as it was stored in a file: its native voxel type, its geometry (LPS mm) and the linear rescale
/// (<c>value = stored · <see cref="RescaleSlope"/> + <see cref="RescaleIntercept"/></c>) the file asks for.
/// Convert with <see cref="ToFloat"/> or the exact <see cref="ToVolume{TOut}"/>; pattern-match on
/// <see cref="LoadedVolume{T}"/> for the stored buffer itself.
/// </summary>
public abstract class LoadedVolume
{
    private protected LoadedVolume(string source, VoxelType elementType, double slope, double intercept)
    {
        Source = source;
        ElementType = elementType;
        RescaleSlope = slope;
        RescaleIntercept = intercept;
    }

    /// <summary>The file (or folder) the volume was read from.</summary>
    public string Source { get; }

    /// <summary>The DICOM series the volume was assembled from, or null for NIfTI/MetaImage/NRRD files.</summary>
    public DicomSeriesInfo? Series { get; init; }

    /// <summary>Voxel type as stored in the file.</summary>
    public VoxelType ElementType { get; }

    /// <summary>Slope of the stored → real value mapping (1 when the file has none).</summary>
    public double RescaleSlope { get; }

    /// <summary>Intercept of the stored → real value mapping (0 when the file has none).</summary>
    public double RescaleIntercept { get; }

    /// <summary>True when real values equal stored values.</summary>
    public bool IsIdentityRescale => RescaleSlope == 1 && RescaleIntercept == 0;

    /// <summary>Where the grid lies in LPS space.</summary>
    public abstract VolumeGeometry Geometry { get; }

    /// <summary>Metadata, including warnings raised while reading (<see cref="ImageMetadata.Warnings"/>).</summary>
    public abstract ImageMetadata Metadata { get; }

    /// <summary>
    /// Real values as <c>float</c> (rescale applied). When the file already held floats with no rescale the stored
    /// volume itself is returned (no copy).
    /// </summary>
    public abstract Volume<float> ToFloat();

    /// <summary>
    /// Real values (rescale applied) as <typeparamref name="TOut"/>. Integer targets are exact: a value that is not
    /// an integer or out of range raises <see cref="InvalidImageDataException"/> naming the voxel, never a silent
    /// rounding or wrap. When no conversion is needed the stored volume itself is returned (no copy).
    /// </summary>
    public abstract Volume<TOut> ToVolume<TOut>() where TOut : unmanaged, INumber<TOut>;
}

/// <summary>A <see cref="LoadedVolume"/> whose stored voxels are of type <typeparamref name="T"/>.</summary>
public sealed class LoadedVolume<T> : LoadedVolume where T : unmanaged, INumber<T>
{
    /// <summary>Wraps a stored volume with its rescale.</summary>
    public LoadedVolume(Volume<T> stored, string source, double rescaleSlope = 1, double rescaleIntercept = 0)
        : base(source, VoxelTypes.Of<T>(), rescaleSlope, rescaleIntercept)
    {
        ArgumentNullException.ThrowIfNull(stored);
        Stored = stored;
    }

    /// <summary>The voxels exactly as stored (before rescale).</summary>
    public Volume<T> Stored { get; }

    /// <inheritdoc />
    public override VolumeGeometry Geometry => Stored.Geometry;

    /// <inheritdoc />
    public override ImageMetadata Metadata => Stored.Metadata;

    /// <inheritdoc />
    public override Volume<float> ToFloat()
    {
        if (typeof(T) == typeof(float) && IsIdentityRescale) return (Volume<float>)(object)Stored;
        double a = RescaleSlope, b = RescaleIntercept;
        return IsIdentityRescale
            ? Stored.Convert(static v => float.CreateTruncating(v))
            : Stored.Convert(v => (float)(double.CreateTruncating(v) * a + b));
    }

    /// <inheritdoc />
    public override Volume<TOut> ToVolume<TOut>()
    {
        if (typeof(TOut) == typeof(T) && IsIdentityRescale) return (Volume<TOut>)(object)Stored;
        if (typeof(TOut) == typeof(float)) return (Volume<TOut>)(object)ToFloat();
        double a = RescaleSlope, b = RescaleIntercept;
        if (typeof(TOut) == typeof(double)) return Stored.Convert(v => TOut.CreateTruncating(double.CreateTruncating(v) * a + b));

        var g = Geometry;
        var result = new Volume<TOut>(g, Metadata);
        var src = Stored.Data;
        var dst = result.Data;
        long plane = (long)g.Nx * g.Ny;
        long firstBad = long.MaxValue;
        Parallel.For(0, g.Nz, k =>
        {
            for (long n = plane * k, end = n + plane; n < end; n++)
            {
                double v = double.CreateTruncating(src[n]) * a + b;
                var t = TOut.CreateSaturating(v);
                if (double.CreateTruncating(t) != v)
                {
                    long seen;
                    while (n < (seen = Interlocked.Read(ref firstBad)) && Interlocked.CompareExchange(ref firstBad, n, seen) != seen) { }
                    return;
                }
                dst[n] = t;
            }
        });
        if (firstBad != long.MaxValue)
        {
            double v = double.CreateTruncating(src[firstBad]) * a + b;
            long i = firstBad % g.Nx, j = firstBad / g.Nx % g.Ny, k = firstBad / plane;
            throw new InvalidImageDataException(
                $"{Source}: voxel ({i}, {j}, {k}) has value {v:G9}, which {typeof(TOut).Name} cannot hold exactly; read the volume as float instead.");
        }
        return result;
    }
}
