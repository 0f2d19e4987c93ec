using System.Globalization;
using System.Text;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Splits the frames of one series into stacks that can share a grid: same orientation (within tolerance),
/// same matrix and same pixel spacing. Scouts, localisers and reformats often share a series UID with the axial stack.
/// </summary>
internal static class StackSplitter
{
    /// <summary>
    /// Returns the stacks, largest first (ties: the stack whose first frame sorts first by path and frame).
    /// Input order does not matter.
    /// </summary>
    public static List<List<DicomSliceHeader>> Split(IReadOnlyList<DicomSliceHeader> frames, double orientationTolerance)
    {
        var ordered = new List<DicomSliceHeader>(frames);
        ordered.Sort(CompareByPath);
        var stacks = new List<List<DicomSliceHeader>>();
        foreach (var f in ordered)
        {
            List<DicomSliceHeader>? home = null;
            foreach (var s in stacks)
                if (Compatible(s[0], f, orientationTolerance)) { home = s; break; }
            if (home is null) stacks.Add(home = []);
            home.Add(f);
        }
        // stable: equal counts keep first-seen order
        var sorted = stacks.Select((s, i) => (s, i)).OrderByDescending(x => x.s.Count).ThenBy(x => x.i).Select(x => x.s).ToList();
        return sorted;
    }

    /// <summary>Ordinal path, then frame index.</summary>
    public static int CompareByPath(DicomSliceHeader a, DicomSliceHeader b)
    {
        int c = string.CompareOrdinal(a.SourcePath, b.SourcePath);
        return c != 0 ? c : a.FrameIndex.CompareTo(b.FrameIndex);
    }

    private static bool Compatible(DicomSliceHeader a, DicomSliceHeader b, double tol) =>
        a.Rows == b.Rows && a.Columns == b.Columns &&
        Math.Abs(a.RowSpacing - b.RowSpacing) <= 1e-4 * Math.Max(1, a.RowSpacing) &&
        Math.Abs(a.ColumnSpacing - b.ColumnSpacing) <= 1e-4 * Math.Max(1, a.ColumnSpacing) &&
        Vec3.MaxAbsDifference(a.RowDirection.Normalized(), b.RowDirection.Normalized()) <= tol &&
        Vec3.MaxAbsDifference(a.ColumnDirection.Normalized(), b.ColumnDirection.Normalized()) <= tol;

    /// <summary>"28 frames 512×512 row (1, 0, 0) column (0, 1, 0)" for warnings.</summary>
    public static string Describe(List<DicomSliceHeader> stack)
    {
        var f = stack[0];
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{stack.Count} frame{(stack.Count == 1 ? "" : "s")} {f.Columns}×{f.Rows}");
        sb.Append(CultureInfo.InvariantCulture, $" spacing {f.RowSpacing:0.####}\\{f.ColumnSpacing:0.####} mm orientation {Fmt(f.RowDirection)}\\{Fmt(f.ColumnDirection)}");
        return sb.ToString();
    }

    private static string Fmt(Vec3 v) => string.Create(CultureInfo.InvariantCulture, $"{v.X:0.####}\\{v.Y:0.####}\\{v.Z:0.####}");
}
