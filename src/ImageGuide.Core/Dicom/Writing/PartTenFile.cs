namespace ImageGuide.Dicom.Writing;

/// <summary>Wraps an encoded Explicit VR Little Endian data set into a DICOM Part 10 file.</summary>
internal static class PartTenFile
{
    private const string ImplementationClassUid = "2.25.229012948393718407317004306473532466573";
    private const string ImplementationVersion = "IMAGEGUIDE_1";

    /// <summary>128-byte preamble, "DICM", the File Meta group (with its group length) and the data set.</summary>
    public static byte[] Build(string sopClassUid, string sopInstanceUid, byte[] dataset)
    {
        var meta = new ExplicitVrLittleEndianWriter();
        meta.Binary(0x0002, 0x0001, "OB", [0, 1]);
        meta.Text(0x0002, 0x0002, "UI", sopClassUid);
        meta.Text(0x0002, 0x0003, "UI", sopInstanceUid);
        meta.Text(0x0002, 0x0010, "UI", DicomSeriesWriter.ExplicitVrLittleEndian);
        meta.Text(0x0002, 0x0012, "UI", ImplementationClassUid);
        meta.Text(0x0002, 0x0013, "SH", ImplementationVersion);
        byte[] metaBytes = meta.ToArray();
        var groupLength = new ExplicitVrLittleEndianWriter();
        groupLength.ULong(0x0002, 0x0000, (uint)metaBytes.Length);
        byte[] gl = groupLength.ToArray();
        var file = new byte[128 + 4 + gl.Length + metaBytes.Length + dataset.Length];
        "DICM"u8.CopyTo(file.AsSpan(128));
        gl.CopyTo(file, 132);
        metaBytes.CopyTo(file, 132 + gl.Length);
        dataset.CopyTo(file, 132 + gl.Length + metaBytes.Length);
        return file;
    }
}
