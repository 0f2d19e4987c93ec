using System.Buffers;
using System.Runtime.InteropServices;
using ImageGuide.Dicom.Codecs;
using Microsoft.Win32.SafeHandles;

namespace ImageGuide.Dicom;

/// <summary>
/// The pixel data of a DICOM file: its description (<see cref="Format"/>, <see cref="NumberOfFrames"/>) and
/// frame-by-frame decoding to the native little-endian layout or to integer sample values. Native pixel data
/// is copied (byte-swapped for big endian); encapsulated pixel data is split into frames with the Extended or
/// Basic Offset Table (or one fragment per frame, or all fragments for a single frame) and decoded by the codec
/// registered for the transfer syntax. For files read with <see cref="DicomFile.ReadHeader"/>, the bytes of a
/// frame are read from the file when the frame is decoded. Thread-safe.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomFile _file;
    private readonly DicomElement _element;
    private readonly bool _swapBytes;
    private readonly bool _nativeYbr422;
    private readonly long _nativeFrameBytes;
    private readonly long _sourceLength;
    private readonly DicomCodecRegistry _codecs;
    private readonly Lazy<EncapsulatedFrames>? _frames;

    private DicomPixelData(DicomFile file, DicomElement element, DicomPixelFormat format, int frames, bool encapsulated)
    {
        _file = file;
        _element = element;
        Format = format;
        NumberOfFrames = frames;
        IsEncapsulated = encapsulated;
        _codecs = file.Options.Codecs ?? DicomCodecRegistry.BuiltIn;
        if (encapsulated)
        {
            _frames = new Lazy<EncapsulatedFrames>(LoadFrames, LazyThreadSafetyMode.ExecutionAndPublication);
            return;
        }
        // Big endian files hold samples wider than a byte in big endian order whatever the VR (OB or OW), as pydicom reads them.
        _swapBytes = !file.Parsed.Encoding.LittleEndian && format.BitsAllocated > 8;
        _nativeYbr422 = format.SamplesPerPixel == 3 && format.PlanarConfiguration == 0
            && format.PhotometricInterpretation == "YBR_FULL_422" && format.BitsAllocated >= 8;
        _nativeFrameBytes = _nativeYbr422 ? format.PixelCount * 2 * format.BytesPerSample : format.FrameSizeBytes;
        _sourceLength = SourceLength();
    }

    /// <summary>The Image Pixel module description of every frame.</summary>
    public DicomPixelFormat Format { get; }

    /// <summary>Number of frames (1 when Number of Frames (0028,0008) is absent).</summary>
    public int NumberOfFrames { get; }

    /// <summary>True when the pixel data is encapsulated (compressed fragments) rather than native.</summary>
    public bool IsEncapsulated { get; }

    /// <summary>The transfer syntax of the file.</summary>
    public string TransferSyntaxUid => _file.TransferSyntaxUid;

    /// <summary>Bytes one decoded frame occupies in the native layout (<see cref="DicomPixelFormat.FrameSizeBytes"/>).</summary>
    public long FrameSizeBytes => Format.FrameSizeBytes;

    /// <summary>
    /// Pixel Padding Value (0028,0120) as a stored value: its 16 bits read as signed when Pixel Representation is
    /// 1 (the attribute is "US or SS", and implicit VR files cannot say which); null when absent.
    /// </summary>
    public int? PixelPaddingValue { get; private init; }

    /// <summary>Samples in one frame (Rows × Columns × Samples per Pixel).</summary>
    public int SamplesPerFrame => checked((int)(Format.PixelCount * Format.SamplesPerPixel));

    internal static DicomPixelData Create(DicomFile file)
    {
        DicomDataset ds = file.Dataset;
        string? path = file.FilePath;
        if (!ds.TryGetElement(DicomTags.PixelData, out DicomElement? element))
            throw new DicomException("the data set has no Pixel Data (7FE0,0010); it is not an image (check SOP Class and Modality).", path, DicomTags.PixelData);

        int rows = RequiredUInt16(ds, DicomTags.Rows, path);
        int columns = RequiredUInt16(ds, DicomTags.Columns, path);
        int bitsAllocated = RequiredUInt16(ds, DicomTags.BitsAllocated, path);
        int samples = OptionalUInt16(ds, DicomTags.SamplesPerPixel, 1, path);
        int bitsStored = OptionalUInt16(ds, DicomTags.BitsStored, bitsAllocated, path);
        int highBit = OptionalUInt16(ds, DicomTags.HighBit, bitsStored - 1, path);
        int representation = OptionalUInt16(ds, DicomTags.PixelRepresentation, 0, path);
        int planar = samples > 1 ? OptionalUInt16(ds, DicomTags.PlanarConfiguration, 0, path) : 0;
        string photometric = ds.TryGetString(DicomTags.PhotometricInterpretation, out string? pi)
            ? pi : samples == 1 ? "MONOCHROME2" : "RGB";
        var format = new DicomPixelFormat(rows, columns, samples, bitsAllocated, bitsStored, highBit, representation,
            planar, photometric);
        try
        {
            format.Validate();
        }
        catch (DicomCodecException ex)
        {
            throw new DicomException(ex.Message + " Fix the Image Pixel module or exclude the file.", path, null, null, ex);
        }

        if (format.PixelCount * format.SamplesPerPixel > Array.MaxLength)
            throw new DicomException($"one frame of {rows}×{columns}×{samples} samples is more than ImageGuide can hold in one buffer; the Image Pixel module is corrupt.", path, DicomTags.Rows);

        int frames = 1;
        if (ds.TryGetElement(DicomTags.NumberOfFrames, out DicomElement? nf) && nf.Value.Length > 0)
        {
            if (!ds.TryGetInt(DicomTags.NumberOfFrames, out frames) || frames < 0)
            {
                ds.TryGetString(DicomTags.NumberOfFrames, out string? text);
                throw new DicomException($"Number of Frames (0028,0008) is '{text}', not a frame count; the file is corrupt.", path, DicomTags.NumberOfFrames, nf.ValueOffset);
            }
            if (frames == 0) frames = 1;
        }

        bool encapsulated = element.IsEncapsulated;
        var pixelData = new DicomPixelData(file, element, format, frames, encapsulated)
        {
            PixelPaddingValue = PaddingValue(ds, representation == 1),
        };
        if (!encapsulated) pixelData.ValidateNativeLength();
        return pixelData;
    }

    /// <summary>
    /// Decodes frame <paramref name="frame"/> into <paramref name="destination"/> in the native little-endian
    /// layout (<see cref="FrameSizeBytes"/> bytes; 1-bit data stays bit-packed; native YBR_FULL_422 is expanded to
    /// three samples per pixel).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frame"/> is not a frame of this image.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="FrameSizeBytes"/>.</exception>
    /// <exception cref="DicomException">The pixel data is truncated or corrupt.</exception>
    /// <exception cref="UnsupportedTransferSyntaxException">No codec decodes the transfer syntax.</exception>
    public void DecodeFrame(int frame, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, NumberOfFrames);
        if (destination.Length < FrameSizeBytes)
            throw new ArgumentException($"destination holds {destination.Length} bytes but a frame needs {FrameSizeBytes}.", nameof(destination));
        Span<byte> target = destination[..(int)FrameSizeBytes];
        if (IsEncapsulated) DecodeEncapsulated(frame, target);
        else DecodeNative(frame, target);
    }

    /// <summary>
    /// Decodes frame <paramref name="frame"/> to stored values: each sample shifted down by
    /// HighBit + 1 − BitsStored, masked to BitsStored bits and sign-extended when PixelRepresentation is 1. Samples
    /// are written pixel by pixel (row-major, samples of a pixel together) whatever the Planar Configuration.
    /// This is what volumes are built from.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="SamplesPerFrame"/>.</exception>
    /// <exception cref="DicomException">The pixel data is corrupt, or holds unsigned 32-bit values above <see cref="int.MaxValue"/>.</exception>
    public void DecodeFrameStoredValues(int frame, Span<int> destination)
    {
        CheckValueDestination(destination.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)FrameSizeBytes);
        try
        {
            DecodeFrame(frame, buffer);
            PixelValueConverter.ToStoredValues(buffer, Format, destination[..SamplesPerFrame], _file.FilePath);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The stored values of a 16-bit grey-scale frame (Bits Allocated 16, one sample per pixel) as 16-bit integers,
    /// decoded straight into <paramref name="destination"/> with no 32-bit copy: the same values as
    /// <see cref="DecodeFrameStoredValues"/>, as their 16-bit pattern (read it as <c>short</c> when Pixel Representation
    /// is 1). Shifting, masking and sign extension run in place only when High Bit / Bits Stored ask for them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The frame is not 16-bit grey-scale.</exception>
    internal void DecodeFrameStored16(int frame, Span<ushort> destination)
    {
        var f = Format;
        if (f.BitsAllocated != 16 || f.SamplesPerPixel != 1)
            throw new InvalidOperationException($"{_file.FilePath}: {f.BitsAllocated}-bit frames of {f.SamplesPerPixel} samples are not 16-bit grey-scale.");
        CheckValueDestination(destination.Length);
        var target = destination[..SamplesPerFrame];
        if (IsEncapsulated && NumberOfFrames == 1 && _file.IsHeaderOnly && !_file.Parsed.DatasetInflated && !_frames!.IsValueCreated)
            DecodeOnlyFrameTransient(MemoryMarshal.AsBytes(target));
        else DecodeFrame(frame, MemoryMarshal.AsBytes(target));
        PixelValueConverter.ToStoredValuesInPlace(target, f);
    }

    /// <summary>
    /// The one frame of a header-only encapsulated file, decoded from a pooled buffer instead of a region read and kept
    /// for later frames (<see cref="LoadFrames"/>): a series of single-frame compressed files then allocates no fresh
    /// memory per file. The split into fragments and the decoding are <see cref="DecodeFrame"/>'s.
    /// </summary>
    private void DecodeOnlyFrameTransient(Span<byte> destination)
    {
        long start = _element.HeaderOffset;
        using SafeFileHandle handle = File.OpenHandle(_file.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle) - start;
        if (length > Array.MaxLength)
            throw new DicomException($"the encapsulated pixel data from byte {start} is {length} bytes, more than ImageGuide reads in one piece.", _file.FilePath, DicomTags.PixelData, start);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(0, length));
        try
        {
            var region = buffer.AsMemory(0, (int)Math.Max(0, length));
            DicomFile.ReadExactly(handle, region.Span, start, _file.FilePath);
            DecodeEncapsulated(0, destination, FramesOf(region));
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>
    /// Decodes frame <paramref name="frame"/> to the values pydicom's <c>pixel_array</c> gives: each sample's
    /// BitsAllocated bits read as an unsigned or (PixelRepresentation 1) signed integer, with no shifting or
    /// masking (1-bit data unpacked to 0/1), pixel by pixel with the samples of a pixel together.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="SamplesPerFrame"/>.</exception>
    /// <exception cref="DicomException">The pixel data is corrupt.</exception>
    public void DecodeFrameRawValues(int frame, Span<long> destination)
    {
        CheckValueDestination(destination.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)FrameSizeBytes);
        try
        {
            DecodeFrame(frame, buffer);
            PixelValueConverter.ToRawValues(buffer, Format, destination[..SamplesPerFrame]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void CheckValueDestination(int length)
    {
        if (length < SamplesPerFrame)
            throw new ArgumentException($"destination holds {length} values but a frame has {SamplesPerFrame} samples.", "destination");
    }

    private void DecodeNative(int frame, Span<byte> destination)
    {
        DicomPixelFormat f = Format;
        if (f.BitsAllocated == 1)
        {
            long bitsPerFrame = f.PixelCount * f.SamplesPerPixel;
            long firstBit = frame * bitsPerFrame;
            int shift = (int)(firstBit & 7);
            int count = (int)Math.Min((bitsPerFrame + shift + 7) / 8, _sourceLength - firstBit / 8);
            byte[] packed = ArrayPool<byte>.Shared.Rent(count + 1);
            try
            {
                Span<byte> src = packed.AsSpan(0, count + 1);
                src[count] = 0;
                ReadValueBytes(firstBit / 8, src[..count]);
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = shift == 0 ? src[i] : (byte)((src[i] >> shift) | (src[i + 1] << (8 - shift)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(packed);
            }
            return;
        }

        long offset = frame * _nativeFrameBytes;
        if (_nativeYbr422)
        {
            byte[] sub = ArrayPool<byte>.Shared.Rent((int)_nativeFrameBytes);
            try
            {
                ReadValueBytes(offset, sub.AsSpan(0, (int)_nativeFrameBytes));
                if (_swapBytes) SwapInPlace(sub.AsSpan(0, (int)_nativeFrameBytes), f.BytesPerSample);
                PixelValueConverter.ExpandYbr422(sub.AsSpan(0, (int)_nativeFrameBytes), destination, f.BytesPerSample);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(sub);
            }
            return;
        }
        ReadValueBytes(offset, destination);
        if (_swapBytes) SwapInPlace(destination, f.BytesPerSample);
    }

    private void DecodeEncapsulated(int frame, Span<byte> destination, EncapsulatedFrames? transient = null)
    {
        IDicomCodec codec = _codecs.GetCodec(TransferSyntaxUid);
        EncapsulatedFrames frames = transient ?? _frames!.Value;
        (int first, int count) = frames.FragmentsOf(frame);
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> encoded;
            if (count == 1)
            {
                encoded = frames.Fragments[first].Span;
            }
            else
            {
                long total = 0;
                for (int i = first; i < first + count; i++) total += frames.Fragments[i].Length;
                rented = ArrayPool<byte>.Shared.Rent((int)total);
                int at = 0;
                for (int i = first; i < first + count; i++)
                {
                    frames.Fragments[i].Span.CopyTo(rented.AsSpan(at));
                    at += frames.Fragments[i].Length;
                }
                encoded = rented.AsSpan(0, at);
            }
            codec.DecodeFrame(encoded, Format, destination);
        }
        catch (DicomCodecException ex)
        {
            throw new DicomException($"frame {frame} of the {codec.Name} pixel data cannot be decoded: {ex.Message}", _file.FilePath, DicomTags.PixelData, _element.ValueOffset, ex);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private EncapsulatedFrames LoadFrames() =>
        _file.IsHeaderOnly ? FramesOf(ReadPixelRegion()) : EncapsulatedFrames.Create(_element, _file.Dataset, NumberOfFrames, _file.FilePath);

    /// <summary>The frames of a header-only file's pixel data, parsed from <paramref name="region"/> (the file from the Pixel Data element on).</summary>
    private EncapsulatedFrames FramesOf(ReadOnlyMemory<byte> region)
    {
        var holder = new DicomDataset(_file.FilePath, DicomCharset.Default, new List<string>());
        DicomDatasetBuilder.Build(region, _file.Parsed.Encoding, _element.HeaderOffset, holder, stopAtPixelData: false,
            region.Length, metaGroupOnly: false, CancellationToken.None);
        if (!holder.TryGetElement(DicomTags.PixelData, out DicomElement? loaded) || !loaded.IsEncapsulated)
            throw new DicomException($"the encapsulated pixel data at byte {_element.HeaderOffset} could not be read again from the file; it changed since its header was read.", _file.FilePath, DicomTags.PixelData, _element.HeaderOffset);
        return EncapsulatedFrames.Create(loaded, _file.Dataset, NumberOfFrames, _file.FilePath);
    }

    private ReadOnlyMemory<byte> ReadPixelRegion()
    {
        long start = _element.HeaderOffset;
        if (_file.Parsed.DatasetInflated)
            return _file.Parsed.DatasetBytes[(int)(start - _file.Parsed.DatasetOffset)..];
        using SafeFileHandle handle = File.OpenHandle(_file.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle) - start;
        if (length > Array.MaxLength)
            throw new DicomException($"the encapsulated pixel data from byte {start} is {length} bytes, more than ImageGuide reads in one piece.", _file.FilePath, DicomTags.PixelData, start);
        byte[] buffer = new byte[Math.Max(0, length)];
        DicomFile.ReadExactly(handle, buffer, start, _file.FilePath);
        return buffer;
    }

    private void ValidateNativeLength()
    {
        DicomPixelFormat f = Format;
        long needed = f.BitsAllocated == 1
            ? (f.PixelCount * f.SamplesPerPixel * NumberOfFrames + 7) / 8
            : _nativeFrameBytes * NumberOfFrames;
        long declared = _element.Length;
        if (declared < needed)
            throw new DicomException($"Pixel Data (7FE0,0010) at byte {_element.ValueOffset} holds {declared} bytes but {NumberOfFrames} frame(s) of {f.Rows}×{f.Columns}×{f.SamplesPerPixel} samples at {f.BitsAllocated} bits need {needed}; the file is truncated or its Image Pixel module is wrong.", _file.FilePath, DicomTags.PixelData, _element.ValueOffset);
        if (_sourceLength < needed)
            throw new DicomException($"Pixel Data (7FE0,0010) at byte {_element.ValueOffset} needs {needed} bytes but the file ends after {Math.Max(0, _sourceLength)}; the file is truncated.", _file.FilePath, DicomTags.PixelData, _element.ValueOffset);
    }

    private long SourceLength()
    {
        if (!_file.IsHeaderOnly) return _element.Value.Length;
        if (_file.Parsed.DatasetInflated)
            return _file.Parsed.DatasetBytes.Length - (_element.ValueOffset - _file.Parsed.DatasetOffset);
        return new FileInfo(_file.FilePath!).Length - _element.ValueOffset;
    }

    private void ReadValueBytes(long offsetInValue, Span<byte> destination)
    {
        if (!_file.IsHeaderOnly)
        {
            _element.Value.Span.Slice((int)offsetInValue, destination.Length).CopyTo(destination);
            return;
        }
        if (_file.Parsed.DatasetInflated)
        {
            long at = _element.ValueOffset - _file.Parsed.DatasetOffset + offsetInValue;
            _file.Parsed.DatasetBytes.Span.Slice((int)at, destination.Length).CopyTo(destination);
            return;
        }
        using SafeFileHandle handle = File.OpenHandle(_file.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read);
        DicomFile.ReadExactly(handle, destination, _element.ValueOffset + offsetInValue, _file.FilePath);
    }

    private static void SwapInPlace(Span<byte> data, int unit)
    {
        int whole = data.Length - data.Length % unit;
        for (int i = 0; i < whole; i += unit) data.Slice(i, unit).Reverse();
    }

    private static int? PaddingValue(DicomDataset ds, bool signed)
    {
        if (!ds.TryGetElement(DicomTags.PixelPaddingValue, out DicomElement? element) || element.Value.Length < 2) return null;
        ushort bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(element.Value.Span);
        return signed ? (short)bits : bits;
    }

    private static int RequiredUInt16(DicomDataset ds, DicomTag tag, string? path)
    {
        if (ds.TryGetUInt16(tag, out ushort value)) return value;
        throw new DicomException(ds.Contains(tag)
            ? $"{tag} of the Image Pixel module is not an unsigned 16-bit value; the file is corrupt."
            : $"{tag} of the Image Pixel module is missing, so the pixel data cannot be interpreted; the file is not a complete image.", path, tag);
    }

    private static int OptionalUInt16(DicomDataset ds, DicomTag tag, int fallback, string? path)
    {
        if (!ds.TryGetElement(tag, out DicomElement? element) || element.Value.Length == 0) return fallback;
        if (ds.TryGetUInt16(tag, out ushort value)) return value;
        throw new DicomException($"{tag} of the Image Pixel module is not an unsigned 16-bit value; the file is corrupt.", path, tag, element.ValueOffset);
    }
}
