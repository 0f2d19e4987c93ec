namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Reads the entropy-coded bits of a JPEG scan MSB first, removing stuffed zero bytes (FF 00). It stops at
/// the first marker (or the end of the data) and feeds zero bits after it, counting them, so a decoder
/// can detect that it consumed more bits than the scan holds.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;
    private ulong _buffer; // left-aligned: next bit is bit 63
    private int _bits;
    private int _phantomBits;
    private bool _atMarker;

    public JpegBitReader(ReadOnlySpan<byte> data, int start)
    {
        _data = data;
        _pos = start;
    }

    /// <summary>Position of the next unread byte (or of the marker the reader stopped at).</summary>
    public readonly int Position => _pos;

    /// <summary>True when bits past the end of the scan data (or past a marker) were consumed.</summary>
    public readonly bool Overran => _bits < _phantomBits;

    /// <summary>Makes at least 32 bits available (zero bits past a marker or the end).</summary>
    public void Fill()
    {
        while (_bits <= 56)
        {
            if (!_atMarker && _pos < _data.Length)
            {
                byte b = _data[_pos];
                if (b != 0xFF)
                {
                    _pos++;
                    _buffer |= (ulong)b << (56 - _bits);
                    _bits += 8;
                    continue;
                }

                if (_pos + 1 < _data.Length && _data[_pos + 1] == 0)
                {
                    _pos += 2;
                    _buffer |= 0xFFUL << (56 - _bits);
                    _bits += 8;
                    continue;
                }

                _atMarker = true;
            }

            _bits += 8;
            _phantomBits += 8;
        }
    }

    /// <summary>The next 16 bits without consuming them (call <see cref="Fill"/> first).</summary>
    public readonly uint Peek16() => (uint)(_buffer >> 48);

    /// <summary>Consumes <paramref name="n"/> bits (0..32, after <see cref="Fill"/>).</summary>
    public void Skip(int n)
    {
        _buffer <<= n;
        _bits -= n;
    }

    /// <summary>Reads <paramref name="n"/> bits (1..16, after <see cref="Fill"/>) as an unsigned value.</summary>
    public uint Read(int n)
    {
        uint v = (uint)(_buffer >> (64 - n));
        _buffer <<= n;
        _bits -= n;
        return v;
    }

    /// <summary>
    /// Discards the buffered bits and moves to the next marker at or after the read position; returns the
    /// marker's second byte, or -1 when the data ends first. The reader is then positioned after the marker.
    /// </summary>
    public int SkipToMarker()
    {
        _buffer = 0;
        _bits = 0;
        _phantomBits = 0;
        _atMarker = false;
        while (_pos + 1 < _data.Length)
        {
            if (_data[_pos] == 0xFF && _data[_pos + 1] != 0 && _data[_pos + 1] != 0xFF)
            {
                int marker = _data[_pos + 1];
                _pos += 2;
                return marker;
            }

            _pos++;
        }

        _pos = _data.Length;
        return -1;
    }
}
