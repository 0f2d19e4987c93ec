namespace ImageGuide.Imaging;

/// <summary>
/// A spatial transform in LPS millimetres, ITK's convention: a registration result maps points of the <b>fixed</b>
/// image to points of the <b>moving</b> image, so resampling the moving image onto the fixed grid uses it directly.
/// Implemented by <see cref="RigidTransform"/> (one rigid motion) and <see cref="DisplacementField"/> (a dense field,
/// e.g. a piecewise-rigid spine fusion). Implementations are immutable and thread-safe.
/// </summary>
public interface ISpatialTransform
{
    /// <summary>Maps a fixed-image point to the moving image.</summary>
    Vec3 TransformPoint(Vec3 point);
}
