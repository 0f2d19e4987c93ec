using System.Diagnostics.CodeAnalysis;
using ImageGuide.Files;
using Microsoft.Win32.SafeHandles;

namespace ImageGuide.Dicom;

/// <summary>
/// A DICOM file: its file meta information, its data set, and access to its pixel data. Read the whole file
/// with <see cref="Read(string, DicomReadOptions?, CancellationToken)"/>, or only the header (everything before
/// the pixel data, whose bytes are then read lazily, one frame at a time) with <see cref="ReadHeader"/> /
/// <see cref="TryReadHeader(string, out DicomFile?, out string?)"/>. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Reads Part 10 files (128-byte preamble, "DICM", Explicit VR Little Endian group 0002) in Implicit VR Little
/// Endian, Explicit VR Little/Big Endian, Deflated Explicit VR Little Endian, and any encapsulated transfer syntax
/// (whose data set is Explicit VR Little Endian). Files without a preamble or file meta, and files whose meta lacks
/// (0002,0010), are read by guessing the encoding from the first element as pydicom does
/// (<see cref="IsTransferSyntaxInferred"/> is then true); a file with neither preamble nor meta must start with an
/// element of group 0008–0010, so that other files met while scanning folders are refused rather than misread.
/// </remarks>
public sealed class DicomFile
{
    private const int FirstChunk = 16 * 1024;

    private readonly DicomFileParser.Parsed _parsed;

    private DicomFile(string? filePath, DicomFileParser.Parsed parsed, bool isHeaderOnly, DicomReadOptions options)
    {
        FilePath = filePath;
        _parsed = parsed;
        IsHeaderOnly = isHeaderOnly;
        Options = options;
    }

    /// <summary>The file's path, or the source name given to <see cref="Read(ReadOnlyMemory{byte}, string?, DicomReadOptions?, CancellationToken)"/>.</summary>
    public string? FilePath { get; }

    /// <summary>The file meta information group (0002,xxxx); empty when the file has none.</summary>
    public DicomDataset FileMetaInformation => _parsed.Meta!;

    /// <summary>The data set (everything after the file meta group).</summary>
    public DicomDataset Dataset => _parsed.Dataset!;

    /// <summary>
    /// The transfer syntax the data set was read with: the file meta's (0002,0010) without padding, or the guessed
    /// one (Implicit VR LE, Explicit VR LE or Explicit VR BE) when <see cref="IsTransferSyntaxInferred"/>.
    /// </summary>
    public string TransferSyntaxUid => _parsed.TransferSyntaxUid;

    /// <summary>True when the file meta had no transfer syntax (or there was no file meta) and it was guessed.</summary>
    public bool IsTransferSyntaxInferred => _parsed.TransferSyntaxInferred;

    /// <summary>True when the file starts with the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble => _parsed.HasPreamble;

    /// <summary>True when only the header was read; pixel data is then read from the file on demand.</summary>
    public bool IsHeaderOnly { get; }

    /// <summary>Problems that did not stop reading (unsupported character set, duplicate elements, …).</summary>
    public IReadOnlyList<string> Warnings => _parsed.Warnings;

    /// <summary>True when the data set has top-level Pixel Data (7FE0,0010).</summary>
    public bool HasPixelData => Dataset.Contains(DicomTags.PixelData);

    internal DicomReadOptions Options { get; }

    internal DicomFileParser.Parsed Parsed => _parsed;

