using ImageGuide.Dicom.Writing;

namespace ImageGuide.Dicom.Network;

/// <summary>One instance received and filed (or refused) by a Storage SCP or a C-GET.</summary>
/// <param name="CallingAeTitle">The AE that sent it.</param>
/// <param name="SopClassUid">SOP Class UID.</param>
/// <param name="SopInstanceUid">SOP Instance UID.</param>
/// <param name="StudyInstanceUid">Study Instance UID (empty when refused before it was read).</param>
/// <param name="SeriesInstanceUid">Series Instance UID (empty when refused before it was read).</param>
/// <param name="Path">The filed Part 10 file, null when refused.</param>
/// <param name="DatasetBytes">Bytes of the data set as received.</param>
/// <param name="TransferSyntaxUid">The transfer syntax it was sent in (and is filed in).</param>
/// <param name="Status">The C-STORE-RSP status returned: 0 stored, 0x0111 a different instance with this UID is already filed, 0xA900 unreadable.</param>
/// <param name="Duplicate">The identical instance was already filed (nothing written; status success).</param>
/// <param name="Message">Why it was refused, or null.</param>
public sealed record StoredInstance(string CallingAeTitle, string SopClassUid, string SopInstanceUid,
    string StudyInstanceUid, string SeriesInstanceUid, string? Path, long DatasetBytes, string TransferSyntaxUid,
    ushort Status, bool Duplicate, string? Message);

/// <summary>
/// Files incoming instances as <c>ROOT/&lt;StudyUID&gt;/&lt;SeriesUID&gt;/&lt;SOPInstanceUID&gt;.dcm</c>: the data set is streamed
/// into a hidden temporary file under <c>ROOT/.incoming</c> behind a File Meta header (memory stays bounded), then
/// moved into place under its final name without ever replacing an existing file. A UID that is not a valid UID
/// (digits and dots, at most 64 characters) is refused, so no path can leave the root.
/// </summary>
internal sealed class DicomInstanceStore
{
    private readonly string _root;
    private readonly string _incoming;

    public DicomInstanceStore(string root)
    {
        _root = Path.GetFullPath(root);
        _incoming = Path.Combine(_root, ".incoming");
        Directory.CreateDirectory(_incoming);
    }

    /// <summary>The root folder.</summary>
    public string Root => _root;

    /// <summary>An instance being received: its temporary file, opened for the data set bytes.</summary>
    public sealed class Pending(string tempPath, FileStream stream, long headerLength) : IDisposable
    {
        public string TempPath { get; } = tempPath;
        public FileStream Stream { get; } = stream;
        public long HeaderLength { get; } = headerLength;

        /// <summary>Closes and deletes the temporary file (an aborted transfer leaves nothing behind).</summary>
        public void Dispose()
        {
            Stream.Dispose();
            try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Creates the temporary file with preamble and File Meta; the caller appends the data set.</summary>
    public Pending Begin(string sopClassUid, string sopInstanceUid, string transferSyntax, string callingAe)
    {
        string temp = Path.Combine(_incoming, Guid.NewGuid().ToString("N") + ".part");
        byte[] header = BuildHeader(sopClassUid, sopInstanceUid, transferSyntax, callingAe);
        var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        fs.Write(header);
        return new Pending(temp, fs, header.Length);
    }

    /// <summary>Files a completely received instance and says how; the temporary file is gone afterwards.</summary>
    public StoredInstance Complete(Pending pending, string sopClassUid, string sopInstanceUid, string transferSyntax, string callingAe)
    {
        long datasetBytes = pending.Stream.Length - pending.HeaderLength;
        pending.Stream.Flush();
        pending.Stream.Dispose();
        StoredInstance Refuse(ushort status, string message, string study = "", string series = "")
        {
            pending.Dispose();
            return new StoredInstance(callingAe, sopClassUid, sopInstanceUid, study, series, null, datasetBytes, transferSyntax, status, false, message);
        }
        if (!IsUid(sopInstanceUid)) return Refuse(DimseStatus.DatasetDoesNotMatchSopClass, $"the Affected SOP Instance UID '{sopInstanceUid}' is not a valid UID");
        string study, series;
        try
        {
            var file = DicomFile.ReadHeader(pending.TempPath);
            if (!file.Dataset.TryGetString(DicomTags.StudyInstanceUid, out study!) || !IsUid(study))
                return Refuse(DimseStatus.DatasetDoesNotMatchSopClass, "the data set has no valid Study Instance UID (0020,000D)");
            if (!file.Dataset.TryGetString(DicomTags.SeriesInstanceUid, out series!) || !IsUid(series))
                return Refuse(DimseStatus.DatasetDoesNotMatchSopClass, "the data set has no valid Series Instance UID (0020,000E)", study);
            if (file.Dataset.TryGetString(DicomTags.SopInstanceUid, out var inner) && inner != sopInstanceUid)
                return Refuse(DimseStatus.DatasetDoesNotMatchSopClass, $"the data set's SOP Instance UID {inner} differs from the command's {sopInstanceUid}", study, series);
        }
        catch (DicomException e)
        {
            return Refuse(DimseStatus.DatasetDoesNotMatchSopClass, "the data set cannot be read: " + e.Message);
        }
        string folder = Path.Combine(_root, study, series);
        Directory.CreateDirectory(folder);
        string final = Path.Combine(folder, sopInstanceUid + ".dcm");
        try
        {
            File.Move(pending.TempPath, final, overwrite: false); // atomic, fails when the name exists
            return new StoredInstance(callingAe, sopClassUid, sopInstanceUid, study, series, final, datasetBytes, transferSyntax, DimseStatus.Success, false, null);
        }
        catch (IOException) when (File.Exists(final))
        {
            bool same = SameDataset(pending.TempPath, pending.HeaderLength, final);
            pending.Dispose();
            return same
                ? new StoredInstance(callingAe, sopClassUid, sopInstanceUid, study, series, final, datasetBytes, transferSyntax, DimseStatus.Success, true, "identical instance already filed")
                : new StoredInstance(callingAe, sopClassUid, sopInstanceUid, study, series, null, datasetBytes, transferSyntax, DimseStatus.DuplicateSopInstance,
                    false, $"a different instance with this SOP Instance UID is already filed at {final}; it is kept");
        }
    }

    /// <summary>True when <paramref name="s"/> is a UID: 1–64 characters of digits and dots, no empty component.</summary>
    public static bool IsUid(string s)
    {
        if (s.Length is 0 or > 64 || s[0] == '.' || s[^1] == '.') return false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '.') { if (s[i - 1] == '.') return false; }
            else if (c is < '0' or > '9') return false;
        }
        return true;
    }

