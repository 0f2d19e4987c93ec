using ImageGuide.Model;
using ImageGuide.Phantoms;

namespace ImageGuide.Workflows.Validation;

/// <summary>A set of registration cases to validate, read from a manifest file (<see cref="ValidationManifestReader"/>).</summary>
/// <param name="Source">The manifest file (for messages and reports).</param>
/// <param name="Cases">The cases, in manifest order.</param>
/// <param name="TrePointCount">Random fixed-foreground points per case for ground-truth-transform TRE.</param>
/// <param name="Seed">Seed of those random points (each case adds its index).</param>
public sealed record ValidationManifest(string Source, IReadOnlyList<ValidationCase> Cases, int TrePointCount = 1000, int Seed = 1);

/// <summary>One fixed/moving pair with its reference for TRE.</summary>
/// <param name="Id">Unique id (letters, digits, '.', '_', '-'); names the per-case files.</param>
/// <param name="Index">Position in the manifest (0-based).</param>
/// <param name="Images">Where the images come from: files or a generated phantom.</param>
/// <param name="Reference">Landmark pairs or a ground-truth transform.</param>
/// <param name="Preset">Registration preset name, preset JSON path, or <c>auto</c> (chosen from the images; the default).</param>
/// <param name="Pair">Modality pair tag (e.g. "CT-MR"), the grouping of box plots and tables.</param>
/// <param name="Site">Anatomical site tag (e.g. "spine").</param>
/// <param name="Definition">The case's manifest JSON as written; a stored result is reused only when it matches.</param>
/// <param name="PerVertebra">Also refine the fusion per vertebra and measure TRE per level (file cases), or null.</param>
public sealed record ValidationCase(string Id, int Index, CaseImages Images, CaseReference Reference, string Preset, string Pair, string Site, string Definition,
    PerVertebraCase? PerVertebra = null);

/// <summary>
/// A case's per-vertebra refinement: the fixed image's vertebra labels (or none: found automatically on the fixed CT),
/// which also assign every evaluation point to the level it lies in.
/// </summary>
/// <param name="FixedLabels">Vertebra label map of the fixed image (absolute path), or null to find the vertebrae.</param>
/// <param name="LabelTable">Its label table (absolute path), or null (NAME.json beside the map when present).</param>
/// <param name="Scheme">How the map is numbered.</param>
/// <param name="Anchor">Without a map: the most caudal mobile vertebra's level (e.g. L5), or null to guess it.</param>
public sealed record PerVertebraCase(string? FixedLabels, string? LabelTable, VertebraLabelScheme Scheme, string? Anchor);

/// <summary>Where a case's images come from.</summary>
public abstract record CaseImages;

/// <summary>Images (and optional masks) read from files.</summary>
/// <param name="Fixed">Fixed image: DICOM folder or volume file (absolute path).</param>
/// <param name="Moving">Moving image (absolute path).</param>
/// <param name="FixedMask">Optional fixed mask (non-zero = sample).</param>
/// <param name="MovingMask">Optional moving mask.</param>
/// <param name="FixedFieldOfViewMask">Sample the fixed image only inside its reconstructed field of view (CBCT).</param>
public sealed record FileCaseImages(string Fixed, string Moving, string? FixedMask, string? MovingMask, bool FixedFieldOfViewMask) : CaseImages;

/// <summary>Two frames of a phantom generated in memory; the reference is the phantom's exact pose bookkeeping.</summary>
/// <param name="Options">Generator options (seed, size).</param>
/// <param name="FixedFrame">Fixed frame name (e.g. "DiagnosticCt", "Cbct").</param>
/// <param name="MovingFrame">Moving frame name (e.g. "MrT1").</param>
/// <param name="FixedFieldOfViewMask">Sample the fixed image only inside its field of view (default for CBCT).</param>
public sealed record PhantomCaseImages(PhantomOptions Options, string FixedFrame, string MovingFrame, bool FixedFieldOfViewMask) : CaseImages
{
    /// <summary>Frame names accepted in a manifest, as <see cref="PhantomCase"/> property names.</summary>
    public static IReadOnlyList<string> FrameNames { get; } = ["DiagnosticCt", "MrT1", "MrT2", "Cbct", "PreFreezeCt", "IntraOpCt"];

    /// <summary>The frame called <paramref name="name"/> (property name or frame name, case-insensitive), or null.</summary>
    public static PhantomFrame? Frame(PhantomCase phantom, string name)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        for (int n = 0; n < phantom.Frames.Count; n++)
            if (string.Equals(FrameNames[n], name, StringComparison.OrdinalIgnoreCase) || string.Equals(phantom.Frames[n].Name, name, StringComparison.OrdinalIgnoreCase))
                return phantom.Frames[n];
        return null;
    }
}

/// <summary>What a case's TRE is measured against.</summary>
public abstract record CaseReference;

/// <summary>Corresponding landmarks: TRE = ‖T(fᵢ) − mᵢ‖.</summary>
/// <param name="FixedLandmarks">Landmark file in the fixed image's space (CSV, .fcsv, .mrk.json, RIRE .pts).</param>
/// <param name="MovingLandmarks">Landmark file in the moving image's space.</param>
public sealed record LandmarkReference(string FixedLandmarks, string MovingLandmarks) : CaseReference;

/// <summary>
/// A known fixed → moving transform: TRE = ‖T(p) − T_true(p)‖ over seeded random points in the fixed foreground
/// (the fixed mask when given, else fixed voxels above the image's mean).
/// </summary>
/// <param name="TransformPath">Transform file (.tfm or .json) read with <c>TransformIO</c>.</param>
public sealed record TransformReference(string TransformPath) : CaseReference;

/// <summary>The phantom's own ground truth (<see cref="PhantomCase.TransformBetween"/>) over random body points.</summary>
public sealed record PhantomReference : CaseReference;
