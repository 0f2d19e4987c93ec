namespace ImageGuide.Dicom.Codecs;

/// <summary>A JPEG 2000 tag tree (T.800 B.10.2): a quad-tree of minima over a grid of code-blocks, decoded lazily against thresholds.</summary>
internal sealed class J2kTagTree
{
    private readonly int[] _value, _low, _parent;
    private readonly int _width, _height;

    public J2kTagTree(int width, int height)
    {
        _width = width;
        _height = height;
        var parents = new List<int>();
        // levels from the leaves up; node index = offset of its level + position
        var levels = new List<(int Offset, int W, int H)>();
        int w = width, h = height, offset = 0;
        while (true)
        {
            levels.Add((offset, w, h));
            offset += w * h;
            if (w * h <= 1) break;
            w = (w + 1) / 2;
            h = (h + 1) / 2;
        }
        _value = new int[offset];
        _low = new int[offset];
        _parent = new int[offset];
        Array.Fill(_value, int.MaxValue);
        for (int l = 0; l < levels.Count; l++)
        {
            var (o, lw, lh) = levels[l];
            for (int y = 0; y < lh; y++)
                for (int x = 0; x < lw; x++)
                    _parent[o + y * lw + x] = l + 1 < levels.Count ? levels[l + 1].Offset + (y / 2) * levels[l + 1].W + x / 2 : -1;
        }
    }

    /// <summary>
    /// Reads bits until it is known whether the leaf at (<paramref name="x"/>, <paramref name="y"/>) is below
    /// <paramref name="threshold"/>; true when it is (its value is then <see cref="Value"/>).
    /// </summary>
    public bool Decode(J2kPacketReader bits, int x, int y, int threshold)
    {
        Span<int> path = stackalloc int[32];
        int n = 0;
        for (int node = y * _width + x; node >= 0; node = _parent[node]) path[n++] = node;
        int low = 0;
        for (int k = n - 1; k >= 0; k--)
        {
            int node = path[k];
            if (low > _low[node]) _low[node] = low;
            else low = _low[node];
            while (low < threshold && low < _value[node])
            {
                if (bits.Bit() != 0) _value[node] = low;
                else low++;
            }
            _low[node] = low;
        }
        return _value[path[0]] < threshold;
    }

    /// <summary>The decoded value of a leaf (valid once <see cref="Decode"/> returned true for it).</summary>
    public int Value(int x, int y) => _value[y * _width + x];

    /// <summary>Leaves across and down.</summary>
    public (int Width, int Height) Size => (_width, _height);
}

/// <summary>Reads packet-header bits (T.800 B.10.1): MSB first, a 0 bit stuffed after every 0xFF byte.</summary>
internal sealed class J2kPacketReader(byte[] data, int position, int end)
{
    private int _bits, _count;
    private bool _afterFF;

    public int Position { get; private set; } = position;

    public int Bit()
    {
        if (_count == 0)
        {
            if (Position >= end) throw new DicomCodecException("JPEG 2000: a packet header runs past the tile's data.", Position);
            int b = data[Position++];
            _count = _afterFF ? 7 : 8;
            _bits = b;
            _afterFF = b == 0xFF;
        }
        _count--;
        return (_bits >> _count) & 1;
    }

    public int Bits(int n)
    {
        int v = 0;
        for (int i = 0; i < n; i++) v = (v << 1) | Bit();
        return v;
    }

    /// <summary>Ends the header: skips the rest of the byte (and a stuffed byte after 0xFF).</summary>
    public void Align()
    {
        _count = 0;
        if (_afterFF)
        {
            Position++;
            _afterFF = false;
        }
    }
}
