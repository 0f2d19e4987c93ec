namespace ImageGuide.Imaging;

/// <summary>
/// The most memory one image read from a file may take, checked from its header before anything is allocated — so a
/// small corrupt or hostile file declaring a huge grid is refused with both numbers instead of exhausting memory.
/// Process-wide; raise it for very large images (<c>imageguide --max-image-memory GiB</c>).
/// </summary>
public static class ImageMemoryBudget
{
    /// <summary>
    /// Default of <see cref="MaxBytes"/>: 1 GiB — a 512 × 512 × 1024 CT series held as float fits (2048 slices stored as
    /// 16-bit NIfTI); a 1024³ 16-bit declaration (2 GiB) does not.
    /// </summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>Largest voxel buffer of one image, bytes (in the type it is held in).</summary>
    public static long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>Throws when <paramref name="voxels"/> voxels of <paramref name="bytesPerVoxel"/> bytes exceed <see cref="MaxBytes"/>.</summary>
    /// <param name="file">The file (or series) the image comes from, for the message.</param>
    /// <param name="voxels">Voxel count the header declares.</param>
    /// <param name="bytesPerVoxel">Bytes per voxel as held in memory.</param>
    /// <param name="what">What declares the size (e.g. "dim[1..3] = 1024×1024×1024 of Int16").</param>
    /// <exception cref="InvalidImageDataException">Over the budget.</exception>
    public static void Check(string file, long voxels, int bytesPerVoxel, string what)
    {
        double needed = (double)voxels * bytesPerVoxel;
        if (needed > MaxBytes)
            throw new InvalidImageDataException(
                $"{file}: {what} need {needed:N0} bytes of memory, more than the {MaxBytes:N0} bytes one image may take; " +
                "if the image really is this large, raise the budget (imageguide --max-image-memory GiB, or ImageMemoryBudget.MaxBytes).");
    }
}
