namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// The Image Pixel module attributes a codec needs to decode one frame (PS3.3 C.7.6.3): the shape of the
/// frame and how each sample is stored in the native (uncompressed) little-endian layout.
/// </summary>
/// <param name="Rows">(0028,0010) number of rows.</param>
/// <param name="Columns">(0028,0011) number of columns.</param>
/// <param name="SamplesPerPixel">(0028,0002) samples per pixel: 1 (grey), 3 (colour) or 4 (retired ARGB/CMYK).</param>
/// <param name="BitsAllocated">(0028,0100) bits allocated per sample: 1, 8, 16 or 32.</param>
/// <param name="BitsStored">(0028,0101) bits stored per sample, 1..BitsAllocated.</param>
/// <param name="HighBit">(0028,0102) most significant stored bit, normally BitsStored − 1.</param>
/// <param name="PixelRepresentation">(0028,0103) 0 unsigned, 1 two's-complement signed.</param>
/// <param name="PlanarConfiguration">(0028,0006) 0 samples interleaved per pixel, 1 one plane per sample (only meaningful when SamplesPerPixel &gt; 1).</param>
/// <param name="PhotometricInterpretation">(0028,0004) e.g. MONOCHROME2, RGB, YBR_FULL.</param>
public readonly record struct DicomPixelFormat(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    int HighBit,
    int PixelRepresentation,
    int PlanarConfiguration,
    string PhotometricInterpretation)
{
    /// <summary>
    /// Bytes per sample in the native layout: BitsAllocated / 8, or 1 for 1-bit data (which is bit-packed,
    /// eight samples to a byte; use <see cref="FrameSizeBytes"/> for sizes).
    /// </summary>
    public int BytesPerSample => BitsAllocated <= 8 ? 1 : BitsAllocated / 8;

    /// <summary>Pixels in one frame (Rows × Columns).</summary>
    public long PixelCount => (long)Rows * Columns;

    /// <summary>
    /// Size in bytes of one frame in the native layout: Rows × Columns × SamplesPerPixel × BitsAllocated / 8,
    /// rounded up to whole bytes for 1-bit data.
    /// </summary>
    public long FrameSizeBytes => (PixelCount * SamplesPerPixel * BitsAllocated + 7) / 8;

    /// <summary>True when PixelRepresentation says samples are two's-complement signed.</summary>
    public bool IsSigned => PixelRepresentation == 1;

    /// <summary>
    /// Throws <see cref="DicomCodecException"/> when the attributes cannot describe a real image (zero rows or
    /// columns, BitsAllocated not 1/8/16/32, BitsStored &gt; BitsAllocated, HighBit out of range, unknown
    /// PixelRepresentation or PlanarConfiguration, a frame too large to address).
    /// </summary>
    public void Validate()
    {
        if (Rows <= 0 || Rows > ushort.MaxValue)
            throw Invalid($"Rows (0028,0010) is {Rows}; it must be 1..65535.");
        if (Columns <= 0 || Columns > ushort.MaxValue)
            throw Invalid($"Columns (0028,0011) is {Columns}; it must be 1..65535.");
        if (SamplesPerPixel is not (1 or 3 or 4))
            throw Invalid($"Samples per Pixel (0028,0002) is {SamplesPerPixel}; it must be 1, 3 or 4.");
        if (BitsAllocated is not (1 or 8 or 16 or 32))
            throw Invalid($"Bits Allocated (0028,0100) is {BitsAllocated}; it must be 1, 8, 16 or 32.");
        if (BitsStored < 1 || BitsStored > BitsAllocated)
            throw Invalid($"Bits Stored (0028,0101) is {BitsStored}; it must be 1..Bits Allocated ({BitsAllocated}).");
        if (HighBit < BitsStored - 1 || HighBit >= BitsAllocated)
            throw Invalid($"High Bit (0028,0102) is {HighBit}; it must be between Bits Stored − 1 ({BitsStored - 1}) and Bits Allocated − 1 ({BitsAllocated - 1}).");
        if (PixelRepresentation is not (0 or 1))
            throw Invalid($"Pixel Representation (0028,0103) is {PixelRepresentation}; it must be 0 (unsigned) or 1 (signed).");
        if (PlanarConfiguration is not (0 or 1))
            throw Invalid($"Planar Configuration (0028,0006) is {PlanarConfiguration}; it must be 0 (interleaved) or 1 (planar).");
        if (FrameSizeBytes > Array.MaxLength)
            throw Invalid($"One frame of {Rows}×{Columns}×{SamplesPerPixel} samples at {BitsAllocated} bits is {FrameSizeBytes} bytes, more than a single buffer can hold.");
    }

    private static DicomCodecException Invalid(string message) =>
        new("Invalid pixel description: " + message);
}
