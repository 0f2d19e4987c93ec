namespace ImageGuide.Tests.Codecs;

/// <summary>A Huffman table as a DHT segment carries it: code counts per length 1..16 and the symbols in code order.</summary>
internal sealed record HuffmanSpec(byte[] Counts, byte[] Values)
{
    /// <summary>
    /// Categories 0,1,2 get 2-bit codes, then 3..16 get codes of 3..16 bits (codes up to 16 bits exercise a
    /// decoder's long-code path; the all-ones 16-bit pattern stays unused as T.81 requires).
    /// </summary>
    public static HuffmanSpec Standard { get; } = new(
        [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);

    /// <summary>The reverse priority: large categories get the short codes.</summary>
    public static HuffmanSpec Reversed { get; } = new(
        [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

    /// <summary>Code and length of each symbol (T.81 Annex C: canonical codes in order of length).</summary>
    public (int Code, int Length)[] Codes()
    {
        var codes = new (int, int)[17];
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < Counts[length - 1]; i++) codes[Values[k++]] = (code++, length);
            code <<= 1;
        }

        return codes;
    }
}

/// <summary>
/// A minimal lossless JPEG encoder written from ITU T.81 Annex H (SOF3, DHT, DRI, SOS, predictors 1–7,
/// point transform, restart markers, byte stuffing), used to round-trip the decoder.
/// </summary>
internal sealed class JpegLosslessTestEncoder
{
    public int Precision { get; init; } = 8;
    public int Predictor { get; init; } = 1;
    public int PointTransform { get; init; }
    public int RestartInterval { get; init; }

    /// <summary>One scan per component instead of one interleaved scan.</summary>
    public bool SeparateScans { get; init; }

    /// <summary>Table per component (cycled); table i is written with id i.</summary>
    public HuffmanSpec[] Tables { get; init; } = [HuffmanSpec.Standard];

    /// <summary>Encodes components[c][row * width + col] (full-precision values).</summary>
    public byte[] Encode(uint[][] components, int width, int height)
    {
        var output = new List<byte> { 0xFF, 0xD8 };
        // SOF3
        int nf = components.Length;
        Marker(output, 0xC3, [(byte)Precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)nf,
            .. Enumerable.Range(0, nf).SelectMany(c => new byte[] { (byte)(c + 1), 0x11, 0 })]);
        for (int t = 0; t < Math.Min(Tables.Length, nf); t++)
            Marker(output, 0xC4, [(byte)t, .. Tables[t].Counts, .. Tables[t].Values]);
        if (RestartInterval > 0)
            Marker(output, 0xDD, [(byte)(RestartInterval >> 8), (byte)RestartInterval]);

        if (SeparateScans)
            for (int c = 0; c < nf; c++) Scan(output, components, [c], width, height);
        else
            Scan(output, components, Enumerable.Range(0, nf).ToArray(), width, height);
        output.Add(0xFF);
        output.Add(0xD9);
        return output.ToArray();
    }

    private void Scan(List<byte> output, uint[][] components, int[] scanComponents, int width, int height)
    {
        Marker(output, 0xDA, [(byte)scanComponents.Length,
            .. scanComponents.SelectMany(c => new byte[] { (byte)(c + 1), (byte)((c % Tables.Length) << 4) }),
            (byte)Predictor, 0, (byte)PointTransform]);

        var writer = new BitWriter(output);
        int mcu = 0, restarts = 0, startRow = 0, startCol = 0;
        var codes = Tables.Select(t => t.Codes()).ToArray();
        for (int row = 0; row < height; row++)
        for (int col = 0; col < width; col++, mcu++)
        {
            if (RestartInterval > 0 && mcu > 0 && mcu % RestartInterval == 0)
            {
                writer.Flush();
                output.Add(0xFF);
                output.Add((byte)(0xD0 + restarts++ % 8));
                (startRow, startCol) = (row, col);
            }

            foreach (int c in scanComponents)
            {
                int Sample(int r, int x) => (int)(components[c][r * width + x] >> PointTransform);
                int prediction;
                if (row == startRow && col == startCol) prediction = 1 << (Precision - PointTransform - 1);
                else if (row == startRow) prediction = Sample(row, col - 1);
                else if (col == 0) prediction = Sample(row - 1, 0);
                else
                {
                    int ra = Sample(row, col - 1), rb = Sample(row - 1, col), rc = Sample(row - 1, col - 1);
                    prediction = Predictor switch
                    {
                        1 => ra, 2 => rb, 3 => rc, 4 => ra + rb - rc,
                        5 => ra + ((rb - rc) >> 1), 6 => rb + ((ra - rc) >> 1), _ => (ra + rb) >> 1,
                    };
                }

                // T.81 H.1.2.2: differences modulo 2^16, in −32767..32768.
                int diff = (Sample(row, col) - prediction) & 0xFFFF;
                if (diff > 32768) diff -= 65536;
                int category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                var (code, length) = codes[c % Tables.Length][category];
                writer.Write(code, length);
                if (category is > 0 and < 16)
                    writer.Write(diff > 0 ? diff : diff - 1 + (1 << category), category);
            }
        }

        writer.Flush();
    }

    private static void Marker(List<byte> output, byte marker, byte[] payload)
    {
        output.Add(0xFF);
        output.Add(marker);
        output.Add((byte)((payload.Length + 2) >> 8));
        output.Add((byte)(payload.Length + 2));
        output.AddRange(payload);
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _accumulator;
        private int _count;

        public void Write(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _accumulator = (_accumulator << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        /// <summary>Pads the last byte with 1-bits (T.81 F.1.2.3).</summary>
        public void Flush()
        {
            while (_count != 0) Write(1, 1);
        }

        private void Emit()
        {
            output.Add((byte)_accumulator);
            if (_accumulator == 0xFF) output.Add(0); // byte stuffing
            _accumulator = 0;
            _count = 0;
        }
    }
}
