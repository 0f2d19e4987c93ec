using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>Kind of an anatomical landmark.</summary>
public enum LandmarkKind
{
    /// <summary>Posterior end of a pedicle's axis (inside its cancellous core).</summary>
    PedicleTip,
    /// <summary>Tip of a spinous process (on its mid-plane, 4.5 mm inside the posterior end).</summary>
    SpinousProcessTip,
    /// <summary>Corner of a vertebral body in the mid-sagittal plane, 5 mm inside the cortex.</summary>
    VertebralBodyCorner,
    /// <summary>Centre of the spinal cord at the height of a vertebral body's centre.</summary>
    CordCentre,
}

/// <summary>A named anatomical point in LPS mm of some frame, with the label of the structure it lies in.</summary>
/// <param name="Name">Unique name, e.g. "L1 pedicle tip left".</param>
/// <param name="Kind">Landmark kind.</param>
/// <param name="Position">Position in LPS mm of the frame it belongs to.</param>
/// <param name="Label">Label value of the structure containing the point.</param>
public sealed record Landmark(string Name, LandmarkKind Kind, Vec3 Position, byte Label);
