using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Writing;

/// <summary>
/// Writes a volume as a DICOM series, one Part 10 file per slice, Explicit VR Little Endian:
/// <list type="bullet">
/// <item><c>Volume&lt;float&gt;</c> and <c>Volume&lt;short&gt;</c> as CT Image Storage (1.2.840.10008.5.1.4.1.1.2) or MR
/// Image Storage (1.2.840.10008.5.1.4.1.1.4): 16-bit signed MONOCHROME2 with Rescale Slope/Intercept — exact
/// (slope 1) for integer values that fit in a short, otherwise quantised over the value range with a worst error of
/// (max − min) / 131070;</item>
/// <item><c>Volume&lt;byte&gt;</c> label maps as Secondary Capture Image Storage (1.2.840.10008.5.1.4.1.1.7), 8-bit
/// unsigned MONOCHROME2, Modality OT, carrying the Image Plane attributes (a standard extended SOP class) so they
/// reload onto the same grid; values are the labels, no rescale.</item>
/// </list>
/// Every slice carries Image Position (Patient) = the voxel (0,0,k) centre, Image Orientation (Patient) = the i and
/// j axes, Pixel Spacing = [j spacing, i spacing], Slice Thickness and Spacing Between Slices = k spacing, and a
/// shared Frame of Reference UID. The Series and SOP Instance UIDs are always fresh (2.25 scheme); the Study and
/// Frame of Reference UIDs come from the options, the metadata, or are fresh. A volume whose axes are left-handed
/// (det Direction &lt; 0) reads back as the same voxels on a right-handed grid with k reversed.
/// Descriptions and the patient ID are written as Long Strings: cut to 64 characters, backslashes replaced by '/'.
/// Files are never overwritten silently: a folder holding any entry is refused unless
/// <see cref="DicomSeriesWriterOptions.Overwrite"/> is set. Thread-safe (no shared state).
/// </summary>
public static class DicomSeriesWriter
{
    /// <summary>CT Image Storage SOP Class UID.</summary>
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    /// <summary>MR Image Storage SOP Class UID.</summary>
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    /// <summary>Secondary Capture Image Storage SOP Class UID.</summary>
    public const string SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";
    /// <summary>Explicit VR Little Endian transfer syntax UID.</summary>
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Writes float voxels (e.g. HU) as a CT or MR series; returns the file paths in slice order.</summary>
    /// <param name="volume">The volume; its values must be finite.</param>
    /// <param name="folder">Target folder; created when missing, refused when not empty unless overwriting.</param>
    /// <param name="options">Identifiers, descriptions, modality, overwrite flag.</param>
    /// <param name="progress">Fraction of slices written, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between slices (nothing appears under the folder's name: the series is built beside it and moved in when complete).</param>
    public static IReadOnlyList<string> Write(Volume<float> volume, string folder, DicomSeriesWriterOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var q = PixelQuantizer.For(volume);
        var data = volume.Data;
        return WriteCore(volume.Geometry, volume.Metadata, folder, options ?? DicomSeriesWriterOptions.Default, Kind(volume.Metadata, options),
            q.Slope, q.Intercept, (q.Min, q.Max), (start, dst) =>
            {
                for (int n = 0; n < dst.Length / 2; n++) BinaryPrimitives.WriteInt16LittleEndian(dst[(2 * n)..], q.Store(data[start + n]));
            }, progress, cancellationToken);
    }

    /// <summary>Writes short voxels exactly (slope 1, intercept 0) as a CT or MR series; returns the file paths in slice order.</summary>
    /// <param name="volume">The volume.</param>
    /// <param name="folder">Target folder; created when missing, refused when not empty unless overwriting.</param>
    /// <param name="options">Identifiers, descriptions, modality, overwrite flag.</param>
    /// <param name="progress">Fraction of slices written, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between slices (nothing appears under the folder's name: the series is built beside it and moved in when complete).</param>
    public static IReadOnlyList<string> Write(Volume<short> volume, string folder, DicomSeriesWriterOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var data = volume.Data;
        return WriteCore(volume.Geometry, volume.Metadata, folder, options ?? DicomSeriesWriterOptions.Default, Kind(volume.Metadata, options),
            1, 0, Range<short>(data), (start, dst) =>
            {
                for (int n = 0; n < dst.Length / 2; n++) BinaryPrimitives.WriteInt16LittleEndian(dst[(2 * n)..], data[start + n]);
            }, progress, cancellationToken);
    }

    /// <summary>Writes a label map as an 8-bit Secondary Capture series on the same grid; returns the file paths in slice order.</summary>
    /// <param name="labels">Label values per voxel.</param>
    /// <param name="folder">Target folder; created when missing, refused when not empty unless overwriting.</param>
    /// <param name="options">Identifiers, descriptions, overwrite flag (Modality is ignored: OT).</param>
    /// <param name="progress">Fraction of slices written, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between slices (nothing appears under the folder's name: the series is built beside it and moved in when complete).</param>
    public static IReadOnlyList<string> WriteLabels(Volume<byte> labels, string folder, DicomSeriesWriterOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var data = labels.Data;
        var kind = new SeriesKind(SecondaryCaptureImageStorage, "OT", 8, false, null);
        return WriteCore(labels.Geometry, labels.Metadata, folder, options ?? DicomSeriesWriterOptions.Default, kind,
            1, 0, Range<byte>(data), (start, dst) => data.AsSpan(start, dst.Length).CopyTo(dst), progress, cancellationToken);
    }

