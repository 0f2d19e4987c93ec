using System.Globalization;
using System.IO.Compression;
using System.Text;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// MetaImage (ITK MetaIO) images: <c>.mha</c> (header and data in one file) and <c>.mhd</c> (header with a
/// separate data file). MetaImage physical space is LPS, so no axis flip is needed. <c>TransformMatrix</c> is
/// stored as ITK writes it: each consecutive triple is one axis vector, i.e. the direction matrix column by column.
/// Reads uncompressed and zlib-compressed (<c>CompressedData = True</c>) scalar data of either byte order.
/// <c>CenterOfRotation</c> and <c>AnatomicalOrientation</c> are informational and, as in ITK, do not change the geometry.
/// Thread-safe (no shared state).
/// </summary>
public static class MetaImageFormat
{
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>True when the path names a MetaImage file by extension (.mha or .mhd).</summary>
    public static bool HasExtension(string path) =>
        path.EndsWith(".mha", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".mhd", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a MetaImage file.</summary>
    /// <exception cref="InvalidImageDataException">Corrupt header, missing or truncated data file.</exception>
    /// <exception cref="UnsupportedFormatException">Multi-channel, file lists, ASCII data, unsupported element types.</exception>
    /// <exception cref="GeometryException">Axes that are not orthogonal.</exception>
    internal static LoadedVolume Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = InputFile.Open(path);
        var lines = HeaderValues.ReadLines(fs, l => Key(l) == "elementdatafile", blankEnds: false, MaxHeaderBytes, path, "MetaImage");
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            fields[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        string Get(string key) => fields.TryGetValue(key, out var v) ? v : throw new InvalidImageDataException($"{path}: the MetaImage header has no '{key}' field.");
        string? Opt(params string[] keys) { foreach (var k in keys) if (fields.TryGetValue(k, out var v)) return v; return null; }

        if (Opt("ObjectType") is { } ot && !ot.Equals("Image", StringComparison.OrdinalIgnoreCase))
            throw new UnsupportedFormatException($"{path}: MetaImage ObjectType '{ot}' is not an image.");
        string dataFile = Get("ElementDataFile");
        long ndims = HeaderValues.Long(Get("NDims"), path, "NDims");
        if (ndims < 2 || ndims > 3)
            throw new UnsupportedFormatException($"{path}: NDims = {ndims}; only 2-D and 3-D MetaImages are read.");
        int nd = (int)ndims;
        var dims = HeaderValues.Longs(Get("DimSize"), path, "DimSize");
        if (dims.Length != nd) throw new InvalidImageDataException($"{path}: DimSize has {dims.Length} values but NDims = {nd}.");
        foreach (var d in dims)
            if (d < 1 || d > int.MaxValue) throw new InvalidImageDataException($"{path}: DimSize '{Get("DimSize")}' has the invalid size {d}.");
        if (Opt("ElementNumberOfChannels") is { } ch && HeaderValues.Long(ch, path, "ElementNumberOfChannels") != 1)
            throw new UnsupportedFormatException($"{path}: ElementNumberOfChannels = {ch}; only scalar (1-channel) images are read.");
        if (Opt("BinaryData") is { } bd && !HeaderValues.Bool(bd, path, "BinaryData"))
            throw new UnsupportedFormatException($"{path}: BinaryData = False (ASCII voxel data) is not supported.");
        string typeName = Get("ElementType");
        var type = ElementType(typeName) ?? throw new UnsupportedFormatException(
            $"{path}: ElementType {typeName} is not supported; supported are MET_UCHAR, MET_CHAR, MET_SHORT, MET_USHORT, MET_INT, MET_UINT, MET_FLOAT, MET_DOUBLE.");
        bool msb = Opt("BinaryDataByteOrderMSB", "ElementByteOrderMSB") is { } bo && HeaderValues.Bool(bo, path, "BinaryDataByteOrderMSB");
        bool compressed = Opt("CompressedData") is { } cd && HeaderValues.Bool(cd, path, "CompressedData");
        long? compressedSize = Opt("CompressedDataSize") is { } cs ? HeaderValues.Long(cs, path, "CompressedDataSize") : null;

        var spacingV = Opt("ElementSpacing", "ElementSize") is { } es ? HeaderValues.Doubles(es, nd, path, "ElementSpacing") : Ones(nd);
        var originV = Opt("Offset", "Origin", "Position") is { } of ? HeaderValues.Doubles(of, nd, path, "Offset") : new double[nd];
        var tm = Opt("TransformMatrix", "Rotation", "Orientation") is { } m ? HeaderValues.Doubles(m, nd * nd, path, "TransformMatrix") : Identity(nd);

        var axes = new Vec3[3];
        for (int a = 0; a < nd; a++)
            axes[a] = new Vec3(tm[a * nd], tm[a * nd + 1], nd == 3 ? tm[a * nd + 2] : 0) * spacingV[a];
        var origin = new Vec3(originV[0], originV[1], nd == 3 ? originV[2] : 0);
        if (nd == 2) axes[2] = AxisGeometry.Normal(axes[0], axes[1], 1);
        int nx = (int)dims[0], ny = (int)dims[1], nz = nd == 3 ? (int)dims[2] : 1;
        var geometry = AxisGeometry.Build(path, "TransformMatrix/ElementSpacing", nx, ny, nz, Mat3.FromColumns(axes[0], axes[1], axes[2]), origin);

        var warnings = new List<string>();
        long voxels = (long)nx * ny * nz;
        var metadata = new ImageMetadata { Modality = Opt("Modality") is { } mod ? mod.Replace("MET_MOD_", "", StringComparison.Ordinal) : null, Warnings = warnings };
        long headerSize = Opt("HeaderSize") is { } hs ? HeaderValues.Long(hs, path, "HeaderSize") : 0;

        if (dataFile.Equals("LOCAL", StringComparison.OrdinalIgnoreCase))
            return ReadData(fs, path, type, geometry, msb, compressed, compressedSize, voxels, metadata, cancellationToken);
        if (dataFile.StartsWith("LIST", StringComparison.OrdinalIgnoreCase) || dataFile.Contains('%') || dataFile.Contains(' '))
            throw new UnsupportedFormatException($"{path}: ElementDataFile '{dataFile}' (a list or pattern of slice files) is not supported; one data file or LOCAL is.");
        string dataPath = InputFile.DataFileBeside(path, dataFile, "ElementDataFile");
        using var ds = InputFile.Open(dataPath);
        if (headerSize == -1 && !compressed)
            ds.Seek(Math.Max(0, ds.Length - voxels * type.SizeOf()), SeekOrigin.Begin);
        else if (headerSize > 0)
            VoxelData.Skip(ds, headerSize, dataPath, "HeaderSize");
        return ReadData(ds, dataPath, type, geometry, msb, compressed, compressedSize, voxels, metadata, cancellationToken);
    }

    private static LoadedVolume ReadData(FileStream s, string file, VoxelType type, VolumeGeometry geometry, bool msb,
        bool compressed, long? compressedSize, long voxels, ImageMetadata metadata, CancellationToken ct)
    {
        long remaining = s.Length - s.Position;
        if (compressed)
        {
            if (compressedSize is { } size && (size < 0 || size > remaining))
                throw new InvalidImageDataException($"{file}: CompressedDataSize = {size} but only {remaining} bytes of data follow; the file is truncated.");
            VoxelData.CheckBudget(file, voxels, type, (compressedSize ?? remaining) * VoxelData.MaxDeflateRatio, true, $"DimSize {geometry.Nx}×{geometry.Ny}×{geometry.Nz} of {type}");
            using var z = new ZLibStream(s, CompressionMode.Decompress, leaveOpen: true);
            return VoxelData.Read(z, type, geometry, msb, metadata, 1, 0, file, ct);
        }
        VoxelData.CheckBudget(file, voxels, type, remaining, false, $"DimSize {geometry.Nx}×{geometry.Ny}×{geometry.Nz} of {type}");
        return VoxelData.Read(s, type, geometry, msb, metadata, 1, 0, file, ct);
    }

    private static string Key(string line)
    {
        int eq = line.IndexOf('=');
        return eq <= 0 ? "" : line[..eq].Trim().ToLowerInvariant();
    }

    private static double[] Ones(int n) { var v = new double[n]; Array.Fill(v, 1.0); return v; }

    private static double[] Identity(int n) { var v = new double[n * n]; for (int i = 0; i < n; i++) v[i * n + i] = 1; return v; }

    private static VoxelType? ElementType(string name) => name.Trim().ToUpperInvariant() switch
    {
        "MET_UCHAR" => VoxelType.UInt8,
        "MET_CHAR" => VoxelType.Int8,
        "MET_SHORT" => VoxelType.Int16,
        "MET_USHORT" => VoxelType.UInt16,
        "MET_INT" or "MET_LONG" => VoxelType.Int32,
        "MET_UINT" or "MET_ULONG" => VoxelType.UInt32,
        "MET_FLOAT" => VoxelType.Float32,
        "MET_DOUBLE" => VoxelType.Float64,
        _ => null,
    };

    private static string ElementTypeName(VoxelType type) => type switch
    {
        VoxelType.UInt8 => "MET_UCHAR",
        VoxelType.Int8 => "MET_CHAR",
        VoxelType.Int16 => "MET_SHORT",
        VoxelType.UInt16 => "MET_USHORT",
        VoxelType.Int32 => "MET_INT",
        VoxelType.UInt32 => "MET_UINT",
        VoxelType.Float32 => "MET_FLOAT",
        VoxelType.Float64 => "MET_DOUBLE",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// Writes a MetaImage. A <c>.mha</c> path holds header and data together; a <c>.mhd</c> path gets a data file
    /// beside it (<c>name.raw</c>, or <c>name.zraw</c> when compressed). Data are little-endian; with
    /// <paramref name="compress"/> they are zlib-compressed. Each file is written to a temporary name and moved into place.
    /// </summary>
    /// <exception cref="UnsupportedFormatException">T is not a supported voxel type.</exception>
    public static void Write<T>(Volume<T> volume, string path, bool compress = false, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        var type = VoxelTypes.Of<T>();
        bool detached = path.EndsWith(".mhd", StringComparison.OrdinalIgnoreCase);
        byte[]? packed = compress ? Compress(volume.Data, cancellationToken) : null;
        string dataName = Path.GetFileNameWithoutExtension(path) + (compress ? ".zraw" : ".raw");
        string header = Header(volume.Geometry, type, packed?.LongLength, detached ? dataName : "LOCAL");

        void WriteData(Stream s)
        {
            if (packed is not null) s.Write(packed);
            else VoxelData.Write(s, volume.Data, bigEndian: false, cancellationToken);
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

    private static byte[] Compress<T>(T[] data, CancellationToken ct) where T : unmanaged
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            VoxelData.Write(z, data, bigEndian: false, ct);
        return ms.ToArray();
    }

    private static string Header(VolumeGeometry g, VoxelType type, long? compressedSize, string dataFile)
    {
        var d = g.Direction;
        var sb = new StringBuilder();
        sb.Append("ObjectType = Image\n");
        sb.Append("NDims = 3\n");
        sb.Append("BinaryData = True\n");
        sb.Append("BinaryDataByteOrderMSB = False\n");
        sb.Append("CompressedData = ").Append(compressedSize.HasValue ? "True" : "False").Append('\n');
        if (compressedSize is { } cs) sb.Append("CompressedDataSize = ").Append(cs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("TransformMatrix = ").Append(HeaderValues.Join([.. d.Column(0).ToArray(), .. d.Column(1).ToArray(), .. d.Column(2).ToArray()])).Append('\n');
        sb.Append("Offset = ").Append(HeaderValues.Join(g.Origin.ToArray())).Append('\n');
        sb.Append("CenterOfRotation = 0 0 0\n");
        sb.Append("AnatomicalOrientation = ").Append(Orientation(d)).Append('\n');
        sb.Append("ElementSpacing = ").Append(HeaderValues.Join(g.Spacing.ToArray())).Append('\n');
        sb.Append("DimSize = ").Append(g.Nx).Append(' ').Append(g.Ny).Append(' ').Append(g.Nz).Append('\n');
        sb.Append("ElementType = ").Append(ElementTypeName(type)).Append('\n');
        sb.Append("ElementDataFile = ").Append(dataFile).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// MetaIO's "from" letters of the closest anatomical axis of each image axis (ITK writes RAI for identity:
    /// an i axis pointing to the patient's left runs from Right).
    /// </summary>
    internal static string Orientation(Mat3 direction)
    {
        Span<char> letters = stackalloc char[3];
        for (int c = 0; c < 3; c++)
        {
            var v = direction.Column(c);
            double ax = Math.Abs(v.X), ay = Math.Abs(v.Y), az = Math.Abs(v.Z);
            letters[c] = ax >= ay && ax >= az ? (v.X > 0 ? 'R' : 'L')
                       : ay >= az ? (v.Y > 0 ? 'A' : 'P')
                       : (v.Z > 0 ? 'I' : 'S');
        }
        return new string(letters);
    }
}
