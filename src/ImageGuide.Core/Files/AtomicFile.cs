namespace ImageGuide.Files;

/// <summary>
/// Writes a file through a temporary file in the same folder and then moves it into place, so a reader never sees
/// a half-written file and a failed write never destroys an existing one.
/// </summary>
internal static class AtomicFile
{
    internal static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? throw new ImageGuideException($"{path}: cannot write to a root folder.");
        Directory.CreateDirectory(dir);
        // temporaries that killed writes of this file left behind go first (one writer per output file)
        foreach (string leftover in Directory.EnumerateFiles(dir, "." + Path.GetFileName(full) + ".*.tmp"))
            try { File.Delete(leftover); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
