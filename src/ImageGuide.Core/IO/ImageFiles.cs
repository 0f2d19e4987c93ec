namespace ImageGuide.IO;

/// <summary>
/// Which files a volume path stands for: a MetaImage <c>.mhd</c> or NRRD <c>.nhdr</c> header names a detached data file,
/// so guarding an input or an output by its header path alone misses that file (a conversion could rewrite an input's
/// data through another header's name).
/// </summary>
public static class ImageFiles
{
    /// <summary>The files <paramref name="path"/> consists of: itself, and a detached header's data file when it names one.</summary>
    public static IReadOnlyList<string> Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var files = new List<string> { path };
        string? key = Extension(path) switch { ".mhd" => "ElementDataFile", ".nhdr" => "data file", _ => null };
        var info = new FileInfo(path);
        if (key is null || !info.Exists || info.Length is 0 or > 1 << 20) return files; // a header is small; anything else is not read here
        foreach (string line in File.ReadLines(path))
        {
            int sep = key == "ElementDataFile" ? line.IndexOf('=') : line.IndexOf(':');
            if (sep < 0 || !string.Equals(line[..sep].Trim(), key, StringComparison.OrdinalIgnoreCase)) continue;
            string name = line[(sep + 1)..].Trim();
            if (name.Length > 0 && !name.Equals("LOCAL", StringComparison.OrdinalIgnoreCase))
                files.Add(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, name)));
            break;
        }
        return files;
    }

    /// <summary>The files writing a volume to <paramref name="path"/> creates (<c>.mhd</c>: also name.raw / name.zraw; <c>.nhdr</c>: name.raw / name.raw.gz).</summary>
    public static IReadOnlyList<string> WrittenFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path));
        return Extension(path) switch
        {
            ".mhd" => [path, stem + ".raw", stem + ".zraw"],
            ".nhdr" => [path, stem + ".raw", stem + ".raw.gz"],
            _ => [path],
        };
    }

    private static string Extension(string path) => Path.GetExtension(path).ToLowerInvariant();
}
