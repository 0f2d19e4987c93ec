using System.Globalization;
using ImageGuide.Dicom;
using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>
/// Reads a DICOM RT Structure Set (PS3.3 A.19) as labels on a reference grid (the image the contours were drawn on, or
/// any grid covering them): every ROI with closed planar contours becomes one label (value 1…n in the Structure Set ROI
/// order, its ROI Name as the name, a role from its RT ROI Interpreted Type — GTV/CTV/PTV → Target, EXTERNAL → Body,
/// AVOIDANCE/ORGAN by name — or its name). Each contour fills the voxels of its slice whose centres it encloses (even–odd:
/// a contour inside another of the same ROI is a hole). What cannot be placed is reported: contours off the grid's
/// slices, open and point contours, overlapping ROIs (the later one kept).
/// </summary>
public static class RtStructureSet
{
    private const string RtStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3";
    private static readonly DicomTag StructureSetRoiSequence = new(0x3006, 0x0020), RoiNumber = new(0x3006, 0x0022), RoiName = new(0x3006, 0x0026),
        RoiContourSequence = new(0x3006, 0x0039), ContourSequence = new(0x3006, 0x0040), GeometricType = new(0x3006, 0x0042),
        ContourData = new(0x3006, 0x0050), ReferencedRoiNumber = new(0x3006, 0x0084), ObservationsSequence = new(0x3006, 0x0080),
        InterpretedType = new(0x3006, 0x00A4);

    /// <summary>True when <paramref name="path"/> is a DICOM file of the RT Structure Set Storage SOP class.</summary>
    public static bool IsStructureSet(string path) =>
        File.Exists(path) && DicomFile.TryReadHeader(path, out var header, out _)
        && header.Dataset.TryGetString(DicomTags.SopClassUid, out string? sop) && sop == RtStructureSetStorage;

