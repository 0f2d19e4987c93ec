using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// A generated phantom case: the anatomy, the simulated procedure and six rendered frames (diagnostic CT,
/// MR T1, MR T2, cone-beam CT, pre-freeze CT, intra-procedural CT) with their ground truth. Immutable apart
/// from the voxel buffers, which callers should treat as read-only.
/// </summary>
public sealed class PhantomCase
{
    internal PhantomCase(PhantomOptions options, SpineAnatomy anatomy, CryoProcedure procedure, PhantomFrame ct, PhantomFrame t1,
        PhantomFrame t2, PhantomFrame cbct, PhantomFrame preFreeze, PhantomFrame intraOp, IntraOpGroundTruth intraOpTruth)
    {
        Options = options;
        Anatomy = anatomy;
        Procedure = procedure;
        DiagnosticCt = ct;
        MrT1 = t1;
        MrT2 = t2;
        Cbct = cbct;
        PreFreezeCt = preFreeze;
        IntraOpCt = intraOp;
        IntraOpTruth = intraOpTruth;
        Frames = [ct, t1, t2, cbct, preFreeze, intraOp];
    }

    /// <summary>Options the case was generated with.</summary>
    public PhantomOptions Options { get; }
    /// <summary>The analytic anatomy (anatomy frame).</summary>
    public SpineAnatomy Anatomy { get; }
    /// <summary>Probes, ice ball and lethal zone in the anatomy frame.</summary>
    public CryoProcedure Procedure { get; }
    /// <summary>Diagnostic CT in HU.</summary>
    public PhantomFrame DiagnosticCt { get; }
    /// <summary>T1-weighted MR.</summary>
    public PhantomFrame MrT1 { get; }
    /// <summary>T2-weighted MR (same grid and pose as <see cref="MrT1"/>).</summary>
    public PhantomFrame MrT2 { get; }
    /// <summary>Cone-beam CT in arbitrary grey units.</summary>
    public PhantomFrame Cbct { get; }
    /// <summary>CT with the probes in place before freezing, in HU.</summary>
    public PhantomFrame PreFreezeCt { get; }
    /// <summary>CT during the freeze (probes and ice ball), in HU; same grid and pose as <see cref="PreFreezeCt"/>.</summary>
    public PhantomFrame IntraOpCt { get; }
    /// <summary>Ice-ball, lethal-zone and artefact masks and the probes in the intra-procedural frame.</summary>
    public IntraOpGroundTruth IntraOpTruth { get; }
    /// <summary>All frames in the order above.</summary>
    public IReadOnlyList<PhantomFrame> Frames { get; }

    /// <summary>
    /// The rigid transform mapping a point of <paramref name="from"/>'s patient space to the same anatomical point in
    /// <paramref name="to"/>'s patient space — with <paramref name="from"/> as the fixed and <paramref name="to"/> as the
    /// moving image, this is the registration result in ITK's fixed → moving convention.
    /// </summary>
    public static RigidTransform TransformBetween(PhantomFrame from, PhantomFrame to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return RigidTransform.Compose(from.PatientToAnatomy, to.AnatomyToPatient);
    }

    /// <summary>The planned probes (<see cref="PhantomOptions.PlannedProbes"/>) in <paramref name="frame"/>'s patient space, or null when the generator chose the paths.</summary>
    public IReadOnlyList<CryoProbe>? PlannedProbesIn(PhantomFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Procedure.PlannedProbes is not { } planned) return null;
        var result = new CryoProbe[planned.Count];
        for (int n = 0; n < result.Length; n++) result[n] = planned[n].Transformed(frame.AnatomyToPatient);
        return result;
    }

    /// <summary>The probes expressed in <paramref name="frame"/>'s patient space.</summary>
    public IReadOnlyList<CryoProbe> ProbesIn(PhantomFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var result = new CryoProbe[Procedure.Probes.Count];
        for (int n = 0; n < result.Length; n++) result[n] = Procedure.Probes[n].Transformed(frame.AnatomyToPatient);
        return result;
    }
}
