using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// Reads the coded bits of a JPEG-LS scan MSB first (ITU-T T.87 A.1, D.1): after a 0xFF byte only the seven low
/// bits of the next byte are data (the encoder stuffs a 0 bit), and 0xFF followed by a byte with its high bit set
/// is a marker. The reader stops at the first marker (or the end of the data) and feeds zero bits after it,
/// counting them, so a decoder can detect that it consumed more bits than the scan holds.
/// </summary>
internal ref struct JpegLsBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;
    private ulong _buffer; // left-aligned: the next bit is bit 63
    private int _bits;
    private int _phantomBits;
    private bool _atMarker;
    private bool _afterFF;

    public JpegLsBitReader(ReadOnlySpan<byte> data, int start)
    {
        _data = data;
        _pos = start;
    }

    /// <summary>Position of the next unread byte (or of the marker the reader stopped at).</summary>
    public readonly int Position => _pos;

    /// <summary>Offset of the byte holding the next unread bit (approximate), for messages.</summary>
    public readonly int BitPosition => Math.Max(0, _pos - Math.Max(0, _bits - _phantomBits) / 8);

    /// <summary>True when bits past the end of the scan data (or past a marker) were consumed.</summary>
    public readonly bool Overran => _bits < _phantomBits;

    /// <summary>Makes at least 32 bits available (zero bits past a marker or the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureBits()
    {
        if (_bits < 32) Fill();
    }

    /// <summary>Tops the buffer up to at least 57 bits.</summary>
    private void Fill()
    {
        // Fast path: whole bytes from an 8-byte window that holds no 0xFF (so no stuffed bit and no marker).
        if (!_atMarker && !_afterFF && JpegByteWindow.TryTake(_data, ref _pos, ref _buffer, ref _bits)) return;

        while (_bits <= 56)
        {
            if (_atMarker || _pos >= _data.Length)
            {
                _bits += 8;
                _phantomBits += 8;
                continue;
            }

            byte b = _data[_pos];
            if (_afterFF)
            {
                // The byte after 0xFF carries seven data bits; its high bit is the stuffed 0 (checked below).
                _buffer |= (ulong)b << (57 - _bits);
                _bits += 7;
                _pos++;
                _afterFF = false;
                continue;
            }

            if (b == 0xFF)
            {
                if (_pos + 1 < _data.Length && _data[_pos + 1] >= 0x80)
                {
                    _atMarker = true;
                    continue;
                }

                _afterFF = true;
            }

            _buffer |= (ulong)b << (56 - _bits);
            _bits += 8;
            _pos++;
        }
    }

    /// <summary>Reads one bit (after <see cref="EnsureBits"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadBit()
    {
        bool bit = (long)_buffer < 0;
        _buffer <<= 1;
        _bits--;
        return bit;
    }

    /// <summary>Reads <paramref name="n"/> bits (0..32, after <see cref="EnsureBits"/>) as an unsigned value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Read(int n)
    {
        int v = (int)((_buffer >> 1) >> (63 - n));
        _buffer <<= n;
        _bits -= n;
        return v;
    }

    /// <summary>
    /// Fast path of a Golomb code with parameter <paramref name="k"/>: when the buffer holds the whole code
    /// (fewer than <paramref name="escape"/> leading zeros, and zeros + 1 + k ≤ 32 bits), consumes it and returns
    /// (zeros · 2^k) + the k bits after the 1; otherwise consumes nothing and returns −1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TryReadGolomb(int k, int escape)
    {
        EnsureBits();
        int zeros = BitOperations.LeadingZeroCount(_buffer);
        int length = zeros + 1 + k;
        if (zeros >= escape || length > 32) return -1;
        ulong rest = (_buffer << zeros) << 1;
        int low = (int)((rest >> 1) >> (63 - k));
        _buffer <<= length;
        _bits -= length;
        return (zeros << k) | low;
    }

    /// <summary>
    /// Reads a unary code: counts zero bits up to the terminating 1 bit (consumed too). More than
    /// <paramref name="maxZeros"/> zeros is corrupt data.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadUnary(int maxZeros)
    {
        EnsureBits();
        if (_buffer != 0)
        {
            int zeros = BitOperations.LeadingZeroCount(_buffer);
            if (zeros <= maxZeros)
            {
                _buffer = (_buffer << zeros) << 1;
                _bits -= zeros + 1;
                return zeros;
            }
        }

        return ReadLongUnary(maxZeros);
    }

    private int ReadLongUnary(int maxZeros)
    {
        int count = 0;
        while (true)
        {
            EnsureBits();
            if (_buffer == 0)
            {
                count += _bits;
                _buffer = 0;
                _bits = 0;
                if (count > maxZeros) break;
                continue;
            }

            int zeros = BitOperations.LeadingZeroCount(_buffer);
            count += zeros;
            if (count > maxZeros) break;
            _buffer = (_buffer << zeros) << 1;
            _bits -= zeros + 1;
            return count;
        }

        throw new DicomCodecException(
            $"JPEG-LS code has more than {maxZeros} leading zero bits, longer than the limited-length Golomb code allows (corrupt data).", BitPosition);
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
        _afterFF = false;
        while (_pos + 1 < _data.Length)
        {
            if (_data[_pos] == 0xFF && _data[_pos + 1] >= 0x80)
            {
                // Fill bytes (FF FF …) precede the marker code.
                int p = _pos + 1;
                while (p < _data.Length && _data[p] == 0xFF) p++;
                if (p >= _data.Length) break;
                if (_data[p] < 0x80)
                {
                    _pos = p;
                    continue;
                }

                _pos = p + 1;
                return _data[p];
            }

            _pos++;
        }

        _pos = _data.Length;
        return -1;
    }
}
