using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using ImageGuide.Dicom.Series;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>Which world space a written NIfTI qform/sform claims (the <c>qform_code</c>/<c>sform_code</c>).</summary>
public enum NiftiXformCode : short
{
    /// <summary>NIFTI_XFORM_SCANNER_ANAT (1): scanner-based anatomical coordinates, e.g. from DICOM.</summary>
    ScannerAnatomical = 1,
    /// <summary>NIFTI_XFORM_ALIGNED_ANAT (2): coordinates aligned to another image.</summary>
    AlignedAnatomical = 2,
}

/// <summary>
/// NIfTI-1 single-file images (<c>.nii</c>, <c>.nii.gz</c>). NIfTI world space is RAS; ImageGuide converts it to LPS
/// (LPS = diag(−1, −1, 1)·RAS) on read and back on write.
/// Geometry on read: the sform when <c>sform_code</c> &gt; 0 (a sheared sform falls back to the qform with a warning,
/// or raises <see cref="GeometryException"/> without one), else the qform when <c>qform_code</c> &gt; 0, else the
/// pixdim-only "method 1" grid (RAS axes, origin 0) with a warning — the same choices as ITK.
/// Policy for 4-D files: <c>dim[4]</c> = 1 is accepted as 3-D; more than one volume is refused with
/// <see cref="UnsupportedFormatException"/> (no silent choice of a volume). Thread-safe (no shared state).
/// </summary>
public static class NiftiFormat
{
    /// <summary>True when the path names a NIfTI file by extension (.nii or .nii.gz).</summary>
    public static bool HasExtension(string path) =>
        path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a NIfTI-1 image (gzip detected from the content, not the name).</summary>
    /// <exception cref="InvalidImageDataException">Corrupt or truncated header or data.</exception>
    /// <exception cref="UnsupportedFormatException">NIfTI-2, .hdr/.img pairs, 4-D series, unsupported datatypes.</exception>
    /// <exception cref="GeometryException">Axes that are not orthogonal.</exception>
    internal static LoadedVolume Read(string path, CancellationToken cancellationToken = default)
    {
        using var file = OpenedFile.Open(path);
        var (h, s, gz) = (file.Header, file.Stream, file.Compressed);
        var (nx, ny, nz) = Dimensions(h, path);
        var type = NiftiHeader.VoxelTypeOf(h.Datatype) ?? throw new UnsupportedFormatException(
            $"{path}: NIfTI datatype {NiftiHeader.DatatypeName(h.Datatype)} (offset 70) is not supported; supported are uint8, int8, int16, uint16, int32, uint32, float32 and float64.");
        long voxOffset = file.VoxOffset();

        var warnings = new List<string>();
        var geometry = Geometry(h, nx, ny, nz, path, warnings);
        long voxels = (long)nx * ny * nz;
        VoxelData.CheckBudget(path, voxels, type, file.AvailableBytes(voxOffset), gz, $"dim[1..3] = {nx}×{ny}×{nz} of {type}");

        double slope = 1, inter = 0;
        if (h.SclSlope != 0 && float.IsFinite(h.SclSlope) && float.IsFinite(h.SclInter) && !(h.SclSlope == 1 && h.SclInter == 0))
        {
            slope = h.SclSlope;
            inter = h.SclInter;
        }
        var metadata = new ImageMetadata
        {
            SeriesDescription = h.Descrip.Length > 0 ? h.Descrip : null,
            Warnings = warnings,
        };
        file.SkipToData(voxOffset);
        return VoxelData.Read(s, type, geometry, h.BigEndian, metadata, slope, inter, path, cancellationToken);
    }

    /// <summary>
    /// A single-file NIfTI-1 opened for reading: gzip detected from the content, the 348-byte header read, parsed and its
    /// magic checked; the stream stands after the header. Shared by images and displacement fields.
    /// </summary>
    internal sealed class OpenedFile : IDisposable
    {
        private readonly FileStream _file;
        private readonly string _path;

        private OpenedFile(FileStream file, Stream stream, NiftiHeader header, bool compressed, string path)
        {
            _file = file;
            Stream = stream;
            Header = header;
            Compressed = compressed;
            FileLength = file.Length;
            _path = path;
        }

