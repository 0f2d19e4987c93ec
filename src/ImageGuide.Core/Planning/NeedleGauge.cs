namespace ImageGuide.Planning;

/// <summary>
/// Nominal outer diameters of needles by gauge (Stubs / Birmingham wire gauge as used for needles, matching the
/// nominal outer diameters of ISO 9626:2016 within its tolerances). Example from docs/CLINICAL.md (001): a cryoprobe passed
/// through a 13G coaxial needle, 2.413 mm outer diameter.
/// </summary>
public static class NeedleGauge
{
    private static readonly double[] OuterDiameters =
    [
        // gauge 10 … 25, mm
        3.404, 3.048, 2.769, 2.413, 2.108, 1.829, 1.651, 1.473, 1.270, 1.067, 0.908, 0.819, 0.718, 0.642, 0.566, 0.515,
    ];

    /// <summary>Smallest gauge in the table (largest needle).</summary>
    public const int MinGauge = 10;

    /// <summary>Largest gauge in the table (finest needle).</summary>
    public const int MaxGauge = 25;

    /// <summary>Nominal outer diameter (mm) of a needle of the given gauge.</summary>
    /// <exception cref="ImageGuideException">The gauge is outside 10G–25G.</exception>
    public static double OuterDiameterMm(int gauge)
    {
        if (gauge < MinGauge || gauge > MaxGauge)
            throw new ImageGuideException($"Needle gauge {gauge}G is not in the gauge table ({MinGauge}G–{MaxGauge}G); give the needle diameter in mm instead.");
        return OuterDiameters[gauge - MinGauge];
    }
}
