using System.Buffers.Binary;
using System.Globalization;
using ImageGuide.Dicom.Writing;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>Identifiers and descriptions of a written DICOM Segmentation; every member is optional.</summary>
public sealed record DicomSegmentationOptions
{
    /// <summary>The defaults.</summary>
    public static DicomSegmentationOptions Default { get; } = new();
    /// <summary>The series the segmentation was made on (its study, frame and instances are referenced); null for none.</summary>
    public DicomSeriesReference? Source { get; init; }
    /// <summary>Patient's name and ID (copy the source's).</summary>
    public string? PatientName { get; init; }
    /// <summary>Patient ID.</summary>
    public string? PatientId { get; init; }
    /// <summary>Study; the source's when null, else a new one.</summary>
    public string? StudyInstanceUid { get; init; }
    /// <summary>Frame of Reference; the source's when null, else a new one.</summary>
    public string? FrameOfReferenceUid { get; init; }
    /// <summary>Series Description (0008,103E).</summary>
    public string SeriesDescription { get; init; } = "ImageGuide segmentation";
    /// <summary>Series Number (0020,0011).</summary>
    public int SeriesNumber { get; init; } = 900;
    /// <summary>Content Label (0070,0080): upper case, digits and underscores.</summary>
    public string ContentLabel { get; init; } = "IMAGEGUIDE";
    /// <summary>How the segments were made: AUTOMATIC (then <see cref="AlgorithmName"/> names the algorithm) or MANUAL.</summary>
    public string AlgorithmType { get; init; } = "AUTOMATIC";
    /// <summary>The algorithm's name, for AUTOMATIC segments.</summary>
    public string AlgorithmName { get; init; } = "ImageGuide";
    /// <summary>Whether an existing file of the same name is replaced (default: refused).</summary>
    public bool Overwrite { get; init; }
}

/// <summary>
/// Writes masks as a DICOM Segmentation object (Segmentation Storage, BINARY, PS3.3 A.51): one segment per mask (segment
/// numbers 1…n in the given order; segments may overlap), one frame per segment and slice that holds any of it, the
/// grid's orientation and spacing in the shared functional groups, each frame's position and segment per frame, the
/// dimension index (segment, position), the segmented property coded in SNOMED CT from the label's role and name, and
/// the source series referenced. Written to a temporary file and moved into place; an existing file is replaced only
/// when <see cref="DicomSegmentationOptions.Overwrite"/> says so.
/// </summary>
public static class DicomSegmentationWriter
{
    private const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";

    /// <summary>Writes every label of <paramref name="labels"/> that has voxels as one segment.</summary>
    public static string Write(LabelMap labels, string path, DicomSegmentationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var segments = new List<(Volume<byte>, LabelDefinition)>();
        var counts = new long[256];
        foreach (byte v in labels.Volume.Data) counts[v]++;
        foreach (var d in labels.Table.Labels.OrderBy(l => l.Value))
        {
            if (d.Value == 0 || counts[d.Value] == 0) continue;
            var mask = new Volume<byte>(labels.Volume.Geometry);
            for (long n = 0; n < mask.Data.LongLength; n++) mask.Data[n] = labels.Volume.Data[n] == d.Value ? (byte)1 : (byte)0;
            segments.Add((mask, d));
        }
        return Write(segments, path, options, cancellationToken);
    }

