using System.Globalization;
using ImageGuide.Dicom;
using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>
/// Reads a DICOM Segmentation object (Segmentation Storage, PS3.3 A.51) into a <see cref="LabelMap"/>: each segment
/// becomes one label (its Segment Number as the value, its Segment Label as the name, a role guessed from the
/// segmented property type), frames are placed by their Plane Position on one grid built from the shared Plane
/// Orientation and Pixel Measures; BINARY and FRACTIONAL (at half the maximum) segmentations; any codec ImageGuide
/// decodes. Overlapping segments are reported (a voxel keeps the higher segment number), never merged silently.
/// </summary>
public static class DicomSegmentation
{
    private const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
    private static readonly DicomTag SegmentationType = new(0x0062, 0x0001), SegmentSequence = new(0x0062, 0x0002),
        SegmentNumber = new(0x0062, 0x0004), SegmentLabel = new(0x0062, 0x0005), SegmentIdentification = new(0x0062, 0x000A),
        ReferencedSegmentNumber = new(0x0062, 0x000B), PropertyType = new(0x0062, 0x000F), MaximumFractional = new(0x0062, 0x000E),
        SharedGroups = new(0x5200, 0x9229), PerFrameGroups = new(0x5200, 0x9230), PixelMeasures = new(0x0028, 0x9110),
        PlaneOrientation = new(0x0020, 0x9116), PlanePosition = new(0x0020, 0x9113), CodeMeaning = new(0x0008, 0x0104),
        SpacingBetweenSlices = new(0x0018, 0x0088);

