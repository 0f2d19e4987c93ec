using ImageGuide.Dicom.Series;

namespace ImageGuide.Tests.Series;

/// <summary>Hand-built slice headers for geometry tests (no files).</summary>
internal static class SyntheticStacks
{
    public const string Uid = "1.2.3.4.5";

    public static readonly Vec3 X = new(1, 0, 0), Y = new(0, 1, 0), Z = new(0, 0, 1);

    /// <summary>One header; the loader fills every pixel with <paramref name="value"/>(physical point) / slope, rounded.</summary>
    public static DicomSliceHeader Slice(string name, Vec3 ipp, Vec3 row, Vec3 col, int rows = 4, int cols = 5,
        double rowSpacing = 0.8, double colSpacing = 0.7, int? instance = null, Func<Vec3, double>? value = null,
        double slope = 1, double intercept = 0, string modality = "CT")
    {
        DicomFrameLoader? loader = null;
        if (value is not null)
        {
            loader = (dst, _) =>
            {
                for (int j = 0; j < rows; j++)
                    for (int i = 0; i < cols; i++)
                    {
                        Vec3 p = ipp + (i * colSpacing) * row + (j * rowSpacing) * col;
                        dst[j * cols + i] = (int)Math.Round((value(p) - intercept) / slope);
                    }
            };
        }
        else loader = (dst, _) => dst.Fill(instance ?? 0);
        return new DicomSliceHeader
        {
            SourcePath = name,
            SeriesInstanceUid = Uid,
            SopInstanceUid = "1.2.3.4.5." + name,
            Modality = modality,
            InstanceNumber = instance,
            ImagePositionPatient = ipp,
            RowDirection = row,
            ColumnDirection = col,
            RowSpacing = rowSpacing,
            ColumnSpacing = colSpacing,
            Rows = rows,
            Columns = cols,
            RescaleSlope = slope,
            RescaleIntercept = intercept,
            Loader = loader,
        };
    }

    /// <summary>Axial slices at the given z positions (instance numbers 1.. in list order).</summary>
    public static List<DicomSliceHeader> Axial(params double[] z)
    {
        var list = new List<DicomSliceHeader>();
        for (int s = 0; s < z.Length; s++)
            list.Add(Slice($"s{s + 1:D3}.dcm", new Vec3(-10, -20, z[s]), X, Y, instance: s + 1));
        return list;
    }

    /// <summary>Deterministic Fisher–Yates shuffle.</summary>
    public static List<T> Shuffled<T>(IEnumerable<T> items, int seed)
    {
        var list = items.ToList();
        var rng = new Random(seed);
        for (int i = list.Count - 1; i > 0; i--)
        {
            int k = rng.Next(i + 1);
            (list[i], list[k]) = (list[k], list[i]);
        }
        return list;
    }
}
