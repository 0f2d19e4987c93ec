using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// Reads and writes transforms by extension: rigid ones as <c>.json</c> (<see cref="RigidTransformJson"/>) or anything
/// else (<see cref="ItkTransformFile"/>); <see cref="ReadAny"/> also reads displacement fields (<c>.nii</c>,
/// <c>.nii.gz</c>, <c>.mha</c>: <see cref="DisplacementFieldFile"/>).
/// </summary>
public static class TransformIO
{
    /// <summary>Reads a transform file.</summary>
    public static RigidTransform Read(string path) =>
        IsJson(path) ? RigidTransformJson.Read(path) : ItkTransformFile.Read(path);

    /// <summary>
    /// Reads a rigid transform file, or a displacement field when the path names an image (.nii, .nii.gz, .mha) —
    /// e.g. the <c>field.nii.gz</c> of a per-vertebra fusion. Both map fixed points to moving points.
    /// </summary>
    public static ISpatialTransform ReadAny(string path, CancellationToken cancellationToken = default) =>
        NiftiFormat.HasExtension(path) || path.EndsWith(".mha", StringComparison.OrdinalIgnoreCase)
            ? DisplacementFieldFile.Read(path, cancellationToken) : Read(path);

    /// <summary>Writes a transform file.</summary>
    public static void Write(RigidTransform transform, string path)
    {
        if (IsJson(path)) RigidTransformJson.Write(transform, path);
        else ItkTransformFile.Write(transform, path);
    }

    private static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
