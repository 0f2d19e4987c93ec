using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>A volume assembled from DICOM frames and the report of how.</summary>
/// <param name="Volume">Rescaled voxel values (HU for CT) on an orthogonal, uniformly spaced grid.</param>
/// <param name="Report">Spacing, tilt, order and warnings; the warnings are also in the volume's metadata.</param>
public sealed record SeriesAssemblyResult(Volume<float> Volume, SeriesAssemblyReport Report)
{
    /// <summary>
    /// The same voxels as 16-bit integers when that loses nothing: every value is a whole number in
    /// [−32768, 32767] (the usual case for CT with integer slope and intercept that was not resampled). Half the
    /// memory of <see cref="Volume"/>; same geometry and metadata.
    /// </summary>
    /// <param name="volume">The integer volume, when exact.</param>
    /// <returns>False when some value is fractional or out of range.</returns>
    public bool TryGetInt16Volume([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Volume<short>? volume)
    {
        volume = null;
        var data = Volume.Data;
        for (long n = 0; n < data.LongLength; n++)
        {
            float v = data[n];
            if (!(v >= short.MinValue && v <= short.MaxValue) || v != MathF.Round(v)) return false;
        }
        volume = Volume.Convert(v => (short)v);
        return true;
    }
}
