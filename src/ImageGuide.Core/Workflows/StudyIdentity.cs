using ImageGuide.Imaging;

namespace ImageGuide.Workflows;

/// <summary>Who and which study an image belongs to, as its header recorded it (for reports); null fields were not recorded.</summary>
/// <param name="PatientName">Patient name.</param>
/// <param name="PatientId">Patient ID.</param>
/// <param name="StudyInstanceUid">Study Instance UID.</param>
/// <param name="StudyDescription">Study description.</param>
public sealed record StudyIdentity(string? PatientName, string? PatientId, string? StudyInstanceUid, string? StudyDescription)
{
    /// <summary>The identifiers of <paramref name="metadata"/>, or null when it records none.</summary>
    public static StudyIdentity? From(ImageMetadata? metadata)
    {
        if (metadata is null) return null;
        static string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var id = new StudyIdentity(T(metadata.PatientName), T(metadata.PatientId), T(metadata.StudyInstanceUid), T(metadata.StudyDescription));
        return id is { PatientName: null, PatientId: null, StudyInstanceUid: null, StudyDescription: null } ? null : id;
    }
}
