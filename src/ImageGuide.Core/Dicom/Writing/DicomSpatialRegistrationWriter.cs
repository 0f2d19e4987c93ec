using System.Globalization;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Writing;

/// <summary>Settings of <see cref="DicomSpatialRegistrationWriter"/>.</summary>
public sealed record DicomSpatialRegistrationOptions
{
    /// <summary>Defaults: refuse an existing file, fresh UIDs, the fixed series' study.</summary>
    public static DicomSpatialRegistrationOptions Default { get; } = new();

    /// <summary>Replace an existing file (default false: an existing file is refused).</summary>
    public bool Overwrite { get; init; }
    /// <summary>Patient's Name (should match the referenced series').</summary>
    public string? PatientName { get; init; }
    /// <summary>Patient ID (should match the referenced series').</summary>
    public string? PatientId { get; init; }
    /// <summary>Study Instance UID of the REG object; null: the fixed series' study, else a fresh one.</summary>
    public string? StudyInstanceUid { get; init; }
    /// <summary>Series Instance UID; null: fresh.</summary>
    public string? SeriesInstanceUid { get; init; }
    /// <summary>SOP Instance UID; null: fresh.</summary>
    public string? SopInstanceUid { get; init; }
    /// <summary>Series Description.</summary>
    public string SeriesDescription { get; init; } = "ImageGuide rigid registration";
    /// <summary>Content Description (0070,0081), e.g. the preset and metric.</summary>
    public string? ContentDescription { get; init; }
    /// <summary>Series Number.</summary>
    public int SeriesNumber { get; init; } = 900;
    /// <summary>Content Date/Time; null: now (UTC).</summary>
    public DateTime? ContentDateTime { get; init; }
}

/// <summary>
/// Writes a rigid registration as a DICOM Spatial Registration object (REG, SOP Class 1.2.840.10008.5.1.4.1.1.66.1,
/// PS3.3 A.39 / C.20.2), the form navigation and planning systems import.
/// <para>
/// <b>Convention.</b> The REG object's own Frame of Reference (0020,0052) is the <i>registration's reference frame</i>:
/// the fixed series' frame. Its Registration Sequence holds one item per frame: the fixed frame with the identity,
/// and the moving (registered) frame with the Frame of Reference Transformation Matrix that maps <b>moving-frame
/// coordinates into the fixed frame</b> — x_fixed = M · x_moving (homogeneous, row-major, 16 DS values, type RIGID).
/// ImageGuide's registration result maps fixed → moving (ITK convention), so M is its <b>inverse</b>
/// (<see cref="RegistrationMatrix"/>).
/// </para>
/// Referenced series with image lists go in the Referenced Series Sequence (0008,1115), or in the Studies
/// Containing Other Referenced Instances Sequence (0008,1200) when they belong to another study. Explicit VR Little
/// Endian. Thread-safe (no shared state).
/// </summary>
public static class DicomSpatialRegistrationWriter
{
    /// <summary>Spatial Registration Storage SOP Class UID.</summary>
    public const string SpatialRegistrationStorage = "1.2.840.10008.5.1.4.1.1.66.1";

    /// <summary>
    /// The REG matrix for a fixed → moving transform: the 4×4 (row-major) that maps moving-frame points to
    /// fixed-frame points, i.e. the transform's inverse.
    /// </summary>
    public static double[] RegistrationMatrix(RigidTransform fixedToMoving)
    {
        ArgumentNullException.ThrowIfNull(fixedToMoving);
        var m = fixedToMoving.Inverse().ToMatrix4x4();
        var values = new double[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) values[4 * r + c] = m[r, c];
        return values;
    }

