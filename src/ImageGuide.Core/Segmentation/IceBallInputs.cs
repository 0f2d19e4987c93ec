using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>
/// What <see cref="IceBallSegmenter"/> works on. Only the intra-procedural CT is required; everything else refines the
/// result. Transforms follow the project's fixed → moving convention with the intra-procedural CT as the fixed image:
/// each maps intra-procedural points to points of the other image (a registration result used directly).
/// </summary>
public sealed record IceBallInputs
{
    /// <summary>Intra-procedural CT in HU (probes in place, ice ball growing). Its grid is the grid of every output mask.</summary>
    public required Volume<float> IntraOpCt { get; init; }

    /// <summary>Optional CT of the same patient with the probes in place before freezing, in HU (enables subtraction).</summary>
    public Volume<float>? PreFreezeCt { get; init; }

    /// <summary>Maps intra-procedural points to pre-freeze CT points; identity when null.</summary>
    public RigidTransform? IntraOpToPreFreeze { get; init; }

    /// <summary>Probe tips and axes in the intra-procedural CT's LPS mm; detected from the metal when null.</summary>
    public IReadOnlyList<ProbeAxis>? Probes { get; init; }

    /// <summary>Optional label map (tumour = Target, critical structures = Critical) with its table, in any grid.</summary>
    public LabelMap? Labels { get; init; }

    /// <summary>Maps intra-procedural points to label-map points (rigid, or a per-vertebra displacement field); identity when null.</summary>
    public ISpatialTransform? IntraOpToLabels { get; init; }

    /// <summary>
    /// The temperature the plan modelled (e.g. <c>PlanFile.ProbeField</c>), to compare the ice with; null without a plan.
    /// </summary>
    public ITemperatureField? PlannedTemperature { get; init; }

    /// <summary>Maps intra-procedural points to the plan's points; when null, <see cref="IntraOpToLabels"/> (plans are made on the labels' image).</summary>
    public ISpatialTransform? IntraOpToPlan { get; init; }

    /// <summary>Optional ice-ball mask of an earlier intra-procedural scan (non-zero = ice), for the growth between scans.</summary>
    public Volume<byte>? PreviousIceBall { get; init; }

    /// <summary>Maps intra-procedural points to the earlier mask's points; identity when null.</summary>
    public RigidTransform? IntraOpToPrevious { get; init; }
}

/// <summary>A straight cryoprobe: its tip and the unit vector along the shaft towards the tip (entry → tip), LPS mm.</summary>
/// <param name="Tip">The probe tip.</param>
/// <param name="Axis">Unit vector from the entry towards the tip.</param>
public sealed record ProbeAxis(Vec3 Tip, Vec3 Axis)
{
    /// <summary>Shortest distance (mm) from a point to the probe's segment from the tip back <paramref name="lengthMm"/> along the shaft.</summary>
    public double DistanceToSegment(Vec3 p, double lengthMm)
    {
        double t = Math.Clamp(Vec3.Dot(Tip - p, Axis), 0, lengthMm);
        return Vec3.Distance(p, Tip - Axis * t);
    }
}
