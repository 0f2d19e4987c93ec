using System.Globalization;

namespace ImageGuide.Segmentation.Spine;

/// <summary>
/// Thresholds and sizes for <see cref="VertebraFinder"/>. The defaults suit diagnostic CT and cone-beam CT calibrated in
/// HU of adult spines; each says where its value comes from.
/// </summary>
public sealed record VertebraFinderSettings
{
    /// <summary>The defaults.</summary>
    public static VertebraFinderSettings Default { get; } = new();

    /// <summary>
    /// Bone seeds and the walls that enclose the spinal canal (HU, default 200): above trabecular bone of osteoporotic
    /// vertebrae (≈ 100–160 HU at L1, Pickhardt et al., Ann Intern Med 2013) only where cortex or healthy trabecular bone
    /// is, and above muscle (40–60 HU), discs (50–110 HU) and portal-venous contrast blood (≈ 150–180 HU).
    /// </summary>
    public double BoneSeedHu { get; init; } = 200;

    /// <summary>
    /// Bone grown from the seeds (HU, default 120): keeps trabecular bone down to the osteoporosis range (≈ 110 HU) while
    /// staying above the nucleus of a disc (≈ 70–100 HU) and soft tissue.
    /// </summary>
    public double BoneGrowHu { get; init; } = 120;

    /// <summary>
    /// Outer voxels of a vertebra's label below this are dropped once on an image without a Hounsfield scale (HU,
    /// default 200, the seed threshold): its extra smoothing spreads bone outwards by about a voxel, and that ring would not
    /// have seeded bone. Used on images with voxels over 2 mm only (finer ones get the half-maximum surface instead).
    /// Measured on a cone-beam-like copy of the real example CT (3 mm): Dice L1–L5 0.79–0.90 at 200, against
    /// 0.79–0.84 without the peel and 0.68–0.80 at 400.
    /// </summary>
    public double BoundaryHu { get; init; } = 200;

    /// <summary>
    /// Smoothing before the analysis of an image without a Hounsfield scale (mm, default 1.5; 1 mm otherwise): such
    /// cone-beam CTs are noisier than diagnostic CT, and unsmoothed noise makes false disc dips (measured on the phantom CBCT).
    /// </summary>
    public double UncalibratedSmoothingMm { get; init; } = 1.5;

    /// <summary>Lowest HU of canal contents (default −200): epidural fat is ≈ −100 HU; air (−1000) is never canal.</summary>
    public double CanalMinHu { get; init; } = -200;

    /// <summary>
    /// Highest mean HU of a canal blob in one slice (default 60): CSF is 0–15 HU, the cord 30–40 HU, epidural fat
    /// negative; the enclosed marrow inside vertebral bodies, which is also walled by bone, averages 75–100 HU even in
    /// osteoporotic spines (measured on the TotalSegmentator example CT).
    /// </summary>
    public double CanalMaxHu { get; init; } = 60;

    /// <summary>
    /// How far each in-plane ray from a canal candidate looks for bone (mm, default 22): the adult canal is 12–25 mm wide
    /// (sagittal ≥ 12 mm, interpedicular up to ≈ 25 mm at L5), so its walls lie within this from any point inside.
    /// </summary>
    public double CanalRayMm { get; init; } = 22;

    /// <summary>
    /// Of 24 rays (8 in-plane directions, and the same tilted 45° cranially and caudally), how many must hit bone for a
    /// voxel to count as enclosed canal (default 12). Measured on the TotalSegmentator example CT: spinal-cord voxels hit
    /// 9–20 (median 14), soft tissue away from bone almost never more than 6.
    /// </summary>
    public int CanalMinRays { get; init; } = 12;

    /// <summary>
    /// Smallest vertebra period along the spine (mm, default 13): cervical bodies are ≈ 14 mm high with 4–5 mm discs
    /// (period ≈ 18 mm), lumbar ≈ 27 mm with 10 mm discs; two discs closer than this are one.
    /// </summary>
    public double MinPeriodMm { get; init; } = 13;

    /// <summary>
    /// Smallest depth of a disc dip in the body intensity profile below the bone on both sides (HU, default 35): discs are
    /// 50–110 HU between trabecular bone of 150–300 HU and brighter end plates.
    /// </summary>
    public double MinDiscContrastHu { get; init; } = 35;

    /// <summary>
    /// Largest distance of vertebra bone from the canal axis (mm, default 65): lumbar transverse processes reach ≈ 45 mm
    /// from the midline, spinous processes ≈ 50 mm behind the canal, the front of a lumbar body ≈ 55 mm before it.
    /// Bone further out (ribs, ilium, femur) is never labelled.
    /// </summary>
    public double SpineRadiusMm { get; init; } = 65;

    /// <summary>Checks ranges.</summary>
    /// <exception cref="SegmentationException">A setting is out of range.</exception>
    public void Validate()
    {
        Check(BoneGrowHu < BoneSeedHu, $"BoneGrowHu ({Num(BoneGrowHu)}) must be below BoneSeedHu ({Num(BoneSeedHu)}).");
        Check(BoundaryHu > BoneGrowHu, $"BoundaryHu ({Num(BoundaryHu)}) must be above BoneGrowHu ({Num(BoneGrowHu)}).");
        Check(UncalibratedSmoothingMm is >= 0 and <= 5, $"UncalibratedSmoothingMm ({Num(UncalibratedSmoothingMm)}) must lie in 0…5 mm.");
        Check(CanalMinHu < BoneGrowHu, $"CanalMinHu ({Num(CanalMinHu)}) must be below BoneGrowHu ({Num(BoneGrowHu)}).");
        Check(CanalMaxHu > CanalMinHu, $"CanalMaxHu ({Num(CanalMaxHu)}) must be above CanalMinHu ({Num(CanalMinHu)}).");
        Check(CanalRayMm is > 5 and <= 60, $"CanalRayMm ({Num(CanalRayMm)}) must lie in (5, 60] mm.");
        Check(CanalMinRays is >= 4 and <= 24, $"CanalMinRays ({CanalMinRays}) must lie in 4…24.");
        Check(MinPeriodMm is >= 5 and <= 40, $"MinPeriodMm ({Num(MinPeriodMm)}) must lie in 5…40 mm.");
        Check(MinDiscContrastHu is > 0 and < 1000, $"MinDiscContrastHu ({Num(MinDiscContrastHu)}) must lie in (0, 1000) HU.");
        Check(SpineRadiusMm is >= 20 and <= 200, $"SpineRadiusMm ({Num(SpineRadiusMm)}) must lie in 20…200 mm.");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok) throw new SegmentationException("Vertebra finder setting out of range: " + message);
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
