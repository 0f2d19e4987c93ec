namespace ImageGuide.IO;

/// <summary>Opens input files, turning "missing" and "cannot open" into <see cref="ImageGuideException"/>s that name the file.</summary>
internal static class InputFile
{
    internal static FileStream Open(string path, int bufferSize = 1 << 16)
    {
        Check(path);
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageGuideException($"{path}: cannot be opened ({e.Message}).", e);
        }
    }

    internal static string ReadAllText(string path)
    {
        Check(path);
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageGuideException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    private static void Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new InvalidImageDataException(Directory.Exists(path) ? $"{path}: is a folder, not a file." : $"{path}: file not found.");
    }
}
