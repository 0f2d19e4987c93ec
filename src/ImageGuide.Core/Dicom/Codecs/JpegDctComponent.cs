namespace ImageGuide.Dicom.Codecs;

/// <summary>One component of a DCT-based JPEG frame: its sampling, quantisation table and decoded coefficients.</summary>
internal sealed class JpegDctComponent
{
    public JpegDctComponent(int id, int h, int v, int quantTable)
    {
        Id = id;
        H = h;
        V = v;
        QuantTable = quantTable;
        SuccessiveBits.AsSpan().Fill(-1);
    }

    /// <summary>Component identifier Ci from the frame header.</summary>
    public int Id { get; }

    /// <summary>Horizontal sampling factor Hi (1..4).</summary>
    public int H { get; }

    /// <summary>Vertical sampling factor Vi (1..4).</summary>
    public int V { get; }

    /// <summary>Quantisation table selector Tqi (0..3).</summary>
    public int QuantTable { get; }

    /// <summary>Width in samples: ceil(X × Hi / Hmax) (T.81 A.1.1).</summary>
    public int Width { get; set; }

    /// <summary>Height in samples: ceil(Y × Vi / Vmax).</summary>
    public int Height { get; set; }

    /// <summary>Blocks per line that carry image data: ceil(Width / 8); a single-component scan codes these.</summary>
    public int BlocksPerLine { get; set; }

    /// <summary>Block rows that carry image data: ceil(Height / 8).</summary>
    public int BlocksPerColumn { get; set; }

    /// <summary>Blocks per line including the padding of the last MCU (MCUs per line × Hi); the row stride of <see cref="Coefficients"/>.</summary>
    public int PaddedBlocksPerLine { get; set; }

    /// <summary>Block rows including the padding of the last MCU row (MCU rows × Vi).</summary>
    public int PaddedBlocksPerColumn { get; set; }

    /// <summary>Quantised coefficients, 64 per block in natural order, blocks row by row.</summary>
    public short[] Coefficients { get; set; } = [];

    /// <summary>Dequantisation multipliers in natural order, latched when the component's first scan starts (as IJG does).</summary>
    public int[]? Quant { get; set; }

    /// <summary>True once a scan has coded the component (sequential: its only scan; progressive: its first DC scan).</summary>
    public bool Coded { get; set; }

    /// <summary>
    /// Progressive frames: for each coefficient (natural order) the point transform Al of the last scan that coded
    /// it, or −1 when none has; used to refuse scans that code the same bit twice (T.81 G.1.1.1.1).
    /// </summary>
    public int[] SuccessiveBits { get; } = new int[64];

    /// <summary>DC predictor of the scan in progress.</summary>
    public int DcPredictor { get; set; }
}
