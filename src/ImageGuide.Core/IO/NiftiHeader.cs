using System.Buffers.Binary;
using System.Text;

namespace ImageGuide.IO;

/// <summary>The fields of a NIfTI-1 header that ImageGuide uses, decoded from either byte order.</summary>
internal sealed class NiftiHeader
{
    internal const int Size = 348;
    internal const int DataOffset = 352;

    internal bool BigEndian;
    internal short[] Dim = new short[8];
    internal short Datatype;
    /// <summary>intent_code (offset 68): 1007 NIFTI_INTENT_VECTOR for a displacement field.</summary>
    internal short IntentCode;
    internal short Bitpix;
    internal float[] Pixdim = new float[8];
    internal float VoxOffset;
    internal float SclSlope;
    internal float SclInter;
    internal byte XyztUnits;
    internal string Descrip = "";
    internal short QformCode;
    internal short SformCode;
    internal float QuaternB, QuaternC, QuaternD, QoffsetX, QoffsetY, QoffsetZ;
    internal float[] SrowX = new float[4], SrowY = new float[4], SrowZ = new float[4];
    internal string Magic = "";

    /// <summary>Decodes a 348-byte header; validates only what is needed to know the byte order and format.</summary>
    internal static NiftiHeader Parse(ReadOnlySpan<byte> b, string file)
    {
        int le = BinaryPrimitives.ReadInt32LittleEndian(b);
        int be = BinaryPrimitives.ReadInt32BigEndian(b);
        if (le == 540 || be == 540)
            throw new UnsupportedFormatException($"{file}: NIfTI-2 header (sizeof_hdr = 540); only NIfTI-1 is read. Convert it to NIfTI-1 (e.g. with nibabel) first.");
        if (le != Size && be != Size)
            throw new InvalidImageDataException($"{file}: sizeof_hdr at offset 0 is {le} (little-endian) / {be} (big-endian), not 348; this is not a NIfTI-1 file.");
        var h = new NiftiHeader { BigEndian = le != Size };
        for (int n = 0; n < 8; n++) h.Dim[n] = h.I16(b, 40 + 2 * n);
        h.IntentCode = h.I16(b, 68);
        h.Datatype = h.I16(b, 70);
        h.Bitpix = h.I16(b, 72);
        for (int n = 0; n < 8; n++) h.Pixdim[n] = h.F32(b, 76 + 4 * n);
        h.VoxOffset = h.F32(b, 108);
        h.SclSlope = h.F32(b, 112);
        h.SclInter = h.F32(b, 116);
        h.XyztUnits = b[123];
        h.Descrip = Text(b.Slice(148, 80));
        h.QformCode = h.I16(b, 252);
        h.SformCode = h.I16(b, 254);
        h.QuaternB = h.F32(b, 256); h.QuaternC = h.F32(b, 260); h.QuaternD = h.F32(b, 264);
        h.QoffsetX = h.F32(b, 268); h.QoffsetY = h.F32(b, 272); h.QoffsetZ = h.F32(b, 276);
        for (int n = 0; n < 4; n++)
        {
            h.SrowX[n] = h.F32(b, 280 + 4 * n);
            h.SrowY[n] = h.F32(b, 296 + 4 * n);
            h.SrowZ[n] = h.F32(b, 312 + 4 * n);
        }
        h.Magic = Text(b.Slice(344, 4));
        return h;
    }

