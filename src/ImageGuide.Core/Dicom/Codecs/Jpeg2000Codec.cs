using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Decodes JPEG 2000 Part 1 (1.2.840.10008.1.2.4.90 lossless, .91 lossy; ITU-T T.800) in managed code: raw codestreams
/// or JP2-wrapped ones, one or more tiles and tile-parts, 1–4 components of up to 16 bits, reversible 5/3 and
/// irreversible 9/7 wavelets, any number of quality layers and resolution levels, precincts, all five progression orders
/// (LRCP, RLCP, RPCL, PCRL, CPRL), SOP/EPH markers, region-of-interest max-shift, the RCT and
/// ICT component transforms. Samples are written as native little-endian stored values in the DICOM frame layout
/// (interleaved or planar). Not supported, with a typed error: code-block bypass, packed packet headers, sub-sampled
/// components. Thread-safe: the codec holds no state.
/// </summary>
public sealed class Jpeg2000Codec : IDicomCodec
{
    private static readonly string[] Uids = [TransferSyntaxNames.Jpeg2000Lossless, TransferSyntaxNames.Jpeg2000];

    /// <inheritdoc />
    public IReadOnlyList<string> TransferSyntaxUids => Uids;

    /// <inheritdoc />
    public string Name => "JPEG 2000 Part 1";

    /// <inheritdoc />
    public void DecodeFrame(ReadOnlySpan<byte> encodedFrame, in DicomPixelFormat format, Span<byte> destination)
    {
        format.Validate();
        if (format.BitsAllocated is not (1 or 8 or 16))
            throw new DicomCodecException($"JPEG 2000 frames of {format.BitsAllocated}-bit samples are not supported (1, 8 or 16).");
        if (destination.Length < format.FrameSizeBytes)
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the frame needs {format.FrameSizeBytes}.", nameof(destination));
        J2kCodestream cs;
        try { cs = J2kCodestream.Parse(encodedFrame); }
        catch (ArgumentOutOfRangeException e) { throw new DicomCodecException("JPEG 2000: the codestream is cut short.", e); }
        int width = cs.Width - cs.X0, height = cs.Height - cs.Y0;
        if (width != format.Columns || height != format.Rows)
            throw new DicomCodecException($"JPEG 2000: the codestream is {width}×{height}, the DICOM frame {format.Columns}×{format.Rows}.");
        int comps = Math.Min(cs.Components, format.SamplesPerPixel);
        if (cs.Components < format.SamplesPerPixel)
            throw new DicomCodecException($"JPEG 2000: the codestream has {cs.Components} component(s), the DICOM frame {format.SamplesPerPixel} samples per pixel.");
        // decoding holds every component as int plus one tile's float coefficients: refuse what the budget cannot hold
        ImageMemoryBudget.Check("JPEG 2000 frame", (long)width * height * comps, 8, $"{comps} component(s) of {width}×{height} decoded");
        var planes = new int[comps][];
        for (int c = 0; c < comps; c++) planes[c] = new int[width * height];
        foreach (var (index, header) in cs.Tiles)
        {
            var tile = new J2kTile(cs, index, header);
            tile.ReadPackets();
            var samples = tile.Reconstruct();
            Place(cs, index, samples, planes, comps, width, format.IsSigned);
        }
        Write(planes, format, width * height, destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first frame: no tier-0 pass
    private static void Place(J2kCodestream cs, int index, float[][] samples, int[][] planes, int comps, int width, bool dicomSigned)
    {
        int p = index % cs.TilesX, q = index / cs.TilesX;
        int x0 = Math.Max(cs.TileX0 + p * cs.TileWidth, cs.X0), y0 = Math.Max(cs.TileY0 + q * cs.TileHeight, cs.Y0);
        int x1 = Math.Min(cs.TileX0 + (p + 1) * cs.TileWidth, cs.Width), y1 = Math.Min(cs.TileY0 + (q + 1) * cs.TileHeight, cs.Height);
        int tw = x1 - x0;
        for (int c = 0; c < comps; c++)
        {
            int prec = cs.Precision[c];
            bool signed = cs.Signed[c];
            int shift = signed ? 0 : 1 << (prec - 1);
            int min = signed ? -(1 << (prec - 1)) : 0, max = signed ? (1 << (prec - 1)) - 1 : (1 << prec) - 1;
            var src = samples[c];
            var dst = planes[c];
            // a codestream that calls signed data unsigned (the DICOM header says signed): the bits are two's complement, as GDCM and pydicom read them
            bool wrap = dicomSigned && !signed;
            for (int y = y0; y < y1; y++)
                PlaceRow(src.AsSpan((y - y0) * tw, tw), dst.AsSpan((y - cs.Y0) * width + x0 - cs.X0, tw), shift, min, max, wrap, prec);
        }
    }

    /// <summary>
    /// Rounds (half away from zero), level-shifts and clamps one row of reconstructed samples. The SIMD path computes
    /// MathF.Round(v, AwayFromZero) as .NET defines it, Truncate(v + CopySign(0.49999997f, v)), and clamps before
    /// converting (as the scalar loop does), so both give the same integers.
    /// </summary>
    private static void PlaceRow(ReadOnlySpan<float> src, Span<int> dst, int shift, int min, int max, bool wrap, int prec)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated && !wrap)
        {
            var half = Vector.AsVectorUInt32(new Vector<float>(0.49999997f));
            var sign = new Vector<uint>(0x8000_0000u);
            Vector<float> lo = new(min - shift), hi = new(max - shift);
            var vshift = new Vector<int>(shift);
            for (int n = Vector<float>.Count; x <= src.Length - n; x += n)
            {
                var v = new Vector<float>(src[x..]);
                if (!Vector.EqualsAll(v, v)) break; // NaN: the scalar loop decides
                var r = Vector.Truncate(v + Vector.AsVectorSingle((Vector.AsVectorUInt32(v) & sign) | half));
                (Vector.ConvertToInt32(Vector.Min(Vector.Max(r, lo), hi)) + vshift).CopyTo(dst[x..]);
            }
        }
        for (; x < src.Length; x++)
        {
            // clamped before the conversion: a damaged stream's huge coefficient saturates, it does not wrap
            int v = (int)Math.Clamp(MathF.Round(src[x], MidpointRounding.AwayFromZero), min - shift, max - shift) + shift;
            if (wrap && v >= 1 << (prec - 1)) v -= 1 << prec;
            dst[x] = v;
        }
    }

