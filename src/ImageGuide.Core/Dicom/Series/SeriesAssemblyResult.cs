using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>A volume assembled from DICOM frames and the report of how.</summary>
/// <param name="Volume">Rescaled voxel values (HU for CT) on an orthogonal, uniformly spaced grid.</param>
/// <param name="Report">Spacing, tilt, order and warnings; the warnings are also in the volume's metadata.</param>
public sealed record SeriesAssemblyResult(Volume<float> Volume, SeriesAssemblyReport Report);
