using ImageGuide.IO;
using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>How the values of a vertebra label map are named.</summary>
public enum VertebraLabelScheme
{
    /// <summary>The label table when one is given, else TotalSegmentator when values 29–50 occur or only 25–50 do, else VerSe.</summary>
    Auto,
    /// <summary>TotalSegmentator's "total" map (25 sacrum, 26 S1, 27 L5 … 50 C1).</summary>
    TotalSegmentator,
    /// <summary>The VerSe challenge's map (1–7 C, 8–19 T, 20–25 L1–L6, 26 sacrum, 28 T13).</summary>
    VerSe,
    /// <summary>A label table: entries with role Bone whose names are levels (C1…C7, T1…T13, L1…L6, S1, sacrum).</summary>
    Table,
}

/// <summary>The vertebrae of a fixed-image label map: which values are levels, and their names.</summary>
/// <param name="Levels">The levels present with at least <see cref="MinimumVoxels"/> voxels, cranial first.</param>
/// <param name="Scheme">The naming used.</param>
/// <param name="Notes">What was left out and why (too few voxels, values that are not levels), in words.</param>
public sealed record VertebraLabelSet(IReadOnlyList<VertebraLevel> Levels, VertebraLabelScheme Scheme, IReadOnlyList<string> Notes)
{
    /// <summary>Fewest voxels a level needs to be registered on its own; smaller ones are slivers at the edge of the field of view.</summary>
    public const int MinimumVoxels = 50;

    /// <summary>
    /// The levels of <paramref name="labels"/> under <paramref name="scheme"/> (with <paramref name="table"/> for
    /// <see cref="VertebraLabelScheme.Table"/>, or for <see cref="VertebraLabelScheme.Auto"/> when given).
    /// </summary>
    /// <exception cref="InvalidLabelsException">No level is present, or the table scheme is asked for without a table.</exception>
    public static VertebraLabelSet From(Volume<byte> labels, VertebraLabelScheme scheme, LabelTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var counts = new long[256];
        foreach (byte v in labels.Data) counts[v]++;
        if (scheme == VertebraLabelScheme.Auto)
        {
            bool tsOnly = true, anyHigh = false, anyLow = false;
            for (int v = 1; v < 256; v++)
            {
                if (counts[v] == 0) continue;
                if (v is >= 29 and <= 50) anyHigh = true;
                if (v < 25) anyLow = true;
                if (v is < 25 or > 50) tsOnly = false;
            }
            scheme = table is not null ? VertebraLabelScheme.Table : anyHigh || (tsOnly && !anyLow) ? VertebraLabelScheme.TotalSegmentator : VertebraLabelScheme.VerSe;
        }
        if (scheme == VertebraLabelScheme.Table && table is null)
            throw new InvalidLabelsException("The label scheme 'table' needs a label table (--label-table, or NAME.json beside the label map).");
        var levels = new List<VertebraLevel>();
        var notes = new List<string>();
        for (int v = 1; v < 256; v++)
        {
            if (counts[v] == 0) continue;
            string? name = scheme switch
            {
                VertebraLabelScheme.TotalSegmentator => VertebraLevel.TotalSegmentatorName(v),
                VertebraLabelScheme.VerSe => VertebraLevel.VerSeName(v),
                _ => table!.TryGet((byte)v, out var d) && d.Role == LabelRole.Bone && VertebraLevel.Rank(d.Name) is not null ? d.Name : null,
            };
            if (name is null) continue;
            if (counts[v] < MinimumVoxels)
            {
                notes.Add($"{name} (label {v}) left out: {counts[v]} voxels, a sliver at the edge of the field of view");
                continue;
            }
            levels.Add(new VertebraLevel((byte)v, name));
        }
        if (levels.Count == 0)
            throw new InvalidLabelsException($"No vertebra found in the label map under the {scheme} numbering; check the label values, or give a label table whose vertebrae have role Bone and level names (L3, T12, …).");
        levels.Sort((a, b) => VertebraLevel.Rank(a.Name)!.Value.CompareTo(VertebraLevel.Rank(b.Name)!.Value));
        return new VertebraLabelSet(levels, scheme, notes);
    }

