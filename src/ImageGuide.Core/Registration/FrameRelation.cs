using ImageGuide.Dicom.Registration;
using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>
/// A known rigid relation between two patient frames of reference (DICOM Frame of Reference UIDs), for example from
/// a DICOM Spatial Registration object or a navigation system's calibration. With
/// <see cref="InitializerKind.Auto"/>, a registration whose images carry these two frames starts from it instead of a
/// global search, as it starts from patient coordinates when both images share one frame.
/// </summary>
/// <param name="FixedFrameOfReferenceUid">The frame whose points <paramref name="FixedToMoving"/> takes.</param>
/// <param name="MovingFrameOfReferenceUid">The frame it takes them to.</param>
/// <param name="FixedToMoving">Fixed-frame points → moving-frame points (LPS mm, ITK convention).</param>
/// <param name="Source">Where the relation comes from, in words (shown in the result's start reason).</param>
public sealed record FrameRelation(string FixedFrameOfReferenceUid, string MovingFrameOfReferenceUid, RigidTransform FixedToMoving, string Source)
{
    /// <summary>
    /// The relation from <paramref name="fixedFrameUid"/> to <paramref name="movingFrameUid"/> among
    /// <paramref name="relations"/>, taken as given or inverted; null when none relates them.
    /// </summary>
    public static FrameRelation? Find(IEnumerable<FrameRelation> relations, string fixedFrameUid, string movingFrameUid)
    {
        ArgumentNullException.ThrowIfNull(relations);
        foreach (var r in relations)
        {
            if (r.FixedFrameOfReferenceUid == fixedFrameUid && r.MovingFrameOfReferenceUid == movingFrameUid) return r;
            if (r.FixedFrameOfReferenceUid == movingFrameUid && r.MovingFrameOfReferenceUid == fixedFrameUid)
                return new FrameRelation(fixedFrameUid, movingFrameUid, r.FixedToMoving.Inverse(), r.Source + " (inverted)");
        }
        return null;
    }

    /// <summary>
    /// The relation a DICOM Spatial Registration object gives between two frames.
    /// </summary>
    /// <exception cref="RegistrationException">The object does not register both frames, or its matrices are not rigid.</exception>
    public static FrameRelation FromSpatialRegistration(DicomSpatialRegistration registration, string fixedFrameUid, string movingFrameUid)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!registration.TryRelate(fixedFrameUid, movingFrameUid, out var t, out var reason))
            throw new RegistrationException($"Cannot start from {Describe(registration)}: {reason}.");
        return new FrameRelation(fixedFrameUid, movingFrameUid, t, Describe(registration));
    }

    private static string Describe(DicomSpatialRegistration r) =>
        $"DICOM spatial registration {r.SopInstanceUid}{(r.SourcePath is null ? "" : $" ({Path.GetFileName(r.SourcePath)})")}";
}
