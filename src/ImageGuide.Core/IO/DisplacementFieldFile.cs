using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// Displacement fields as ITK reads them into a <c>DisplacementFieldTransform</c> (<c>itk::Image&lt;itk::Vector&lt;float,3&gt;,3&gt;</c>):
/// the vectors are fixed → moving displacements in <b>LPS mm</b> (ITK's physical space, as ANTs writes its warps),
/// on the field's grid. <c>.mha</c>: MetaImage with <c>ElementNumberOfChannels = 3</c>, MET_FLOAT, the three
/// components interleaved per voxel. <c>.nii</c>/<c>.nii.gz</c>: NIfTI-1 with dim = [5, nx, ny, nz, 1, 3],
/// intent_code 1007 (NIFTI_INTENT_VECTOR), float32, the components one after the other (x volume, y volume, z volume),
/// the grid in the header's RAS sform/qform as for any NIfTI image — only the grid is flipped to RAS, not the vectors.
/// Writes go to a temporary name and are moved into place. Thread-safe.
/// </summary>
public static class DisplacementFieldFile
{
    private const short IntentVector = 1007;

    /// <summary>Writes <paramref name="field"/> to <paramref name="path"/> (.mha, .nii or .nii.gz).</summary>
    /// <exception cref="UnsupportedFormatException">Another extension, or a grid too large for NIfTI-1.</exception>
    public static void Write(DisplacementField field, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var g = field.Geometry;
        if (path.EndsWith(".mha", StringComparison.OrdinalIgnoreCase))
        {
            var d = g.Direction;
            var header = new StringBuilder()
                .Append("ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n")
                .Append("TransformMatrix = ").Append(HeaderValues.Join([.. d.Column(0).ToArray(), .. d.Column(1).ToArray(), .. d.Column(2).ToArray()])).Append('\n')
                .Append("Offset = ").Append(HeaderValues.Join(g.Origin.ToArray())).Append('\n')
                .Append("CenterOfRotation = 0 0 0\n")
                .Append("AnatomicalOrientation = ").Append(MetaImageFormat.Orientation(d)).Append('\n')
                .Append("ElementSpacing = ").Append(HeaderValues.Join(g.Spacing.ToArray())).Append('\n')
                .Append(CultureInfo.InvariantCulture, $"DimSize = {g.Nx} {g.Ny} {g.Nz}\n")
                .Append("ElementNumberOfChannels = 3\nElementType = MET_FLOAT\nElementDataFile = LOCAL\n").ToString();
            AtomicFile.Write(path, s =>
            {
                s.Write(Encoding.ASCII.GetBytes(header));
                var buffer = new byte[12 * g.Nx];
                for (int k = 0; k < g.Nz; k++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    for (int j = 0; j < g.Ny; j++)
                    {
                        long n = g.LinearIndex(0, j, k);
                        for (int i = 0; i < g.Nx; i++, n++)
                        {
                            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(12 * i), field.X.Data[n]);
                            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(12 * i + 4), field.Y.Data[n]);
                            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(12 * i + 8), field.Z.Data[n]);
                        }
                        s.Write(buffer);
                    }
                }
            });
            return;
        }
        if (!NiftiFormat.HasExtension(path))
            throw new UnsupportedFormatException($"{path}: write a displacement field as .mha, .nii or .nii.gz.");
        var h = NiftiFormat.BuildHeader(g, VoxelType.Float32, NiftiXformCode.ScannerAnatomical, "ImageGuide displacement field (LPS mm)");
        h.Dim[0] = 5; h.Dim[4] = 1; h.Dim[5] = 3;
        h.IntentCode = IntentVector;
        NiftiFormat.WriteFile(path, h, s =>
        {
            foreach (var c in new[] { field.X, field.Y, field.Z }) VoxelData.Write(s, c.Data, bigEndian: false, cancellationToken);
        });
    }

    /// <summary>Reads a displacement field written by <see cref="Write"/> or by ITK/ANTs (.mha with 3 channels, or 5-D vector NIfTI), vectors in LPS mm.</summary>
    /// <exception cref="InvalidImageDataException">Not a 3-component field, corrupt or truncated.</exception>
    /// <exception cref="UnsupportedFormatException">Another extension or voxel type.</exception>
    public static DisplacementField Read(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".mha", StringComparison.OrdinalIgnoreCase)) return ReadMetaImage(path, cancellationToken);
        if (!NiftiFormat.HasExtension(path)) throw new UnsupportedFormatException($"{path}: a displacement field is read from .mha, .nii or .nii.gz.");
        using var file = NiftiFormat.OpenedFile.Open(path);
        var (h, s) = (file.Header, file.Stream);
        if (h.Dim[0] != 5 || h.Dim[4] > 1 || h.Dim[5] != 3)
            throw new InvalidImageDataException($"{path}: a displacement field has dim = [5, nx, ny, nz, 1, 3]; this file has dim[0..5] = [{string.Join(", ", h.Dim.Take(6))}].");
        if (h.Datatype != NiftiHeader.DatatypeOf(VoxelType.Float32) && h.Datatype != NiftiHeader.DatatypeOf(VoxelType.Float64))
            throw new UnsupportedFormatException($"{path}: displacement fields are read as float32 or float64 (datatype {NiftiHeader.DatatypeName(h.Datatype)}).");
        int nx = h.Dim[1], ny = h.Dim[2], nz = h.Dim[3];
        if (nx < 1 || ny < 1 || nz < 1) throw new InvalidImageDataException($"{path}: invalid size {nx}×{ny}×{nz}.");
        var geometry = NiftiFormat.Geometry(h, nx, ny, nz, path, []);
        var type = h.Datatype == NiftiHeader.DatatypeOf(VoxelType.Float32) ? VoxelType.Float32 : VoxelType.Float64;
        long voxOffset = file.VoxOffset();
        VoxelData.CheckBudget(path, 3 * geometry.VoxelCount, type, file.AvailableBytes(voxOffset), file.Compressed, $"3 × {nx}×{ny}×{nz} of {type}");
        file.SkipToData(voxOffset);
        var components = new Volume<float>[3];
        for (int c = 0; c < 3; c++) components[c] = VoxelData.Read(s, type, geometry, h.BigEndian, new ImageMetadata(), 1, 0, path, cancellationToken).ToFloat();
        return new DisplacementField(components[0], components[1], components[2]);
    }

    private static DisplacementField ReadMetaImage(string path, CancellationToken ct)
    {
        using var fs = InputFile.Open(path);
        var lines = HeaderValues.ReadLines(fs, l => l.TrimStart().StartsWith("ElementDataFile", StringComparison.OrdinalIgnoreCase), blankEnds: false, 1 << 20, path, "MetaImage");
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            int eq = line.IndexOf('=');
            if (eq > 0) fields[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        string Get(string key) => fields.TryGetValue(key, out var v) ? v : throw new InvalidImageDataException($"{path}: the MetaImage header has no '{key}' field.");
        if (HeaderValues.Long(Get("NDims"), path, "NDims") != 3) throw new InvalidImageDataException($"{path}: a displacement field is 3-D (NDims = 3).");
        if (!fields.TryGetValue("ElementNumberOfChannels", out var ch) || HeaderValues.Long(ch, path, "ElementNumberOfChannels") != 3)
            throw new InvalidImageDataException($"{path}: a displacement field has ElementNumberOfChannels = 3.");
        if (!string.Equals(Get("ElementType"), "MET_FLOAT", StringComparison.OrdinalIgnoreCase)) throw new UnsupportedFormatException($"{path}: displacement fields are read as MET_FLOAT.");
        if (!string.Equals(Get("ElementDataFile"), "LOCAL", StringComparison.OrdinalIgnoreCase)) throw new UnsupportedFormatException($"{path}: only .mha fields with LOCAL data are read.");
        if (fields.TryGetValue("CompressedData", out var cd) && HeaderValues.Bool(cd, path, "CompressedData")) throw new UnsupportedFormatException($"{path}: compressed fields are not read; write it uncompressed.");
        if (fields.TryGetValue("BinaryDataByteOrderMSB", out var bo) && HeaderValues.Bool(bo, path, "BinaryDataByteOrderMSB")) throw new UnsupportedFormatException($"{path}: big-endian fields are not read.");
        var dims = HeaderValues.Longs(Get("DimSize"), path, "DimSize");
        if (dims.Length != 3 || dims.Any(d => d < 1 || d > 100_000)) throw new InvalidImageDataException($"{path}: invalid DimSize '{Get("DimSize")}'.");
        var spacing = fields.TryGetValue("ElementSpacing", out var es) ? HeaderValues.Doubles(es, 3, path, "ElementSpacing") : [1.0, 1, 1];
        var offset = fields.TryGetValue("Offset", out var of) ? HeaderValues.Doubles(of, 3, path, "Offset") : [0.0, 0, 0];
        var tm = fields.TryGetValue("TransformMatrix", out var m) ? HeaderValues.Doubles(m, 9, path, "TransformMatrix") : [1.0, 0, 0, 0, 1, 0, 0, 0, 1];
        var axes = Mat3.FromColumns(new Vec3(tm[0], tm[1], tm[2]) * spacing[0], new Vec3(tm[3], tm[4], tm[5]) * spacing[1], new Vec3(tm[6], tm[7], tm[8]) * spacing[2]);
        var g = AxisGeometry.Build(path, "TransformMatrix/ElementSpacing", (int)dims[0], (int)dims[1], (int)dims[2], axes, new Vec3(offset[0], offset[1], offset[2]));
        VoxelData.CheckBudget(path, 3 * g.VoxelCount, VoxelType.Float32, fs.Length - fs.Position, false, $"3 × {g.Nx}×{g.Ny}×{g.Nz} floats");
        var x = new Volume<float>(g); var y = new Volume<float>(g); var z = new Volume<float>(g);
        var buffer = new byte[12 * g.Nx];
        for (int k = 0; k < g.Nz; k++)
        {
            ct.ThrowIfCancellationRequested();
            for (int j = 0; j < g.Ny; j++)
            {
                fs.ReadExactly(buffer);
                long n = g.LinearIndex(0, j, k);
                for (int i = 0; i < g.Nx; i++, n++)
                {
                    x.Data[n] = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(12 * i));
                    y.Data[n] = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(12 * i + 4));
                    z.Data[n] = BinaryPrimitives.ReadSingleLittleEndian(buffer.AsSpan(12 * i + 8));
                }
            }
        }
        return new DisplacementField(x, y, z);
    }
}
