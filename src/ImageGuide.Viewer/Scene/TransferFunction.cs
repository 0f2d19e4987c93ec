using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Scene;

/// <summary>
/// Opacity for volume rendering: 0 below <see cref="Low"/>, a smooth ramp to <see cref="MaxOpacity"/> (per mm of
/// ray) at <see cref="High"/> and above.
/// </summary>
/// <param name="Low">Value where opacity starts.</param>
/// <param name="High">Value where opacity reaches its maximum.</param>
/// <param name="MaxOpacity">Opacity per millimetre at and above <paramref name="High"/> (0–1).</param>
public readonly record struct TransferFunction(double Low, double High, double MaxOpacity)
{
    /// <summary>CT bone: 150 → 700 HU, nearly opaque.</summary>
    public static TransferFunction CtBone => new(150, 700, 0.6);

    /// <summary>
    /// Bone for the base volume: <see cref="CtBone"/> when the volume is CT in HU, otherwise (CBCT, arbitrary units)
    /// a ramp over the 97th–99.7th percentiles, where dense structures lie.
    /// </summary>
    public static TransferFunction BoneFor(Volume<float> volume)
    {
        if (volume.Metadata.Modality == "CT" || volume.Metadata.Units == "HU") return CtBone;
        var w = VolumeWindows.Percentiles(volume, 97, 99.7);
        return new TransferFunction(w.Center - w.Width / 2, w.Center + w.Width / 2, 0.6);
    }

    /// <summary>
    /// MR soft tissue: a translucent ramp over the 97th–99.9th percentiles, so only the brightest structures (fluid,
    /// T2-bright lesions) show beside the bone while the bulk of the body (and a fat layer up to a few percent of
    /// the voxels) stays clear.
    /// </summary>
    public static TransferFunction SoftTissueFor(Volume<float> volume)
    {
        var w = VolumeWindows.Percentiles(volume, 97, 99.9);
        return new TransferFunction(w.Center - w.Width / 2, w.Center + w.Width / 2, 0.08);
    }
}

/// <summary>Display windows for volumes, from core's <see cref="WindowLevel"/>.</summary>
public static class VolumeWindows
{
    private const int MaxSamples = 1 << 20;

    /// <summary>
    /// The 2-D display window: the file's own window when it has one, core's CT soft-tissue preset for CT in HU,
    /// otherwise the 1st–99th percentile window (MR, CBCT).
    /// </summary>
    public static WindowLevel DefaultFor(Volume<float> volume)
    {
        if (volume.Metadata is { WindowCenter: double c, WindowWidth: double w } && w > 0) return new WindowLevel(c, w);
        if (volume.Metadata.Modality == "CT" || volume.Metadata.Units == "HU") return WindowLevel.CtSoftTissue;
        return Percentiles(volume, 1, 99);
    }

    /// <summary>
    /// <see cref="WindowLevel.FromPercentiles"/> over an even subsample of at most 2²⁰ voxels, so large volumes
    /// cost milliseconds.
    /// </summary>
    public static WindowLevel Percentiles(Volume<float> volume, double lowPercent, double highPercent)
    {
        var data = volume.Data;
        if (data.Length <= MaxSamples) return WindowLevel.FromPercentiles(data, lowPercent, highPercent);
        long stride = (data.LongLength + MaxSamples - 1) / MaxSamples;
        var sample = new float[(int)((data.LongLength + stride - 1) / stride)];
        for (int n = 0; n < sample.Length; n++) sample[n] = data[n * stride];
        return WindowLevel.FromPercentiles(sample, lowPercent, highPercent);
    }
}
