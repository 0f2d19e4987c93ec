using ImageGuide.Model;
using ImageGuide.Registration;

namespace ImageGuide.Workflows;

/// <summary>What the register workflow reads (paths, as <c>imageguide register</c> takes them) and writes.</summary>
public sealed record RegisterJob
{
    /// <summary>Fixed image (e.g. the intra-procedural CT/CBCT): DICOM folder or file, or a volume file.</summary>
    public required string Fixed { get; init; }
    /// <summary>Moving image (e.g. the diagnostic MR).</summary>
    public required string Moving { get; init; }
    /// <summary>Preset name, preset JSON file, or <c>auto</c> (chosen from the two images, <see cref="PresetSelection"/>).</summary>
    public string Preset { get; init; } = PresetSelection.AutoPresetName;
    /// <summary>Overrides the preset's start (initialiser), or null for the preset's own.</summary>
    public InitializerKind? Start { get; init; }
    /// <summary>Mask of fixed voxels to sample (non-zero = use), or null.</summary>
    public string? FixedMask { get; init; }
    /// <summary>Sample the fixed image only inside its reconstructed field of view (CBCT padding excluded).</summary>
    public bool FieldOfViewMask { get; init; }
    /// <summary>DICOM Spatial Registration objects relating the two frames; REG objects inside the input folders are found without them.</summary>
    public IReadOnlyList<string> FrameRelations { get; init; } = [];
    /// <summary>Also refine per vertebra and write the piecewise-rigid result there, or null.</summary>
    public PerVertebraJob? PerVertebra { get; init; }

    /// <summary>Transform file: .tfm (ITK VersorRigid3D, verdict in a <c>.verdict.json</c> sidecar) or .json (4×4, verdict inside).</summary>
    public required string Transform { get; init; }
    /// <summary>Also write the moving image resampled onto the fixed grid: a volume file, or a folder for a DICOM series (see <see cref="ResampledIsDicom"/>).</summary>
    public string? Resampled { get; init; }
    /// <summary>Also write a DICOM Spatial Registration object (.dcm) relating the two series' frames, or null.</summary>
    public string? SpatialRegistration { get; init; }

    /// <summary>True when <see cref="Resampled"/> names a folder (ends in / or has no extension): a DICOM series is written.</summary>
    public bool ResampledIsDicom => Resampled is { } r && (r.EndsWith('/') || Path.GetExtension(r).Length == 0);
    /// <summary>The verdict sidecar beside a .tfm transform, or null for .json (which holds the verdict itself).</summary>
    public string? VerdictSidecar => Transform.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? null : Transform + ".verdict.json";
}

/// <summary>The per-vertebra part of a <see cref="RegisterJob"/>.</summary>
public sealed record PerVertebraJob
{
    /// <summary>New (or empty) folder for the levels' transforms, the field, the labels used and report.json.</summary>
    public required string Folder { get; init; }
    /// <summary>Vertebra label map of the fixed image; null finds the vertebrae on the fixed CT.</summary>
    public string? Labels { get; init; }
    /// <summary>Label table of <see cref="Labels"/> (NAME.json beside it when null).</summary>
    public string? LabelTable { get; init; }
    /// <summary>How <see cref="Labels"/> is numbered.</summary>
    public VertebraLabelScheme Scheme { get; init; } = VertebraLabelScheme.Auto;
    /// <summary>Without labels: the level of the most caudal mobile vertebra in the fixed CT (e.g. L5), or null to guess.</summary>
    public string? Anchor { get; init; }
}