    /// <summary>Writes the masks (non-zero = inside, all on one grid) as segments 1…n; returns the SOP Instance UID.</summary>
    /// <exception cref="ImageGuideException">No segment, masks on different grids, or the file exists.</exception>
    public static string Write(IReadOnlyList<(Volume<byte> Mask, LabelDefinition Segment)> segments, string path,
        DicomSegmentationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var o = options ?? DicomSegmentationOptions.Default;
        if (segments.Count == 0) throw new ImageGuideException($"{path}: no segment with any voxel to write.");
        var g = segments[0].Mask.Geometry;
        foreach (var (mask, d) in segments)
            if (!mask.Geometry.Equals(g)) throw new ImageGuideException($"Segment '{d.Name}' lies on another grid than '{segments[0].Segment.Name}'; resample the masks onto one grid first.");
        if (File.Exists(path) && !o.Overwrite) throw new ImageGuideException($"{path} exists; a segmentation is never written over a file.");

        // frames: per segment, every slice that holds some of it
        var frames = new List<(int Segment, int Slice)>();
        int plane = g.Nx * g.Ny;
        for (int s = 0; s < segments.Count; s++)
            for (int k = 0; k < g.Nz; k++)
                if (segments[s].Mask.Data.AsSpan(k * plane, plane).IndexOfAnyExcept((byte)0) >= 0) frames.Add((s + 1, k));
        if (frames.Count == 0) throw new ImageGuideException($"{path}: the masks are empty.");
        long bits = (long)frames.Count * plane;
        ImageMemoryBudget.Check(path, (bits + 7) / 8, 1, $"{frames.Count} segmentation frames of {g.Nx}×{g.Ny}");
        var pixels = new byte[(bits + 7) / 8];
        long bit = 0;
        foreach (var (s, k) in frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = segments[s - 1].Mask.Data.AsSpan(k * plane, plane);
            for (int i = 0; i < plane; i++, bit++)
                if (data[i] != 0) pixels[bit >> 3] |= (byte)(1 << (int)(bit & 7));
        }

        string sopUid = DicomUid.Generate(), dimensionUid = DicomUid.Generate();
        var source = o.Source;
        string studyUid = o.StudyInstanceUid ?? source?.StudyInstanceUid ?? DicomUid.Generate();
        string forUid = o.FrameOfReferenceUid ?? source?.FrameOfReferenceUid ?? DicomUid.Generate();
        var now = DateTime.UtcNow;
        var r = g.Direction.Column(0);
        var c = g.Direction.Column(1);
        var w = new ExplicitVrLittleEndianWriter();
        w.Text(0x0008, 0x0005, "CS", "ISO_IR 192");
        w.Text(0x0008, 0x0008, "CS", @"DERIVED\PRIMARY");
        w.Text(0x0008, 0x0016, "UI", SegmentationStorage);
        w.Text(0x0008, 0x0018, "UI", sopUid);
        w.Text(0x0008, 0x0020, "DA", "");
        w.Text(0x0008, 0x0023, "DA", now.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        w.Text(0x0008, 0x0030, "TM", "");
        w.Text(0x0008, 0x0033, "TM", now.ToString("HHmmss", CultureInfo.InvariantCulture));
        w.Text(0x0008, 0x0050, "SH", "");
        w.Text(0x0008, 0x0060, "CS", "SEG");
        w.Text(0x0008, 0x0070, "LO", "ImageGuide");
        w.Text(0x0008, 0x0090, "PN", "");
        w.Text(0x0008, 0x103E, "LO", Long(o.SeriesDescription));
        w.Text(0x0008, 0x1090, "LO", "ImageGuide");
        if (source is { SeriesInstanceUid: not null, Instances.Count: > 0 })
            w.Sequence(0x0008, 0x1115, Item(i =>
            {
                i.Sequence(0x0008, 0x114A, [.. source.Instances.Select(x => Item(ri =>
                {
                    ri.Text(0x0008, 0x1150, "UI", x.SopClassUid);
                    ri.Text(0x0008, 0x1155, "UI", x.SopInstanceUid);
                }))]);
                i.Text(0x0020, 0x000E, "UI", source.SeriesInstanceUid);
            }));
        w.Text(0x0010, 0x0010, "PN", o.PatientName ?? "");
        w.Text(0x0010, 0x0020, "LO", Long(o.PatientId ?? ""));
        w.Text(0x0010, 0x0030, "DA", "");
        w.Text(0x0010, 0x0040, "CS", "");
        w.Text(0x0018, 0x1000, "LO", "0");
        w.Text(0x0018, 0x1020, "LO", "ImageGuide");
        w.Text(0x0020, 0x000D, "UI", studyUid);
        w.Text(0x0020, 0x000E, "UI", DicomUid.Generate());
        w.Text(0x0020, 0x0010, "SH", "");
        w.Integer(0x0020, 0x0011, o.SeriesNumber);
        w.Integer(0x0020, 0x0013, 1);
        w.Text(0x0020, 0x0052, "UI", forUid);
        w.Text(0x0020, 0x1040, "LO", "");
        w.Sequence(0x0020, 0x9221, Item(i => i.Text(0x0020, 0x9164, "UI", dimensionUid)));
        w.Sequence(0x0020, 0x9222,
            Dimension(dimensionUid, (0x0062, 0x000B), (0x0062, 0x000A), "ReferencedSegmentNumber"),
            Dimension(dimensionUid, (0x0020, 0x0032), (0x0020, 0x9113), "ImagePositionPatient"));
        w.UShort(0x0028, 0x0002, 1);
        w.Text(0x0028, 0x0004, "CS", "MONOCHROME2");
        w.Integer(0x0028, 0x0008, frames.Count);
        w.UShort(0x0028, 0x0010, checked((ushort)g.Ny));
        w.UShort(0x0028, 0x0011, checked((ushort)g.Nx));
        w.UShort(0x0028, 0x0100, 1);
        w.UShort(0x0028, 0x0101, 1);
        w.UShort(0x0028, 0x0102, 0);
        w.UShort(0x0028, 0x0103, 0);
        w.Text(0x0028, 0x2110, "CS", "00");
        w.Text(0x0062, 0x0001, "CS", "BINARY");
        w.Sequence(0x0062, 0x0002, [.. segments.Select((s, n) => SegmentItem(n + 1, s.Segment, o))]);
        w.Text(0x0070, 0x0080, "CS", o.ContentLabel);
        w.Text(0x0070, 0x0081, "LO", Long(o.SeriesDescription));
        w.Text(0x0070, 0x0084, "PN", "");
        w.Sequence(0x5200, 0x9229, Item(i =>
        {
            i.Sequence(0x0020, 0x9116, Item(p => p.Decimal(0x0020, 0x0037, r.X, r.Y, r.Z, c.X, c.Y, c.Z)));
            i.Sequence(0x0028, 0x9110, Item(p =>
            {
                p.Decimal(0x0018, 0x0050, g.Spacing.Z);
                p.Decimal(0x0018, 0x0088, g.Spacing.Z);
                p.Decimal(0x0028, 0x0030, g.Spacing.Y, g.Spacing.X);
            }));
        }));
        w.Sequence(0x5200, 0x9230, [.. frames.Select(f => Item(i =>
        {
            var ipp = g.IndexToPhysical(0, 0, f.Slice);
            i.Sequence(0x0020, 0x9111, Item(fc =>
            {
                Span<byte> idx = stackalloc byte[8];
                BinaryPrimitives.WriteUInt32LittleEndian(idx, (uint)f.Segment);
                BinaryPrimitives.WriteUInt32LittleEndian(idx[4..], (uint)f.Slice + 1);
                fc.Binary(0x0020, 0x9157, "UL", idx);
            }));
            i.Sequence(0x0020, 0x9113, Item(pp => pp.Decimal(0x0020, 0x0032, ipp.X, ipp.Y, ipp.Z)));
            i.Sequence(0x0062, 0x000A, Item(si => si.UShort(0x0062, 0x000B, (ushort)f.Segment)));
        }))]);
        w.Binary(0x7FE0, 0x0010, "OB", pixels);
        var file = PartTenFile.Build(SegmentationStorage, sopUid, w.ToArray());
        AtomicFile.Write(path, stream => stream.Write(file));
        return sopUid;
    }

    private static byte[] Item(Action<ExplicitVrLittleEndianWriter> fill)
    {
        var w = new ExplicitVrLittleEndianWriter();
        fill(w);
        return w.ToArray();
    }

    private static byte[] Dimension(string uid, (ushort G, ushort E) pointer, (ushort G, ushort E) group, string label) => Item(i =>
    {
        i.Text(0x0020, 0x9164, "UI", uid);
        i.Binary(0x0020, 0x9165, "AT", Tag(pointer));
        i.Binary(0x0020, 0x9167, "AT", Tag(group));
        i.Text(0x0020, 0x9421, "LO", label);
    });

    private static byte[] Tag((ushort G, ushort E) t)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(b, t.G);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), t.E);
        return b;
    }

    private static byte[] SegmentItem(int number, LabelDefinition d, DicomSegmentationOptions o)
    {
        var (category, type) = Codes(d);
        return Item(i =>
        {
            i.Sequence(0x0062, 0x0003, Code(category));
            i.UShort(0x0062, 0x0004, (ushort)number);
            i.Text(0x0062, 0x0005, "LO", Long(d.Name));
            i.Text(0x0062, 0x0008, "CS", o.AlgorithmType);
            if (o.AlgorithmType == "AUTOMATIC") i.Text(0x0062, 0x0009, "LO", Long(o.AlgorithmName));
            i.Sequence(0x0062, 0x000F, Code(type));
        });
    }

    private static byte[] Code((string Value, string Meaning) code) => Item(i =>
    {
        i.Text(0x0008, 0x0100, "SH", code.Value);
        i.Text(0x0008, 0x0102, "SH", "SCT");
        i.Text(0x0008, 0x0104, "LO", code.Meaning);
    });

    /// <summary>Segmented property category and type (SNOMED CT, CID 7150/7151) from the label's role and name.</summary>
    internal static ((string, string) Category, (string, string) Type) Codes(LabelDefinition d)
    {
        string name = d.Name.ToLowerInvariant();
        return d.Role switch
        {
            LabelRole.Target => (("49755003", "Morphologically Altered Structure"), ("108369006", "Neoplasm")),
            LabelRole.Bone => (("91723000", "Anatomical Structure"), ("272673000", "Bone")),
            LabelRole.Critical => (("91723000", "Anatomical Structure"), name.Contains("cord") ? ("2748008", "Spinal cord")
                : name.Contains("aort") ? ("15825003", "Aorta") : name.Contains("nerve") || name.Contains("root") ? ("3057000", "Nerve")
                : name.Contains("csf") || name.Contains("cerebrospinal") ? ("65216001", "Cerebrospinal fluid") : ("91723000", "Anatomical Structure")),
            _ => (("85756007", "Tissue"), ("85756007", "Tissue")),
        };
    }

    private static string Long(string value) => value.Length <= 64 ? value : value[..64];
}
