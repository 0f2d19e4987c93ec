using System.Runtime.CompilerServices;

namespace ImageGuide.Dicom.Codecs;

/// <summary>
/// The MQ arithmetic decoder of JPEG 2000 (ITU-T T.800 Annex C): 19 adaptive contexts, the 47-state probability
/// table, byte-in with bit stuffing after 0xFF. The data passed in must end with two 0xFF bytes (appended by the
/// caller), which stand for the end of the codeword segment as the standard prescribes.
/// </summary>
internal struct J2kMqDecoder
{
    // Qe, next state on MPS, next state on LPS, switch MPS on LPS (T.800 Table C.2)
    private static readonly ushort[] Qe = [0x5601, 0x3401, 0x1801, 0x0AC1, 0x0521, 0x0221, 0x5601, 0x5401, 0x4801, 0x3801, 0x3001, 0x2401, 0x1C01, 0x1601,
        0x5601, 0x5401, 0x5101, 0x4801, 0x3801, 0x3401, 0x3001, 0x2801, 0x2401, 0x2201, 0x1C01, 0x1801, 0x1601, 0x1401, 0x1201, 0x1101, 0x0AC1,
        0x09C1, 0x08A1, 0x0521, 0x0441, 0x02A1, 0x0221, 0x0141, 0x0111, 0x0085, 0x0049, 0x0025, 0x0015, 0x0009, 0x0005, 0x0001, 0x5601];
    private static readonly byte[] NextMps = [1, 2, 3, 4, 5, 38, 7, 8, 9, 10, 11, 12, 13, 29, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 45, 46];
    private static readonly byte[] NextLps = [1, 6, 9, 12, 29, 33, 6, 14, 14, 14, 17, 18, 20, 21, 14, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 23, 24, 25, 26,
        27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 46];
    private static readonly byte[] Switch = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0];

    public const int Uniform = 18, RunLength = 17;

    /// <summary>Per context value (state·2 + MPS): Qe, the value after an MPS, the value after an LPS.</summary>
    private static readonly (uint Qe, byte OnMps, byte OnLps)[] Transitions = BuildTransitions();

    private static (uint, byte, byte)[] BuildTransitions()
    {
        var t = new (uint, byte, byte)[94];
        for (int s = 0; s < 47; s++)
            for (int mps = 0; mps < 2; mps++)
                t[s << 1 | mps] = (Qe[s], (byte)(NextMps[s] << 1 | mps), (byte)(NextLps[s] << 1 | (Switch[s] != 0 ? 1 - mps : mps)));
        return t;
    }

    private byte[] _data;
    private int _bp, _end;
    private uint _c, _a;
    private int _ct;
    /// <summary>Per context: state index in bits 1.., MPS in bit 0.</summary>
    private readonly byte[] _ctx;

    public J2kMqDecoder()
    {
        _data = [];
        _ctx = new byte[19];
    }

    /// <summary>Resets every context to its initial state (T.800 Table D.7).</summary>
    public readonly void ResetContexts()
    {
        Array.Clear(_ctx);
        _ctx[0] = 4 << 1;
        _ctx[RunLength] = 3 << 1;
        _ctx[Uniform] = 46 << 1;
    }

    /// <summary>Starts decoding <paramref name="data"/>[<paramref name="start"/>..<paramref name="end"/>) (followed by 0xFF 0xFF).</summary>
    public void Init(byte[] data, int start, int end)
    {
        _data = data;
        _bp = start;
        _end = end;
        _c = (uint)((start < end ? data[start] : 0xFF) << 16);
        ByteIn();
        _c <<= 7;
        _ct -= 7;
        _a = 0x8000;
    }

    private void ByteIn()
    {
        if (_bp < _end)
        {
            uint next = _bp + 1 < _end ? _data[_bp + 1] : 0xFFu;
            if (_data[_bp] == 0xFF)
            {
                if (next > 0x8F) { _c += 0xFF00; _ct = 8; }
                else { _bp++; _c += next << 9; _ct = 7; }
            }
            else { _bp++; _c += next << 8; _ct = 8; }
        }
        else { _c += 0xFF00; _ct = 8; }
    }

    /// <summary>Decodes one binary decision in context <paramref name="cx"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(int cx)
    {
        ref byte s = ref _ctx[cx];
        var (qe, onMps, onLps) = Transitions[s];
        int mps = s & 1;
        _a -= qe;
        if ((_c >> 16) < qe)
        {
            // LPS exchange
            int d;
            if (_a < qe) { d = mps; s = onMps; }
            else { d = 1 - mps; s = onLps; }
            _a = qe;
            Renormalize();
            return d;
        }
        _c -= qe << 16;
        if ((_a & 0x8000) != 0) return mps;
        // MPS exchange
        int e;
        if (_a < qe) { e = 1 - mps; s = onLps; }
        else { e = mps; s = onMps; }
        Renormalize();
        return e;
    }

    private void Renormalize()
    {
        do
        {
            if (_ct == 0) ByteIn();
            _a <<= 1;
            _c <<= 1;
            _ct--;
        } while ((_a & 0x8000) == 0);
    }
}
