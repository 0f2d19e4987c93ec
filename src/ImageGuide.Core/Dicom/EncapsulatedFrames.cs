using System.Buffers.Binary;

namespace ImageGuide.Dicom;

/// <summary>
/// The fragments of encapsulated pixel data and which of them make up each frame (PS3.5 Annex A.4): by the
/// Extended Offset Table (7FE0,0001) when present, else one frame holding every fragment, else the Basic Offset
/// Table, else one fragment per frame, else a new frame at each fragment that starts a JPEG / JPEG 2000 codestream.
/// </summary>
internal sealed class EncapsulatedFrames
{
    private readonly (int First, int Count)[] _frames;

    private EncapsulatedFrames(ReadOnlyMemory<byte>[] fragments, (int, int)[] frames)
    {
        Fragments = fragments;
        _frames = frames;
    }

    /// <summary>The compressed fragments, Basic Offset Table excluded.</summary>
    public ReadOnlyMemory<byte>[] Fragments { get; }

    /// <summary>The fragments (first index, count) of frame <paramref name="frame"/>.</summary>
    public (int First, int Count) FragmentsOf(int frame) => _frames[frame];

    public static EncapsulatedFrames Create(DicomElement pixelData, DicomDataset dataset, int frameCount, string? path)
    {
        IReadOnlyList<ReadOnlyMemory<byte>> items = pixelData.Fragments;
        long at = pixelData.ValueOffset;
        if (items.Count == 0)
            throw Error("has no Basic Offset Table item", path, at);
        var fragments = new ReadOnlyMemory<byte>[items.Count - 1];
        var itemOffsets = new long[items.Count - 1];
        long offset = 0;
        for (int i = 1; i < items.Count; i++)
        {
            fragments[i - 1] = items[i];
            itemOffsets[i - 1] = offset;
            offset += 8 + items[i].Length;
        }
        if (fragments.Length == 0)
            throw Error("has no fragments after its Basic Offset Table", path, at);

        var frames = new (int, int)[frameCount];
        if (dataset.TryGetElement(DicomTags.ExtendedOffsetTable, out DicomElement? eot))
        {
            ReadOnlySpan<byte> table = eot.Value.Span;
            if (table.Length < 8 * frameCount)
                throw Error($"has an Extended Offset Table (7FE0,0001) of {table.Length / 8} entries for {frameCount} frames", path, at);
            for (int f = 0; f < frameCount; f++)
            {
                ulong start = BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(8 * f, 8));
                int index = Array.IndexOf(itemOffsets, (long)Math.Min(start, long.MaxValue));
                if (index < 0)
                    throw Error($"has an Extended Offset Table entry {start} for frame {f} that is not the start of a fragment", path, at);
                frames[f] = (index, 1);
            }
            return new EncapsulatedFrames(fragments, frames);
        }

        if (frameCount == 1)
        {
            frames[0] = (0, fragments.Length);
            return new EncapsulatedFrames(fragments, frames);
        }

        ReadOnlySpan<byte> bot = items[0].Span;
        if (bot.Length >= 4 * frameCount)
        {
            for (int f = 0; f < frameCount; f++)
            {
                long start = BinaryPrimitives.ReadUInt32LittleEndian(bot.Slice(4 * f, 4));
                long end = f + 1 < frameCount ? BinaryPrimitives.ReadUInt32LittleEndian(bot.Slice(4 * f + 4, 4)) : long.MaxValue;
                int first = Array.IndexOf(itemOffsets, start);
                if (first < 0 || end <= start)
                    throw Error($"has a Basic Offset Table entry {start} for frame {f} that is not the start of a fragment or is out of order", path, at);
                int count = 1;
                while (first + count < itemOffsets.Length && itemOffsets[first + count] < end) count++;
                frames[f] = (first, count);
            }
            return new EncapsulatedFrames(fragments, frames);
        }

        if (fragments.Length == frameCount)
        {
            for (int f = 0; f < frameCount; f++) frames[f] = (f, 1);
            return new EncapsulatedFrames(fragments, frames);
        }

        var starts = new List<int>();
        for (int i = 0; i < fragments.Length && starts.Count <= frameCount; i++)
            if (StartsCodestream(fragments[i].Span)) starts.Add(i);
        if (starts.Count != frameCount || starts[0] != 0)
            throw Error($"holds {fragments.Length} fragments for {frameCount} frames with no offset table, and the fragments cannot be assigned to frames", path, at);
        for (int f = 0; f < frameCount; f++)
            frames[f] = (starts[f], (f + 1 < frameCount ? starts[f + 1] : fragments.Length) - starts[f]);
        return new EncapsulatedFrames(fragments, frames);
    }

    private static bool StartsCodestream(ReadOnlySpan<byte> fragment) =>
        fragment.Length >= 4 && fragment[0] == 0xFF
        && (fragment[1] == 0xD8 || (fragment[1] == 0x4F && fragment[2] == 0xFF && fragment[3] == 0x51));

    private static DicomException Error(string what, string? path, long offset) =>
        new($"the encapsulated Pixel Data (7FE0,0010) at byte {offset} {what}; the file is corrupt.", path, DicomTags.PixelData, offset);
}
