using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Turns the decoded coefficients of a DCT frame into native samples: inverse DCT of every block that holds
/// image data, upsampling of subsampled components as IJG libjpeg 6b does it (jdsample.c: "fancy" triangle
/// filter for 2×1 and 2×2 when the component is wider than 2 samples, replication for other integral ratios),
/// and storage as little-endian stored values, interleaved or planar.
/// </summary>
internal static class JpegSampleWriter
{
    public static void Write(JpegDctComponent[] components, int precision, int maxH, int maxV, in DicomPixelFormat format, Span<byte> destination)
    {
        var idct = JpegIslowIdct.For(precision);
        int columns = format.Columns;
        ushort[] row = ArrayPool<ushort>.Shared.Rent(columns);
        int[] sums = ArrayPool<int>.Shared.Rent(columns);
        try
        {
            for (int ci = 0; ci < components.Length; ci++)
            {
                JpegDctComponent c = components[ci];
                int stride = c.BlocksPerLine * 8;
                ushort[] plane = ArrayPool<ushort>.Shared.Rent(stride * c.BlocksPerColumn * 8);
                try
                {
                    Transform(c, idct, plane, stride);
                    int hr = maxH / c.H, vr = maxV / c.V;
                    for (int y = 0; y < format.Rows; y++)
                    {
                        ReadOnlySpan<ushort> samples;
                        if (hr == 1 && vr == 1)
                            samples = plane.AsSpan(y * stride, columns);
                        else if (hr == 2 && vr == 1 && c.Width > 2)
                            samples = FancyH2V1(plane.AsSpan(y * stride, c.Width), row.AsSpan(0, columns));
                        else if (hr == 2 && vr == 2 && c.Width > 2)
                            samples = FancyH2V2(plane, stride, c.Width, c.Height, y, sums, row.AsSpan(0, columns));
                        else
                            samples = Replicate(plane.AsSpan((y / vr) * stride, c.Width), hr, row.AsSpan(0, columns));
                        Store(samples, ci, y, format, destination);
                    }
                }
                finally
                {
                    ArrayPool<ushort>.Shared.Return(plane);
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(row);
            ArrayPool<int>.Shared.Return(sums);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transform(JpegDctComponent c, JpegIslowIdct idct, ushort[] plane, int stride)
    {
        Span<int> workspace = stackalloc int[64];
        int[] quant = c.Quant!;
        short[] coefficients = c.Coefficients;
        int blocksPerLine = c.BlocksPerLine, blocksPerColumn = c.BlocksPerColumn, padded = c.PaddedBlocksPerLine;
        // Every block read lies inside the coefficient array and every 8×8 output inside the plane, so the bounds are checked once here.
        if (quant.Length < 64 || coefficients.Length < padded * blocksPerColumn * 64 || blocksPerLine > padded
            || plane.Length < blocksPerColumn * 8 * stride || stride < blocksPerLine * 8)
            throw new InvalidOperationException("JPEG component buffers are smaller than its block grid.");
        ref int q = ref MemoryMarshal.GetArrayDataReference(quant);
        ref int w = ref MemoryMarshal.GetReference(workspace);
        ref short k0 = ref MemoryMarshal.GetArrayDataReference(coefficients);
        ref ushort p0 = ref MemoryMarshal.GetArrayDataReference(plane);
        for (int by = 0; by < blocksPerColumn; by++)
        {
            ref short k = ref Unsafe.Add(ref k0, (nint)by * padded * 64);
            ref ushort p = ref Unsafe.Add(ref p0, (nint)by * 8 * stride);
            for (int bx = 0; bx < blocksPerLine; bx++)
                idct.Transform(ref Unsafe.Add(ref k, bx * 64), ref q, ref w, ref Unsafe.Add(ref p, bx * 8), stride);
        }
    }

    /// <summary>jdsample.c h2v1_fancy_upsample: each output sample is ¾ of the nearer input plus ¼ of the further one (edges repeated).</summary>
    private static ReadOnlySpan<ushort> FancyH2V1(ReadOnlySpan<ushort> input, Span<ushort> output)
    {
        int width = input.Length, last = width - 1;
        for (int i = 0; i < width; i++)
        {
            int centre = input[i] * 3;
            int o = 2 * i;
            if (o < output.Length) output[o] = (ushort)((centre + input[Math.Max(i - 1, 0)] + 1) >> 2);
            if (o + 1 < output.Length) output[o + 1] = (ushort)((centre + input[Math.Min(i + 1, last)] + 2) >> 2);
        }

        return output;
    }

    /// <summary>
    /// jdsample.c h2v2_fancy_upsample for output row <paramref name="y"/>: a 3:1 mix of the nearer and further input
    /// rows, then 3:1 horizontally, rounding alternately by 8 and 7; rows and columns beyond the edges repeat the edge.
    /// </summary>
    private static ReadOnlySpan<ushort> FancyH2V2(ushort[] plane, int stride, int width, int height, int y, int[] sums, Span<ushort> output)
    {
        int r = y >> 1;
        int other = (y & 1) == 0 ? Math.Max(r - 1, 0) : Math.Min(r + 1, height - 1);
        ReadOnlySpan<ushort> near = plane.AsSpan(r * stride, width), far = plane.AsSpan(other * stride, width);
        for (int i = 0; i < width; i++) sums[i] = near[i] * 3 + far[i];
        int last = width - 1;
        for (int i = 0; i < width; i++)
        {
            int centre = sums[i] * 3;
            int o = 2 * i;
            if (o < output.Length) output[o] = (ushort)((centre + sums[Math.Max(i - 1, 0)] + 8) >> 4);
            if (o + 1 < output.Length) output[o + 1] = (ushort)((centre + sums[Math.Min(i + 1, last)] + 7) >> 4);
        }

        return output;
    }

    /// <summary>jdsample.c int_upsample / h2v1_upsample / h2v2_upsample: each input sample repeated <paramref name="factor"/> times.</summary>
    private static ReadOnlySpan<ushort> Replicate(ReadOnlySpan<ushort> input, int factor, Span<ushort> output)
    {
        for (int x = 0; x < output.Length; x++) output[x] = input[Math.Min(x / factor, input.Length - 1)];
        return output;
    }

    private static void Store(ReadOnlySpan<ushort> samples, int component, int y, in DicomPixelFormat format, Span<byte> destination)
    {
        int columns = format.Columns, spp = format.SamplesPerPixel, bps = format.BytesPerSample;
        long index, step;
        if (format.PlanarConfiguration == 1 && spp > 1)
        {
            index = ((long)component * format.Rows + y) * columns * bps;
            step = bps;
        }
        else
        {
            index = ((long)y * columns * spp + component) * bps;
            step = spp * bps;
        }

        Span<byte> d = destination[(int)index..];
        int s = (int)step;
        switch (bps)
        {
            case 1:
                for (int x = 0, i = 0; x < columns; x++, i += s) d[i] = (byte)samples[x];
                break;
            case 2 when s == 2 && BitConverter.IsLittleEndian:
                MemoryMarshal.AsBytes(samples[..columns]).CopyTo(d);
                break;
            case 2:
                for (int x = 0, i = 0; x < columns; x++, i += s) BinaryPrimitives.WriteUInt16LittleEndian(d[i..], samples[x]);
                break;
            default:
                for (int x = 0, i = 0; x < columns; x++, i += s) BinaryPrimitives.WriteUInt32LittleEndian(d[i..], samples[x]);
                break;
        }
    }
}
