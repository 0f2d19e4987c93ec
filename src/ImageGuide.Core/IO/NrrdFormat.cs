using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// NRRD images: <c>.nrrd</c> (attached data) and <c>.nhdr</c> (detached header naming a data file).
/// Spaces left-posterior-superior (LPS, no change), right-anterior-superior (RAS: x and y negated) and
/// left-anterior-superior (LAS: y negated) are converted to LPS; spaces without anatomical meaning
/// (<c>scanner-xyz</c>, <c>3D-right-handed</c>, a bare <c>space dimension</c>, or per-axis <c>spacings</c>) are taken
/// as LPS with a warning. Encodings raw, gzip and ascii are read; raw and gzip are written. Thread-safe.
/// </summary>
public static partial class NrrdFormat
{
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>True when the path names a NRRD file by extension (.nrrd or .nhdr).</summary>
    public static bool HasExtension(string path) =>
        path.EndsWith(".nrrd", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nhdr", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\(([^)]*)\)|none", RegexOptions.IgnoreCase)]
    private static partial Regex VectorPattern();

    /// <summary>Reads a NRRD image.</summary>
    /// <exception cref="InvalidImageDataException">Corrupt header, missing or truncated data.</exception>
    /// <exception cref="UnsupportedFormatException">Non-scalar or 4-D data, unsupported types, encodings or spaces.</exception>
    /// <exception cref="GeometryException">Axes that are not orthogonal.</exception>
    internal static LoadedVolume Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = InputFile.Open(path);
        var lines = HeaderValues.ReadLines(fs, _ => false, blankEnds: true, MaxHeaderBytes, path, "NRRD");
        if (lines.Count == 0 || !lines[0].StartsWith("NRRD000", StringComparison.Ordinal))
            throw new InvalidImageDataException($"{path}: the first line is not a NRRD magic (NRRD0001–NRRD0005); this is not a NRRD file.");
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith('#') || line.Contains(":=", StringComparison.Ordinal)) continue;
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0) continue;
            fields[line[..colon].Trim()] = line[(colon + 2)..].Trim();
        }
        string Get(string key) => fields.TryGetValue(key, out var v) ? v : throw new InvalidImageDataException($"{path}: the NRRD header has no '{key}' field.");
        string? Opt(params string[] keys) { foreach (var k in keys) if (fields.TryGetValue(k, out var v)) return v; return null; }

        string typeName = Get("type");
        var type = ElementType(typeName) ?? throw new UnsupportedFormatException(
            $"{path}: NRRD type '{typeName}' is not supported; supported are uint8, int8, int16, uint16, int32, uint32, float and double.");
        long dimension = HeaderValues.Long(Get("dimension"), path, "dimension");
        var sizes = HeaderValues.Longs(Get("sizes"), path, "sizes");
        if (sizes.Length != dimension) throw new InvalidImageDataException($"{path}: 'sizes' has {sizes.Length} values but dimension = {dimension}.");
        foreach (var sz in sizes)
            if (sz < 1 || sz > int.MaxValue) throw new InvalidImageDataException($"{path}: 'sizes' holds the invalid size {sz}.");
        if (dimension < 2 || dimension > 3)
            throw new UnsupportedFormatException($"{path}: dimension = {dimension}; only 2-D and 3-D scalar NRRD images are read.");
        int nd = (int)dimension;
        var warnings = new List<string>();
        var (steps, origin) = Placement(fields, nd, path, warnings);
        if (nd == 2) steps[2] = AxisGeometry.Normal(steps[0], steps[1], 1);
        int nx = (int)sizes[0], ny = (int)sizes[1], nz = nd == 3 ? (int)sizes[2] : 1;
        var geometry = AxisGeometry.Build(path, "space directions", nx, ny, nz, Mat3.FromColumns(steps[0], steps[1], steps[2]), origin);

        string encoding = Get("encoding").ToLowerInvariant();
        bool big = Opt("endian") is { } e && e.Equals("big", StringComparison.OrdinalIgnoreCase);
        long lineSkip = Opt("line skip", "lineskip") is { } ls ? HeaderValues.Long(ls, path, "line skip") : 0;
        long byteSkip = Opt("byte skip", "byteskip") is { } bs ? HeaderValues.Long(bs, path, "byte skip") : 0;
        var metadata = new ImageMetadata { Warnings = warnings };
        long voxels = (long)nx * ny * nz;

        if (Opt("data file", "datafile") is { } dataFile)
        {
            if (dataFile.StartsWith("LIST", StringComparison.Ordinal) || dataFile.Contains('%'))
                throw new UnsupportedFormatException($"{path}: data file '{dataFile}' (a list or pattern of files) is not supported; one data file is.");
            string dataPath = InputFile.DataFileBeside(path, dataFile, "data file");
            using var ds = InputFile.Open(dataPath);
            return ReadData(ds, dataPath, encoding, type, geometry, big, lineSkip, byteSkip, voxels, metadata, cancellationToken);
        }
        if (path.EndsWith(".nhdr", StringComparison.OrdinalIgnoreCase))
            throw new InvalidImageDataException($"{path}: a detached NRRD header must name its 'data file'.");
        return ReadData(fs, path, encoding, type, geometry, big, lineSkip, byteSkip, voxels, metadata, cancellationToken);
    }

    private static (Vec3[] Steps, Vec3 Origin) Placement(Dictionary<string, string> fields, int nd, string path, List<string> warnings)
    {
        var steps = new Vec3[3];
        string? space = fields.TryGetValue("space", out var sp) ? sp.Trim().ToLowerInvariant() : null;
        if (space is null && !fields.ContainsKey("space dimension"))
        {
            var spacing = fields.TryGetValue("spacings", out var sps) ? HeaderValues.Doubles(sps.Replace("nan", "1", StringComparison.OrdinalIgnoreCase), nd, path, "spacings") : Ones(nd);
            var mins = fields.TryGetValue("axis mins", out var am) ? HeaderValues.Doubles(am.Replace("nan", "0", StringComparison.OrdinalIgnoreCase), nd, path, "axis mins") : new double[nd];
            warnings.Add("The NRRD header has no 'space': the axes were taken as LPS-aligned from 'spacings'; the position in patient space is unknown.");
            for (int a = 0; a < nd; a++) steps[a] = Unit(a) * spacing[a];
            return (steps, new Vec3(mins[0], mins[1], nd == 3 ? mins[2] : 0));
        }
        // (sx, sy) multiply x and y of every vector: RAS → LPS flips both, LAS → LPS flips y.
        (double sx, double sy) = space switch
        {
            "left-posterior-superior" or "lps" => (1.0, 1.0),
            "right-anterior-superior" or "ras" => (-1.0, -1.0),
            "left-anterior-superior" or "las" => (1.0, -1.0),
            "scanner-xyz" or "3d-right-handed" or null => (1.0, 1.0),
            _ => throw new UnsupportedFormatException($"{path}: NRRD space '{sp}' is not supported; use left-posterior-superior, right-anterior-superior, left-anterior-superior, scanner-xyz or 3D-right-handed."),
        };
        if (space is null or "scanner-xyz" or "3d-right-handed")
            warnings.Add($"NRRD space '{sp ?? "(space dimension only)"}' has no anatomical meaning; its axes were taken as LPS.");
        if (fields.TryGetValue("space dimension", out var sd) && HeaderValues.Long(sd, path, "space dimension") != 3)
            throw new UnsupportedFormatException($"{path}: space dimension = {sd}; only 3-D spaces are read.");

        var matches = VectorPattern().Matches(fields.TryGetValue("space directions", out var dirs) ? dirs
            : throw new InvalidImageDataException($"{path}: the NRRD header has a space but no 'space directions'."));
        if (matches.Count != nd)
            throw new InvalidImageDataException($"{path}: 'space directions' has {matches.Count} entries but dimension = {nd}.");
        for (int a = 0; a < nd; a++)
        {
            if (!matches[a].Groups[1].Success)
                throw new UnsupportedFormatException($"{path}: axis {a} has space direction 'none' (a non-spatial axis such as vector components); only scalar images are read.");
            var v = HeaderValues.Doubles(matches[a].Groups[1].Value, 3, path, "space directions");
            steps[a] = new Vec3(v[0] * sx, v[1] * sy, v[2]);
        }
        var o = fields.TryGetValue("space origin", out var so) ? HeaderValues.Doubles(so, 3, path, "space origin") : new double[3];
        return (steps, new Vec3(o[0] * sx, o[1] * sy, o[2]));
    }

    private static Vec3 Unit(int axis) => axis switch { 0 => new Vec3(1, 0, 0), 1 => new Vec3(0, 1, 0), _ => new Vec3(0, 0, 1) };

    private static double[] Ones(int n) { var v = new double[n]; Array.Fill(v, 1.0); return v; }

    private static LoadedVolume ReadData(FileStream s, string file, string encoding, VoxelType type, VolumeGeometry geometry,
        bool big, long lineSkip, long byteSkip, long voxels, ImageMetadata metadata, CancellationToken ct)
    {
        for (long l = 0; l < lineSkip; l++)
        {
            int b;
            while ((b = s.ReadByte()) != '\n')
                if (b < 0) throw new InvalidImageDataException($"{file}: 'line skip' = {lineSkip} passes the end of the file.");
        }
        string what = $"sizes {geometry.Nx}×{geometry.Ny}×{geometry.Nz} of {type}";
        switch (encoding)
        {
            case "raw":
                if (byteSkip == -1) s.Seek(Math.Max(0, s.Length - voxels * type.SizeOf()), SeekOrigin.Begin);
                else VoxelData.Skip(s, byteSkip, file, "'byte skip'");
                VoxelData.CheckBudget(file, voxels, type, s.Length - s.Position, false, what);
                return VoxelData.Read(s, type, geometry, big, metadata, 1, 0, file, ct);
            case "gzip" or "gz":
            {
                VoxelData.CheckBudget(file, voxels, type, (s.Length - s.Position) * VoxelData.MaxDeflateRatio, true, what);
                using var z = new GZipStream(s, CompressionMode.Decompress, leaveOpen: true);
                VoxelData.Skip(z, byteSkip, file, "'byte skip'");
                return VoxelData.Read(z, type, geometry, big, metadata, 1, 0, file, ct);
            }
            case "ascii" or "text" or "txt":
                VoxelData.CheckBudget(file, voxels, type, (s.Length - s.Position + 1) / 2 * type.SizeOf(), false, what);
                return ReadAscii(s, file, type, geometry, metadata, ct);
            default:
                throw new UnsupportedFormatException($"{file}: NRRD encoding '{encoding}' is not supported; raw, gzip and ascii are.");
        }
    }

    private static LoadedVolume ReadAscii(Stream s, string file, VoxelType type, VolumeGeometry geometry, ImageMetadata metadata, CancellationToken ct)
    {
        var values = new double[geometry.VoxelCount];
        using var reader = new StreamReader(s, Encoding.ASCII, false, 1 << 16, leaveOpen: true);
        long n = 0;
        var token = new StringBuilder();
        int c;
        while (n < values.LongLength)
        {
            c = reader.Read();
            bool sep = c < 0 || char.IsWhiteSpace((char)c) || c == ',';
            if (!sep) { token.Append((char)c); continue; }
            if (token.Length > 0)
            {
                if (!double.TryParse(token.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[n]))
                    throw new InvalidImageDataException($"{file}: ascii voxel {n} '{token}' is not a number.");
                token.Clear();
                if (++n % (1 << 20) == 0) ct.ThrowIfCancellationRequested();
            }
            if (c < 0) break;
        }
        if (n < values.LongLength)
            throw new InvalidImageDataException($"{file}: ascii data hold {n} values but the sizes need {values.LongLength}; the file is truncated.");
        var asDouble = new LoadedVolume<double>(new Volume<double>(geometry, values, metadata), file);
        return type switch
        {
            VoxelType.UInt8 => new LoadedVolume<byte>(asDouble.ToVolume<byte>(), file),
            VoxelType.Int8 => new LoadedVolume<sbyte>(asDouble.ToVolume<sbyte>(), file),
            VoxelType.Int16 => new LoadedVolume<short>(asDouble.ToVolume<short>(), file),
            VoxelType.UInt16 => new LoadedVolume<ushort>(asDouble.ToVolume<ushort>(), file),
            VoxelType.Int32 => new LoadedVolume<int>(asDouble.ToVolume<int>(), file),
            VoxelType.UInt32 => new LoadedVolume<uint>(asDouble.ToVolume<uint>(), file),
            VoxelType.Float32 => new LoadedVolume<float>(asDouble.ToVolume<float>(), file),
            _ => asDouble,
        };
    }

    private static VoxelType? ElementType(string name) => name.Trim().ToLowerInvariant() switch
    {
        "uchar" or "unsigned char" or "uint8" or "uint8_t" => VoxelType.UInt8,
        "signed char" or "int8" or "int8_t" => VoxelType.Int8,
        "short" or "short int" or "signed short" or "signed short int" or "int16" or "int16_t" => VoxelType.Int16,
        "ushort" or "unsigned short" or "unsigned short int" or "uint16" or "uint16_t" => VoxelType.UInt16,
        "int" or "signed int" or "int32" or "int32_t" => VoxelType.Int32,
        "uint" or "unsigned int" or "uint32" or "uint32_t" => VoxelType.UInt32,
        "float" => VoxelType.Float32,
        "double" => VoxelType.Float64,
        _ => null,
    };

    private static string TypeName(VoxelType type) => type switch
    {
        VoxelType.UInt8 => "uint8",
        VoxelType.Int8 => "int8",
        VoxelType.Int16 => "int16",
        VoxelType.UInt16 => "uint16",
        VoxelType.Int32 => "int32",
        VoxelType.UInt32 => "uint32",
        VoxelType.Float32 => "float",
        VoxelType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// Writes a NRRD image in space left-posterior-superior, little-endian, raw or gzip-encoded. A <c>.nhdr</c>
    /// path gets its data beside it (<c>name.raw</c> or <c>name.raw.gz</c>). Files are written to a temporary
    /// name and moved into place.
    /// </summary>
    /// <exception cref="UnsupportedFormatException">T is not a supported voxel type.</exception>
    public static void Write<T>(Volume<T> volume, string path, bool gzip = false, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        var type = VoxelTypes.Of<T>();
        bool detached = path.EndsWith(".nhdr", StringComparison.OrdinalIgnoreCase);
        string dataName = Path.GetFileNameWithoutExtension(path) + (gzip ? ".raw.gz" : ".raw");
        string header = Header(volume.Geometry, type, gzip, detached ? dataName : null);

        void WriteData(Stream s)
        {
            if (!gzip) { VoxelData.Write(s, volume.Data, bigEndian: false, cancellationToken); return; }
            using var z = new GZipStream(s, CompressionLevel.Fastest, leaveOpen: true);
            VoxelData.Write(z, volume.Data, bigEndian: false, cancellationToken);
        }

        if (detached)
        {
            AtomicFile.Write(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataName), WriteData);
            AtomicFile.Write(path, s => s.Write(Encoding.ASCII.GetBytes(header)));
        }
        else
        {
            AtomicFile.Write(path, s =>
            {
                s.Write(Encoding.ASCII.GetBytes(header));
                WriteData(s);
            });
        }
    }

    private static string Header(VolumeGeometry g, VoxelType type, bool gzip, string? dataFile)
    {
        static string V(Vec3 v) => "(" + HeaderValues.Format(v.X) + "," + HeaderValues.Format(v.Y) + "," + HeaderValues.Format(v.Z) + ")";
        var m = g.IndexToPhysicalMatrix;
        var sb = new StringBuilder();
        sb.Append("NRRD0004\n");
        sb.Append("# Written by ImageGuide\n");
        sb.Append("type: ").Append(TypeName(type)).Append('\n');
        sb.Append("dimension: 3\n");
        sb.Append("space: left-posterior-superior\n");
        sb.Append("sizes: ").Append(g.Nx).Append(' ').Append(g.Ny).Append(' ').Append(g.Nz).Append('\n');
        sb.Append("space directions: ").Append(V(m.Column(0))).Append(' ').Append(V(m.Column(1))).Append(' ').Append(V(m.Column(2))).Append('\n');
        sb.Append("kinds: domain domain domain\n");
        if (type.SizeOf() > 1) sb.Append("endian: little\n");
        sb.Append("encoding: ").Append(gzip ? "gzip" : "raw").Append('\n');
        sb.Append("space origin: ").Append(V(g.Origin)).Append('\n');
        if (dataFile is not null) sb.Append("data file: ").Append(dataFile).Append('\n');
        else sb.Append('\n');
        return sb.ToString();
    }
}