    /// <summary>Rasterises the structure set at <paramref name="path"/> onto <paramref name="grid"/>.</summary>
    /// <exception cref="InvalidLabelsException">Not a structure set, one without ROIs, or more than 255 ROIs with contours.</exception>
    public static (LabelMap Labels, IReadOnlyList<string> Warnings) Read(string path, VolumeGeometry grid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        var ds = DicomFile.Read(path, null, cancellationToken).Dataset;
        if (!ds.TryGetString(DicomTags.SopClassUid, out string? sop) || sop != RtStructureSetStorage)
            throw new InvalidLabelsException($"{path}: not an RT Structure Set (SOP Class {sop ?? "none"}).");
        if (!ds.TryGetSequence(StructureSetRoiSequence, out var rois) || rois.Count == 0)
            throw new InvalidLabelsException($"{path}: the structure set has no Structure Set ROI Sequence (3006,0020).");
        var types = new Dictionary<int, string>();
        if (ds.TryGetSequence(ObservationsSequence, out var observations))
            foreach (var o in observations)
                if (o.TryGetInt(ReferencedRoiNumber, out int n) && o.TryGetString(InterpretedType, out string? t)) types[n] = t.Trim().ToUpperInvariant();
        var contoursOf = new Dictionary<int, IReadOnlyList<DicomDataset>>();
        if (ds.TryGetSequence(RoiContourSequence, out var roiContours))
            foreach (var rc in roiContours)
                if (rc.TryGetInt(ReferencedRoiNumber, out int n) && rc.TryGetSequence(ContourSequence, out var cs)) contoursOf[n] = cs;

        var warnings = new List<string>();
        var definitions = new List<LabelDefinition>();
        var volume = new Volume<byte>(grid);
        int plane = grid.Nx * grid.Ny;
        long overlaps = 0, offGrid = 0, notClosed = 0;
        foreach (var roi in rois)
        {
            if (!roi.TryGetInt(RoiNumber, out int number) || !contoursOf.TryGetValue(number, out var contours)) continue;
            if (definitions.Count == 255) throw new InvalidLabelsException($"{path}: more than 255 ROIs with contours; ImageGuide's label maps hold 255 labels.");
            byte value = (byte)(definitions.Count + 1);
            string name = roi.TryGetString(RoiName, out string? rn) && !string.IsNullOrWhiteSpace(rn) ? rn.Trim() : $"ROI {number}";
            if (definitions.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))) name = $"{name} ({number})";
            definitions.Add(new LabelDefinition(value, name, RoleOf(types.GetValueOrDefault(number), name)));
            // per slice, the even–odd union of this ROI's contours
            var slices = new Dictionary<int, bool[]>();
            foreach (var contour in contours)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!contour.TryGetString(GeometricType, out string? type) || type.Trim() != "CLOSED_PLANAR") { notClosed++; continue; }
                if (!contour.TryGetDoubles(ContourData, out double[]? xyz) || xyz.Length < 9 || xyz.Length % 3 != 0) { notClosed++; continue; }
                int n = xyz.Length / 3;
                var u = new double[n];
                var v = new double[n];
                double kSum = 0;
                for (int p = 0; p < n; p++)
                {
                    var index = grid.PhysicalToIndex(new Vec3(xyz[3 * p], xyz[3 * p + 1], xyz[3 * p + 2]));
                    u[p] = index.X;
                    v[p] = index.Y;
                    kSum += index.Z;
                }
                double kMean = kSum / n;
                int k = (int)Math.Round(kMean);
                if (Math.Abs(kMean - k) > 0.25 || k < 0 || k >= grid.Nz) { offGrid++; continue; }
                if (!slices.TryGetValue(k, out var mask)) slices[k] = mask = new bool[plane];
                Fill(u, v, grid.Nx, grid.Ny, mask);
            }
            foreach (var (k, mask) in slices)
            {
                var data = volume.Data.AsSpan(k * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    if (!mask[i]) continue;
                    if (data[i] != 0) overlaps++;
                    data[i] = value;
                }
            }
        }
        if (definitions.Count == 0) throw new InvalidLabelsException($"{path}: no ROI of the structure set has contours.");
        if (offGrid > 0) warnings.Add($"{offGrid} contour(s) do not lie on a slice of the reference grid (more than a quarter slice away, or outside it) and are left out; give the image the structures were drawn on.");
        if (notClosed > 0) warnings.Add($"{notClosed} contour(s) are not closed planar polygons (points or open lines) and are left out.");
        if (overlaps > 0) warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{overlaps} voxel(s) lie in more than one ROI; each keeps the later ROI."));
        return (new LabelMap(volume, new LabelTable(definitions)), warnings);
    }

    private static LabelRole RoleOf(string? interpreted, string name) => interpreted switch
    {
        "GTV" or "CTV" or "PTV" => LabelRole.Target,
        "EXTERNAL" => LabelRole.Body,
        "AVOIDANCE" => DicomSegmentation.RoleOf(name) is LabelRole.Other ? LabelRole.Critical : DicomSegmentation.RoleOf(name),
        _ => DicomSegmentation.RoleOf(name),
    };

    /// <summary>Toggles (even–odd) the pixels whose centres the polygon (in continuous index coordinates) encloses.</summary>
    private static void Fill(double[] u, double[] v, int nx, int ny, bool[] mask)
    {
        int n = u.Length;
        double vMin = v.Min(), vMax = v.Max();
        var crossings = new List<double>();
        for (int j = Math.Max(0, (int)Math.Ceiling(vMin)); j <= Math.Min(ny - 1, (int)Math.Floor(vMax)); j++)
        {
            crossings.Clear();
            for (int p = 0, q = n - 1; p < n; q = p++)
                if ((v[p] > j) != (v[q] > j))
                    crossings.Add(u[q] + (j - v[q]) * (u[p] - u[q]) / (v[p] - v[q]));
            crossings.Sort();
            for (int c = 0; c + 1 < crossings.Count; c += 2)
            {
                int i0 = Math.Max(0, (int)Math.Ceiling(crossings[c])), i1 = Math.Min(nx - 1, (int)Math.Ceiling(crossings[c + 1]) - 1);
                for (int i = i0; i <= i1; i++) mask[j * nx + i] ^= true;
            }
        }
    }
}
