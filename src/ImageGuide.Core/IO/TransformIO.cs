using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>Reads and writes rigid transforms by extension: <c>.json</c> as <see cref="RigidTransformJson"/>, anything else as <see cref="ItkTransformFile"/>.</summary>
public static class TransformIO
{
    /// <summary>Reads a transform file.</summary>
    public static RigidTransform Read(string path) =>
        IsJson(path) ? RigidTransformJson.Read(path) : ItkTransformFile.Read(path);

    /// <summary>Writes a transform file.</summary>
    public static void Write(RigidTransform transform, string path)
    {
        if (IsJson(path)) RigidTransformJson.Write(transform, path);
        else ItkTransformFile.Write(transform, path);
    }

    private static bool IsJson(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}
