using System.Buffers.Binary;

namespace ImageGuide.Dicom.Codecs;

/// <summary>How one tile-component is coded (COD/COC): decomposition levels, code-block size and style, wavelet, precincts.</summary>
internal sealed record J2kCodingStyle
{
    public int Progression { get; init; }
    public int Layers { get; init; }
    public bool MultipleComponentTransform { get; init; }
    public bool Sop { get; init; }
    public bool Eph { get; init; }
    public int Levels { get; init; }
    /// <summary>log2 of the nominal code-block width and height.</summary>
    public int CodeBlockWidthExp { get; init; }
    public int CodeBlockHeightExp { get; init; }
    public int CodeBlockStyle { get; init; }
    public bool Reversible { get; init; }
    /// <summary>Precinct size exponents (PPx, PPy) per resolution, 0 = lowest; 15 when the default (one precinct) applies.</summary>
    public (int X, int Y)[] Precincts { get; init; } = [];
}

/// <summary>How one tile-component is quantised (QCD/QCC): guard bits and per-subband exponent and mantissa.</summary>
internal sealed record J2kQuantization(int Style, int GuardBits, (int Exponent, int Mantissa)[] Steps)
{
    /// <summary>Exponent and mantissa of subband <paramref name="band"/> (0 = LL, then 3 per level from the lowest resolution).</summary>
    public (int Exponent, int Mantissa) Step(int band, int levels)
    {
        if (Style == 1)
        {
            // scalar derived: only the LL step is signalled; each level down halves it (T.800 E-5)
            var (e0, m0) = Steps[0];
            int nb = band == 0 ? levels : levels - (band - 1) / 3;
            return (e0 - levels + nb, m0);
        }
        if (band >= Steps.Length) throw new DicomCodecException($"JPEG 2000: the quantisation marker lists {Steps.Length} subbands; subband {band} has no step.");
        return Steps[band];
    }
}

/// <summary>
/// The main and tile headers of a JPEG 2000 Part 1 codestream (ITU-T T.800 Annex A): image and tile geometry (SIZ),
/// coding (COD/COC), quantisation (QCD/QCC), region of interest (RGN) and each tile's packet data gathered from its
/// tile-parts (SOT … SOD). Anything outside Part 1 or not needed for DICOM (packed packet headers, sub-sampled
/// components) is refused with a typed error.
/// </summary>
internal sealed class J2kCodestream
{
    public int Width, Height, X0, Y0, TileWidth, TileHeight, TileX0, TileY0;
    public int Components;
    public int[] Precision = [];
    public bool[] Signed = [];
    public J2kCodingStyle[] MainCoding = [];
    public J2kQuantization[] MainQuant = [];
    public int[] MainRoiShift = [];
    public readonly Dictionary<int, J2kTileHeader> Tiles = [];

    public int TilesX => (Width - TileX0 + TileWidth - 1) / TileWidth;
    public int TilesY => (Height - TileY0 + TileHeight - 1) / TileHeight;

