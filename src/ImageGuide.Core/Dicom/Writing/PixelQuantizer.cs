using System.Globalization;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Writing;

/// <summary>
/// Chooses Rescale Slope/Intercept for storing float values as 16-bit signed integers. Integer values that fit in
/// a short are stored exactly with slope 1, intercept 0. Anything else is spread over the full short range:
/// slope = (max − min) / 65535, so the worst rounding error is slope / 2 = (max − min) / 131070 (e.g. 0.03 HU
/// for a 4000 HU range). Slope and intercept are the values as written in the Decimal Strings, so a reader
/// recovers exactly the quantised values.
/// </summary>
internal readonly record struct PixelQuantizer(double Slope, double Intercept)
{
    public static PixelQuantizer For(Volume<float> volume)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        bool integral = true;
        var data = volume.Data;
        for (long n = 0; n < data.LongLength; n++)
        {
            float v = data[n];
            if (!float.IsFinite(v))
                throw new InvalidImageDataException($"Voxel {n} of the volume is {v.ToString(CultureInfo.InvariantCulture)}; only finite values can be written to DICOM.");
            if (v < min) min = v;
            if (v > max) max = v;
            if (integral && v != MathF.Round(v)) integral = false;
        }
        if (integral && min >= short.MinValue && max <= short.MaxValue) return new PixelQuantizer(1, 0);
        double range = (double)max - min;
        double slope = Parse(ExplicitVrLittleEndianWriter.FormatDecimal(range > 0 ? range / 65535 : 1));
        // intercept puts min at −32768 and so max at +32767; the DS text keeps ≥ 10 significant digits, far below
        // half a step, and Store clamps the last fraction
        double intercept = Parse(ExplicitVrLittleEndianWriter.FormatDecimal(min + 32768 * slope));
        return new PixelQuantizer(slope, intercept);
    }

    public short Store(float value) => (short)Math.Clamp(Math.Round((value - Intercept) / Slope), short.MinValue, short.MaxValue);

    private static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
