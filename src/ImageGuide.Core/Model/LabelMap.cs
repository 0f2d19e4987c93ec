using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>
/// A label volume (<c>Volume&lt;byte&gt;</c>, 0 = background) with its <see cref="LabelTable"/>. The table comes from an
/// explicit file (the CLI's <c>--label-table</c>) or from <c>NAME.json</c> beside <c>NAME.nii.gz</c> / <c>.nii</c> /
/// <c>.mha</c> / <c>.mhd</c> / <c>.nrrd</c> / <c>.nhdr</c>. Immutable apart from the volume's voxel buffer.
/// </summary>
public sealed class LabelMap
{
    private static readonly string[] VolumeExtensions = [".nii.gz", ".nii", ".mha", ".mhd", ".nrrd", ".nhdr"];

    /// <summary>Pairs a label volume with its table; non-zero values missing from the table are reported in <see cref="Warnings"/>.</summary>
    public LabelMap(Volume<byte> volume, LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(table);
        Volume = volume;
        Table = table;
        var present = new bool[256];
        foreach (byte v in volume.Data) present[v] = true;
        var unknown = Enumerable.Range(1, 255).Where(v => present[v] && !table.TryGet((byte)v, out _)).ToArray();
        Warnings = unknown.Length == 0
            ? []
            : [$"Label values {string.Join(", ", unknown)} occur in the volume but have no entry in the label table; they carry no role."];
    }

    /// <summary>The label voxels.</summary>
    public Volume<byte> Volume { get; }

    /// <summary>What each value means.</summary>
    public LabelTable Table { get; }

    /// <summary>Inconsistencies between volume and table (values without an entry).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The table path used when none is given: <c>NAME.json</c> beside <c>NAME.nii.gz</c> (etc.).</summary>
    public static string DefaultTablePath(string volumePath)
    {
        ArgumentNullException.ThrowIfNull(volumePath);
        foreach (var ext in VolumeExtensions)
            if (volumePath.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                return volumePath[..^ext.Length] + ".json";
        return Path.ChangeExtension(volumePath, ".json");
    }

    /// <summary>
    /// Reads a label volume (voxel values must be integers 0–255) and its table from <paramref name="labelTablePath"/>
    /// or, when null, from <see cref="DefaultTablePath"/> — or a DICOM Segmentation object, which carries its own table
    /// (<see cref="DicomSegmentation"/>; a table given beside it is refused as ambiguous).
    /// </summary>
    /// <exception cref="InvalidImageDataException">No table found, a malformed table, or voxel values that are not labels.</exception>
    public static LabelMap Read(string path, string? labelTablePath = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (DicomSegmentation.IsSegmentation(path))
        {
            if (labelTablePath is not null)
                throw new InvalidLabelsException($"{path} is a DICOM Segmentation, which names its own segments; leave out the label table {labelTablePath}.");
            return DicomSegmentation.Read(path, cancellationToken).Labels;
        }
        string tablePath = labelTablePath ?? DefaultTablePath(path);
        if (!File.Exists(tablePath))
            throw new InvalidImageDataException(labelTablePath is null
                ? $"{path}: no label table beside the label volume (looked for {tablePath}); pass one with --label-table FILE."
                : $"{labelTablePath}: label table not found.");
        var table = LabelTableJson.Read(tablePath);
        var volume = VolumeReader.Read<byte>(path, cancellationToken: cancellationToken);
        return new LabelMap(volume, table);
    }

    /// <summary>Writes the volume to <paramref name="path"/> and the table to <see cref="DefaultTablePath"/> beside it.</summary>
    public void Write(string path, CancellationToken cancellationToken = default)
    {
        VolumeIO.Write(Volume, path, cancellationToken);
        LabelTableJson.Write(Table, DefaultTablePath(path));
    }

    /// <summary>Number of voxels carrying the named label.</summary>
    public long VoxelCount(string name)
    {
        byte value = Table[name].Value;
        long count = 0;
        foreach (byte v in Volume.Data) if (v == value) count++;
        return count;
    }

    /// <summary>Physical centre of mass (LPS mm) of the voxels carrying the named label.</summary>
    /// <exception cref="ImageGuideException">Unknown name, or no voxel carries the label.</exception>
    public Vec3 Centroid(string name)
    {
        byte value = Table[name].Value;
        var g = Volume.Geometry;
        var data = Volume.Data;
        var sums = new (double I, double J, double K, long N)[g.Nz];
        Parallel.For(0, g.Nz, k =>
        {
            double si = 0, sj = 0; long n = 0;
            long at = (long)k * g.Nx * g.Ny;
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++, at++)
                    if (data[at] == value) { si += i; sj += j; n++; }
            sums[k] = (si, sj, (double)k * n, n);
        });
        double ti = 0, tj = 0, tk = 0; long total = 0;
        foreach (var s in sums) { ti += s.I; tj += s.J; tk += s.K; total += s.N; }
        if (total == 0)
            throw new ImageGuideException(string.Create(CultureInfo.InvariantCulture, $"Label '{name}' (value {value}) has no voxels in the label volume."));
        return g.IndexToPhysical(new Vec3(ti / total, tj / total, tk / total));
    }
}
