using System.Globalization;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Turns the header of one DICOM file into slice headers: one for a single-frame image; one per frame for an
/// enhanced multi-frame image (per-frame functional groups, shared groups as fallback, then the top level) and
/// for a classic multi-frame image with Grid Frame Offset Vector (RT Dose: frame k at IPP + (offset_k − offset_0)·n).
/// Pixels are decoded lazily by each header's loader, through one <see cref="DicomPixelData"/> per file.
/// </summary>
internal static class SliceHeaderFactory
{
    /// <summary>The reason given for DICOM files without top-level Pixel Data.</summary>
    public const string NoPixelData = "no Pixel Data";

    /// <summary>Slice headers of <paramref name="file"/>, or false and why it cannot contribute to a volume.</summary>
    public static bool TryCreate(DicomFile file, string path, out List<DicomSliceHeader> slices, out string? reason)
    {
        slices = [];
        var ds = file.Dataset;
        if (!file.HasPixelData) { reason = NoPixelData; return false; }
        bool uidMissing = !ds.TryGetString(DicomTags.SeriesInstanceUid, out string? seriesUid) || string.IsNullOrWhiteSpace(seriesUid);
        if (uidMissing) seriesUid = GroupingKey(ds, path);
        if (!ds.TryGetInt(DicomTags.Rows, out int rows) || !ds.TryGetInt(DicomTags.Columns, out int cols) || rows < 1 || cols < 1)
        { reason = "no valid Rows/Columns (0028,0010/0011)"; return false; }
        int frames = ds.TryGetInt(DicomTags.NumberOfFrames, out int nf) && nf > 1 ? nf : 1;
        // a frame count no memory could hold is a corrupt (or hostile) header: refuse before a header per frame is made
        if ((double)frames * rows * cols * 4 > ImageMemoryBudget.MaxBytes)
        {
            reason = FormattableString.Invariant($"Number of Frames (0028,0008) {frames} of {rows}×{cols} would need {(double)frames * rows * cols * 4:N0} bytes, more than the {ImageMemoryBudget.MaxBytes:N0} one image may take (--max-image-memory)");
            return false;
        }
        int samples = ds.TryGetInt(DicomTags.SamplesPerPixel, out int spp) ? spp : 1;
        int bitsAllocated = ds.TryGetInt(DicomTags.BitsAllocated, out int ba) ? ba : 16;
        bool signed = ds.TryGetInt(DicomTags.PixelRepresentation, out int pr) && pr == 1;

        var pixels = new Lazy<DicomPixelData>(file.GetPixelData, LazyThreadSafetyMode.ExecutionAndPublication);
        var common = new DicomSliceHeader
        {
            SourcePath = path,
            SopInstanceUid = Text(ds, DicomTags.SopInstanceUid),
            SeriesInstanceUid = seriesUid!,
            SeriesUidMissing = uidMissing,
            Modality = Text(ds, DicomTags.Modality),
            InstanceNumber = ds.TryGetInt(DicomTags.InstanceNumber, out int inst) ? inst : null,
            ImagePositionPatient = default,
            RowDirection = default,
            ColumnDirection = default,
            RowSpacing = 0,
            ColumnSpacing = 0,
            Rows = rows,
            Columns = cols,
            RescaleSlope = ds.TryGetDouble(DicomTags.RescaleSlope, out double slope) ? slope : 1,
            RescaleIntercept = ds.TryGetDouble(DicomTags.RescaleIntercept, out double icpt) ? icpt : 0,
            RescaleType = Text(ds, DicomTags.RescaleType),
            BitsAllocated = bitsAllocated,
            BitsStored = ds.TryGetInt(DicomTags.BitsStored, out int bs) ? bs : bitsAllocated,
            IsSigned = signed,
            SamplesPerPixel = samples,
            GantryDetectorTilt = ds.TryGetDouble(DicomTags.GantryDetectorTilt, out double tilt) ? tilt : null,
            SliceThickness = ds.TryGetDouble(DicomTags.SliceThickness, out double th) ? th : null,
            PixelPaddingValue = Padding(ds, bitsAllocated, signed),
            WindowCenter = ds.TryGetDouble(DicomTags.WindowCenter, out double wc) ? wc : null,
            WindowWidth = ds.TryGetDouble(DicomTags.WindowWidth, out double ww) ? ww : null,
            SeriesDescription = Text(ds, DicomTags.SeriesDescription),
            SeriesNumber = ds.TryGetInt(DicomTags.SeriesNumber, out int sn) ? sn : null,
            StudyInstanceUid = Text(ds, DicomTags.StudyInstanceUid),
            StudyDescription = Text(ds, DicomTags.StudyDescription),
            FrameOfReferenceUid = Text(ds, DicomTags.FrameOfReferenceUid),
            PatientName = Text(ds, DicomTags.PatientName),
            PatientId = Text(ds, DicomTags.PatientId),
            IsFromMultiFrame = frames > 1,
        };

        if (ds.TryGetSequence(DicomTags.PerFrameFunctionalGroupsSequence, out var perFrame))
            return Enhanced(ds, common, perFrame, frames, pixels, slices, out reason);

        if (!TryPlane(ds, out Vec3 ipp, out Vec3 r, out Vec3 c, out double rs, out double cs, out reason)) return false;
        common = common with { ImagePositionPatient = ipp, RowDirection = r, ColumnDirection = c, RowSpacing = rs, ColumnSpacing = cs };
        if (frames == 1)
        {
            slices.Add(WithPixels(common, pixels, 0));
            return true;
        }
        if (!ds.TryGetDoubles(DicomTags.GridFrameOffsetVector, out double[]? offsets))
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"multi-frame image ({frames} frames) without per-frame positions (no Per-frame Functional Groups, no Grid Frame Offset Vector)");
            return false;
        }
        if (offsets.Length != frames)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Grid Frame Offset Vector (3004,000C) has {offsets.Length} values for {frames} frames");
            return false;
        }
        Vec3 n = Vec3.Cross(r.Normalized(), c.Normalized()).Normalized();
        if (ds.TryGetDouble(DicomTags.DoseGridScaling, out double scaling))
            common = common with { RescaleSlope = scaling, RescaleIntercept = 0, RescaleType = Text(ds, DicomTags.DoseUnits) ?? common.RescaleType };
        for (int f = 0; f < frames; f++)
            slices.Add(WithPixels(common with { FrameIndex = f, ImagePositionPatient = ipp + (offsets[f] - offsets[0]) * n }, pixels, f));
        return true;
    }

    private static bool Enhanced(DicomDataset ds, DicomSliceHeader common, IReadOnlyList<DicomDataset> perFrame, int frames,
        Lazy<DicomPixelData> pixels, List<DicomSliceHeader> slices, out string? reason)
    {
        // items beyond Number of Frames (files cut down to fewer frames) are ignored; too few cannot place every frame
        if (perFrame.Count < frames)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"Per-frame Functional Groups Sequence (5200,9230) has {perFrame.Count} items for {frames} frames");
            return false;
        }
        DicomDataset? shared = ds.TryGetSequence(DicomTags.SharedFunctionalGroupsSequence, out var sh) && sh.Count > 0 ? sh[0] : null;
        for (int f = 0; f < frames; f++)
        {
            var item = perFrame[f];
            var position = Group(item, shared, DicomTags.PlanePositionSequence) ?? ds;
            var orientation = Group(item, shared, DicomTags.PlaneOrientationSequence) ?? ds;
            var measures = Group(item, shared, DicomTags.PixelMeasuresSequence) ?? ds;
            var transform = Group(item, shared, DicomTags.PixelValueTransformationSequence);
            var voi = Group(item, shared, DicomTags.FrameVoiLutSequence);
            if (!position.TryGetDoubles(DicomTags.ImagePositionPatient, out double[]? ipp) || ipp.Length != 3)
            { reason = $"frame {f + 1}: no Image Position (Patient) in the Plane Position functional group"; return false; }
            if (!orientation.TryGetDoubles(DicomTags.ImageOrientationPatient, out double[]? iop) || iop.Length != 6)
            { reason = $"frame {f + 1}: no Image Orientation (Patient) in the Plane Orientation functional group"; return false; }
            if (!measures.TryGetDoubles(DicomTags.PixelSpacing, out double[]? ps) || ps.Length != 2)
            { reason = $"frame {f + 1}: no Pixel Spacing in the Pixel Measures functional group"; return false; }
            var h = common with
            {
                FrameIndex = f,
                ImagePositionPatient = new Vec3(ipp[0], ipp[1], ipp[2]),
                RowDirection = new Vec3(iop[0], iop[1], iop[2]),
                ColumnDirection = new Vec3(iop[3], iop[4], iop[5]),
                RowSpacing = ps[0],
                ColumnSpacing = ps[1],
                SliceThickness = measures.TryGetDouble(DicomTags.SliceThickness, out double th) ? th : common.SliceThickness,
            };
            h = WithPixels(h, pixels, f);
            if (transform is not null)
                h = h with
                {
                    RescaleSlope = transform.TryGetDouble(DicomTags.RescaleSlope, out double s) ? s : h.RescaleSlope,
                    RescaleIntercept = transform.TryGetDouble(DicomTags.RescaleIntercept, out double i) ? i : h.RescaleIntercept,
                    RescaleType = Text(transform, DicomTags.RescaleType) ?? h.RescaleType,
                };
            if (voi is not null)
                h = h with
                {
                    WindowCenter = voi.TryGetDouble(DicomTags.WindowCenter, out double wc) ? wc : h.WindowCenter,
                    WindowWidth = voi.TryGetDouble(DicomTags.WindowWidth, out double ww) ? ww : h.WindowWidth,
                };
            slices.Add(h);
        }
        reason = null;
        return true;
    }

    /// <summary>First item of a functional group macro: the frame's own, else the shared one, else null.</summary>
    private static DicomDataset? Group(DicomDataset perFrame, DicomDataset? shared, DicomTag sequence)
    {
        if (perFrame.TryGetSequence(sequence, out var items) && items.Count > 0) return items[0];
        if (shared is not null && shared.TryGetSequence(sequence, out items) && items.Count > 0) return items[0];
        return null;
    }

    private static bool TryPlane(DicomDataset ds, out Vec3 ipp, out Vec3 r, out Vec3 c, out double rowSpacing, out double colSpacing, out string? reason)
    {
        ipp = r = c = default;
        rowSpacing = colSpacing = 0;
        if (!ds.TryGetDoubles(DicomTags.ImagePositionPatient, out double[]? p) || p.Length != 3)
        { reason = "no Image Position (Patient) (0020,0032): not a slice of a volume"; return false; }
        if (!ds.TryGetDoubles(DicomTags.ImageOrientationPatient, out double[]? o) || o.Length != 6)
        { reason = "no Image Orientation (Patient) (0020,0037): not a slice of a volume"; return false; }
        if (!ds.TryGetDoubles(DicomTags.PixelSpacing, out double[]? s) || s.Length != 2)
        { reason = "no Pixel Spacing (0028,0030): not a slice of a volume"; return false; }
        ipp = new Vec3(p[0], p[1], p[2]);
        r = new Vec3(o[0], o[1], o[2]);
        c = new Vec3(o[3], o[4], o[5]);
        rowSpacing = s[0];
        colSpacing = s[1];
        reason = null;
        return true;
    }

    /// <summary>
    /// The series key of a file without a Series Instance UID (de-identified data): as dcm2niix groups such files — the
    /// folder, Frame of Reference, Series Number, orientation (to 1e-4) and matrix. Not a UID (it starts with "no-uid:").
    /// </summary>
    private static string GroupingKey(DicomDataset ds, string path)
    {
        string orientation = ds.TryGetDoubles(DicomTags.ImageOrientationPatient, out double[]? o) && o.Length == 6
            ? string.Join(',', o.Select(v => Math.Round(v, 4).ToString("0.####", CultureInfo.InvariantCulture))) : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"no-uid:{Path.GetDirectoryName(Path.GetFullPath(path))}|{Text(ds, DicomTags.FrameOfReferenceUid)}|{(ds.TryGetInt(DicomTags.SeriesNumber, out int sn) ? sn : null)}|{orientation}|{(ds.TryGetInt(DicomTags.Rows, out int r) ? r : 0)}x{(ds.TryGetInt(DicomTags.Columns, out int c) ? c : 0)}");
    }

    private static DicomSliceHeader WithPixels(DicomSliceHeader h, Lazy<DicomPixelData> pixels, int frame)
    {
        var source = new FramePixels(pixels, frame);
        return h with { Loader = source.Loader, Pixels = source };
    }

    private static string? Text(DicomDataset ds, DicomTag tag) =>
        ds.TryGetString(tag, out string? s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>Pixel Padding Value as a stored value; a US-read value of a signed 16-bit image is reinterpreted.</summary>
    private static int? Padding(DicomDataset ds, int bitsAllocated, bool signed)
    {
        if (!ds.TryGetInt(DicomTags.PixelPaddingValue, out int v)) return null;
        if (signed && bitsAllocated == 16 && v > short.MaxValue) v -= 65536;
        if (signed && bitsAllocated == 8 && v > sbyte.MaxValue) v -= 256;
        return v;
    }
}
