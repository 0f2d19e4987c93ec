using System.Buffers.Binary;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// Test-only extractor of encapsulated Pixel Data (PS3.5 A.4) from an Explicit VR Little Endian file, so the
/// codecs can be checked on real files without the DICOM parser: finds (7FE0,0010) OB/OW with undefined
/// length, reads the Basic Offset Table and the fragment items up to the sequence delimiter, and groups the
/// fragments into frames.
/// </summary>
internal static class EncapsulatedPixelData
{
    /// <summary>The encoded frames (each the concatenation of its fragments) of the file's Pixel Data.</summary>
    public static List<byte[]> ReadFrames(byte[] file, int numberOfFrames)
    {
        int pos = FindPixelData(file);
        byte[] table = ReadItem(file, ref pos) ?? throw new AssertionException("Pixel Data has no Basic Offset Table item");
        var basicOffsets = new uint[table.Length / 4];
        for (int i = 0; i < basicOffsets.Length; i++) basicOffsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(table.AsSpan(4 * i));

        // Offsets in the Basic Offset Table count from the first byte of the first fragment's item tag.
        int firstFragment = pos;
        var fragments = new List<(int Offset, byte[] Data)>();
        while (true)
        {
            int itemStart = pos;
            byte[]? fragment = ReadItem(file, ref pos);
            if (fragment is null) break;
            fragments.Add((itemStart - firstFragment, fragment));
        }

        var frames = new List<byte[]>();
        if (basicOffsets.Length == numberOfFrames && numberOfFrames > 1)
        {
            for (int f = 0; f < numberOfFrames; f++)
            {
                long end = f + 1 < numberOfFrames ? basicOffsets[f + 1] : long.MaxValue;
                frames.Add(fragments.Where(x => x.Offset >= basicOffsets[f] && x.Offset < end).SelectMany(x => x.Data).ToArray());
            }
        }
        else if (fragments.Count == numberOfFrames)
        {
            frames.AddRange(fragments.Select(x => x.Data));
        }
        else
        {
            Assert.That(numberOfFrames, Is.EqualTo(1), "cannot tell which fragments belong to which frame");
            frames.Add(fragments.SelectMany(x => x.Data).ToArray());
        }

        return frames;
    }

    /// <summary>Reads an item (FFFE,E000) value and moves past it; null at the sequence delimiter (FFFE,E0DD).</summary>
    private static byte[]? ReadItem(byte[] file, ref int pos)
    {
        Assert.That(pos + 8, Is.LessThanOrEqualTo(file.Length), "item tag runs past the end of the file");
        ushort group = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos));
        ushort element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 2));
        int length = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 4)));
        Assert.That(group, Is.EqualTo(0xFFFE), $"expected an item tag at byte {pos}");
        pos += 8;
        if (element == 0xE0DD) return null;
        Assert.That(element, Is.EqualTo(0xE000), $"expected an item at byte {pos - 8}");
        Assert.That(pos + length, Is.LessThanOrEqualTo(file.Length), "item value runs past the end of the file");
        byte[] value = file.AsSpan(pos, length).ToArray();
        pos += length;
        return value;
    }

    /// <summary>Offset of the first item of the Pixel Data value.</summary>
    private static int FindPixelData(byte[] file)
    {
        // (7FE0,0010), VR OB or OW, two reserved bytes, undefined length: the last such header is the top-level Pixel Data.
        for (int i = file.Length - 12; i >= 0; i--)
        {
            if (file[i] == 0xE0 && file[i + 1] == 0x7F && file[i + 2] == 0x10 && file[i + 3] == 0x00
                && file[i + 4] == (byte)'O' && file[i + 5] is (byte)'B' or (byte)'W'
                && file[i + 6] == 0 && file[i + 7] == 0
                && BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(i + 8)) == 0xFFFFFFFF)
                return i + 12;
        }

        // Some files (SC_rgb_jpeg.dcm) encode the data set in implicit VR despite an encapsulated transfer syntax:
        // tag, then the undefined length, then the Basic Offset Table item.
        for (int i = file.Length - 12; i >= 0; i--)
        {
            if (file[i] == 0xE0 && file[i + 1] == 0x7F && file[i + 2] == 0x10 && file[i + 3] == 0x00
                && BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(i + 4)) == 0xFFFFFFFF
                && BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(i + 8)) == 0xE000FFFE)
                return i + 8;
        }

        Assert.Fail("no encapsulated Pixel Data (7FE0,0010) with undefined length in the file");
        return -1;
    }
}
