namespace ImageGuide.Dicom.Writing;

/// <summary>UID generation for written DICOM objects.</summary>
public static class DicomUid
{
    /// <summary>
    /// A fresh UID under the 2.25 root: "2.25." followed by a random (version 4) UUID read as one unsigned 128-bit
    /// decimal integer (ITU-T X.667 / PS3.5 B.2). At most 44 characters; thread-safe.
    /// </summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        UInt128 value = 0;
        foreach (byte b in bytes) value = (value << 8) | b;
        return "2.25." + value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
