using System.Globalization;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Pure geometry of one stack: sorting along the normal, duplicates, spacing, slabs and shear (gantry tilt),
/// and the output grid. Reads no pixels.
/// </summary>
internal static class StackPlanner
{
    /// <summary>Most output slices a resampled stack may have (guards against absurd position values).</summary>
    private const int MaxOutputSlices = 20000;

    public static SeriesGeometryPlan Plan(List<DicomSliceHeader> stack, SeriesAssemblyOptions options, List<string> warnings)
    {
        double tol = options.SpacingToleranceMm;
        var first = stack[0];
        Vec3 r = first.RowDirection.Normalized();
        Vec3 c = (first.ColumnDirection - Vec3.Dot(first.ColumnDirection, r) * r).Normalized();
        Vec3 n = Vec3.Cross(r, c);

        var slices = DropCopies(stack, warnings);
        var order = new (double D, DicomSliceHeader H)[slices.Count];
        for (int s = 0; s < slices.Count; s++) order[s] = (Vec3.Dot(slices[s].ImagePositionPatient, n), slices[s]);
        Array.Sort(order, (x, y) =>
        {
            int cmp = x.D.CompareTo(y.D);
            if (cmp != 0) return cmp;
            cmp = (x.H.InstanceNumber ?? int.MaxValue).CompareTo(y.H.InstanceNumber ?? int.MaxValue);
            return cmp != 0 ? cmp : StackSplitter.CompareByPath(x.H, y.H);
        });
        var sorted = ResolveDuplicates(order, tol, options.DuplicatePositions, warnings);

        int count = sorted.Count;
        var depth = new double[count];
        var offRow = new double[count];
        var offCol = new double[count];
        Vec3 p0 = sorted[0].ImagePositionPatient;
        for (int s = 0; s < count; s++)
        {
            Vec3 d = sorted[s].ImagePositionPatient - p0;
            depth[s] = Vec3.Dot(d, n);
            offRow[s] = Vec3.Dot(d, r);
            offCol[s] = Vec3.Dot(d, c);
        }

        // shear (gantry tilt): in-plane offsets proportional to depth
        double shearRow = 0, shearCol = 0, tiltDeg = 0;
        bool sheared = false;
        double maxOffset = 0;
        for (int s = 0; s < count; s++) maxOffset = Math.Max(maxOffset, Math.Max(Math.Abs(offRow[s]), Math.Abs(offCol[s])));
        if (count > 1 && maxOffset > tol)
        {
            double szz = 0, sza = 0, szb = 0;
            for (int s = 0; s < count; s++) { szz += depth[s] * depth[s]; sza += depth[s] * offRow[s]; szb += depth[s] * offCol[s]; }
            shearRow = sza / szz;
            shearCol = szb / szz;
            double residual = 0;
            int worst = 0;
            for (int s = 0; s < count; s++)
            {
                double e = Math.Max(Math.Abs(offRow[s] - shearRow * depth[s]), Math.Abs(offCol[s] - shearCol * depth[s]));
                if (e > residual) { residual = e; worst = s; }
            }
            if (residual > Math.Max(tol, 1e-3 * Math.Abs(depth[count - 1])))
                throw new GeometryException(string.Create(CultureInfo.InvariantCulture,
                    $"Series {first.SeriesInstanceUid}: slice origins do not lie on one line (in-plane shift of {sorted[worst].DisplayName} is {residual:0.###} mm off the line through the other slices); the frames do not form one stack. Load the frames separately or fix Image Position (Patient)."));
            sheared = true;
            tiltDeg = Math.Atan(Math.Sqrt(shearRow * shearRow + shearCol * shearCol)) * 180 / Math.PI;
            if (options.GantryTilt == GantryTiltPolicy.Strict)
                throw new GeometryException(string.Create(CultureInfo.InvariantCulture,
                    $"Series {first.SeriesInstanceUid}: gantry tilt {tiltDeg:0.00}° (sheared stack: slice origins move {Math.Sqrt(shearRow * shearRow + shearCol * shearCol):0.####} mm in-plane per mm along the normal) from {sorted[0].DisplayName} to {sorted[count - 1].DisplayName}; refused by the Strict tilt policy. Use GantryTiltPolicy.Resample to resample onto an orthogonal grid."));
        }

        // spacing along the normal
        var gaps = new double[Math.Max(0, count - 1)];
        for (int s = 0; s + 1 < count; s++) gaps[s] = depth[s + 1] - depth[s];
        var slabs = FindSlabs(gaps, tol);
        var unique = UniqueSpacings(gaps);
        double extent = count > 1 ? depth[count - 1] : 0;
        bool even = true;
        double spacing;
        int outSlices;
        if (count == 1)
        {
            spacing = first.SliceThickness is > 0 and var t ? t : 1.0;
            outSlices = 1;
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Series {first.SeriesInstanceUid} has a single frame ({sorted[0].DisplayName}): slice spacing {spacing:0.###} mm taken from {(first.SliceThickness is > 0 ? "Slice Thickness" : "a 1 mm default")}."));
        }
        else
        {
            double uniform = extent / (count - 1);
            for (int s = 0; s < count; s++)
                if (Math.Abs(depth[s] - s * uniform) > tol) { even = false; break; }
            if (even)
            {
                spacing = uniform;
                outSlices = count;
            }
            else
            {
                double typical = TypicalSpacing(slabs, gaps);
                string description = DescribeUneven(slabs, gaps, typical, tol);
                if (options.UnevenSpacing == UnevenSpacingPolicy.Strict)
                    throw new GeometryException(string.Create(CultureInfo.InvariantCulture,
                        $"Series {first.SeriesInstanceUid}: uneven slice spacing ({description}; slices in sorted order: {Names(sorted, slabs)}); refused by the Strict spacing policy. Use UnevenSpacingPolicy.Resample to resample onto a uniform grid."));
                double steps = Math.Round(extent / typical);
                if (steps + 1 > MaxOutputSlices)
                    throw new GeometryException(string.Create(CultureInfo.InvariantCulture,
                        $"Series {first.SeriesInstanceUid}: resampling {extent:0.###} mm at {typical:0.####} mm would need {steps + 1} slices (more than {MaxOutputSlices}); the positions are implausible. Check Image Position (Patient) of {sorted[0].DisplayName} and {sorted[count - 1].DisplayName}."));
                outSlices = (int)steps + 1;
                spacing = extent / steps;
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Uneven slice spacing: {description}; resampled to uniform {spacing:0.00} mm ({outSlices} slices spanning the same {extent:0.###} mm)."));
            }
        }

        // output grid: axes r, c, n; in-plane union of all slice planes for a sheared stack
        double minRow = 0, maxRow = 0, minCol = 0, maxCol = 0;
        if (sheared)
        {
            for (int s = 0; s < count; s++)
            {
                minRow = Math.Min(minRow, offRow[s]); maxRow = Math.Max(maxRow, offRow[s]);
                minCol = Math.Min(minCol, offCol[s]); maxCol = Math.Max(maxCol, offCol[s]);
            }
        }
        else
        {
            Array.Clear(offRow);
            Array.Clear(offCol);
        }
        int nx = first.Columns + (int)Math.Ceiling((maxRow - minRow) / first.ColumnSpacing - 1e-6);
        int ny = first.Rows + (int)Math.Ceiling((maxCol - minCol) / first.RowSpacing - 1e-6);
        Vec3 origin = p0 + minRow * r + minCol * c;
        var geometry = new VolumeGeometry(nx, ny, outSlices, new Vec3(first.ColumnSpacing, first.RowSpacing, spacing), origin,
            Mat3.FromColumns(r, c, n));
        if (sheared)
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Gantry tilt {tiltDeg:0.00}° (sheared stack) resampled onto an orthogonal grid {nx}×{ny}×{outSlices} covering all slice planes."));

        double? padding = first.PixelPaddingValue is { } pv ? pv * first.RescaleSlope + first.RescaleIntercept : null;
        var names = new string[count];
        for (int s = 0; s < count; s++) names[s] = sorted[s].DisplayName;
        var report = new SeriesAssemblyReport
        {
            SeriesInstanceUid = first.SeriesInstanceUid,
            Warnings = warnings,
            GantryTiltDegrees = tiltDeg,
            GantryTiltAttributeDegrees = first.GantryDetectorTilt,
            UniqueSpacingsMm = unique,
            Slabs = slabs,
            OutputSpacingMm = spacing,
            Resampled = sheared || !even,
            SliceOrder = names,
            PixelPaddingValue = padding,
            Units = SeriesUnits.Of(first),
        };
        var layout = new StackLayout(depth, offRow, offCol, sheared ? shearRow : 0, sheared ? shearCol : 0, minRow, minCol, sheared || !even);
        return new SeriesGeometryPlan(sorted, geometry, report, layout);
    }

    /// <summary>Drops frames that repeat a SOP Instance UID + frame number already seen (the same image copied twice).</summary>
    private static List<DicomSliceHeader> DropCopies(List<DicomSliceHeader> stack, List<string> warnings)
    {
        var seen = new HashSet<(string, int)>();
        var kept = new List<DicomSliceHeader>(stack.Count);
        List<string>? dropped = null;
        foreach (var h in stack)
        {
            if (h.SopInstanceUid is { Length: > 0 } uid && !seen.Add((uid, h.FrameIndex)))
                (dropped ??= []).Add(h.DisplayName);
            else kept.Add(h);
        }
        if (dropped is not null)
            warnings.Add($"Dropped {dropped.Count} frame(s) repeating a SOP Instance UID already read (copies of the same image): {string.Join(", ", dropped.Take(10))}{(dropped.Count > 10 ? ", …" : "")}.");
        return kept;
    }

    private static List<DicomSliceHeader> ResolveDuplicates((double D, DicomSliceHeader H)[] order, double tol,
        DuplicatePositionPolicy policy, List<string> warnings)
    {
        var kept = new List<DicomSliceHeader>(order.Length);
        var groups = new List<string>();
        var dropped = new List<string>();
        int s = 0;
        while (s < order.Length)
        {
            int e = s + 1;
            while (e < order.Length && order[e].D - order[e - 1].D <= tol) e++;
            kept.Add(order[s].H);
            if (e - s > 1)
            {
                var members = new List<string>();
                for (int m = s; m < e; m++) members.Add(order[m].H.DisplayName);
                groups.Add(string.Create(CultureInfo.InvariantCulture, $"{string.Join(" = ", members)} at {order[s].D:0.###} mm"));
                for (int m = s + 1; m < e; m++) dropped.Add(order[m].H.DisplayName);
            }
            s = e;
        }
        if (groups.Count == 0) return kept;
        string what = string.Join("; ", groups.Take(5)) + (groups.Count > 5 ? $"; … ({groups.Count} positions in all)" : "");
        if (policy == DuplicatePositionPolicy.Refuse)
            throw new GeometryException(
                $"Series {order[0].H.SeriesInstanceUid}: several frames share one slice position ({what}). They may be echoes, phases or repeated acquisitions; load them as separate series or use DuplicatePositionPolicy.KeepFirst.");
        warnings.Add($"Frames sharing a slice position ({what}): kept the first by Instance Number, dropped {string.Join(", ", dropped.Take(10))}{(dropped.Count > 10 ? ", …" : "")}.");
        return kept;
    }

    /// <summary>Runs of gaps that stay within <paramref name="tol"/> of the run's mean.</summary>
    internal static List<SpacingSlab> FindSlabs(double[] gaps, double tol)
    {
        var slabs = new List<SpacingSlab>();
        if (gaps.Length == 0) { slabs.Add(new SpacingSlab(1, 1, 0)); return slabs; }
        int start = 0;
        double sum = gaps[0];
        for (int g = 1; g <= gaps.Length; g++)
        {
            double mean = sum / (g - start);
            if (g < gaps.Length && Math.Abs(gaps[g] - mean) <= tol) { sum += gaps[g]; continue; }
            slabs.Add(new SpacingSlab(start + 1, g + 1, mean));
            if (g < gaps.Length) { start = g; sum = gaps[g]; }
        }
        return slabs;
    }

    private static double[] UniqueSpacings(double[] gaps)
    {
        var set = new SortedSet<double>();
        foreach (var g in gaps) set.Add(Math.Round(g, 4));
        return [.. set];
    }

    /// <summary>Smallest spacing of a run with two or more gaps (a lone gap is a junction or a hole); the smallest gap if no run has two.</summary>
    internal static double TypicalSpacing(List<SpacingSlab> slabs, double[] gaps)
    {
        double best = double.PositiveInfinity;
        foreach (var s in slabs) if (s.GapCount >= 2) best = Math.Min(best, s.SpacingMm);
        if (double.IsFinite(best)) return best;
        foreach (var g in gaps) best = Math.Min(best, g);
        return best;
    }

    private static string DescribeUneven(List<SpacingSlab> slabs, double[] gaps, double typical, double tol)
    {
        var parts = new List<string>();
        foreach (var s in slabs)
        {
            if (s.GapCount >= 2)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"spacing {s.SpacingMm:0.00} mm for slices {s.FirstSlice}–{s.LastSlice}"));
                continue;
            }
            double ratio = s.SpacingMm / typical;
            double m = Math.Round(ratio);
            string missing = m >= 2 && Math.Abs(s.SpacingMm - m * typical) <= Math.Max(tol, 0.02 * typical)
                ? string.Create(CultureInfo.InvariantCulture, $" = {m:0} × {typical:0.00} mm: {m - 1:0} slice{(m - 1 == 1 ? "" : "s")} missing")
                : "";
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"gap {s.SpacingMm:0.00} mm between slices {s.FirstSlice} and {s.LastSlice}{missing}"));
        }
        return string.Join(", ", parts);
    }

    private static string Names(List<DicomSliceHeader> sorted, List<SpacingSlab> slabs)
    {
        var parts = new List<string>();
        foreach (var s in slabs)
            if (s.GapCount < 2)
                parts.Add($"{s.FirstSlice} = {sorted[s.FirstSlice - 1].DisplayName}, {s.LastSlice} = {sorted[s.LastSlice - 1].DisplayName}");
        if (parts.Count == 0)
            parts.Add($"1 = {sorted[0].DisplayName}, {sorted.Count} = {sorted[^1].DisplayName}");
        return string.Join("; ", parts);
    }
}