    private static bool SameDataset(string temp, long tempHeader, string existing)
    {
        long existingOffset = DatasetOffset(existing);
        using var a = File.OpenRead(temp);
        using var b = File.OpenRead(existing);
        if (existingOffset < 0 || a.Length - tempHeader != b.Length - existingOffset) return false;
        a.Position = tempHeader;
        b.Position = existingOffset;
        var x = new byte[1 << 16];
        var y = new byte[1 << 16];
        while (true)
        {
            int n = a.ReadAtLeast(x, x.Length, throwOnEndOfStream: false);
            if (n == 0) return true;
            b.ReadExactly(y, 0, n);
            if (!x.AsSpan(0, n).SequenceEqual(y.AsSpan(0, n))) return false;
        }
    }

    /// <summary>
    /// Offset of the data set in a Part 10 file: after the preamble, "DICM" and the File Meta elements (group 0002,
    /// always Explicit VR Little Endian); -1 when the file has no preamble or meta.
    /// </summary>
    public static long DatasetOffset(string path)
    {
        using var fs = File.OpenRead(path);
        var head = new byte[(int)Math.Min(fs.Length, 64 * 1024)];
        fs.ReadExactly(head);
        return DatasetOffset(head);
    }

    /// <summary>Offset of the data set after the File Meta in the first bytes of a Part 10 file; -1 when none is found.</summary>
    public static long DatasetOffset(ReadOnlySpan<byte> head)
    {
        if (head.Length < 132 || !head.Slice(128, 4).SequenceEqual("DICM"u8)) return -1;
        int pos = 132;
        while (head.Length - pos >= 8 && (head[pos] | head[pos + 1] << 8) == 0x0002)
        {
            char v0 = (char)head[pos + 4], v1 = (char)head[pos + 5];
            bool longForm = (v0, v1) is ('O', 'B') or ('O', 'W') or ('O', 'F') or ('S', 'Q') or ('U', 'T') or ('U', 'N') or ('U', 'C') or ('U', 'R') or ('O', 'D') or ('O', 'L') or ('O', 'V') or ('S', 'V') or ('U', 'V');
            long length;
            if (longForm)
            {
                if (head.Length - pos < 12) return -1;
                length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head[(pos + 8)..]);
                pos += 12;
            }
            else
            {
                length = head[pos + 6] | head[pos + 7] << 8;
                pos += 8;
            }
            if (length > head.Length - pos) return -1;
            pos += (int)length;
        }
        return pos;
    }

    private static byte[] BuildHeader(string sopClassUid, string sopInstanceUid, string transferSyntax, string callingAe)
    {
        var meta = new ExplicitVrLittleEndianWriter();
        meta.Binary(0x0002, 0x0001, "OB", [0, 1]);
        meta.Text(0x0002, 0x0002, "UI", sopClassUid);
        meta.Text(0x0002, 0x0003, "UI", sopInstanceUid);
        meta.Text(0x0002, 0x0010, "UI", transferSyntax);
        meta.Text(0x0002, 0x0012, "UI", DicomNetworkSettings.ImageGuideImplementationClassUid);
        meta.Text(0x0002, 0x0013, "SH", DicomNetworkSettings.ImageGuideImplementationVersion);
        meta.Text(0x0002, 0x0016, "AE", callingAe);
        byte[] metaBytes = meta.ToArray();
        var groupLength = new ExplicitVrLittleEndianWriter();
        groupLength.ULong(0x0002, 0x0000, (uint)metaBytes.Length);
        byte[] gl = groupLength.ToArray();
        var header = new byte[132 + gl.Length + metaBytes.Length];
        "DICM"u8.CopyTo(header.AsSpan(128));
        gl.CopyTo(header, 132);
        metaBytes.CopyTo(header, 132 + gl.Length);
        return header;
    }
}