    /// <summary>Reads a whole DICOM file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Reading options; null for <see cref="DicomReadOptions.Default"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="DicomException">The file is truncated, corrupt, or not DICOM.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static DicomFile Read(string path, DicomReadOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        InputFile.RequireRegular(path);
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
            throw new DicomException($"the file is {length} bytes, larger than ImageGuide reads in one piece; read it with ReadHeader, which loads pixel data frame by frame.", path);
        byte[] bytes = new byte[length];
        ReadExactly(handle, bytes, 0, path);
        return FromBytes(bytes, length, path, headerOnly: false, partial: false, options, ct)!;
    }

    /// <summary>Reads a whole DICOM file held in memory.</summary>
    /// <param name="bytes">The file's bytes; element values refer to this memory, so do not modify it afterwards.</param>
    /// <param name="sourceName">A name for error messages (typically the file's path).</param>
    /// <param name="options">Reading options; null for <see cref="DicomReadOptions.Default"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="DicomException">The data is truncated, corrupt, or not DICOM.</exception>
    public static DicomFile Read(ReadOnlyMemory<byte> bytes, string? sourceName = null, DicomReadOptions? options = null,
        CancellationToken ct = default) =>
        FromBytes(bytes, bytes.Length, sourceName, headerOnly: false, partial: false, options, ct)!;

    /// <summary>
    /// Reads everything before the top-level Pixel Data, and the position and length of the pixel data, without
    /// reading the pixel bytes (only the file's first bytes are read, more if the header is long).
    /// </summary>
    /// <exception cref="DicomException">The header is truncated, corrupt, or not DICOM.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static DicomFile ReadHeader(string path, DicomReadOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        InputFile.RequireRegular(path);
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        long chunk = Math.Min(length, FirstChunk);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (chunk > Array.MaxLength)
                throw new DicomException($"the header (everything before the pixel data) is larger than {Array.MaxLength} bytes; the file is corrupt or not an image.", path);
            byte[] buffer = new byte[chunk];
            ReadExactly(handle, buffer, 0, path);
            bool partial = chunk < length;
            DicomFile? file = FromBytes(buffer, length, path, headerOnly: true, partial, options, ct);
            if (file is not null) return file;
            chunk = Math.Min(length, Math.Min(chunk * 4, Array.MaxLength + 1L));
        }
    }

    /// <summary>
    /// Reads the header as <see cref="ReadHeader"/> does, reporting failure instead of throwing.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="file">The header, when readable.</param>
    /// <param name="reason">Why the file could not be read, when it could not.</param>
    /// <returns>True when the header was read.</returns>
    public static bool TryReadHeader(string path, [NotNullWhen(true)] out DicomFile? file, [NotNullWhen(false)] out string? reason) =>
        TryReadHeader(path, null, out file, out reason);

    /// <summary>Reads the header with the given options, reporting failure instead of throwing.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Reading options; null for <see cref="DicomReadOptions.Default"/>.</param>
    /// <param name="file">The header, when readable.</param>
    /// <param name="reason">Why the file could not be read, when it could not.</param>
    /// <returns>True when the header was read.</returns>
    public static bool TryReadHeader(string path, DicomReadOptions? options, [NotNullWhen(true)] out DicomFile? file,
        [NotNullWhen(false)] out string? reason)
    {
        try
        {
            file = ReadHeader(path, options);
            reason = null;
            return true;
        }
        catch (Exception ex) when (ex is ImageGuideException or IOException or UnauthorizedAccessException)
        {
            file = null;
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// The pixel data of this file, ready to decode frame by frame.
    /// </summary>
    /// <exception cref="DicomException">The file has no pixel data, or its Image Pixel module is missing or invalid.</exception>
    public DicomPixelData GetPixelData() => DicomPixelData.Create(this);

    private static DicomFile? FromBytes(ReadOnlyMemory<byte> bytes, long fileLength, string? path, bool headerOnly,
        bool partial, DicomReadOptions? options, CancellationToken ct)
    {
        options ??= DicomReadOptions.Default;
        DicomFileParser.Parsed parsed = DicomFileParser.Parse(bytes, fileLength, path, headerOnly, partial, options, ct);
        return parsed.NeedsMoreData ? null : new DicomFile(path, parsed, headerOnly, options);
    }

    internal static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string? path)
    {
        while (!buffer.IsEmpty)
        {
            int n = RandomAccess.Read(handle, buffer, offset);
            if (n <= 0)
                throw new DicomException($"the file ended at byte {offset} while {buffer.Length} more bytes were expected; it was truncated or changed while being read.", path, null, offset);
            buffer = buffer[n..];
            offset += n;
        }
    }
}
