namespace ImageGuide.Rendering;

/// <summary>All-or-nothing writing of a rendered file: a temporary file beside the target, then one rename.</summary>
internal static class RenderedFile
{
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        string temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                s.Write(bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