    public static J2kCodestream Parse(ReadOnlySpan<byte> data)
    {
        var cs = new J2kCodestream();
        int p = 0;
        // a JP2 file wrapper (some writers put one inside DICOM): skip to the codestream box
        if (data.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == 0x6A502020)
        {
            int jp2c = data.IndexOf("jp2c"u8);
            if (jp2c < 4) throw new DicomCodecException("JPEG 2000: a JP2 file without a codestream box.", 0);
            p = jp2c + 4;
        }
        if (data.Length < p + 4 || data[p] != 0xFF || data[p + 1] != 0x4F)
            throw new DicomCodecException("JPEG 2000: the frame does not start with SOC (FF4F).", p);
        p += 2;
        J2kCodingStyle? cod = null;
        var coc = new Dictionary<int, J2kCodingStyle>();
        J2kQuantization? qcd = null;
        var qcc = new Dictionary<int, J2kQuantization>();
        var rgn = new Dictionary<int, int>();
        bool siz = false;
        while (true)
        {
            if (p + 4 > data.Length) throw new DicomCodecException("JPEG 2000: the main header ends before the first tile.", p);
            int marker = BinaryPrimitives.ReadUInt16BigEndian(data[p..]);
            if (marker == 0xFF90) break; // SOT: first tile-part
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 2)..]);
            if (length < 2 || p + 2 + length > data.Length) throw new DicomCodecException($"JPEG 2000: marker {marker:X4} has a bad length {length}.", p);
            var seg = data.Slice(p + 4, length - 2);
            switch (marker)
            {
                case 0xFF51: cs.ReadSiz(seg, p); siz = true; break;
                case 0xFF52: cod = ReadCod(seg, p, null); break;
                case 0xFF53: { int c = Component(cs, seg, p, out int n); coc[c] = ReadCoc(seg[n..], p, cod); break; }
                case 0xFF5C: qcd = ReadQuant(seg, p); break;
                case 0xFF5D: { int c = Component(cs, seg, p, out int n); qcc[c] = ReadQuant(seg[n..], p); break; }
                case 0xFF5E: { int c = Component(cs, seg, p, out int n); rgn[c] = Roi(seg[n..], p); break; }
                case 0xFF60: throw new DicomCodecException("JPEG 2000: packed packet headers (PPM) are not supported.", p);
                default: break; // TLM, PLM, CRG, COM, POC (honoured only as the default order), …
            }
            if (marker != 0xFF51 && !siz) throw new DicomCodecException("JPEG 2000: SIZ must follow SOC.", p);
            p += 2 + length;
        }
        if (cod is null || qcd is null) throw new DicomCodecException("JPEG 2000: the main header has no COD or no QCD.", p);
        cs.MainCoding = new J2kCodingStyle[cs.Components];
        cs.MainQuant = new J2kQuantization[cs.Components];
        cs.MainRoiShift = new int[cs.Components];
        for (int c = 0; c < cs.Components; c++)
        {
            cs.MainCoding[c] = coc.TryGetValue(c, out var s) ? s with { Progression = cod.Progression, Layers = cod.Layers, MultipleComponentTransform = cod.MultipleComponentTransform, Sop = cod.Sop, Eph = cod.Eph } : cod;
            cs.MainQuant[c] = qcc.TryGetValue(c, out var q) ? q : qcd;
            cs.MainRoiShift[c] = rgn.GetValueOrDefault(c);
        }
        cs.ReadTiles(data, p);
        return cs;
    }

    private void ReadSiz(ReadOnlySpan<byte> s, int at)
    {
        if (s.Length < 36) throw new DicomCodecException("JPEG 2000: SIZ is too short.", at);
        Width = Int(s, 2); Height = Int(s, 6); X0 = Int(s, 10); Y0 = Int(s, 14);
        TileWidth = Int(s, 18); TileHeight = Int(s, 22); TileX0 = Int(s, 26); TileY0 = Int(s, 30);
        Components = BinaryPrimitives.ReadUInt16BigEndian(s[34..]);
        if (Components is < 1 or > 4 || s.Length < 36 + 3 * Components)
            throw new DicomCodecException($"JPEG 2000: {Components} components; DICOM images have 1, 3 or 4.", at);
        if (Width <= X0 || Height <= Y0 || Width - X0 > ushort.MaxValue || Height - Y0 > ushort.MaxValue || TileWidth < 1 || TileHeight < 1
            || TileX0 > X0 || TileY0 > Y0 || TileX0 + TileWidth <= X0 || TileY0 + TileHeight <= Y0)
            throw new DicomCodecException($"JPEG 2000: impossible image geometry {Width}×{Height} from ({X0}, {Y0}), tiles {TileWidth}×{TileHeight}.", at);
        if ((long)TilesX * TilesY > 65535) throw new DicomCodecException("JPEG 2000: more than 65535 tiles.", at);
        Precision = new int[Components];
        Signed = new bool[Components];
        for (int c = 0; c < Components; c++)
        {
            int ssiz = s[36 + 3 * c];
            Precision[c] = (ssiz & 0x7F) + 1;
            Signed[c] = (ssiz & 0x80) != 0;
            if (Precision[c] > 16) throw new DicomCodecException($"JPEG 2000: component {c} has {Precision[c]} bits; at most 16 are supported.", at);
            if (s[37 + 3 * c] != 1 || s[38 + 3 * c] != 1)
                throw new DicomCodecException($"JPEG 2000: component {c} is sub-sampled ({s[37 + 3 * c]}×{s[38 + 3 * c]}); DICOM frames are not.", at);
        }
    }

    private static int Int(ReadOnlySpan<byte> s, int at)
    {
        uint v = BinaryPrimitives.ReadUInt32BigEndian(s[at..]);
        return v > int.MaxValue ? throw new DicomCodecException($"JPEG 2000: a SIZ value {v} is out of range.", at) : (int)v;
    }

    private static int Component(J2kCodestream cs, ReadOnlySpan<byte> s, int at, out int size)
    {
        size = cs.Components < 257 ? 1 : 2;
        if (s.Length < size) throw new DicomCodecException("JPEG 2000: a component marker is too short.", at);
        int c = size == 1 ? s[0] : BinaryPrimitives.ReadUInt16BigEndian(s);
        return c < cs.Components ? c : throw new DicomCodecException($"JPEG 2000: a marker names component {c} of {cs.Components}.", at);
    }

    private static J2kCodingStyle ReadCod(ReadOnlySpan<byte> s, int at, J2kCodingStyle? _)
    {
        if (s.Length < 10) throw new DicomCodecException("JPEG 2000: COD is too short.", at);
        int scod = s[0];
        var style = ReadSpcod(s[5..], at, (scod & 1) != 0);
        return style with
        {
            Progression = s[1],
            Layers = BinaryPrimitives.ReadUInt16BigEndian(s[2..]),
            MultipleComponentTransform = s[4] != 0,
            Sop = (scod & 2) != 0,
            Eph = (scod & 4) != 0,
        } is { Layers: >= 1, Progression: <= 4 } ok ? ok : throw new DicomCodecException("JPEG 2000: COD has no layers or an unknown progression order.", at);
    }

    private static J2kCodingStyle ReadCoc(ReadOnlySpan<byte> s, int at, J2kCodingStyle? cod)
    {
        if (s.Length < 6) throw new DicomCodecException("JPEG 2000: COC is too short.", at);
        var style = ReadSpcod(s[1..], at, (s[0] & 1) != 0);
        return cod is null ? style : style with { Progression = cod.Progression, Layers = cod.Layers, MultipleComponentTransform = cod.MultipleComponentTransform, Sop = cod.Sop, Eph = cod.Eph };
    }

    /// <summary>The SPcod/SPcoc part: levels, code-block size and style, wavelet, precincts.</summary>
    private static J2kCodingStyle ReadSpcod(ReadOnlySpan<byte> s, int at, bool precincts)
    {
        int levels = s[0];
        int xcb = s[1] + 2, ycb = s[2] + 2;
        if (levels > 32 || xcb > 10 || ycb > 10 || xcb + ycb > 12)
            throw new DicomCodecException($"JPEG 2000: {levels} decomposition levels or code blocks of 2^{xcb}×2^{ycb} are out of range.", at);
        var pp = new (int, int)[levels + 1];
        for (int r = 0; r <= levels; r++)
        {
            if (!precincts) { pp[r] = (15, 15); continue; }
            if (s.Length <= 5 + r) throw new DicomCodecException("JPEG 2000: the precinct sizes are cut short.", at);
            pp[r] = (s[5 + r] & 0xF, s[5 + r] >> 4);
            if (r > 0 && (pp[r].Item1 == 0 || pp[r].Item2 == 0)) throw new DicomCodecException("JPEG 2000: a precinct exponent of 0 above the lowest resolution.", at);
        }
        return new J2kCodingStyle
        {
            Levels = levels,
            CodeBlockWidthExp = xcb,
            CodeBlockHeightExp = ycb,
            CodeBlockStyle = s[3],
            Reversible = s[4] == 1,
            Precincts = pp,
        };
    }

    private static J2kQuantization ReadQuant(ReadOnlySpan<byte> s, int at)
    {
        if (s.Length < 2) throw new DicomCodecException("JPEG 2000: QCD/QCC is too short.", at);
        int style = s[0] & 0x1F, guard = s[0] >> 5;
        var steps = new List<(int, int)>();
        if (style == 0) for (int i = 1; i < s.Length; i++) steps.Add((s[i] >> 3, 0));
        else if (style is 1 or 2)
            for (int i = 1; i + 1 < s.Length; i += 2)
            {
                int v = BinaryPrimitives.ReadUInt16BigEndian(s[i..]);
                steps.Add((v >> 11, v & 0x7FF));
            }
        else throw new DicomCodecException($"JPEG 2000: quantisation style {style} is unknown.", at);
        if (steps.Count == 0) throw new DicomCodecException("JPEG 2000: a quantisation marker with no step.", at);
        return new J2kQuantization(style, guard, [.. steps]);
    }

    private static int Roi(ReadOnlySpan<byte> s, int at) =>
        s.Length >= 2 && s[0] == 0 ? s[1] : throw new DicomCodecException("JPEG 2000: an RGN marker with an unknown style.", at);

    /// <summary>Collects every tile-part (SOT … SOD, Psot bytes) into its tile, with the tile header's COD/COC/QCD/QCC/RGN.</summary>
    private void ReadTiles(ReadOnlySpan<byte> data, int p)
    {
        while (p + 2 <= data.Length)
        {
            int marker = BinaryPrimitives.ReadUInt16BigEndian(data[p..]);
            if (marker == 0xFFD9) return; // EOC
            if (marker != 0xFF90)
            {
                // some writers pad the end; anything else after a tile is a damaged stream
                if (Tiles.Count > 0) return;
                throw new DicomCodecException($"JPEG 2000: expected a tile-part (SOT), found {marker:X4}.", p);
            }
            if (p + 12 > data.Length) throw new DicomCodecException("JPEG 2000: SOT is cut short.", p);
            int tileIndex = BinaryPrimitives.ReadUInt16BigEndian(data[(p + 4)..]);
            long psot = BinaryPrimitives.ReadUInt32BigEndian(data[(p + 6)..]);
            int partIndex = data[p + 10];
            if (tileIndex >= TilesX * TilesY) throw new DicomCodecException($"JPEG 2000: tile {tileIndex} of {TilesX * TilesY}.", p);
            long end = psot == 0 ? data.Length : p + psot;
            if (end > data.Length)
            {
                // truncated stream (some writers): keep what is there
                end = data.Length;
            }
            if (!Tiles.TryGetValue(tileIndex, out var tile)) Tiles[tileIndex] = tile = new J2kTileHeader(this);
            int q = p + 12;
            while (true)
            {
                if (q + 2 > end) throw new DicomCodecException("JPEG 2000: a tile-part header without SOD.", q);
                int m = BinaryPrimitives.ReadUInt16BigEndian(data[q..]);
                if (m == 0xFF93) { q += 2; break; }
                if (q + 4 > end) throw new DicomCodecException("JPEG 2000: a tile-part marker is cut short.", q);
                int length = BinaryPrimitives.ReadUInt16BigEndian(data[(q + 2)..]);
                if (length < 2 || q + 2 + length > end) throw new DicomCodecException($"JPEG 2000: tile marker {m:X4} has a bad length.", q);
                var seg = data.Slice(q + 4, length - 2);
                if (partIndex == 0)
                {
                    switch (m)
                    {
                        case 0xFF52: tile.SetCod(ReadCod(seg, q, null)); break;
                        case 0xFF53: { int c = Component(this, seg, q, out int n); tile.Coc[c] = ReadCoc(seg[n..], q, null); break; }
                        case 0xFF5C: tile.SetQcd(ReadQuant(seg, q)); break;
                        case 0xFF5D: { int c = Component(this, seg, q, out int n); tile.Qcc[c] = ReadQuant(seg[n..], q); break; }
                        case 0xFF5E: { int c = Component(this, seg, q, out int n); tile.RoiShift[c] = Roi(seg[n..], q); break; }
                    }
                }
                if (m == 0xFF61) throw new DicomCodecException("JPEG 2000: packed packet headers (PPT) are not supported.", q);
                q += 2 + length;
            }
            tile.Data.Add(data[q..(int)end].ToArray());
            p = (int)end;
            if (psot == 0) return;
        }
    }
}

