using System.Buffers.Binary;

namespace ImageGuide.Dicom.Codecs;

/// <summary>The markers, tables and components of one DCT-based JPEG frame while it is being decoded.</summary>
internal sealed class JpegDctFrame
{
    /// <summary>Most scans a frame may hold; real progressive encoders use about ten (IJG's default script) and rarely more than 64.</summary>
    public const int MaxScans = 256;

    private const int MaxComponents = 4;
    private const int MaxBlocksPerMcu = 10; // T.81 B.2.3

    private readonly DicomPixelFormat _format;
    private readonly JpegHuffmanTable?[] _dcTables = new JpegHuffmanTable?[4];
    private readonly JpegHuffmanTable?[] _acTables = new JpegHuffmanTable?[4];
    private readonly int[]?[] _quantTables = new int[]?[4];
    private JpegDctComponent[] _components = [];
    private int _precision;
    private bool _progressive;
    private int _maxH, _maxV, _mcusPerLine, _mcuRows;
    private int _restartInterval;
    private int _scans;
    private bool _frameSeen;

    public JpegDctFrame(in DicomPixelFormat format) => _format = format;

    public void Decode(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int pos = JpegMarkerSegments.Start(data, "JPEG");
        while (JpegMarkerSegments.TryNext(data, ref pos, "JPEG", out int marker, out int markerOffset, out ReadOnlySpan<byte> segment, out int segmentOffset))
        {
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2:
                    ReadStartOfFrame(segment, segmentOffset, marker);
                    break;
                case 0xC4:
                    ReadHuffmanTables(segment, segmentOffset);
                    break;
                case 0xDB:
                    ReadQuantizationTables(segment, segmentOffset);
                    break;
                case 0xDD:
                    if (segment.Length < 2)
                        throw new DicomCodecException("JPEG DRI segment is shorter than 2 bytes.", markerOffset);
                    _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case 0xDA:
                    pos = DecodeScan(data, segment, segmentOffset, pos);
                    break;
                case 0xDC:
                    throw new DicomCodecException("JPEG DNL marker (number of lines defined after the scan) is not supported.", markerOffset);
                case 0xC3:
                    throw new DicomCodecException(
                        "JPEG frame is lossless (SOF3, Process 14), which JPEG Baseline / Extended transfer syntaxes cannot hold; the file's transfer syntax UID is probably wrong.", markerOffset);
                case 0xC9 or 0xCA or 0xCB:
                    throw new DicomCodecException($"JPEG frame uses arithmetic coding (SOF{marker - 0xC0}), which is not supported; only Huffman coding is.", markerOffset);
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    throw new DicomCodecException(
                        $"JPEG frame uses SOF{marker - 0xC0} (marker FF{marker:X2}), a hierarchical or arithmetic-coded process; only SOF0, SOF1 and SOF2 are decoded.", markerOffset);
                default:
                    break; // APPn (JFIF, Adobe: no colour transform is applied), COM, DAC, JPG extensions: skipped
            }
        }

        if (!_frameSeen)
            throw new DicomCodecException("JPEG data ends without a SOF0/SOF1/SOF2 frame header.", data.Length);
        foreach (JpegDctComponent c in _components)
            if (!c.Coded)
                throw new DicomCodecException($"JPEG data ends before component {c.Id} was decoded by any scan.", data.Length);

