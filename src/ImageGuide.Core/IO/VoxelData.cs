using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;

using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>Reads and writes raw voxel buffers (any endianness) in bounded chunks, with cancellation.</summary>
internal static class VoxelData
{
    /// <summary>Largest decompressed/compressed ratio DEFLATE can reach (≈1032:1); bounds claims of corrupt headers.</summary>
    internal const long MaxDeflateRatio = 1100;

    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Checks that a grid of <paramref name="voxels"/> voxels of <paramref name="type"/> fits one array and that
    /// <paramref name="availableBytes"/> (already multiplied by the compression bound when compressed) can hold it,
    /// before anything is allocated.
    /// </summary>
    internal static void CheckBudget(string file, long voxels, VoxelType type, long availableBytes, bool compressed, string what)
    {
        if (voxels > Array.MaxLength)
            throw new InvalidImageDataException($"{file}: {what} describe {voxels} voxels, more than one buffer can hold ({Array.MaxLength}); the header is corrupt or the image must be cropped.");
        ImageMemoryBudget.Check(file, voxels, type.SizeOf(), what);
        long needed = voxels * type.SizeOf();
        if (needed > availableBytes)
            throw new InvalidImageDataException(compressed
                ? $"{file}: {what} need {needed} bytes of voxel data, more than the compressed data can possibly hold; the header is corrupt or the file is truncated."
                : $"{file}: {what} need {needed} bytes of voxel data but only {Math.Max(0, availableBytes)} remain; the file is truncated or the header is corrupt.");
    }

    /// <summary>Allocates a volume of <paramref name="type"/> and fills it from <paramref name="stream"/>.</summary>
    internal static LoadedVolume Read(Stream stream, VoxelType type, VolumeGeometry geometry, bool bigEndian, ImageMetadata metadata,
        double slope, double intercept, string file, CancellationToken ct) => type switch
        {
            VoxelType.UInt8 => Read<byte>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            VoxelType.Int8 => Read<sbyte>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            VoxelType.Int16 => Read<short>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            VoxelType.UInt16 => Read<ushort>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            VoxelType.Int32 => Read<int>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            VoxelType.UInt32 => Read<uint>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            VoxelType.Float32 => Read<float>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            VoxelType.Float64 => Read<double>(stream, geometry, bigEndian, metadata, slope, intercept, file, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };

    private static LoadedVolume<T> Read<T>(Stream stream, VolumeGeometry geometry, bool bigEndian, ImageMetadata metadata,
        double slope, double intercept, string file, CancellationToken ct) where T : unmanaged, INumber<T>
    {
        var data = new T[geometry.VoxelCount];
        Fill(stream, data, bigEndian, file, ct);
        return new LoadedVolume<T>(new Volume<T>(geometry, data, metadata), file, slope, intercept);
    }

    /// <summary>Fills <paramref name="data"/> from the stream; a short stream raises <see cref="InvalidImageDataException"/>.</summary>
    internal static void Fill<T>(Stream stream, T[] data, bool bigEndian, string file, CancellationToken ct) where T : unmanaged
    {
        int size = VoxelTypes.SizeOf<T>();
        int chunk = Math.Max(1, ChunkBytes / size);
        bool swap = size > 1 && bigEndian == BitConverter.IsLittleEndian;
        try
        {
            for (int start = 0; start < data.Length; start += chunk)
            {
                ct.ThrowIfCancellationRequested();
                var span = data.AsSpan(start, Math.Min(chunk, data.Length - start));
                var bytes = MemoryMarshal.AsBytes(span);
                int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                if (read < bytes.Length)
                    throw new InvalidImageDataException(
                        $"{file}: voxel data ends after {(long)start * size + read} bytes but the header's dimensions need {data.LongLength * size} bytes; the file is truncated.");
                if (swap) Swap(span);
            }
        }
        catch (Exception e) when (IsCorruptCompressedData(e, stream))
        {
            throw new InvalidImageDataException($"{file}: compressed voxel data is corrupt ({e.Message}).", e);
        }
    }

    /// <summary>
    /// True for the errors a decompressor raises on corrupt input: <see cref="InvalidDataException"/>, or any
    /// <see cref="IOException"/> (such as ZLibException) coming out of a compression stream.
    /// </summary>
    internal static bool IsCorruptCompressedData(Exception e, Stream stream) =>
        e is InvalidDataException || (e is IOException && stream is GZipStream or ZLibStream or DeflateStream);

    /// <summary>Writes the buffer to the stream in the requested byte order.</summary>
    internal static void Write<T>(Stream stream, T[] data, bool bigEndian, CancellationToken ct) where T : unmanaged
    {
        int size = VoxelTypes.SizeOf<T>();
        int chunk = Math.Max(1, ChunkBytes / size);
        bool swap = size > 1 && bigEndian == BitConverter.IsLittleEndian;
        T[]? scratch = swap ? new T[Math.Min(chunk, data.Length)] : null;
        for (int start = 0; start < data.Length; start += chunk)
        {
            ct.ThrowIfCancellationRequested();
            ReadOnlySpan<T> span = data.AsSpan(start, Math.Min(chunk, data.Length - start));
            if (scratch is not null)
            {
                var s = scratch.AsSpan(0, span.Length);
                span.CopyTo(s);
                Swap(s);
                span = s;
            }
            stream.Write(MemoryMarshal.AsBytes(span));
        }
    }

    private static void Swap<T>(Span<T> span) where T : unmanaged
    {
        switch (VoxelTypes.SizeOf<T>())
        {
            case 2: { var s = MemoryMarshal.Cast<T, ushort>(span); BinaryPrimitives.ReverseEndianness(s, s); break; }
            case 4: { var s = MemoryMarshal.Cast<T, uint>(span); BinaryPrimitives.ReverseEndianness(s, s); break; }
            case 8: { var s = MemoryMarshal.Cast<T, ulong>(span); BinaryPrimitives.ReverseEndianness(s, s); break; }
        }
    }

    /// <summary>Skips <paramref name="count"/> bytes of a (possibly non-seekable) stream.</summary>
    internal static void Skip(Stream stream, long count, string file, string what)
    {
        if (count <= 0) return;
        if (stream.CanSeek)
        {
            if (stream.Position + count > stream.Length)
                throw new InvalidImageDataException($"{file}: {what} points past the end of the file.");
            stream.Seek(count, SeekOrigin.Current);
            return;
        }
        Span<byte> buffer = stackalloc byte[4096];
        try
        {
            while (count > 0)
            {
                int n = stream.Read(buffer[..(int)Math.Min(buffer.Length, count)]);
                if (n == 0) throw new InvalidImageDataException($"{file}: {what} points past the end of the data.");
                count -= n;
            }
        }
        catch (Exception e) when (IsCorruptCompressedData(e, stream))
        {
            throw new InvalidImageDataException($"{file}: compressed data is corrupt ({e.Message}).", e);
        }
    }
}
