using System.Diagnostics.CodeAnalysis;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Registration;

/// <summary>
/// One frame of reference of a Spatial Registration object and how it maps into the object's registration frame.
/// </summary>
/// <param name="FrameOfReferenceUid">The frame (Frame of Reference UID (0020,0052) of the Registration Sequence item).</param>
/// <param name="ToRegistrationFrame">4×4 row-major homogeneous matrix taking points of this frame to the registration
/// frame (the Matrix Sequence's matrices composed, the first item applied first).</param>
/// <param name="MatrixType">RIGID, RIGID_SCALE or AFFINE (the least rigid of the composed matrices).</param>
public sealed record DicomRegisteredFrame(string FrameOfReferenceUid, double[] ToRegistrationFrame, string MatrixType);

/// <summary>
/// A DICOM Spatial Registration object (REG, SOP Class 1.2.840.10008.5.1.4.1.1.66.1; PS3.3 C.20.2): the rigid or affine
/// relations between patient frames of reference, all expressed as mappings into the object's own frame of
/// reference (the <i>registration frame</i>). Read with <see cref="DicomSpatialRegistrationReader"/>.
/// </summary>
/// <param name="SopInstanceUid">The object's SOP Instance UID.</param>
/// <param name="RegistrationFrameOfReferenceUid">The object's Frame of Reference UID, the frame every matrix maps into.</param>
/// <param name="Frames">The registered frames, in the order of the Registration Sequence.</param>
/// <param name="ContentDescription">Content Description (0070,0081), when present.</param>
/// <param name="SourcePath">The file it was read from, when read from a file.</param>
public sealed record DicomSpatialRegistration(string SopInstanceUid, string RegistrationFrameOfReferenceUid,
    IReadOnlyList<DicomRegisteredFrame> Frames, string? ContentDescription, string? SourcePath)
{
    /// <summary>Largest deviation from orthonormality of a matrix's 3×3 part accepted as rigid (DS values are rounded by writers).</summary>
    public const double RigidTolerance = 1e-3;

    /// <summary>True when this object relates the two frames (each is a registered frame or the registration frame).</summary>
    public bool Relates(string frameA, string frameB) => frameA != frameB && Find(frameA) is not null && Find(frameB) is not null;

    /// <summary>
    /// The transform taking points of <paramref name="fixedFrameUid"/> to points of <paramref name="movingFrameUid"/>
    /// (fixed → moving, ITK's registration convention): x_moving = B⁻¹·A·x_fixed, where A and B map the fixed and the
    /// moving frame into the registration frame. False, with the reason, when either frame is not in this object or
    /// the relation is not rigid (a rigid transform cannot carry scaling, shear or a reflection).
    /// </summary>
    public bool TryRelate(string fixedFrameUid, string movingFrameUid, [NotNullWhen(true)] out RigidTransform? fixedToMoving,
        [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(fixedFrameUid);
        ArgumentNullException.ThrowIfNull(movingFrameUid);
        fixedToMoving = null;
        var a = Find(fixedFrameUid);
        var b = Find(movingFrameUid);
        if (a is null || b is null)
        {
            reason = $"the spatial registration {SopInstanceUid} does not register frame {(a is null ? fixedFrameUid : movingFrameUid)}";
            return false;
        }
        try
        {
            var toRegFromFixed = RigidTransform.FromMatrix4x4(a, null, RigidTolerance);
            var toRegFromMoving = RigidTransform.FromMatrix4x4(b, null, RigidTolerance);
            fixedToMoving = RigidTransform.Compose(toRegFromFixed, toRegFromMoving.Inverse());
            reason = null;
            return true;
        }
        catch (GeometryException e)
        {
            reason = $"the spatial registration {SopInstanceUid} relates the frames by a matrix that is not rigid ({e.Message})";
            return false;
        }
    }

    /// <summary>This frame's 4×4 into the registration frame; the identity for the registration frame itself when it has no item.</summary>
    private double[,]? Find(string frame)
    {
        foreach (var f in Frames)
            if (f.FrameOfReferenceUid == frame)
            {
                var m = new double[4, 4];
                for (int r = 0; r < 4; r++)
                    for (int c = 0; c < 4; c++) m[r, c] = f.ToRegistrationFrame[4 * r + c];
                return m;
            }
        return frame == RegistrationFrameOfReferenceUid ? new double[,] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } } : null;
    }
}
