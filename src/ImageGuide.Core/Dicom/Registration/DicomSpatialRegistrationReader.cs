using System.Diagnostics.CodeAnalysis;
using ImageGuide.Dicom.Series;
using ImageGuide.Dicom.Writing;

namespace ImageGuide.Dicom.Registration;

/// <summary>
/// Reads DICOM Spatial Registration objects (REG; PS3.3 C.20.2): the Registration Sequence (0070,0308), each item's
/// Frame of Reference UID and its Matrix Registration Sequence (0070,0309) → Matrix Sequence (0070,030A) →
/// Frame of Reference Transformation Matrix (3006,00C6) and Type (0070,030C). Several matrices in one Matrix
/// Sequence are composed in order (the first item applied first). Thread-safe (no shared state).
/// </summary>
public static class DicomSpatialRegistrationReader
{
    private static readonly DicomTag RegistrationSequence = new(0x0070, 0x0308);
    private static readonly DicomTag MatrixRegistrationSequence = new(0x0070, 0x0309);
    private static readonly DicomTag MatrixSequence = new(0x0070, 0x030A);
    private static readonly DicomTag MatrixType = new(0x0070, 0x030C);
    private static readonly DicomTag TransformationMatrix = new(0x3006, 0x00C6);
    private static readonly DicomTag ContentDescription = new(0x0070, 0x0081);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    /// <summary>Reads the REG object in <paramref name="path"/>.</summary>
    /// <exception cref="DicomException">The file is not DICOM, not a Spatial Registration object, or its registration is malformed (the message says which element).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DicomSpatialRegistration Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = DicomFile.ReadHeader(path);
        return FromDataset(file.Dataset, path);
    }

    /// <summary>Reads <paramref name="path"/> as a REG object, reporting why not instead of throwing.</summary>
    public static bool TryRead(string path, [NotNullWhen(true)] out DicomSpatialRegistration? registration, [NotNullWhen(false)] out string? reason)
    {
        try
        {
            registration = Read(path);
            reason = null;
            return true;
        }
        catch (Exception e) when (e is ImageGuideException or IOException or UnauthorizedAccessException)
        {
            registration = null;
            reason = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Every Spatial Registration object in a folder (searched recursively, links not followed) or the file itself,
    /// sorted by path. Files that are not DICOM, or DICOM of another SOP class, are passed over; a REG object that
    /// cannot be read is reported in <paramref name="problems"/> rather than guessed at.
    /// </summary>
    public static IReadOnlyList<DicomSpatialRegistration> FindIn(string path, out IReadOnlyList<string> problems, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var found = new List<DicomSpatialRegistration>();
        var bad = new List<string>();
        problems = bad;
        string[] files = DicomSeriesScanner.FilesUnder(path) ?? [];
        foreach (string f in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!DicomFile.TryReadHeader(f, out var file, out _)) continue;
            if (!file.Dataset.TryGetString(DicomTags.SopClassUid, out var sopClass) || sopClass.Trim() != DicomSpatialRegistrationWriter.SpatialRegistrationStorage) continue;
            try { found.Add(FromDataset(file.Dataset, f)); }
            catch (DicomException e) { bad.Add(e.Message); }
        }
        return found;
    }

    /// <summary>The registration in a parsed dataset.</summary>
    /// <exception cref="DicomException">Not a REG object, or its registration is malformed.</exception>
    public static DicomSpatialRegistration FromDataset(DicomDataset dataset, string? sourcePath = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!dataset.TryGetString(DicomTags.SopClassUid, out var sopClass) || sopClass.Trim() != DicomSpatialRegistrationWriter.SpatialRegistrationStorage)
            throw new DicomException($"not a Spatial Registration object (SOP Class UID {sopClass ?? "missing"}, expected {DicomSpatialRegistrationWriter.SpatialRegistrationStorage}); give the REG file that relates the two frames of reference.", sourcePath);
        if (!dataset.TryGetString(DicomTags.FrameOfReferenceUid, out var regFrame) || string.IsNullOrWhiteSpace(regFrame))
            throw new DicomException("the Spatial Registration object has no Frame of Reference UID (0020,0052), so its matrices map into an unknown frame.", sourcePath);
        if (!dataset.TryGetSequence(RegistrationSequence, out var items) || items.Count == 0)
            throw new DicomException("the Spatial Registration object has no Registration Sequence (0070,0308) items.", sourcePath);
        var frames = new List<DicomRegisteredFrame>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            string at = $"Registration Sequence item {i + 1}";
            if (!item.TryGetString(DicomTags.FrameOfReferenceUid, out var frame) || string.IsNullOrWhiteSpace(frame))
                throw new DicomException($"{at} has no Frame of Reference UID (0020,0052) (a registration of individual images is not supported).", sourcePath);
            if (!item.TryGetSequence(MatrixRegistrationSequence, out var mreg) || mreg.Count != 1)
                throw new DicomException($"{at} must hold exactly one Matrix Registration Sequence (0070,0309) item.", sourcePath);
            if (!mreg[0].TryGetSequence(MatrixSequence, out var matrices) || matrices.Count == 0)
                throw new DicomException($"{at} has no Matrix Sequence (0070,030A) items.", sourcePath);
            double[] composed = Identity();
            string type = "RIGID";
            for (int k = 0; k < matrices.Count; k++)
            {
                if (!matrices[k].TryGetDoubles(TransformationMatrix, out var m) || m.Length != 16 || Array.Exists(m, v => !double.IsFinite(v)))
                    throw new DicomException($"{at}, matrix {k + 1}: the Frame of Reference Transformation Matrix (3006,00C6) must hold 16 finite numbers.", sourcePath);
                string t = matrices[k].TryGetString(MatrixType, out var tt) ? tt.Trim().ToUpperInvariant() : "";
                type = t switch
                {
                    "RIGID" => type,
                    "RIGID_SCALE" => type == "AFFINE" ? type : t,
                    "AFFINE" => t,
                    _ => throw new DicomException($"{at}, matrix {k + 1}: Frame of Reference Transformation Matrix Type (0070,030C) '{tt}' is not RIGID, RIGID_SCALE or AFFINE.", sourcePath),
                };
                composed = Multiply(m, composed);
            }
            frames.Add(new DicomRegisteredFrame(frame.Trim(), composed, type));
        }
        string sop = dataset.TryGetString(SopInstanceUid, out var s) ? s.Trim() : "";
        string? description = dataset.TryGetString(ContentDescription, out var d) && !string.IsNullOrWhiteSpace(d) ? d.Trim() : null;
        return new DicomSpatialRegistration(sop, regFrame.Trim(), frames, description, sourcePath);
    }

    private static double[] Identity() => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

    /// <summary>a · b, both 4×4 row-major.</summary>
    private static double[] Multiply(double[] a, double[] b)
    {
        var r = new double[16];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double sum = 0;
                for (int k = 0; k < 4; k++) sum += a[4 * i + k] * b[4 * k + j];
                r[4 * i + j] = sum;
            }
        return r;
    }
}
