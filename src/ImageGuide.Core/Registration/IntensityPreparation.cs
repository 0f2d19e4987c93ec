using System.Numerics;
using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>Converts images to float for registration and optionally clips intensities at percentiles.</summary>
internal static class IntensityPreparation
{
    /// <summary>Largest number of voxels the percentiles are computed from (a regular subsample of bigger images).</summary>
    private const long PercentileSampleLimit = 1 << 21;

    /// <summary>
    /// The image as float: a new volume, or the float image itself when <paramref name="readOnly"/> (nothing will
    /// change it, so a copy would only cost time and memory).
    /// </summary>
    public static Volume<float> ToFloat<T>(Volume<T> image, bool readOnly = false) where T : unmanaged, INumberBase<T> =>
        image is Volume<float> f ? (readOnly ? f : f.Clone()) : image.Convert(v => float.CreateTruncating(v));

    /// <summary>Clamps <paramref name="image"/> in place to its [low, high] percentiles (inside the mask when it shares the grid).</summary>
    public static void Clip(Volume<float> image, IReadOnlyList<double>? percentiles, Volume<byte>? mask)
    {
        if (percentiles is null) return;
        var d = image.Data;
        var m = mask is not null && mask.Geometry.ApproximatelyEquals(image.Geometry, 1e-3) ? mask.Data : null;
        long stride = Math.Max(1, d.LongLength / PercentileSampleLimit);
        var values = new List<float>((int)Math.Min(d.LongLength, PercentileSampleLimit + 1));
        for (long n = 0; n < d.LongLength; n += stride)
            if (m is null || m[n] != 0) values.Add(d[n]);
        if (values.Count == 0) throw new RegistrationException("The mask is empty, so intensity percentiles cannot be computed; give a mask that covers the anatomy.");
        var flat = new Volume<float>(new VolumeGeometry(values.Count, 1, 1, new Vec3(1, 1, 1), Vec3.Zero), [.. values]);
        var p = VolumeStatistics.Percentiles(flat, [percentiles[0], percentiles[1]]);
        float lo = (float)p[0], hi = (float)p[1];
        Parallel.For(0, image.Geometry.Nz, k =>
        {
            var s = image.Slice(k);
            for (int i = 0; i < s.Length; i++) s[i] = Math.Clamp(s[i], lo, hi);
        });
    }
}