    /// <summary>Reads the segmentation at <paramref name="path"/>.</summary>
    /// <returns>The label map (labels on the segmentation's own grid) and what was noticed (overlaps, gaps).</returns>
    /// <exception cref="InvalidLabelsException">Not a segmentation, or one whose frames cannot be placed on one grid.</exception>
    public static (LabelMap Labels, IReadOnlyList<string> Warnings) Read(string path, CancellationToken cancellationToken = default)
    {
        var file = DicomFile.Read(path, null, cancellationToken);
        var ds = file.Dataset;
        if (!ds.TryGetString(DicomTags.SopClassUid, out string? sop) || sop != SegmentationStorage)
            throw new InvalidLabelsException($"{path}: not a DICOM Segmentation (SOP Class {sop ?? "none"}); give a SEG object, or a label volume (.nii.gz, .nrrd).");
        if (!ds.TryGetSequence(SegmentSequence, out var segments) || segments.Count == 0)
            throw new InvalidLabelsException($"{path}: the segmentation has no Segment Sequence (0062,0002).");
        if (!ds.TryGetSequence(PerFrameGroups, out var perFrame) || !file.HasPixelData)
            throw new InvalidLabelsException($"{path}: the segmentation has no per-frame functional groups or no pixel data.");
        var shared = ds.TryGetSequence(SharedGroups, out var sh) && sh.Count > 0 ? sh[0] : null;
        var warnings = new List<string>();

        // segments → label table
        var definitions = new List<LabelDefinition>();
        foreach (var s in segments)
        {
            if (!TryNumber(s, SegmentNumber, out int number) || number is < 1 or > 255)
                throw new InvalidLabelsException($"{path}: a segment's number is missing or outside 1–255; ImageGuide's label maps hold 255 labels.");
            string name = s.TryGetString(SegmentLabel, out string? label) && !string.IsNullOrWhiteSpace(label) ? label.Trim() : $"segment {number}";
            string type = Meaning(s, PropertyType) ?? "";
            definitions.Add(new LabelDefinition((byte)number, UniqueName(name, number, definitions), RoleOf(type + " " + name)));
        }
        var table = new LabelTable(definitions);

        // frames → positions on one grid
        var pixels = file.GetPixelData();
        int rows = pixels.Format.Rows, cols = pixels.Format.Columns, frames = pixels.NumberOfFrames;
        if (perFrame.Count != frames)
            throw new InvalidLabelsException($"{path}: {perFrame.Count} per-frame functional group items for {frames} frames.");
        if (!TryPlane(perFrame[0], shared, out Vec3 r, out Vec3 c, out double rowSpacing, out double colSpacing, out double thickness))
            throw new InvalidLabelsException($"{path}: frame 1 has no Plane Orientation or Pixel Measures (shared or per frame).");
        var normal = Vec3.Cross(r, c).Normalized();
        var position = new Vec3[frames];
        var segmentOf = new int[frames];
        for (int f = 0; f < frames; f++)
        {
            var item = perFrame[f];
            if (!item.TryGetSequence(PlanePosition, out var pp) || pp.Count == 0 || !pp[0].TryGetDoubles(DicomTags.ImagePositionPatient, out double[]? ipp) || ipp.Length != 3)
                throw new InvalidLabelsException($"{path}: frame {f + 1} has no Plane Position (Patient).");
            position[f] = new Vec3(ipp[0], ipp[1], ipp[2]);
            if (!item.TryGetSequence(SegmentIdentification, out var si) || si.Count == 0 || !TryNumber(si[0], ReferencedSegmentNumber, out segmentOf[f]) || !table.TryGet((byte)segmentOf[f], out _))
                throw new InvalidLabelsException($"{path}: frame {f + 1} names no segment of the Segment Sequence.");
            if (TryPlane(item, null, out Vec3 fr, out Vec3 fc, out _, out _, out _) && (Vec3.Dot(fr, r) < 0.9999 || Vec3.Dot(fc, c) < 0.9999))
                throw new InvalidLabelsException($"{path}: frame {f + 1} is oriented differently from frame 1; such segmentations are not placed on one grid.");
        }
        var depths = position.Select(p => Vec3.Dot(p, normal)).Distinct(new Tolerance(0.01)).Order().ToArray();
        double spacing = depths.Length > 1 ? Median(depths.Zip(depths.Skip(1), (a, b) => b - a))
            : ds.TryGetDouble(SpacingBetweenSlices, out double sbs) && sbs > 0 ? sbs : thickness > 0 ? thickness : 1;
        int nz = depths.Length > 1 ? (int)Math.Round((depths[^1] - depths[0]) / spacing) + 1 : 1;
        ImageMemoryBudget.Check(path, (long)rows * cols * nz, 1, $"a {cols}×{rows}×{nz} label grid spanning the segmentation's slice positions");
        if (nz != depths.Length) warnings.Add(string.Create(CultureInfo.InvariantCulture, $"the segmentation's {depths.Length} slice positions leave gaps on a {spacing:0.###} mm grid ({nz} slices); the gaps hold no label."));
        int first = Array.FindIndex(position, p => Math.Abs(Vec3.Dot(p, normal) - depths[0]) < 0.01);
        var geometry = new VolumeGeometry(cols, rows, nz, new Vec3(colSpacing, rowSpacing, spacing), position[first], Mat3.FromColumns(r, c, normal));
        var volume = new Volume<byte>(geometry);

        // masks → labels
        bool fractional = ds.TryGetString(SegmentationType, out string? kind) && kind.Trim() == "FRACTIONAL";
        int threshold = fractional ? (ds.TryGetInt(MaximumFractional, out int max) && max > 0 ? (max + 1) / 2 : 128) : 1;
        var values = new int[rows * cols];
        long overlaps = 0;
        int plane = rows * cols;
        for (int f = 0; f < frames; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var o = position[f] - position[first];
            int k = (int)Math.Round(Vec3.Dot(o, normal) / spacing);
            if (Math.Abs(Vec3.Dot(o, r)) > 0.01 || Math.Abs(Vec3.Dot(o, c)) > 0.01 || k < 0 || k >= nz)
                throw new InvalidLabelsException($"{path}: frame {f + 1} does not lie on the grid of frame {first + 1} (shifted in its plane).");
            pixels.DecodeFrameStoredValues(f, values);
            byte label = (byte)segmentOf[f];
            var data = volume.Data;
            long offset = (long)k * plane;
            for (int i = 0; i < plane; i++)
            {
                if (values[i] < threshold) continue;
                byte old = data[offset + i];
                if (old != 0 && old != label) overlaps++;
                if (label > old) data[offset + i] = label;
            }
        }
        if (overlaps > 0)
            warnings.Add($"{overlaps} voxel(s) belong to more than one segment; each keeps the higher segment number (read the segments one by one to keep the overlaps).");
        return (new LabelMap(volume, table), warnings);
    }

