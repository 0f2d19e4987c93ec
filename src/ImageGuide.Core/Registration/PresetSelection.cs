using System.Numerics;
using ImageGuide.Imaging;

namespace ImageGuide.Registration;

/// <summary>What kind of image a volume is, for choosing registration settings.</summary>
public enum ImageKind
{
    /// <summary>Not recognised.</summary>
    Unknown,
    /// <summary>Diagnostic CT (Hounsfield units, air at −1000).</summary>
    Ct,
    /// <summary>Cone-beam CT (X-ray contrast without a reliable HU scale).</summary>
    Cbct,
    /// <summary>Magnetic resonance (non-negative arbitrary units).</summary>
    Mr,
}

/// <summary>A recognised image kind and why.</summary>
public sealed record ImageKindGuess(ImageKind Kind, string Reason);

/// <summary>The settings <c>auto</c> picked for a pair, the kinds recognised and why.</summary>
/// <param name="Settings">The preset, with the <see cref="InitializerKind.Auto"/> start.</param>
/// <param name="PresetName">The embedded preset it was made from.</param>
/// <param name="Fixed">The fixed image's kind.</param>
/// <param name="Moving">The moving image's kind.</param>
/// <param name="Reason">The choice in words.</param>
public sealed record PresetChoice(RegistrationSettings Settings, string PresetName, ImageKindGuess Fixed, ImageKindGuess Moving, string Reason);

/// <summary>
/// The <c>auto</c> preset: recognises CT, CBCT and MR from the DICOM Modality and description, or, for volume
/// files, from the intensity scale (CT: a share of voxels at air, −1000 ± 100 HU; CBCT: negative values on an
/// X-ray scale whose air sits elsewhere; MR: no negative values), and picks the embedded preset for the pair.
/// </summary>
public static class PresetSelection
{
    /// <summary>The preset name that asks for this selection (<c>register --preset auto</c>, a manifest's <c>"preset": "auto"</c>).</summary>
    public const string AutoPresetName = "auto";

    private static readonly string[] ConeBeamWords = ["CBCT", "CONE", "DYNA", "XPER", "ARTIS", "O-ARM", "OARM", "LOOP-X", "AIRO"];

    /// <summary>Recognises the kind of <paramref name="image"/>.</summary>
    public static ImageKindGuess Recognize<T>(Volume<T> image) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(image);
        var md = image.Metadata;
        string modality = md.Modality?.Trim().ToUpperInvariant() ?? "";
        string description = $"{md.SeriesDescription} {md.StudyDescription}".ToUpperInvariant();
        foreach (var w in ConeBeamWords)
            if (modality is "CT" or "" && description.Contains(w, StringComparison.Ordinal))
                return new(ImageKind.Cbct, $"the series description names a cone-beam system ('{w}')");
        if (modality == "MR") return new(ImageKind.Mr, "DICOM Modality MR");
        var (airShare, negativeShare, airLevel) = Scale(image);
        if (modality == "CT")
            return airShare >= 0.02 || negativeShare < 0.02
                ? new(ImageKind.Ct, "DICOM Modality CT")
                : new(ImageKind.Cbct, FormattableString.Invariant($"DICOM Modality CT but air lies at {airLevel:0} rather than −1000 HU (no HU scale: cone-beam)"));
        if (modality.Length > 0) return new(ImageKind.Unknown, $"DICOM Modality {modality} is neither CT nor MR");
        if (airShare >= 0.02)
            return new(ImageKind.Ct, FormattableString.Invariant($"no modality recorded; {airShare:P0} of the voxels lie at air (−1000 ± 100): a Hounsfield scale"));
        if (negativeShare >= 0.02)
            return new(ImageKind.Cbct, FormattableString.Invariant($"no modality recorded; {negativeShare:P0} of the voxels are negative but air lies at {airLevel:0}, not −1000: an X-ray scale without HU calibration"));
        return new(ImageKind.Mr, "no modality recorded; no negative values: an MR-like scale");
    }

    /// <summary>Picks the preset for the pair and sets the <see cref="InitializerKind.Auto"/> start.</summary>
    public static PresetChoice Choose<TF, TM>(Volume<TF> fixedImage, Volume<TM> movingImage)
        where TF : unmanaged, INumberBase<TF> where TM : unmanaged, INumberBase<TM>
    {
        var f = Recognize(fixedImage);
        var m = Recognize(movingImage);
        (string name, bool swapClip, string why) = (f.Kind, m.Kind) switch
        {
            (ImageKind.Cbct, ImageKind.Mr) => ("cbct-mr", false, "CBCT to MR"),
            (ImageKind.Mr, ImageKind.Cbct) => ("cbct-mr", true, "MR to CBCT (the CBCT's clipping moves to the moving side)"),
            (ImageKind.Ct, ImageKind.Cbct) => ("ct-cbct", false, "CT to CBCT"),
            (ImageKind.Cbct, ImageKind.Ct) => ("ct-cbct", false, "CBCT to CT"),
            (ImageKind.Cbct, ImageKind.Cbct) => ("ct-cbct", false, "CBCT to CBCT"),
            (ImageKind.Ct, ImageKind.Mr) or (ImageKind.Mr, ImageKind.Ct) => ("ct-mr", false, "CT and MR"),
            _ => ("ct-mr", false, $"{f.Kind} to {m.Kind}: the general multi-modal recipe (mutual information)"),
        };
        var preset = RegistrationPreset.Get(name);
        if (swapClip) preset = preset with { FixedClipPercentiles = preset.MovingClipPercentiles, MovingClipPercentiles = preset.FixedClipPercentiles };
        var settings = preset with { Initializer = InitializerKind.Auto };
        return new PresetChoice(settings, name, f, m, $"{why}: fixed {f.Reason}; moving {m.Reason}");
    }

    /// <summary>Most voxels <see cref="Scale"/> reads: shares and a low percentile to well under 1 % (a whole volume would only cost time).</summary>
    private const long ScaleSampleLimit = 1 << 17;

    /// <summary>Share of voxels at air (−1000 ± 100), share of negative voxels, and the 2nd percentile (a regular subset of at most ~131,000 voxels).</summary>
    private static (double AirShare, double NegativeShare, double AirLevel) Scale<T>(Volume<T> image) where T : unmanaged, INumberBase<T>
    {
        var d = image.Data;
        long stride = Math.Max(1, d.LongLength / ScaleSampleLimit);
        long n = 0, air = 0, negative = 0;
        var values = new List<float>((int)Math.Min(d.LongLength, 2 * ScaleSampleLimit));
        for (long i = 0; i < d.LongLength; i += stride)
        {
            double v = double.CreateTruncating(d[i]);
            n++;
            if (v >= -1100 && v <= -900) air++;
            if (v < -50) negative++;
            values.Add((float)v);
        }
        values.Sort();
        double p2 = values.Count == 0 ? 0 : values[(int)(0.02 * (values.Count - 1))];
        return n == 0 ? (0, 0, 0) : (air / (double)n, negative / (double)n, p2);
    }
}
