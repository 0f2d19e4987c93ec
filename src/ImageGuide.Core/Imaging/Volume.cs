namespace ImageGuide.Imaging;

/// <summary>
/// A 3-D image: one contiguous buffer of voxels (i fastest, then j, then k) and the geometry that places it in
/// LPS space. Voxel types used across ImageGuide are <c>short</c>, <c>float</c> and <c>byte</c> (labels).
/// The geometry is immutable; the voxel buffer is mutable and not synchronised: share a volume between threads
/// only for reading.
/// </summary>
public sealed class Volume<T> where T : unmanaged
{
    /// <summary>Allocates a zero-filled volume.</summary>
    /// <exception cref="GeometryException">The grid holds more voxels than one .NET array can.</exception>
    public Volume(VolumeGeometry geometry, ImageMetadata? metadata = null)
        : this(geometry, new T[CheckedCount(geometry)], metadata) { }

    /// <summary>Wraps an existing buffer; its length must equal the geometry's voxel count.</summary>
    public Volume(VolumeGeometry geometry, T[] data, ImageMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != geometry.VoxelCount)
            throw new GeometryException($"Voxel buffer holds {data.LongLength} values but the grid {geometry.Nx}×{geometry.Ny}×{geometry.Nz} needs {geometry.VoxelCount}.");
        Geometry = geometry;
        Data = data;
        Metadata = metadata ?? ImageMetadata.Empty;
    }

    /// <summary>
    /// Allocates a volume without zeroing its buffer, for producers that write every voxel (readers, resamplers);
    /// the contents are undefined until written.
    /// </summary>
    public static Volume<T> CreateUninitialized(VolumeGeometry geometry, ImageMetadata? metadata = null) =>
        new(geometry, GC.AllocateUninitializedArray<T>(checked((int)CheckedCount(geometry))), metadata);

    private static long CheckedCount(VolumeGeometry g)
    {
        if (g.VoxelCount > Array.MaxLength)
            throw new GeometryException($"A {g.Nx}×{g.Ny}×{g.Nz} volume ({g.VoxelCount} voxels) exceeds the {Array.MaxLength} voxels one buffer can hold; crop or downsample it.");
        return g.VoxelCount;
    }

    /// <summary>Where the grid lies in LPS space.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The voxels, i fastest. Length = <see cref="VolumeGeometry.VoxelCount"/>.</summary>
    public T[] Data { get; }

    /// <summary>Descriptive metadata (modality, identifiers, units, window).</summary>
    public ImageMetadata Metadata { get; init; }

    /// <summary>Voxel at (i, j, k), no bounds check beyond the array's.</summary>
    public ref T this[int i, int j, int k] => ref Data[Geometry.LinearIndex(i, j, k)];

    /// <summary>The voxels of slice k as a span.</summary>
    public Span<T> Slice(int k)
    {
        long plane = (long)Geometry.Nx * Geometry.Ny;
        return Data.AsSpan(checked((int)(plane * k)), checked((int)plane));
    }

    /// <summary>A deep copy with the same geometry and metadata.</summary>
    public Volume<T> Clone() => new(Geometry, (T[])Data.Clone(), Metadata);

    /// <summary>A volume with the same voxels but another geometry of equal voxel count (no copy).</summary>
    public Volume<T> WithGeometry(VolumeGeometry geometry) => new(geometry, Data, Metadata);

    /// <summary>A volume of another voxel type on the same grid, converting each voxel.</summary>
    public Volume<TOut> Convert<TOut>(Func<T, TOut> convert) where TOut : unmanaged
    {
        var result = new Volume<TOut>(Geometry, Metadata);
        var src = Data;
        var dst = result.Data;
        Parallel.For(0, Geometry.Nz, k =>
        {
            long plane = (long)Geometry.Nx * Geometry.Ny, start = plane * k, end = start + plane;
            for (long n = start; n < end; n++) dst[n] = convert(src[n]);
        });
        return result;
    }
}
