using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// One rendered image of the phantom with its ground truth: the image in its own grid and patient pose, the
/// label map on the same grid, the landmarks inside the grid in this frame's LPS mm, and the rigid pose relative
/// to the anatomy frame. Frames of one acquisition (MR T1/T2, pre-freeze/intra-op CT) share grid, pose, labels
/// and landmarks.
/// </summary>
public sealed class PhantomFrame
{
    private readonly Lazy<Volume<byte>> _tumourMask;

    internal PhantomFrame(string name, string acquisition, Volume<short> image, Volume<byte> labels,
        RigidTransform anatomyToPatient, IReadOnlyList<AnatomicalLandmark> landmarks)
    {
        Name = name;
        Acquisition = acquisition;
        Image = image;
        Labels = labels;
        AnatomyToPatient = anatomyToPatient;
        PatientToAnatomy = anatomyToPatient.Inverse();
        Landmarks = landmarks;
        _tumourMask = new Lazy<Volume<byte>>(() => labels.Convert(l => l == SpineLabels.Tumour ? (byte)1 : (byte)0));
    }

    /// <summary>Short identifier: "ct", "mr-t1", "mr-t2", "cbct", "ct-prefreeze", "ct-intraop".</summary>
    public string Name { get; }

    /// <summary>Acquisition the frame belongs to ("ct", "mr", "cbct", "intraop"); frames of one acquisition share pose and grid.</summary>
    public string Acquisition { get; }

    /// <summary>The image (CT in HU; MR and CBCT in arbitrary units), with modality and description in its metadata.</summary>
    public Volume<short> Image { get; }

    /// <summary>Grid of the image, labels and masks of this frame.</summary>
    public VolumeGeometry Geometry => Image.Geometry;

    /// <summary>Label map (voxel-centre labels) on the image's grid.</summary>
    public Volume<byte> Labels { get; }

    /// <summary>Label table of <see cref="Labels"/>.</summary>
    public LabelTable LabelTable => SpineLabels.Table;

    /// <summary>Maps anatomy-frame points to this frame's patient space (LPS mm).</summary>
    public RigidTransform AnatomyToPatient { get; }

    /// <summary>Maps this frame's patient-space points to the anatomy frame.</summary>
    public RigidTransform PatientToAnatomy { get; }

    /// <summary>Anatomical landmarks lying inside the grid, in this frame's LPS mm.</summary>
    public IReadOnlyList<AnatomicalLandmark> Landmarks { get; }

    /// <summary>Tumour mask (1 inside, 0 elsewhere) on the image's grid, computed on first use.</summary>
    public Volume<byte> TumourMask => _tumourMask.Value;
}
