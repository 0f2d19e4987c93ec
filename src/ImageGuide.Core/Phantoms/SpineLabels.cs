using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// Label values of the spine phantom and its label table. Clearances come from docs/CLINICAL.md:
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

    /// <summary>The label table of every phantom frame (label-table JSON of ARCHITECTURE.md via <see cref="LabelTableJson"/>).</summary>
    public static LabelTable Table { get; } = new(
    [
        new(Skin, "skin", LabelRole.Body, null, new LabelColor(240, 200, 170)),
        new(Fat, "fat", LabelRole.Body, null, new LabelColor(250, 230, 120)),
        new(SoftTissue, "soft tissue", LabelRole.Body, null, new LabelColor(200, 120, 110)),
        new(ParaspinalMuscle, "paraspinal muscle", LabelRole.Other, null, new LabelColor(190, 60, 60)),
        new(Psoas, "psoas", LabelRole.Other, null, new LabelColor(160, 50, 70)),
        new(CorticalBone, "cortical bone", LabelRole.Bone, null, new LabelColor(250, 250, 245)),
        new(CancellousBone, "cancellous bone", LabelRole.Bone, null, new LabelColor(220, 210, 170)),
        new(Disc, "disc", LabelRole.Other, null, new LabelColor(120, 180, 220)),
        new(Csf, "csf", LabelRole.Critical, 2, new LabelColor(80, 150, 255)),
        new(Cord, "cord", LabelRole.Critical, 5, new LabelColor(255, 230, 0)),
        new(NerveRoot, "nerve root", LabelRole.Critical, 3, new LabelColor(255, 160, 0)),
        new(Aorta, "aorta", LabelRole.Critical, 3, new LabelColor(220, 0, 0)),
        new(Ivc, "ivc", LabelRole.Critical, 3, new LabelColor(40, 60, 200)),
        new(Tumour, "tumour", LabelRole.Target, null, new LabelColor(0, 200, 80)),
    ]);

    /// <summary>True for healthy bone labels (where ice is invisible on CT).</summary>
    public static bool IsBone(byte label) => label is CorticalBone or CancellousBone;

    /// <summary>True for labels inside the body whose CT value ice lowers (every tissue but healthy bone).</summary>
    public static bool IsFreezableSoftTissue(byte label) => label != Background && !IsBone(label);
}
