namespace ImageGuide.Imaging;

/// <summary>One rigid piece of a piecewise-rigid transform: a labelled region of the fixed image and its motion.</summary>
/// <param name="Label">The region's value in the fixed label map.</param>
/// <param name="FixedToMoving">The region's rigid motion, fixed → moving (LPS mm).</param>
public readonly record struct RigidPiece(byte Label, RigidTransform FixedToMoving);

/// <summary>
/// Builds the dense displacement field of a piecewise-rigid transform (each vertebra its own rigid motion): at a field
/// node inside piece i the displacement is exactly T_i(x) − x; elsewhere it is the inverse-distance blend
/// Σ w_i (T_i(x) − x) / Σ w_i with w_i = d_i^−p, d_i the distance (mm) to piece i, so the field is continuous, equals
/// each piece's motion on the piece and follows the nearer pieces more between them (Shepard interpolation, as used
/// for piecewise-rigid spine warps). Because trilinear interpolation reproduces affine displacements exactly, the
/// resulting transform is exactly rigid in every field cell whose 8 nodes lie inside one piece.
/// </summary>
public static class PiecewiseRigidField
{
    /// <summary>Most bytes the per-piece distance maps may take together; beyond it choose a coarser field grid.</summary>
    public const long MaximumDistanceBytes = 3L << 30;

    /// <summary>The field on <paramref name="grid"/> from the pieces, their regions given by <paramref name="labels"/> (any grid covering them).</summary>
    /// <param name="labels">Fixed-image label map holding the pieces' labels.</param>
    /// <param name="pieces">The rigid pieces (at least one; labels unique and present in the map).</param>
    /// <param name="grid">The field's grid (fixed space; e.g. the fixed image's grid or a coarser one).</param>
    /// <param name="power">Inverse-distance exponent p (≥ 1); larger keeps each piece's motion closer to it.</param>
    /// <param name="cancellationToken">Cancels between pieces and slices.</param>
    /// <exception cref="GeometryException">No pieces, duplicate or absent labels, or the distance maps would be too large.</exception>
    public static DisplacementField Build(Volume<byte> labels, IReadOnlyList<RigidPiece> pieces, VolumeGeometry grid, double power = 3,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentNullException.ThrowIfNull(grid);
        if (pieces.Count == 0) throw new GeometryException("A piecewise-rigid field needs at least one rigid piece.");
        if (!(power >= 1 && power <= 16)) throw new GeometryException($"The blending exponent must lie in 1..16 (got {power}).");
        var index = new int[256];
        Array.Fill(index, -1);
        for (int i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].Label == 0) throw new GeometryException("Label 0 is the background and cannot be a rigid piece.");
            if (index[pieces[i].Label] >= 0) throw new GeometryException($"Label {pieces[i].Label} is given twice.");
            index[pieces[i].Label] = i;
        }
        long bytes = (long)pieces.Count * grid.VoxelCount * sizeof(float);
        if (bytes > MaximumDistanceBytes)
            throw new GeometryException($"A field on {grid.Nx}×{grid.Ny}×{grid.Nz} nodes with {pieces.Count} pieces needs {bytes >> 20} MiB of distance maps (limit {MaximumDistanceBytes >> 20} MiB); choose a coarser field spacing.");
        var onGrid = labels.Geometry.ApproximatelyEquals(grid, 1e-4) ? labels : Resampler.Resample(labels, grid, null, InterpolationMode.Nearest);
        var present = new bool[256];
        foreach (byte v in onGrid.Data) present[v] = true;
        foreach (var p in pieces)
            if (!present[p.Label]) throw new GeometryException($"Label {p.Label} does not occur in the label map on the field grid; every rigid piece needs its region.");

        var distance = new float[pieces.Count][];
        for (int i = 0; i < pieces.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var flags = new bool[256];
            flags[pieces[i].Label] = true;
            distance[i] = DistanceTransform.Squared(onGrid, flags, cancellationToken).Data; // squared mm
        }
        var dx = new Volume<float>(grid);
        var dy = new Volume<float>(grid);
        var dz = new Volume<float>(grid);
        double half = power / 2; // w = (d²)^(−p/2)
        var lab = onGrid.Data;
        Parallel.For(0, grid.Nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            for (int j = 0; j < grid.Ny; j++)
                for (int i = 0; i < grid.Nx; i++)
                {
                    long n = grid.LinearIndex(i, j, k);
                    var x = grid.IndexToPhysical(i, j, k);
                    Vec3 d;
                    int own = index[lab[n]];
                    if (own >= 0) d = pieces[own].FixedToMoving.TransformPoint(x) - x;
                    else
                    {
                        var sum = Vec3.Zero;
                        double wsum = 0;
                        for (int q = 0; q < pieces.Count; q++)
                        {
                            double w = Math.Pow(Math.Max(distance[q][n], 1e-6), -half);
                            sum += (pieces[q].FixedToMoving.TransformPoint(x) - x) * w;
                            wsum += w;
                        }
                        d = sum / wsum;
                    }
                    dx.Data[n] = (float)d.X; dy.Data[n] = (float)d.Y; dz.Data[n] = (float)d.Z;
                }
        });
        return new DisplacementField(dx, dy, dz);
    }
}
