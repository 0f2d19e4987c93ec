namespace ImageGuide.Phantoms;

/// <summary>
/// Label values of the spine phantom and its label table. Clearances come from ../shared/docs/CLINICAL.md:
/// cord 5 mm (ARCHITECTURE example), thecal sac/CSF 2 mm (spine: complete treatment when &gt; 2 mm from the canal,
/// review 004), nerve roots and great vessels 3 mm (eligibility &gt; 3 mm to neurovascular structures, Lippa in 004).
/// </summary>
public static class SpineLabels
{
    /// <summary>Air outside the body.</summary>
    public const byte Background = 0;
    /// <summary>Skin (outer 2 mm of the body outline).</summary>
    public const byte Skin = 1;
    /// <summary>Subcutaneous fat.</summary>
    public const byte Fat = 2;
    /// <summary>Generic soft tissue filling the body (retroperitoneum, viscera).</summary>
    public const byte SoftTissue = 3;
    /// <summary>Paraspinal (erector spinae) muscles.</summary>
    public const byte ParaspinalMuscle = 4;
    /// <summary>Psoas muscles.</summary>
    public const byte Psoas = 5;
    /// <summary>Cortical bone (vertebral shells, posterior elements).</summary>
    public const byte CorticalBone = 6;
    /// <summary>Cancellous bone (vertebral body and pedicle cores).</summary>
    public const byte CancellousBone = 7;
    /// <summary>Intervertebral discs.</summary>
    public const byte Disc = 8;
    /// <summary>Cerebrospinal fluid in the spinal canal (thecal sac).</summary>
    public const byte Csf = 9;
    /// <summary>Spinal cord.</summary>
    public const byte Cord = 10;
    /// <summary>Exiting nerve roots.</summary>
    public const byte NerveRoot = 11;
    /// <summary>Aorta.</summary>
    public const byte Aorta = 12;
    /// <summary>Inferior vena cava.</summary>
    public const byte Ivc = 13;
    /// <summary>Tumour (lytic vertebral lesion with its extra-osseous soft-tissue component).</summary>
    public const byte Tumour = 14;

    /// <summary>The label table of every phantom frame.</summary>
    public static AnatomyLabelTable Table { get; } = new(
    [
        new(Skin, "skin", StructureRole.Body),
        new(Fat, "fat", StructureRole.Body),
        new(SoftTissue, "soft tissue", StructureRole.Body),
        new(ParaspinalMuscle, "paraspinal muscle", StructureRole.Other),
        new(Psoas, "psoas", StructureRole.Other),
        new(CorticalBone, "cortical bone", StructureRole.Bone),
        new(CancellousBone, "cancellous bone", StructureRole.Bone),
        new(Disc, "disc", StructureRole.Other),
        new(Csf, "csf", StructureRole.Critical, 2),
        new(Cord, "cord", StructureRole.Critical, 5),
        new(NerveRoot, "nerve root", StructureRole.Critical, 3),
        new(Aorta, "aorta", StructureRole.Critical, 3),
        new(Ivc, "ivc", StructureRole.Critical, 3),
        new(Tumour, "tumour", StructureRole.Target),
    ]);

    /// <summary>True for healthy bone labels (where ice is invisible on CT).</summary>
    public static bool IsBone(byte label) => label is CorticalBone or CancellousBone;

    /// <summary>True for labels inside the body whose CT value ice lowers (every tissue but healthy bone).</summary>
    public static bool IsFreezableSoftTissue(byte label) => label != Background && !IsBone(label);
}
