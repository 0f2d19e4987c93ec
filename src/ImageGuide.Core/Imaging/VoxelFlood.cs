namespace ImageGuide.Imaging;

/// <summary>Flood fill over the 6-connected voxels of a grid (linear indices, i fastest).</summary>
internal static class VoxelFlood
{
    /// <summary>
    /// Grows from the voxels on <paramref name="stack"/> (already marked in <paramref name="reached"/>) into every
    /// 6-neighbour that is <paramref name="passable"/> and not yet reached, marking them; returns how many voxels were taken
    /// from the stack (the seeds included).
    /// </summary>
    public static long Fill(Stack<long> stack, bool[] reached, Func<long, bool> passable, VolumeGeometry g)
    {
        long nx = g.Nx, plane = nx * g.Ny, count = 0;
        while (stack.Count > 0)
        {
            long n = stack.Pop();
            count++;
            long i = n % nx, j = n / nx % g.Ny, k = n / plane;
            if (i > 0) Visit(n - 1);
            if (i < nx - 1) Visit(n + 1);
            if (j > 0) Visit(n - nx);
            if (j < g.Ny - 1) Visit(n + nx);
            if (k > 0) Visit(n - plane);
            if (k < g.Nz - 1) Visit(n + plane);
        }
        return count;

        void Visit(long m)
        {
            if (reached[m] || !passable(m)) return;
            reached[m] = true;
            stack.Push(m);
        }
    }
}