    /// <summary>True when <paramref name="path"/> is a DICOM file of the Segmentation Storage SOP class.</summary>
    public static bool IsSegmentation(string path) =>
        File.Exists(path) && DicomFile.TryReadHeader(path, out var header, out _)
        && header.Dataset.TryGetString(DicomTags.SopClassUid, out string? sop) && sop == SegmentationStorage;

    private static bool TryPlane(DicomDataset frame, DicomDataset? shared, out Vec3 r, out Vec3 c, out double rowSpacing, out double colSpacing, out double thickness)
    {
        r = c = default;
        rowSpacing = colSpacing = thickness = 0;
        DicomDataset? Item(DicomTag tag) =>
            frame.TryGetSequence(tag, out var s) && s.Count > 0 ? s[0] : shared is not null && shared.TryGetSequence(tag, out var t) && t.Count > 0 ? t[0] : null;
        var orientation = Item(PlaneOrientation);
        var measures = Item(PixelMeasures);
        if (orientation is null || !orientation.TryGetDoubles(DicomTags.ImageOrientationPatient, out double[]? iop) || iop.Length != 6) return false;
        if (measures is null || !measures.TryGetDoubles(DicomTags.PixelSpacing, out double[]? ps) || ps.Length != 2 || !(ps[0] > 0 && ps[1] > 0)) return false;
        r = new Vec3(iop[0], iop[1], iop[2]).Normalized();
        c = new Vec3(iop[3], iop[4], iop[5]).Normalized();
        rowSpacing = ps[0];
        colSpacing = ps[1];
        thickness = measures.TryGetDouble(DicomTags.SliceThickness, out double th) ? th : 0;
        return true;
    }

    /// <summary>
    /// A segment number: US as the standard says — also in Implicit VR files, where the value arrives untyped (two
    /// little-endian bytes) — or, from lenient writers, IS.
    /// </summary>
    private static bool TryNumber(DicomDataset item, DicomTag tag, out int value)
    {
        if (item.TryGetUInt16(tag, out ushort us)) { value = us; return true; }
        if (item.TryGetElement(tag, out var element) && element.Value.Length == 2)
        {
            value = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(element.Value.Span);
            return true;
        }
        return item.TryGetInt(tag, out value);
    }

    private static string? Meaning(DicomDataset item, DicomTag codeSequence) =>
        item.TryGetSequence(codeSequence, out var s) && s.Count > 0 && s[0].TryGetString(CodeMeaning, out string? m) ? m : null;

    /// <summary>A role from the segmented property's meaning and the segment's name (English terms of SNOMED CT codes).</summary>
    internal static LabelRole RoleOf(string text)
    {
        string t = text.ToLowerInvariant();
        if (t.Contains("neoplasm") || t.Contains("tumo") || t.Contains("lesion") || t.Contains("metasta") || t.Contains("mass")) return LabelRole.Target;
        if (t.Contains("cord") || t.Contains("nerve") || t.Contains("artery") || t.Contains("aorta") || t.Contains("vein") || t.Contains("vessel") || t.Contains("csf") || t.Contains("cerebrospinal")) return LabelRole.Critical;
        if (t.Contains("bone") || t.Contains("vertebra") || t.Contains("sacrum") || t.Contains("rib") || t.Contains("spine") || t.Contains("skull")) return LabelRole.Bone;
        if (t.Contains("skin") || t.Contains("body")) return LabelRole.Body;
        return LabelRole.Other;
    }

    private static string UniqueName(string name, int number, List<LabelDefinition> existing) =>
        existing.Any(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)) ? $"{name} ({number})" : name;

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v[v.Length / 2];
    }

    private sealed class Tolerance(double mm) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < mm;
        public int GetHashCode(double v) => 0; // positions are few: a linear scan is fine
    }
}
