using System.Runtime.CompilerServices;

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

    /// <summary>Offset of the byte holding the next unread bit (approximate where stuffed bytes were removed), for messages.</summary>
    public readonly int BitPosition => Math.Max(0, _pos - Math.Max(0, _bits - _phantomBits) / 8);

    /// <summary>True when bits past the end of the scan data (or past a marker) were consumed.</summary>
    public readonly bool Overran => _bits < _phantomBits;

    /// <summary>Makes at least 32 bits available (zero bits past a marker or the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureBits()
    {
        if (_bits < 32) Fill();
    }

    /// <summary>Tops the buffer up to at least 57 bits, or 64 when whole bytes fill it exactly.</summary>
    private void Fill()
    {
        // Fast path: take whole bytes from an 8-byte window that holds no 0xFF (so no stuffing or marker).
        if (!_atMarker && JpegByteWindow.TryTake(_data, ref _pos, ref _buffer, ref _bits)) return;

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

    /// <summary>The next 16 bits without consuming them (call <see cref="EnsureBits"/> first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly uint Peek16() => (uint)(_buffer >> 48);

    /// <summary>Consumes <paramref name="n"/> bits (0..32, after <see cref="EnsureBits"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Skip(int n)
    {
        _buffer <<= n;
        _bits -= n;
    }

    /// <summary>Reads <paramref name="n"/> bits (1..16, after <see cref="EnsureBits"/>) as an unsigned value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    /// <summary>
    /// Reads the restart marker RST(<paramref name="restartIndex"/> mod 8) that ends a restart interval; <paramref name="unit"/>
    /// ("block", "sample") names what the interval codes, in the message of a truncated interval.
    /// </summary>
    public void ReadRestartMarker(int restartIndex, string unit)
    {
        if (Overran)
            throw new DicomCodecException($"JPEG restart interval ends before its last {unit} was coded (truncated or corrupt data).", BitPosition);
        int markerAt = Position;
        int marker = SkipToMarker();
        int expected = 0xD0 + (restartIndex & 7);
        if (marker != expected)
            throw new DicomCodecException(
                marker < 0 ? $"JPEG data ends where restart marker RST{restartIndex & 7} was expected."
                           : $"JPEG restart marker RST{restartIndex & 7} expected, found FF{marker:X2}.", markerAt);
    }
}