    private readonly record struct SeriesKind(string SopClassUid, string Modality, int Bits, bool Signed, string? RescaleType);

    private static SeriesKind Kind(ImageMetadata md, DicomSeriesWriterOptions? options)
    {
        string? modality = (options?.Modality ?? md.Modality)?.Trim().ToUpperInvariant();
        return modality switch
        {
            "CT" => new SeriesKind(CtImageStorage, "CT", 16, true, "HU"),
            "MR" => new SeriesKind(MrImageStorage, "MR", 16, true, "US"),
            _ => throw new UnsupportedFormatException(
                $"Cannot write modality '{modality ?? "(none)"}' as a DICOM image series: only CT and MR Image Storage are written. Set DicomSeriesWriterOptions.Modality to \"CT\" or \"MR\"."),
        };
    }

    private static (double Min, double Max) Range<T>(T[] data) where T : unmanaged, INumber<T>
    {
        if (data.Length == 0) return (0, 0);
        T min = data[0], max = data[0];
        foreach (var v in data)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (double.CreateTruncating(min), double.CreateTruncating(max));
    }

    private static IReadOnlyList<string> WriteCore(VolumeGeometry g, ImageMetadata md, string folder, DicomSeriesWriterOptions o, SeriesKind kind,
        double slope, double intercept, (double Min, double Max) range, Action<int, Span<byte>> fillSlice,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (g.Nx > ushort.MaxValue || g.Ny > ushort.MaxValue)
            throw new UnsupportedFormatException($"A {g.Nx}×{g.Ny} slice exceeds the 65535 rows/columns a DICOM image can hold; crop or downsample the volume.");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !o.Overwrite)
            throw new ImageGuideException($"The folder {folder} is not empty; refusing to mix a new DICOM series with its contents. Choose an empty folder or set DicomSeriesWriterOptions.Overwrite.");

        string studyUid = o.StudyInstanceUid ?? md.StudyInstanceUid ?? DicomUid.Generate();
        string seriesUid = o.SeriesInstanceUid ?? DicomUid.Generate();
        if (seriesUid.Length > 60)
            throw new ImageGuideException($"Series Instance UID '{seriesUid}' is too long to derive instance UIDs from (at most 60 characters).");
        string forUid = o.FrameOfReferenceUid ?? md.FrameOfReferenceUid ?? DicomUid.Generate();
        double wc = md.WindowCenter ?? (range.Min + range.Max) / 2;
        double ww = md.WindowWidth ?? Math.Max(1, range.Max - range.Min);
        var shared = new SeriesText(studyUid, seriesUid, forUid, o.PatientName ?? md.PatientName, o.PatientId ?? md.PatientId,
            o.StudyDescription ?? md.StudyDescription, o.SeriesDescription ?? md.SeriesDescription, o.SeriesNumber ?? md.SeriesNumber ?? 1, wc, ww);