    /// <summary>Encodes the header (little-endian) into 348 bytes.</summary>
    internal void WriteTo(Span<byte> b)
    {
        b[..Size].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(b, Size);
        b[38] = (byte)'r'; // regular
        for (int n = 0; n < 8; n++) BinaryPrimitives.WriteInt16LittleEndian(b[(40 + 2 * n)..], Dim[n]);
        BinaryPrimitives.WriteInt16LittleEndian(b[68..], IntentCode);
        BinaryPrimitives.WriteInt16LittleEndian(b[70..], Datatype);
        BinaryPrimitives.WriteInt16LittleEndian(b[72..], Bitpix);
        for (int n = 0; n < 8; n++) BinaryPrimitives.WriteSingleLittleEndian(b[(76 + 4 * n)..], Pixdim[n]);
        BinaryPrimitives.WriteSingleLittleEndian(b[108..], VoxOffset);
        BinaryPrimitives.WriteSingleLittleEndian(b[112..], SclSlope);
        BinaryPrimitives.WriteSingleLittleEndian(b[116..], SclInter);
        b[123] = XyztUnits;
        Encoding.ASCII.GetBytes(Descrip.AsSpan(0, Math.Min(79, Descrip.Length)), b.Slice(148, 79));
        BinaryPrimitives.WriteInt16LittleEndian(b[252..], QformCode);
        BinaryPrimitives.WriteInt16LittleEndian(b[254..], SformCode);
        float[] q = [QuaternB, QuaternC, QuaternD, QoffsetX, QoffsetY, QoffsetZ];
        for (int n = 0; n < 6; n++) BinaryPrimitives.WriteSingleLittleEndian(b[(256 + 4 * n)..], q[n]);
        for (int n = 0; n < 4; n++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(b[(280 + 4 * n)..], SrowX[n]);
            BinaryPrimitives.WriteSingleLittleEndian(b[(296 + 4 * n)..], SrowY[n]);
            BinaryPrimitives.WriteSingleLittleEndian(b[(312 + 4 * n)..], SrowZ[n]);
        }
        "n+1\0"u8.CopyTo(b[344..]);
    }

    private short I16(ReadOnlySpan<byte> b, int at) =>
        BigEndian ? BinaryPrimitives.ReadInt16BigEndian(b[at..]) : BinaryPrimitives.ReadInt16LittleEndian(b[at..]);

    private float F32(ReadOnlySpan<byte> b, int at) =>
        BigEndian ? BinaryPrimitives.ReadSingleBigEndian(b[at..]) : BinaryPrimitives.ReadSingleLittleEndian(b[at..]);

    private static string Text(ReadOnlySpan<byte> b)
    {
        int end = b.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? b : b[..end]);
    }

    /// <summary>NIfTI datatype code → voxel type, or null when unsupported.</summary>
    internal static VoxelType? VoxelTypeOf(short datatype) => datatype switch
    {
        2 => VoxelType.UInt8,
        4 => VoxelType.Int16,
        8 => VoxelType.Int32,
        16 => VoxelType.Float32,
        64 => VoxelType.Float64,
        256 => VoxelType.Int8,
        512 => VoxelType.UInt16,
        768 => VoxelType.UInt32,
        _ => null,
    };

    /// <summary>Voxel type → NIfTI datatype code.</summary>
    internal static short DatatypeOf(VoxelType type) => type switch
    {
        VoxelType.UInt8 => 2,
        VoxelType.Int16 => 4,
        VoxelType.Int32 => 8,
        VoxelType.Float32 => 16,
        VoxelType.Float64 => 64,
        VoxelType.Int8 => 256,
        VoxelType.UInt16 => 512,
        VoxelType.UInt32 => 768,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Name of a NIfTI datatype code for messages.</summary>
    internal static string DatatypeName(short datatype) => datatype switch
    {
        0 => "DT_UNKNOWN (0)",
        1 => "DT_BINARY (1)",
        32 => "DT_COMPLEX64 (32)",
        128 => "DT_RGB24 (128)",
        1024 => "DT_INT64 (1024)",
        1280 => "DT_UINT64 (1280)",
        1536 => "DT_FLOAT128 (1536)",
        1792 => "DT_COMPLEX128 (1792)",
        2048 => "DT_COMPLEX256 (2048)",
        2304 => "DT_RGBA32 (2304)",
        _ => $"code {datatype}",
    };
}