        public Stream Stream { get; }
        public NiftiHeader Header { get; }
        public bool Compressed { get; }
        public long FileLength { get; }

        /// <exception cref="InvalidImageDataException">A truncated header or a corrupt gzip stream.</exception>
        /// <exception cref="UnsupportedFormatException">NIfTI-2, a .hdr/.img pair, or no NIfTI magic.</exception>
        public static OpenedFile Open(string path)
        {
            var fs = InputFile.Open(path);
            try
            {
                bool gz = fs.ReadByte() == 0x1F && fs.ReadByte() == 0x8B;
                fs.Position = 0;
                Stream s = gz ? new GZipStream(fs, CompressionMode.Decompress, leaveOpen: true) : fs;
                var raw = new byte[NiftiHeader.Size];
                int got;
                try { got = s.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false); }
                catch (Exception e) when (VoxelData.IsCorruptCompressedData(e, s)) { throw new InvalidImageDataException($"{path}: gzip stream is corrupt ({e.Message}).", e); }
                if (got < NiftiHeader.Size)
                    throw new InvalidImageDataException($"{path}: only {got} bytes, shorter than the 348-byte NIfTI-1 header; the file is truncated.");
                var h = NiftiHeader.Parse(raw, path);
                if (h.Magic == "ni1")
                    throw new UnsupportedFormatException($"{path}: NIfTI-1 header of a .hdr/.img pair (magic 'ni1'); only single-file .nii/.nii.gz is read. Convert it to .nii first.");
                if (h.Magic != "n+1")
                    throw new UnsupportedFormatException($"{path}: no NIfTI magic 'n+1' at offset 344 (found '{h.Magic}'); Analyze 7.5 files have no defined orientation and are not read.");
                return new OpenedFile(fs, s, h, gz, path);
            }
            catch
            {
                fs.Dispose();
                throw;
            }
        }

        /// <summary>The header's vox_offset, checked: a whole number ≥ 348, not past the end of an uncompressed file.</summary>
        public long VoxOffset()
        {
            var h = Header;
            if (!(h.VoxOffset >= NiftiHeader.Size) || h.VoxOffset != Math.Floor(h.VoxOffset) || h.VoxOffset > long.MaxValue / 2)
                throw new InvalidImageDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{_path}: vox_offset (offset 108) = {h.VoxOffset} is invalid; it must be a whole number ≥ 348."));
            long voxOffset = (long)h.VoxOffset;
            if (!Compressed && voxOffset > FileLength)
                throw new InvalidImageDataException($"{_path}: vox_offset (offset 108) = {voxOffset} lies past the end of the {FileLength}-byte file.");
            return voxOffset;
        }

        /// <summary>Bytes the voxel data may take (a deflate bound for gzip).</summary>
        public long AvailableBytes(long voxOffset) => Compressed ? FileLength * VoxelData.MaxDeflateRatio : FileLength - voxOffset;

        /// <summary>Moves the stream from the end of the header to the voxel data.</summary>
        public void SkipToData(long voxOffset) => VoxelData.Skip(Stream, voxOffset - NiftiHeader.Size, _path, "vox_offset (offset 108)");