    private static void Write(int[][] planes, in DicomPixelFormat format, int pixels, Span<byte> destination)
    {
        int spp = format.SamplesPerPixel, bps = format.BytesPerSample;
        if (format.BitsAllocated == 1)
        {
            // binary segmentations: 8 pixels per byte, least significant bit first (PS3.5 8.1.1)
            destination[..(int)format.FrameSizeBytes].Clear();
            var bits = planes[0];
            for (int i = 0; i < pixels; i++) if (bits[i] != 0) destination[i >> 3] |= (byte)(1 << (i & 7));
            return;
        }
        bool planar = format.PlanarConfiguration == 1;
        // one loop per layout, no per-sample branch: sample i of component c goes to (planar ? c·pixels + i : i·spp + c)
        int step = planar ? 1 : spp;
        for (int c = 0; c < spp; c++)
        {
            ReadOnlySpan<int> plane = planes[c].AsSpan(0, pixels);
            int at = planar ? c * pixels : c;
            if (bps == 1)
            {
                var d = destination[..(pixels * spp)];
                for (int i = 0; i < plane.Length; i++, at += step) d[at] = (byte)plane[i];
            }
            else
            {
                for (int i = 0; i < plane.Length; i++, at += step)
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * at)..], unchecked((ushort)plane[i]));
            }
        }
    }
}