        JpegSampleWriter.Write(_components, _precision, _maxH, _maxV, _format, destination);
    }

    private void ReadStartOfFrame(ReadOnlySpan<byte> s, int offset, int marker)
    {
        if (_frameSeen)
            throw new DicomCodecException("JPEG frame has a second SOF marker.", offset);
        if (s.Length < 6)
            throw new DicomCodecException($"JPEG SOF{marker - 0xC0} segment is shorter than 6 bytes.", offset);
        _precision = s[0];
        int lines = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
        int samplesPerLine = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
        int count = s[5];
        if (marker == 0xC0 ? _precision != 8 : _precision is not (8 or 12))
            throw new DicomCodecException(
                $"JPEG SOF{marker - 0xC0} precision is {_precision} bits; {(marker == 0xC0 ? "baseline JPEG allows 8" : "DCT-based JPEG allows 8 or 12")}.", offset);
        if (_precision > _format.BitsAllocated)
            throw new DicomCodecException($"JPEG precision of {_precision} bits does not fit Bits Allocated (0028,0100) {_format.BitsAllocated}.", offset);
        // Refuse before allocating anything: the header must describe the image the data set describes.
        if (lines != _format.Rows || samplesPerLine != _format.Columns)
            throw new DicomCodecException(
                $"JPEG frame is {samplesPerLine}×{lines} but the data set says Columns×Rows = {_format.Columns}×{_format.Rows}.", offset + 1);
        if (count != _format.SamplesPerPixel)
            throw new DicomCodecException(
                $"JPEG frame has {count} component(s) but Samples per Pixel (0028,0002) is {_format.SamplesPerPixel}.", offset + 5);
        if (s.Length < 6 + 3 * count)
            throw new DicomCodecException($"JPEG SOF{marker - 0xC0} segment is too short for its component list.", offset);

        var components = new JpegDctComponent[count];
        for (int c = 0; c < count; c++)
        {
            int id = s[6 + 3 * c];
            int h = s[7 + 3 * c] >> 4, v = s[7 + 3 * c] & 15;
            int tq = s[8 + 3 * c];
            for (int other = 0; other < c; other++)
                if (components[other].Id == id)
                    throw new DicomCodecException($"JPEG SOF{marker - 0xC0} lists component {id} twice.", offset + 6 + 3 * c);
            if (h is < 1 or > 4 || v is < 1 or > 4)
                throw new DicomCodecException($"JPEG component {id} has sampling factors {h}×{v}; each must be 1 to 4.", offset + 7 + 3 * c);
            if (tq > 3)
                throw new DicomCodecException($"JPEG component {id} selects quantisation table {tq}; it must be 0 to 3.", offset + 8 + 3 * c);
            components[c] = new JpegDctComponent(id, h, v, tq);
        }

        _maxH = components.Max(c => c.H);
        _maxV = components.Max(c => c.V);
        _mcusPerLine = (samplesPerLine + 8 * _maxH - 1) / (8 * _maxH);
        _mcuRows = (lines + 8 * _maxV - 1) / (8 * _maxV);
        foreach (JpegDctComponent c in components)
        {
            if (_maxH % c.H != 0 || _maxV % c.V != 0)
                throw new DicomCodecException(
                    $"JPEG component {c.Id} has sampling factors {c.H}×{c.V}, which do not divide the largest ({_maxH}×{_maxV}); fractional upsampling is not supported.", offset);
            c.Width = (int)(((long)samplesPerLine * c.H + _maxH - 1) / _maxH);
            c.Height = (int)(((long)lines * c.V + _maxV - 1) / _maxV);
            c.BlocksPerLine = (c.Width + 7) / 8;
            c.BlocksPerColumn = (c.Height + 7) / 8;
            c.PaddedBlocksPerLine = _mcusPerLine * c.H;
            c.PaddedBlocksPerColumn = _mcuRows * c.V;
            long coefficients = (long)c.PaddedBlocksPerLine * c.PaddedBlocksPerColumn * 64;
            if (coefficients > Array.MaxLength)
                throw new DicomCodecException($"JPEG component {c.Id} needs {coefficients} coefficients, more than a single buffer can hold.", offset);
        }

        foreach (JpegDctComponent c in components)
            c.Coefficients = new short[c.PaddedBlocksPerLine * c.PaddedBlocksPerColumn * 64];
        _components = components;
        _progressive = marker == 0xC2;
        _frameSeen = true;
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> s, int offset) =>
        JpegHuffmanTable.ReadSegment(s, offset, 15, _dcTables, _acTables);

    private void ReadQuantizationTables(ReadOnlySpan<byte> s, int offset)
    {
        ReadOnlySpan<byte> natural = JpegZigZag.NaturalOrder;
        int p = 0;
        while (p < s.Length)
        {
            int wide = s[p] >> 4, id = s[p] & 15;
            if (wide > 1 || id > 3)
                throw new DicomCodecException($"JPEG DQT declares precision {wide}, id {id}; precision must be 0 or 1 and id 0..3.", offset + p);
            int size = wide == 0 ? 64 : 128;
            if (p + 1 + size > s.Length)
                throw new DicomCodecException("JPEG DQT segment is cut off inside a table.", offset + p);
            var table = new int[64];
            for (int k = 0; k < 64; k++)
                table[natural[k]] = wide == 0 ? s[p + 1 + k] : BinaryPrimitives.ReadUInt16BigEndian(s[(p + 1 + 2 * k)..]);
            _quantTables[id] = table;
            p += 1 + size;
        }
    }

    private int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> s, int offset, int scanStart)
    {
        if (!_frameSeen)
            throw new DicomCodecException("JPEG SOS appears before the frame header.", offset);
        if (++_scans > MaxScans)
            throw new DicomCodecException($"JPEG frame holds more than {MaxScans} scans.", offset);
        if (s.Length < 1)
            throw new DicomCodecException("JPEG SOS segment is empty.", offset);
        int count = s[0];
        if (count is < 1 or > MaxComponents || s.Length < 4 + 2 * count)
            throw new DicomCodecException($"JPEG SOS lists {count} component(s) in a {s.Length}-byte segment.", offset);
        int ss = s[1 + 2 * count], se = s[2 + 2 * count], ah = s[3 + 2 * count] >> 4, al = s[3 + 2 * count] & 15;
        CheckSpectralSelection(count, ss, se, ah, al, offset + 1 + 2 * count);

        var components = new JpegDctComponent[count];
        var dcTables = new JpegHuffmanTable?[count];
        var acTables = new JpegHuffmanTable?[count];
        int blocksPerMcu = 0;
        for (int i = 0; i < count; i++)
        {
            int id = s[1 + 2 * i];
            int td = s[2 + 2 * i] >> 4, ta = s[2 + 2 * i] & 15;
            JpegDctComponent c = Array.Find(_components, x => x.Id == id)
                ?? throw new DicomCodecException($"JPEG SOS refers to component {id}, which the frame header does not define.", offset + 1 + 2 * i);
            if (Array.IndexOf(components, c, 0, i) >= 0)
                throw new DicomCodecException($"JPEG SOS lists component {id} twice.", offset + 1 + 2 * i);
            if (!_progressive && c.Coded)
                throw new DicomCodecException($"JPEG component {id} is coded by more than one sequential scan.", offset + 1 + 2 * i);
            if (_progressive)
                CheckProgression(c, ss, se, ah, al, offset + 1 + 2 * i);

            bool needsDc = !_progressive || (ss == 0 && ah == 0);
            bool needsAc = !_progressive || ss > 0;
            if (needsDc)
                dcTables[i] = (td < 4 ? _dcTables[td] : null)
                    ?? throw new DicomCodecException($"JPEG SOS uses DC Huffman table {td} for component {id}, but no such table was defined.", offset + 2 + 2 * i);
            if (needsAc)
                acTables[i] = (ta < 4 ? _acTables[ta] : null)
                    ?? throw new DicomCodecException($"JPEG SOS uses AC Huffman table {ta} for component {id}, but no such table was defined.", offset + 2 + 2 * i);
            c.Quant ??= _quantTables[c.QuantTable]?.ToArray()
                ?? throw new DicomCodecException($"JPEG component {id} uses quantisation table {c.QuantTable}, but no such table was defined before its first scan.", offset + 1 + 2 * i);
            components[i] = c;
            blocksPerMcu += c.H * c.V;
        }

        if (count > 1 && blocksPerMcu > MaxBlocksPerMcu)
            throw new DicomCodecException($"JPEG interleaved scan has {blocksPerMcu} blocks per MCU; at most {MaxBlocksPerMcu} are allowed.", offset);

        var scan = new JpegDctScan(components, dcTables, acTables, _mcusPerLine, _mcuRows, _restartInterval, _progressive, ss, se, ah, al);
        int end = scan.Decode(data, scanStart);
        foreach (JpegDctComponent c in components) c.Coded = true;
        return end;
    }

    private void CheckSpectralSelection(int count, int ss, int se, int ah, int al, int offset)
    {
        if (!_progressive)
        {
            // Sequential scans code the whole block; libjpeg ignores Ss/Se/Ah/Al there, so do we (some encoders write 0, 0).
            return;
        }

        bool valid = ss == 0 ? se == 0 : se >= ss && se <= 63 && count == 1;
        if (!valid || al > 13 || ah > 13)
            throw new DicomCodecException(
                $"JPEG progressive scan has spectral selection {ss}..{se} and successive approximation Ah={ah}, Al={al} over {count} component(s), which T.81 G.1.1.1 does not allow.", offset);
    }

    private static void CheckProgression(JpegDctComponent c, int ss, int se, int ah, int al, int offset)
    {
        int[] bits = c.SuccessiveBits;
        if (ss > 0 && bits[0] < 0)
            throw new DicomCodecException($"JPEG progressive scan codes AC coefficients of component {c.Id} before its DC coefficients.", offset);
        for (int k = ss; k <= se; k++)
        {
            // First scan of a coefficient: Ah = 0 and nothing coded yet; refinement: Ah = the previous Al and Al = Ah − 1.
            bool ok = ah == 0 ? bits[k] < 0 : bits[k] == ah && al == ah - 1;
            if (!ok)
                throw new DicomCodecException(
                    $"JPEG progressive scan (Ss={ss}, Se={se}, Ah={ah}, Al={al}) does not follow the previous scans of component {c.Id} at coefficient {k}.", offset);
            bits[k] = al;
        }
    }
}