        int plane = g.Nx * g.Ny;
        var pixels = new byte[plane * (kind.Bits / 8)];
        int digits = Math.Max(4, g.Nz.ToString(CultureInfo.InvariantCulture).Length);
        var names = new string[g.Nz];
        // the series is complete in a hidden sibling folder before it appears under its name (a replaced one goes whole)
        AtomicFolder.Write(folder, o.Overwrite, temp =>
        {
            for (int k = 0; k < g.Nz; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                fillSlice(checked(k * plane), pixels);
                string sopUid = o.SeriesInstanceUid is null ? DicomUid.Generate() : string.Create(CultureInfo.InvariantCulture, $"{seriesUid}.{k + 1}");
                var ds = Dataset(g, k, kind, shared, sopUid, slope, intercept, pixels);
                var file = PartTenFile.Build(kind.SopClassUid, sopUid, ds);
                names[k] = o.FilePrefix + (k + 1).ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + ".dcm";
                using (var fs = new FileStream(Path.Combine(temp, names[k]), FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    fs.Write(file);
                progress?.Report((k + 1.0) / g.Nz);
            }
        });
        return Array.ConvertAll(names, n => Path.Combine(folder, n));
    }

    private sealed record SeriesText(string StudyUid, string SeriesUid, string FrameOfReferenceUid, string? PatientName, string? PatientId,
        string? StudyDescription, string? SeriesDescription, int SeriesNumber, double WindowCenter, double WindowWidth);

    /// <summary>A Long String value: at most 64 characters, no backslash (the value delimiter), no control characters.</summary>
    private static string LongString(string value)
    {
        var chars = value.Replace('\\', '/').Where(ch => !char.IsControl(ch)).ToArray();
        return new string(chars, 0, Math.Min(chars.Length, 64)).Trim();
    }

    private static byte[] Dataset(VolumeGeometry g, int k, SeriesKind kind, SeriesText t, string sopUid, double slope, double intercept, byte[] pixels)
    {
        bool ct = kind.SopClassUid == CtImageStorage, mr = kind.SopClassUid == MrImageStorage, sc = !ct && !mr;
        Vec3 ipp = g.IndexToPhysical(0, 0, k);
        Vec3 r = g.Direction.Column(0), c = g.Direction.Column(1);
        var w = new ExplicitVrLittleEndianWriter();
        w.Text(0x0008, 0x0005, "CS", "ISO_IR 192");
        w.Text(0x0008, 0x0008, "CS", mr ? @"DERIVED\SECONDARY\OTHER" : @"DERIVED\SECONDARY\AXIAL");
        w.Text(0x0008, 0x0016, "UI", kind.SopClassUid);
        w.Text(0x0008, 0x0018, "UI", sopUid);
        w.Text(0x0008, 0x0020, "DA", "");
        w.Text(0x0008, 0x0030, "TM", "");
        w.Text(0x0008, 0x0050, "SH", "");
        w.Text(0x0008, 0x0060, "CS", kind.Modality);
        if (sc) w.Text(0x0008, 0x0064, "CS", "WSD");
        w.Text(0x0008, 0x0070, "LO", "ImageGuide");
        w.Text(0x0008, 0x0090, "PN", "");
        if (t.StudyDescription is not null) w.Text(0x0008, 0x1030, "LO", LongString(t.StudyDescription));
        if (t.SeriesDescription is not null) w.Text(0x0008, 0x103E, "LO", LongString(t.SeriesDescription));
        w.Text(0x0010, 0x0010, "PN", t.PatientName ?? "");
        w.Text(0x0010, 0x0020, "LO", LongString(t.PatientId ?? ""));
        w.Text(0x0010, 0x0030, "DA", "");
        w.Text(0x0010, 0x0040, "CS", "");
        if (mr)
        {
            w.Text(0x0018, 0x0020, "CS", "RM");
            w.Text(0x0018, 0x0021, "CS", "NONE");
            w.Text(0x0018, 0x0022, "CS", "");
            w.Text(0x0018, 0x0023, "CS", "3D");
        }
        w.Decimal(0x0018, 0x0050, g.Spacing.Z);
        if (ct) w.Text(0x0018, 0x0060, "DS", "");
        if (mr) w.Text(0x0018, 0x0080, "DS", ""); // Repetition Time, 2C: unknown for a derived volume
        if (mr) w.Text(0x0018, 0x0081, "DS", "");
        w.Decimal(0x0018, 0x0088, g.Spacing.Z);
        if (mr) w.Text(0x0018, 0x0091, "IS", "");
        if (ct || mr) w.Text(0x0018, 0x5100, "CS", ""); // Patient Position, 2C for CT and MR: not known after resampling
        w.Text(0x0020, 0x000D, "UI", t.StudyUid);
        w.Text(0x0020, 0x000E, "UI", t.SeriesUid);
        w.Text(0x0020, 0x0010, "SH", "");
        w.Integer(0x0020, 0x0011, t.SeriesNumber);
        if (ct || mr) w.Text(0x0020, 0x0012, "IS", "");
        w.Integer(0x0020, 0x0013, k + 1);
        w.Text(0x0020, 0x0020, "CS", "");
        w.Decimal(0x0020, 0x0032, ipp.X, ipp.Y, ipp.Z);
        w.Decimal(0x0020, 0x0037, r.X, r.Y, r.Z, c.X, c.Y, c.Z);
        w.Text(0x0020, 0x0052, "UI", t.FrameOfReferenceUid);
        w.Text(0x0020, 0x0060, "CS", ""); // Laterality, 2C: a volume is not one of a paired structure
        w.Text(0x0020, 0x1040, "LO", "");
        w.UShort(0x0028, 0x0002, 1);
        w.Text(0x0028, 0x0004, "CS", "MONOCHROME2");
        w.UShort(0x0028, 0x0010, (ushort)g.Ny);
        w.UShort(0x0028, 0x0011, (ushort)g.Nx);
        w.Decimal(0x0028, 0x0030, g.Spacing.Y, g.Spacing.X);
        w.UShort(0x0028, 0x0100, (ushort)kind.Bits);
        w.UShort(0x0028, 0x0101, (ushort)kind.Bits);
        w.UShort(0x0028, 0x0102, (ushort)(kind.Bits - 1));
        w.UShort(0x0028, 0x0103, kind.Signed ? (ushort)1 : (ushort)0);
        w.Decimal(0x0028, 0x1050, t.WindowCenter);
        w.Decimal(0x0028, 0x1051, t.WindowWidth);
        if (!sc)
        {
            w.Decimal(0x0028, 0x1052, intercept);
            w.Decimal(0x0028, 0x1053, slope);
            w.Text(0x0028, 0x1054, "LO", kind.RescaleType);
        }
        w.Binary(0x7FE0, 0x0010, kind.Bits == 8 ? "OB" : "OW", pixels);
        return w.ToArray();
    }
}
