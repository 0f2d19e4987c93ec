namespace ImageGuide.Files;

/// <summary>
/// Writes a multi-file output (a DICOM series, a report folder) into a hidden sibling folder and renames it into place
/// when complete, so a kill or a full disk leaves the old state or nothing — never a part under the final name. Leftover
/// temporaries of earlier, interrupted writes to the same folder are removed first (one writer per output folder).
/// </summary>
public static class AtomicFolder
{
    /// <summary>
    /// Runs <paramref name="write"/> on a new temporary folder beside <paramref name="folder"/>, then moves it to
    /// <paramref name="folder"/>. Into an existing non-empty <paramref name="folder"/> only with
    /// <paramref name="overwrite"/>: once the new files are complete they are moved in one by one, replacing files of the
    /// same name and keeping the others (nothing else of the user's is deleted). On failure the temporary folder is
    /// removed and <paramref name="folder"/> is as it was.
    /// </summary>
    /// <exception cref="ImageGuideException">The folder holds files and <paramref name="overwrite"/> is false.</exception>
    public static void Write(string folder, bool overwrite, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(write);
        string final = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(final) ?? throw new ImageGuideException($"{folder}: cannot write to a root folder.");
        string name = Path.GetFileName(final);
        Directory.CreateDirectory(parent);
        RemoveLeftovers(parent, name);
        bool filled = Directory.Exists(final) && Directory.EnumerateFileSystemEntries(final).Any();
        if (filled && !overwrite)
            throw new ImageGuideException($"The folder {folder} is not empty; refusing to mix new output with its contents. Choose a new or empty folder, or overwrite it.");
        string temp = Path.Combine(parent, $".{name}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try { write(temp); }
        catch
        {
            TryDelete(temp);
            throw;
        }
        if (!filled)
        {
            if (Directory.Exists(final)) Directory.Delete(final); // empty
            Directory.Move(temp, final);
            return;
        }
        foreach (string file in Directory.EnumerateFiles(temp))
            File.Move(file, Path.Combine(final, Path.GetFileName(file)), overwrite: true);
        foreach (string dir in Directory.EnumerateDirectories(temp))
        {
            string target = Path.Combine(final, Path.GetFileName(dir));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(dir, target);
        }
        TryDelete(temp);
    }

    /// <summary>Removes the hidden temporaries that interrupted writes to <paramref name="name"/> left in <paramref name="parent"/>.</summary>
    internal static void RemoveLeftovers(string parent, string name)
    {
        foreach (string leftover in Directory.EnumerateDirectories(parent, $".{name}.partial-*")) TryDelete(leftover);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
