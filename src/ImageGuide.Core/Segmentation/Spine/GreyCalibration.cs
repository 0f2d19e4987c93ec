using ImageGuide.Imaging;

namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Maps the grey values of an X-ray image without a Hounsfield scale (many cone-beam CTs) onto approximate HU, so the
/// vertebra finder's HU thresholds apply: the two reference tissues every body scan holds — air (−1000 HU: outside the
/// body, bowel gas, lung) and soft tissue (+40 HU: the dominant mode inside the body) — are found as peaks of the
/// histogram inside the reconstructed field of view (voxels at the fill value outside it left out), and the line
/// through them is the calibration. Without an air peak only the offset is known: the soft-tissue peak is put at
/// +40 HU and the scale left at 1 grey unit per HU (right for CBCTs that are HU-like up to an offset). An image that
/// already holds air and fat below −50 HU is taken as HU and left alone.
/// </summary>
public sealed record GreyCalibration(double GreyPerHu, double GreyAtZeroHu, string Reason)
{
    /// <summary>The soft-tissue reference, HU.</summary>
    public const double SoftTissueHu = 40;
    /// <summary>The air reference, HU.</summary>
    public const double AirHu = -1000;
    /// <summary>An air peak counts when it holds at least this share of the field of view's voxels.</summary>
    public const double MinimumAirShare = 0.004;
    private const int Bins = 256;

    /// <summary>True when the image is left as it is (already in HU).</summary>
    public bool IsIdentity => GreyPerHu == 1 && GreyAtZeroHu == 0;

    /// <summary>HU of grey value <paramref name="grey"/>.</summary>
    public double ToHu(double grey) => (grey - GreyAtZeroHu) / GreyPerHu;

    /// <summary>The calibration of <paramref name="image"/> (identity when it already looks like HU).</summary>
    public static GreyCalibration Estimate(Volume<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var d = image.Data;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in d) { if (v < min) min = v; if (v > max) max = v; }
        // the fill value outside a CBCT's cylinder (the corner voxel's value, or the minimum, repeated exactly in ≥ 5 % of
        // the grid) is not tissue
        float fillValue = d[0];
        long atFill = 0, atMin = 0, below = 0, inside = 0;
        foreach (float v in d) { if (v == fillValue) atFill++; if (v == min) atMin++; }
        if (atFill * 20 < d.LongLength) (fillValue, atFill) = (min, atMin);
        bool fill = atFill * 20 >= d.LongLength;
        foreach (float v in d)
        {
            if (fill && v == fillValue) continue;
            inside++;
            if (v < -50) below++;
        }
        if (below * 50 >= inside) return new GreyCalibration(1, 0, "the image holds air and fat below −50: taken as Hounsfield units");
        if (!(max > min)) return new GreyCalibration(1, 0, "the image is constant");

        var hist = new long[Bins];
        double width = (max - min) / Bins;
        foreach (float v in d)
            if (!(fill && v == fillValue)) hist[Math.Min(Bins - 1, (int)((v - min) / width))]++;
        var smooth = new double[Bins];
        for (int b = 0; b < Bins; b++)
            for (int t = -2; t <= 2; t++) smooth[b] += hist[Math.Clamp(b + t, 0, Bins - 1)] / 5.0;
        int soft = 0;
        for (int b = 1; b < Bins; b++) if (smooth[b] > smooth[soft]) soft = b;
        double softGrey = min + (soft + 0.5) * width;
        // air: the strongest peak in the lower third of the span below the soft-tissue peak, if it holds enough voxels
        int airTop = soft / 3, air = -1;
        for (int b = 0; b <= airTop; b++)
            if (air < 0 || smooth[b] > smooth[air]) air = b;
        long airVoxels = 0;
        if (air >= 0)
            for (int b = Math.Max(0, air - 4); b <= Math.Min(airTop, air + 4); b++) airVoxels += hist[b];
        if (air >= 0 && airVoxels >= MinimumAirShare * inside)
        {
            double airGrey = min + (air + 0.5) * width;
            double gain = (softGrey - airGrey) / (SoftTissueHu - AirHu);
            return new GreyCalibration(gain, softGrey - gain * SoftTissueHu, FormattableString.Invariant(
                $"no Hounsfield scale (almost nothing below −50): grey values calibrated from the air peak ({airGrey:0} → −1000 HU) and the soft-tissue peak ({softGrey:0} → +40 HU)"));
        }
        return new GreyCalibration(1, softGrey - SoftTissueHu, FormattableString.Invariant(
            $"no Hounsfield scale and no air in the field of view: the soft-tissue peak ({softGrey:0}) is taken as +40 HU, one grey unit per HU (a guess; give the vertebra labels if the vertebrae come out wrong)"));
    }

    /// <summary><paramref name="image"/> in approximate HU (the image itself when the calibration is the identity).</summary>
    public Volume<float> Apply(Volume<float> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return IsIdentity ? image : image.Convert(v => (float)ToHu(v));
    }
}