        public void Dispose()
        {
            if (!ReferenceEquals(Stream, _file)) Stream.Dispose();
            _file.Dispose();
        }
    }

    /// <summary>Writes <paramref name="header"/> and then the voxel data (<paramref name="writeData"/>) to <paramref name="path"/>, gzip for .gz, through a temporary file.</summary>
    internal static void WriteFile(string path, NiftiHeader header, Action<Stream> writeData)
    {
        bool gz = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, fs =>
        {
            using Stream s = gz ? new GZipStream(fs, CompressionLevel.Fastest, leaveOpen: true) : fs;
            var buffer = new byte[NiftiHeader.DataOffset];
            header.WriteTo(buffer);
            s.Write(buffer);
            writeData(s);
        });
    }

    private static (int Nx, int Ny, int Nz) Dimensions(NiftiHeader h, string path)
    {
        int rank = h.Dim[0];
        if (rank < 1 || rank > 7)
            throw new InvalidImageDataException($"{path}: dim[0] (offset 40) = {rank}; it must be 1..7.");
        for (int n = 1; n <= rank; n++)
            if (h.Dim[n] < 1)
                throw new InvalidImageDataException($"{path}: dim[{n}] (offset {40 + 2 * n}) = {h.Dim[n]}; every dimension must be at least 1.");
        if (rank >= 4 && h.Dim[4] > 1)
            throw new UnsupportedFormatException($"{path}: 4-D image with dim[4] = {h.Dim[4]} volumes; ImageGuide reads one 3-D volume — extract the volume you need first (e.g. fslroi).");
        for (int n = 5; n <= rank; n++)
            if (h.Dim[n] > 1)
                throw new UnsupportedFormatException($"{path}: dim[{n}] = {h.Dim[n]} (vector or multi-component image); only scalar 3-D images are read.");
        return (h.Dim[1], rank >= 2 ? h.Dim[2] : 1, rank >= 3 ? h.Dim[3] : 1);
    }

    /// <summary>Chooses sform, qform or the pixdim fallback and converts it to LPS.</summary>
    internal static VolumeGeometry Geometry(NiftiHeader h, int nx, int ny, int nz, string path, List<string> warnings)
    {
        double unit = (h.XyztUnits & 7) switch { 1 => 1000.0, 3 => 0.001, _ => 1.0 };
        if (h.SformCode > 0)
        {
            float[] all = [.. h.SrowX, .. h.SrowY, .. h.SrowZ];
            if (!all.All(float.IsFinite))
                throw new InvalidImageDataException($"{path}: srow_x/y/z (offsets 280–327) hold a non-finite value.");
            var ras = new Mat3(h.SrowX[0], h.SrowX[1], h.SrowX[2], h.SrowY[0], h.SrowY[1], h.SrowY[2], h.SrowZ[0], h.SrowZ[1], h.SrowZ[2]);
            var steps = Scale(AxisGeometry.FlipXY(ras), unit);
            var origin = AxisGeometry.FlipXY(new Vec3(h.SrowX[3], h.SrowY[3], h.SrowZ[3])) * unit;
            if (AxisGeometry.TrySplit(steps, out var spacing, out var direction, out double dev))
                return new VolumeGeometry(nx, ny, nz, spacing, origin, direction);
            if (h.QformCode <= 0)
                throw new GeometryException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: the sform (sform_code {h.SformCode}) is sheared or degenerate (axis deviation {dev:G3}) and there is no qform to fall back to; resample the image onto an orthogonal grid first."));
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The sform is sheared (axis deviation {dev:G3}); the qform (qform_code {h.QformCode}) was used instead."));
        }
        if (h.QformCode > 0) return QformGeometry(h, nx, ny, nz, path, unit);

        warnings.Add("Neither sform_code nor qform_code is set: the grid was placed from pixdim only (RAS axes, origin 0), as ITK does; its position in patient space is unknown.");
        var sp = Spacing(h, nx, ny, nz, path) * unit;
        return new VolumeGeometry(nx, ny, nz, sp, Vec3.Zero, AxisGeometry.FlipXY(Mat3.Identity));
    }

    private static VolumeGeometry QformGeometry(NiftiHeader h, int nx, int ny, int nz, string path, double unit)
    {
        double b = h.QuaternB, c = h.QuaternC, d = h.QuaternD;
        if (!double.IsFinite(b + c + d + h.QoffsetX + h.QoffsetY + h.QoffsetZ))
            throw new InvalidImageDataException($"{path}: quatern_b/c/d or qoffset_x/y/z (offsets 256–279) hold a non-finite value.");
        double a = 1.0 - (b * b + c * c + d * d);
        if (a < 1e-7)
        {
            double n = Math.Sqrt(b * b + c * c + d * d);
            b /= n; c /= n; d /= n; a = 0;
        }
        else a = Math.Sqrt(a);
        var rotation = new Versor(b, c, d, a).ToMatrix();
        double qfac = h.Pixdim[0] < 0 ? -1 : 1;
        var sp = Spacing(h, nx, ny, nz, path) * unit;
        var ras = Mat3.FromColumns(rotation.Column(0), rotation.Column(1), rotation.Column(2) * qfac);
        var origin = AxisGeometry.FlipXY(new Vec3(h.QoffsetX, h.QoffsetY, h.QoffsetZ)) * unit;
        return new VolumeGeometry(nx, ny, nz, sp, origin, AxisGeometry.FlipXY(ras));
    }

    private static Vec3 Spacing(NiftiHeader h, int nx, int ny, int nz, string path)
    {
        int[] size = [nx, ny, nz];
        var s = new double[3];
        for (int n = 0; n < 3; n++)
        {
            double v = h.Pixdim[n + 1];
            if (v > 0 && double.IsFinite(v)) s[n] = v;
            else if (size[n] == 1 || h.Dim[0] <= n) s[n] = 1;
            else throw new InvalidImageDataException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: pixdim[{n + 1}] (offset {80 + 4 * n}) = {v}; voxel spacing must be finite and > 0."));
        }
        return new Vec3(s[0], s[1], s[2]);
    }

    private static Mat3 Scale(Mat3 m, double s) => s == 1 ? m : new Mat3(
        m.M00 * s, m.M01 * s, m.M02 * s, m.M10 * s, m.M11 * s, m.M12 * s, m.M20 * s, m.M21 * s, m.M22 * s);

    /// <summary>
    /// Writes a NIfTI-1 file (gzip-compressed when the path ends in <c>.gz</c>) with both qform and sform set to the
    /// volume's geometry in RAS, datatype from <typeparamref name="T"/>, units mm, no rescale, and the series
    /// description (ASCII, at most 79 characters) in <c>descrip</c>. The file is written
    /// to a temporary name in the same folder and then moved into place.
    /// </summary>
    /// <exception cref="UnsupportedFormatException">T is not a supported voxel type.</exception>
    public static void Write<T>(Volume<T> volume, string path, NiftiXformCode code = NiftiXformCode.ScannerAnatomical,
        CancellationToken cancellationToken = default) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(path);
        var type = VoxelTypes.Of<T>();
        var h = BuildHeader(volume.Geometry, type, code, volume.Metadata.SeriesDescription);
        WriteFile(path, h, s => VoxelData.Write(s, volume.Data, bigEndian: false, cancellationToken));
    }

    /// <summary>
    /// Writes a float volume as <paramref name="type"/> (from <see cref="ExactVoxelType"/>: every value fits exactly),
    /// converting chunk by chunk into a pooled buffer as it writes; the header is <see cref="Write{T}"/>'s.
    /// </summary>
    internal static void WriteExact(Volume<float> volume, VoxelType type, string path, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case VoxelType.UInt8: WriteNarrowed<byte>(volume, path, cancellationToken); break;
            case VoxelType.Int8: WriteNarrowed<sbyte>(volume, path, cancellationToken); break;
            case VoxelType.Int16: WriteNarrowed<short>(volume, path, cancellationToken); break;
            case VoxelType.UInt16: WriteNarrowed<ushort>(volume, path, cancellationToken); break;
            default: Write(volume, path, NiftiXformCode.ScannerAnatomical, cancellationToken); break;
        }
    }

    private static void WriteNarrowed<T>(Volume<float> volume, string path, CancellationToken cancellationToken) where T : unmanaged, INumber<T>
    {
        var h = BuildHeader(volume.Geometry, VoxelTypes.Of<T>(), NiftiXformCode.ScannerAnatomical, volume.Metadata.SeriesDescription);
        WriteFile(path, h, s =>
        {
            const int Chunk = 1 << 18;
            var data = volume.Data;
            var buffer = ArrayPool<T>.Shared.Rent(Math.Min(Chunk, Math.Max(1, data.Length)));
            try
            {
                for (int start = 0; start < data.Length; start += Chunk)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int n = Math.Min(Chunk, data.Length - start);
                    ExactVoxelType.Narrow<T>(data.AsSpan(start, n), buffer.AsSpan(0, n));
                    s.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
                }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        });
    }

    /// <summary>
    /// Writes whole numbers kept as stored integers as <paramref name="type"/> (<see cref="ExactVoxelType.Of(WholeNumberVolume)"/>):
    /// the stored buffer itself when it already holds the real values in that type, else converted chunk by chunk into a
    /// pooled buffer as it writes. Header and values are those <see cref="WriteExact(Volume{float}, VoxelType, string, CancellationToken)"/>
    /// writes for the same values as floats.
    /// </summary>
    internal static void WriteExact(WholeNumberVolume volume, VoxelType type, string path, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case VoxelType.UInt8: WriteWhole<byte>(volume, path, cancellationToken); break;
            case VoxelType.Int8: WriteWhole<sbyte>(volume, path, cancellationToken); break;
            case VoxelType.Int16: WriteWhole<short>(volume, path, cancellationToken); break;
            case VoxelType.UInt16: WriteWhole<ushort>(volume, path, cancellationToken); break;
            default: WriteWhole<float>(volume, path, cancellationToken); break;
        }
    }

    private static void WriteWhole<T>(WholeNumberVolume volume, string path, CancellationToken cancellationToken) where T : unmanaged, INumber<T>
    {
        var h = BuildHeader(volume.Geometry, VoxelTypes.Of<T>(), NiftiXformCode.ScannerAnatomical, volume.Metadata.SeriesDescription);
        if (volume.StoredAs<T>() is { } stored)
        {
            WriteFile(path, h, s => VoxelData.Write(s, stored, bigEndian: false, cancellationToken));
            return;
        }
        WriteFile(path, h, s =>
        {
            const int Chunk = 1 << 18;
            int length = checked((int)volume.Count);
            var buffer = ArrayPool<T>.Shared.Rent(Math.Min(Chunk, Math.Max(1, length)));
            try
            {
                for (int start = 0; start < length; start += Chunk)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int n = Math.Min(Chunk, length - start);
                    volume.CopyReal(start, buffer.AsSpan(0, n));
                    s.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
                }
            }
            finally { ArrayPool<T>.Shared.Return(buffer); }
        });
    }

    internal static NiftiHeader BuildHeader(VolumeGeometry g, VoxelType type, NiftiXformCode code, string? description)
    {
        if (g.Nx > short.MaxValue || g.Ny > short.MaxValue || g.Nz > short.MaxValue)
            throw new UnsupportedFormatException($"A {g.Nx}×{g.Ny}×{g.Nz} grid does not fit NIfTI-1 (at most {short.MaxValue} voxels per axis); write MetaImage or NRRD instead.");
        var h = new NiftiHeader
        {
            Datatype = NiftiHeader.DatatypeOf(type),
            Bitpix = (short)(8 * type.SizeOf()),
            VoxOffset = NiftiHeader.DataOffset,
            SclSlope = 1,
            SclInter = 0,
            XyztUnits = 2,
            Descrip = description ?? "",
            QformCode = (short)code,
            SformCode = (short)code,
        };
        h.Dim[0] = 3; h.Dim[1] = (short)g.Nx; h.Dim[2] = (short)g.Ny; h.Dim[3] = (short)g.Nz;
        for (int n = 4; n < 8; n++) { h.Dim[n] = 1; h.Pixdim[n] = 1; }

        var ras = AxisGeometry.FlipXY(g.Direction);
        var originRas = AxisGeometry.FlipXY(g.Origin);
        var steps = AxisGeometry.FlipXY(g.IndexToPhysicalMatrix);
        for (int c = 0; c < 3; c++)
        {
            h.SrowX[c] = (float)steps[0, c];
            h.SrowY[c] = (float)steps[1, c];
            h.SrowZ[c] = (float)steps[2, c];
        }
        h.SrowX[3] = (float)originRas.X; h.SrowY[3] = (float)originRas.Y; h.SrowZ[3] = (float)originRas.Z;

        double qfac = ras.Determinant() < 0 ? -1 : 1;
        var proper = Mat3.FromColumns(ras.Column(0), ras.Column(1), ras.Column(2) * qfac);
        var q = Versor.FromMatrix(proper);
        h.Pixdim[0] = (float)qfac;
        h.Pixdim[1] = (float)g.Spacing.X; h.Pixdim[2] = (float)g.Spacing.Y; h.Pixdim[3] = (float)g.Spacing.Z;
        h.QuaternB = (float)q.X; h.QuaternC = (float)q.Y; h.QuaternD = (float)q.Z;
        h.QoffsetX = (float)originRas.X; h.QoffsetY = (float)originRas.Y; h.QoffsetZ = (float)originRas.Z;
        return h;
    }
}