    /// <summary>
    /// Reads a vertebra label map — with <paramref name="tablePath"/>, or the table beside it (NAME.json) when there is
    /// one; TotalSegmentator and VerSe maps come without — onto <paramref name="grid"/> (nearest neighbour, 0 outside).
    /// </summary>
    /// <exception cref="ImageGuideException">Unreadable map or table.</exception>
    /// <exception cref="InvalidLabelsException">No level in the map under <paramref name="scheme"/>.</exception>
    public static (Volume<byte> Labels, VertebraLabelSet Set) Read(string labelsPath, string? tablePath, VertebraLabelScheme scheme, VolumeGeometry grid,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        ArgumentNullException.ThrowIfNull(grid);
        string? table = tablePath ?? (File.Exists(LabelMap.DefaultTablePath(labelsPath)) ? LabelMap.DefaultTablePath(labelsPath) : null);
        var map = table is null ? VolumeReader.Read<byte>(labelsPath, cancellationToken: cancellationToken) : LabelMap.Read(labelsPath, table, cancellationToken).Volume;
        var labels = Resampler.Resample(map, grid, null, InterpolationMode.Nearest, (byte)0, cancellationToken);
        return (labels, From(labels, scheme, table is null ? null : LabelTableJson.Read(table)));
    }

    /// <summary>How far from a vertebra's label a point still counts for it (a landmark or target on the bone's surface), mm.</summary>
    public const double SurfaceToleranceMm = 3;

    /// <summary>
    /// The level <paramref name="point"/> (LPS mm) lies in — the label of its voxel, or of the nearest voxel of a level
    /// within <paramref name="radiusMm"/> (a landmark on the bone's surface) — or null.
    /// </summary>
    public VertebraLevel? LevelAt(Volume<byte> labels, Vec3 point, double radiusMm)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var isLevel = new bool[256];
        foreach (var l in Levels) isLevel[l.Label] = true;
        var g = labels.Geometry;
        var x = g.PhysicalToIndex(point);
        int ci = (int)Math.Round(x.X), cj = (int)Math.Round(x.Y), ck = (int)Math.Round(x.Z);
        int rx = (int)Math.Ceiling(radiusMm / g.Spacing.X), ry = (int)Math.Ceiling(radiusMm / g.Spacing.Y), rz = (int)Math.Ceiling(radiusMm / g.Spacing.Z);
        double best = radiusMm;
        byte found = 0;
        for (int k = ck - rz; k <= ck + rz; k++)
            for (int j = cj - ry; j <= cj + ry; j++)
                for (int i = ci - rx; i <= ci + rx; i++)
                {
                    if (!g.Contains(i, j, k)) continue;
                    byte v = labels.Data[g.LinearIndex(i, j, k)];
                    if (!isLevel[v]) continue;
                    double d = Vec3.Distance(g.IndexToPhysical(i, j, k), point);
                    if (d <= best) { best = d; found = v; }
                }
        foreach (var l in Levels) if (l.Label == found && found != 0) return l;
        return null;
    }

    /// <summary>The scheme called <paramref name="name"/> (auto, totalsegmentator, verse, table; case-insensitive), or false.</summary>
    public static bool TryParseScheme(string name, out VertebraLabelScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(name);
        (bool ok, scheme) = name.ToLowerInvariant() switch
        {
            "auto" => (true, VertebraLabelScheme.Auto),
            "totalsegmentator" => (true, VertebraLabelScheme.TotalSegmentator),
            "verse" => (true, VertebraLabelScheme.VerSe),
            "table" => (true, VertebraLabelScheme.Table),
            _ => (false, VertebraLabelScheme.Auto),
        };
        return ok;
    }

    /// <summary>A label table naming the levels (role Bone), for writing beside the label map used.</summary>
    public LabelTable ToTable() => new(Levels.Select(l => new LabelDefinition(l.Label, l.Name, LabelRole.Bone)));
}
