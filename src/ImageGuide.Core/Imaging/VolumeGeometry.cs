namespace ImageGuide.Imaging;

/// <summary>
/// Where a voxel grid sits in patient space (LPS, millimetres):
/// <c>world = Origin + Direction · (Spacing ∘ index)</c>, with the columns of <see cref="Direction"/> the unit
/// vectors of the i (column), j (row) and k (slice) axes — the same convention as ITK/SimpleITK.
/// Immutable and thread-safe.
/// </summary>
public sealed record VolumeGeometry
{
    /// <summary>Tolerance on axis orthonormality accepted when a geometry is built.</summary>
    public const double OrthonormalityTolerance = 1e-4;

    /// <summary>Creates a geometry, validating size, spacing and axes.</summary>
    /// <exception cref="GeometryException">Non-positive size or spacing, or axes that are not orthonormal.</exception>
    public VolumeGeometry(int nx, int ny, int nz, Vec3 spacing, Vec3 origin, Mat3 direction)
    {
        if (nx < 1 || ny < 1 || nz < 1)
            throw new GeometryException($"Volume size {nx}×{ny}×{nz} is invalid: every dimension must be at least 1.");
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0) || !double.IsFinite(spacing.X + spacing.Y + spacing.Z))
            throw new GeometryException($"Voxel spacing {spacing} mm is invalid: every component must be finite and > 0.");
        if (!double.IsFinite(origin.X + origin.Y + origin.Z))
            throw new GeometryException($"Origin {origin} is not finite.");
        double err = direction.OrthonormalityError();
        if (!(err <= OrthonormalityTolerance))
            throw new GeometryException(
                $"Axis directions are not orthonormal (deviation {err:G3} > {OrthonormalityTolerance}); " +
                "sheared grids (e.g. gantry tilt) must be resampled before they become a volume.");
        Nx = nx; Ny = ny; Nz = nz;
        Spacing = spacing;
        Origin = origin;
        Direction = direction;
        _indexToWorld = Mat3.FromColumns(direction.Column(0) * spacing.X, direction.Column(1) * spacing.Y, direction.Column(2) * spacing.Z);
        _worldToIndex = _indexToWorld.Inverse();
    }

    /// <summary>Creates an axis-aligned geometry (identity direction).</summary>
    public VolumeGeometry(int nx, int ny, int nz, Vec3 spacing, Vec3 origin)
        : this(nx, ny, nz, spacing, origin, Mat3.Identity) { }

    private readonly Mat3 _indexToWorld;
    private readonly Mat3 _worldToIndex;

    /// <summary>Number of columns (i).</summary>
    public int Nx { get; }
    /// <summary>Number of rows (j).</summary>
    public int Ny { get; }
    /// <summary>Number of slices (k).</summary>
    public int Nz { get; }
    /// <summary>Voxel spacing along i, j, k in mm.</summary>
    public Vec3 Spacing { get; }
    /// <summary>Physical position (LPS mm) of the centre of voxel (0,0,0).</summary>
    public Vec3 Origin { get; }
    /// <summary>Columns are the unit vectors of the i, j, k axes in LPS.</summary>
    public Mat3 Direction { get; }

    /// <summary>Total number of voxels (64-bit).</summary>
    public long VoxelCount => (long)Nx * Ny * Nz;

    /// <summary>Size as an array [nx, ny, nz].</summary>
    public int[] Size => [Nx, Ny, Nz];

    /// <summary>Linear index of voxel (i, j, k), i fastest.</summary>
    public long LinearIndex(int i, int j, int k) => ((long)k * Ny + j) * Nx + i;

    /// <summary>True when (i, j, k) lies inside the grid.</summary>
    public bool Contains(int i, int j, int k) => (uint)i < (uint)Nx && (uint)j < (uint)Ny && (uint)k < (uint)Nz;

    /// <summary>Physical point of a (continuous) index.</summary>
    public Vec3 IndexToPhysical(Vec3 index) => Origin + _indexToWorld * index;

    /// <summary>Physical point of voxel (i, j, k).</summary>
    public Vec3 IndexToPhysical(int i, int j, int k) => IndexToPhysical(new Vec3(i, j, k));

    /// <summary>Continuous index of a physical point (may lie outside the grid).</summary>
    public Vec3 PhysicalToIndex(Vec3 point) => _worldToIndex * (point - Origin);

    /// <summary>Maps a physical direction (not a point) to index-space steps.</summary>
    public Vec3 PhysicalVectorToIndex(Vec3 vector) => _worldToIndex * vector;

    /// <summary>The 3×3 matrix <c>Direction · diag(Spacing)</c>.</summary>
    public Mat3 IndexToPhysicalMatrix => _indexToWorld;

    /// <summary>Unit normal of the slices (the k axis).</summary>
    public Vec3 SliceNormal => Direction.Column(2);

    /// <summary>Physical centre of the grid (centre of the middle voxel position).</summary>
    public Vec3 Center => IndexToPhysical(new Vec3((Nx - 1) / 2.0, (Ny - 1) / 2.0, (Nz - 1) / 2.0));

    /// <summary>Physical extent along i, j, k in mm, from outer voxel edge to outer voxel edge.</summary>
    public Vec3 Extent => new(Nx * Spacing.X, Ny * Spacing.Y, Nz * Spacing.Z);

    /// <summary>Axis-aligned physical bounding box of the voxel centres (min, max corners in LPS).</summary>
    public (Vec3 Min, Vec3 Max) PhysicalBounds()
    {
        var min = new Vec3(double.MaxValue, double.MaxValue, double.MaxValue);
        var max = new Vec3(double.MinValue, double.MinValue, double.MinValue);
        for (int c = 0; c < 8; c++)
        {
            var p = IndexToPhysical(new Vec3((c & 1) * (Nx - 1), ((c >> 1) & 1) * (Ny - 1), ((c >> 2) & 1) * (Nz - 1)));
            min = new Vec3(Math.Min(min.X, p.X), Math.Min(min.Y, p.Y), Math.Min(min.Z, p.Z));
            max = new Vec3(Math.Max(max.X, p.X), Math.Max(max.Y, p.Y), Math.Max(max.Z, p.Z));
        }
        return (min, max);
    }

    /// <summary>
    /// True when both grids have the same size and their origin, spacing (mm) and axes agree within
    /// <paramref name="toleranceMm"/> (axes compared as unit vectors with the same number).
    /// </summary>
    public bool ApproximatelyEquals(VolumeGeometry other, double toleranceMm = 1e-4) =>
        Nx == other.Nx && Ny == other.Ny && Nz == other.Nz &&
        Vec3.MaxAbsDifference(Spacing, other.Spacing) <= toleranceMm &&
        Vec3.MaxAbsDifference(Origin, other.Origin) <= toleranceMm &&
        Mat3.MaxAbsDifference(Direction, other.Direction) <= toleranceMm;

    /// <summary>A copy with another size (same origin, spacing, axes).</summary>
    public VolumeGeometry WithSize(int nx, int ny, int nz) => new(nx, ny, nz, Spacing, Origin, Direction);

    /// <summary>A copy with another spacing.</summary>
    public VolumeGeometry WithSpacing(Vec3 spacing) => new(Nx, Ny, Nz, spacing, Origin, Direction);

    /// <summary>A copy with another origin.</summary>
    public VolumeGeometry WithOrigin(Vec3 origin) => new(Nx, Ny, Nz, Spacing, origin, Direction);

    /// <summary>
    /// A grid covering the same physical region with spacing multiplied by the shrink factors
    /// (the voxel-edge extent is kept; used by image pyramids).
    /// </summary>
    public VolumeGeometry Shrink(int fx, int fy, int fz)
    {
        int nx = Math.Max(1, Nx / fx), ny = Math.Max(1, Ny / fy), nz = Math.Max(1, Nz / fz);
        var sp = new Vec3(Spacing.X * Nx / nx, Spacing.Y * Ny / ny, Spacing.Z * Nz / nz);
        // keep the outer corner (edge of voxel 0) fixed
        var corner = IndexToPhysical(new Vec3(-0.5, -0.5, -0.5));
        var origin = corner + Direction * new Vec3(sp.X / 2, sp.Y / 2, sp.Z / 2);
        return new VolumeGeometry(nx, ny, nz, sp, origin, Direction);
    }

    /// <inheritdoc />
    public bool Equals(VolumeGeometry? other) =>
        other is not null && Nx == other.Nx && Ny == other.Ny && Nz == other.Nz &&
        Spacing == other.Spacing && Origin == other.Origin && Direction == other.Direction;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Nx, Ny, Nz, Spacing, Origin, Direction);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Nx}×{Ny}×{Nz} spacing {Spacing} origin {Origin} axes i{Direction.Column(0)} j{Direction.Column(1)} k{Direction.Column(2)}";
}
