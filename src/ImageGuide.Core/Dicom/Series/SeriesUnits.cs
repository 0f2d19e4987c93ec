namespace ImageGuide.Dicom.Series;

/// <summary>Units of rescaled voxel values: HU only for CT; other modalities keep what Rescale Type says, if anything.</summary>
internal static class SeriesUnits
{
    public static string? Of(DicomSliceHeader h)
    {
        string? type = string.IsNullOrWhiteSpace(h.RescaleType) ? null : h.RescaleType.Trim();
        if (string.Equals(h.Modality, "CT", StringComparison.OrdinalIgnoreCase))
            return type is null or "HU" ? "HU" : type;
        // "US" means unspecified
        return type is null or "US" ? null : type;
    }
}