    /// <summary>
    /// Writes the REG object for <paramref name="fixedToMoving"/> (fixed → moving, as <c>RigidRegistration</c> returns)
    /// to <paramref name="path"/>; returns its SOP Instance UID.
    /// </summary>
    /// <exception cref="ImageGuideException">Both series share one frame of reference, or the file exists and overwriting is off.</exception>
    public static string Write(string path, RigidTransform fixedToMoving, DicomSeriesReference fixedSeries, DicomSeriesReference movingSeries,
        DicomSpatialRegistrationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(fixedToMoving);
        ArgumentNullException.ThrowIfNull(fixedSeries);
        ArgumentNullException.ThrowIfNull(movingSeries);
        var o = options ?? DicomSpatialRegistrationOptions.Default;
        if (string.Equals(fixedSeries.FrameOfReferenceUid, movingSeries.FrameOfReferenceUid, StringComparison.Ordinal))
            throw new ImageGuideException($"Both series share the Frame of Reference UID {fixedSeries.FrameOfReferenceUid}: a spatial registration relates two different frames, and these already share patient coordinates. Write the transform as .tfm or .json instead.");
        if (File.Exists(path) && !o.Overwrite)
            throw new ImageGuideException($"{path} exists; refusing to overwrite it. Choose another name or enable overwriting.");

        string sopUid = o.SopInstanceUid ?? DicomUid.Generate();
        string studyUid = o.StudyInstanceUid ?? fixedSeries.StudyInstanceUid ?? DicomUid.Generate();
        var when = o.ContentDateTime ?? DateTime.UtcNow;
        var w = new ExplicitVrLittleEndianWriter();
        w.Text(0x0008, 0x0005, "CS", "ISO_IR 192");
        w.Text(0x0008, 0x0016, "UI", SpatialRegistrationStorage);
        w.Text(0x0008, 0x0018, "UI", sopUid);
        w.Text(0x0008, 0x0020, "DA", "");
        w.Text(0x0008, 0x0023, "DA", when.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        w.Text(0x0008, 0x0030, "TM", "");
        w.Text(0x0008, 0x0033, "TM", when.ToString("HHmmss", CultureInfo.InvariantCulture));
        w.Text(0x0008, 0x0050, "SH", "");
        w.Text(0x0008, 0x0060, "CS", "REG");
        w.Text(0x0008, 0x0070, "LO", "ImageGuide");
        w.Text(0x0008, 0x0090, "PN", "");
        w.Text(0x0008, 0x103E, "LO", LongString(o.SeriesDescription));
        var series = new[] { fixedSeries, movingSeries }.Where(s => s.SeriesInstanceUid is not null && s.Instances.Count > 0)
            .DistinctBy(s => s.SeriesInstanceUid).ToList();
        var sameStudy = series.Where(s => s.StudyInstanceUid is null || s.StudyInstanceUid == studyUid).ToList();
        var otherStudies = series.Except(sameStudy).GroupBy(s => s.StudyInstanceUid!).ToList();
        if (sameStudy.Count > 0) w.Sequence(0x0008, 0x1115, [.. sameStudy.Select(ReferencedSeriesItem)]);
        if (otherStudies.Count > 0)
            w.Sequence(0x0008, 0x1200, [.. otherStudies.Select(g =>
            {
                var item = new ExplicitVrLittleEndianWriter();
                item.Sequence(0x0008, 0x1115, [.. g.Select(ReferencedSeriesItem)]);
                item.Text(0x0020, 0x000D, "UI", g.Key);
                return item.ToArray();
            })]);
        w.Text(0x0010, 0x0010, "PN", o.PatientName ?? "");
        w.Text(0x0010, 0x0020, "LO", LongString(o.PatientId ?? ""));
        w.Text(0x0010, 0x0030, "DA", "");
        w.Text(0x0010, 0x0040, "CS", "");
        w.Text(0x0020, 0x000D, "UI", studyUid);
        w.Text(0x0020, 0x000E, "UI", o.SeriesInstanceUid ?? DicomUid.Generate());
        w.Text(0x0020, 0x0010, "SH", "");
        w.Integer(0x0020, 0x0011, o.SeriesNumber);
        w.Integer(0x0020, 0x0013, 1);
        w.Text(0x0020, 0x0052, "UI", fixedSeries.FrameOfReferenceUid);
        w.Text(0x0020, 0x0060, "CS", ""); // Laterality (2C): unknown
        w.Text(0x0020, 0x1040, "LO", "");
        w.Text(0x0070, 0x0080, "CS", "REGISTRATION");
        w.Text(0x0070, 0x0081, "LO", LongString(o.ContentDescription ?? "Rigid registration (fixed frame = registration frame)"));
        w.Text(0x0070, 0x0084, "PN", "");
        double[] identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        w.Sequence(0x0070, 0x0308,
            RegistrationItem(fixedSeries, identity, "fixed (reference) frame"),
            RegistrationItem(movingSeries, RegistrationMatrix(fixedToMoving), "moving frame to fixed frame"));
        var file = PartTenFile.Build(SpatialRegistrationStorage, sopUid, w.ToArray());
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using (var fs = new FileStream(path, o.Overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.None))
            fs.Write(file);
        return sopUid;
    }

    private static byte[] ReferencedSeriesItem(DicomSeriesReference s)
    {
        var item = new ExplicitVrLittleEndianWriter();
        item.Sequence(0x0008, 0x114A, [.. s.Instances.Select(i =>
        {
            var r = new ExplicitVrLittleEndianWriter();
            r.Text(0x0008, 0x1150, "UI", i.SopClassUid);
            r.Text(0x0008, 0x1155, "UI", i.SopInstanceUid);
            return r.ToArray();
        })]);
        item.Text(0x0020, 0x000E, "UI", s.SeriesInstanceUid);
        return item.ToArray();
    }

    /// <summary>
    /// Registration Sequence item: the images it applies to (when known; the Common Instance Reference module lists
    /// the same ones), the frame, Matrix Registration Sequence → Matrix Sequence → matrix (RIGID).
    /// </summary>
    private static byte[] RegistrationItem(DicomSeriesReference series, double[] matrix, string comment)
    {
        var m = new ExplicitVrLittleEndianWriter();
        m.Text(0x0070, 0x030C, "CS", "RIGID");
        m.Decimal(0x3006, 0x00C6, matrix);
        var reg = new ExplicitVrLittleEndianWriter();
        reg.Sequence(0x0070, 0x030A, m.ToArray());
        reg.Sequence(0x0070, 0x030D);
        reg.Text(0x3006, 0x00C8, "LO", comment);
        var item = new ExplicitVrLittleEndianWriter();
        if (series.SeriesInstanceUid is not null && series.Instances.Count > 0)
            item.Sequence(0x0008, 0x1140, [.. series.Instances.Select(i =>
            {
                var r = new ExplicitVrLittleEndianWriter();
                r.Text(0x0008, 0x1150, "UI", i.SopClassUid);
                r.Text(0x0008, 0x1155, "UI", i.SopInstanceUid);
                return r.ToArray();
            })]);
        item.Text(0x0020, 0x0052, "UI", series.FrameOfReferenceUid);
        item.Sequence(0x0070, 0x0309, reg.ToArray());
        return item.ToArray();
    }

    private static string LongString(string value)
    {
        var chars = value.Replace('\\', '/').Where(ch => !char.IsControl(ch)).ToArray();
        return new string(chars, 0, Math.Min(chars.Length, 64)).Trim();
    }
}
