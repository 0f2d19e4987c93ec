using System.Text;

namespace ImageGuide.Files;

/// <summary>
/// Opens and reads the files a user gives, bounded and typed: a missing file, a folder, an empty file or something that
/// is not a regular file (a FIFO, a device, a socket: all report length 0 and would block or never end) and a text file
/// larger than <see cref="MaxTextBytes"/> are refused with an <see cref="ImageGuideException"/> naming the file, before
/// anything is read; "cannot open" becomes one too.
/// </summary>
public static class InputFile
{
    /// <summary>Default of <see cref="MaxTextBytes"/>: 64 MiB, far above any transform, landmark list, manifest or table.</summary>
    public const long DefaultMaxTextBytes = 64L << 20;

    /// <summary>Largest text input read (transforms, landmarks, manifests, tables, presets, plans), bytes; process-wide.</summary>
    public static long MaxTextBytes { get; set; } = DefaultMaxTextBytes;

    /// <summary>Opens <paramref name="path"/> for reading after <see cref="RequireRegular"/>.</summary>
    /// <exception cref="ImageGuideException">Missing, a folder, empty or not a regular file, or cannot be opened.</exception>
    public static FileStream Open(string path, int bufferSize = 1 << 16)
    {
        RequireRegular(path);
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageGuideException($"{path}: cannot be opened ({e.Message}).", e);
        }
    }

    /// <summary>The text of <paramref name="path"/> (UTF-8, BOM honoured), at most <see cref="MaxTextBytes"/> bytes.</summary>
    /// <exception cref="ImageGuideException">Missing, a folder, empty or not a regular file, too large, or cannot be read.</exception>
    public static string ReadAllText(string path)
    {
        long length = RequireRegular(path);
        if (length > MaxTextBytes)
            throw new ImageGuideException($"{path}: {length:N0} bytes is more than the {MaxTextBytes:N0} bytes a text input may hold; is it the right file?");
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new StreamReader(fs, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[8192];
            var text = new StringBuilder((int)Math.Min(length, int.MaxValue));
            long total = 0;
            int n;
            // the file may grow while it is read: the cap holds for what is read, not only for what stat said
            while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                if ((total += n) > MaxTextBytes)
                    throw new ImageGuideException($"{path}: grew past the {MaxTextBytes:N0} bytes a text input may hold while it was read.");
                text.Append(buffer, 0, n);
            }
            return text.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageGuideException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is an existing regular file with content, and returns its length. Special
    /// files (FIFO, device, socket) report length 0 on every platform .NET runs on, so they are refused together with
    /// empty files, never opened.
    /// </summary>
    /// <exception cref="ImageGuideException">Missing, a folder, or empty / not a regular file.</exception>
    public static long RequireRegular(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new InvalidImageDataException(Directory.Exists(path) ? $"{path}: is a folder, not a file." : $"{path}: file not found.");
        long length = new FileInfo(path).Length;
        if (length == 0)
            throw new InvalidImageDataException($"{path}: is empty or not a regular file (a FIFO, device or socket is never read); give a file with content.");
        return length;
    }

    /// <summary>
    /// Let a MetaImage/NRRD header name a data file outside its own folder (an absolute path, or one through "..");
    /// off by default, so a header cannot make ImageGuide read any file on the machine; process-wide.
    /// </summary>
    public static bool AllowDataFilesOutsideHeaderFolder { get; set; }

    /// <summary>
    /// The detached data file <paramref name="dataFile"/> named by <paramref name="field"/> of the header at
    /// <paramref name="headerPath"/>: resolved against the header's folder, and refused when it lies outside it (unless
    /// <see cref="AllowDataFilesOutsideHeaderFolder"/>) or does not exist.
    /// </summary>
    /// <exception cref="InvalidImageDataException">The data file lies outside the header's folder or does not exist.</exception>
    public static string DataFileBeside(string headerPath, string dataFile, string field)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(headerPath))!;
        string dataPath = Path.GetFullPath(Path.Combine(folder, dataFile));
        if (!AllowDataFilesOutsideHeaderFolder && !dataPath.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidImageDataException($"{headerPath}: {field} '{dataFile}' lies outside the header's folder ({dataPath}); a detached data file is read only beside its header. Move it there, or allow it (InputFile.AllowDataFilesOutsideHeaderFolder).");
        if (!File.Exists(dataPath))
            throw new InvalidImageDataException($"{headerPath}: the data file '{dataFile}' named by {field} does not exist ({dataPath}).");
        return dataPath;
    }
}