/// <summary>One tile's header overrides and its packet data (the tile-parts' bodies, in order).</summary>
internal sealed class J2kTileHeader(J2kCodestream main)
{
    private J2kCodingStyle? _cod;
    private J2kQuantization? _qcd;
    public readonly Dictionary<int, J2kCodingStyle> Coc = [];
    public readonly Dictionary<int, J2kQuantization> Qcc = [];
    public readonly Dictionary<int, int> RoiShift = [];
    public readonly List<byte[]> Data = [];

    public void SetCod(J2kCodingStyle cod) => _cod = cod;
    public void SetQcd(J2kQuantization qcd) => _qcd = qcd;

    public J2kCodingStyle Coding(int c)
    {
        var general = _cod ?? main.MainCoding[0];
        if (Coc.TryGetValue(c, out var s))
            return s with { Progression = general.Progression, Layers = general.Layers, MultipleComponentTransform = general.MultipleComponentTransform, Sop = general.Sop, Eph = general.Eph };
        return _cod ?? main.MainCoding[c];
    }

    public J2kQuantization Quantization(int c) => Qcc.TryGetValue(c, out var q) ? q : _qcd ?? main.MainQuant[c];

    public int Roi(int c) => RoiShift.TryGetValue(c, out int s) ? s : main.MainRoiShift[c];

    /// <summary>The tile-parts' bodies as one stream.</summary>
    public byte[] Body()
    {
        if (Data.Count == 1) return Data[0];
        var all = new byte[Data.Sum(d => d.Length)];
        int o = 0;
        foreach (var d in Data) { d.CopyTo(all, o); o += d.Length; }
        return all;
    }
}
