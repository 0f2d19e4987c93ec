namespace ImageGuide.Dicom;

/// <summary>Builds <see cref="DicomDataset"/> trees from the tokens of a <see cref="DicomElementReader"/>.</summary>
internal static class DicomDatasetBuilder
{
    /// <summary>What <see cref="Build"/> did.</summary>
    /// <param name="NeedsMoreData">The span was partial and ended before the data did: read more and retry.</param>
    /// <param name="BytesConsumed">Bytes of the span read into the data set.</param>
    internal readonly record struct Outcome(bool NeedsMoreData, int BytesConsumed);

    /// <summary>
    /// Reads elements from <paramref name="data"/> into <paramref name="root"/>.
    /// </summary>
    /// <param name="data">Encoded elements; element values are kept as slices of it (no copies for little endian).</param>
    /// <param name="encoding">VR and byte order of the data.</param>
    /// <param name="baseOffset">Absolute offset of <paramref name="data"/>[0].</param>
    /// <param name="root">The data set that receives the top-level elements.</param>
    /// <param name="stopAtPixelData">Stop at top-level (7FE0,0010), recording its header but not its value.</param>
    /// <param name="partial">The data is the start of a longer stream (header scan).</param>
    /// <param name="metaGroupOnly">Stop before the first top-level element whose group is not 0002.</param>
    /// <param name="ct">Cancellation.</param>
    public static Outcome Build(ReadOnlyMemory<byte> data, DicomEncoding encoding, long baseOffset, DicomDataset root,
        bool stopAtPixelData, bool partial, bool metaGroupOnly, CancellationToken ct)
    {
        ReadOnlySpan<byte> span = data.Span;
        var reader = new DicomElementReader(span, encoding.ExplicitVr, encoding.LittleEndian, baseOffset, root.FilePath,
            stopAtPixelData, partial);
        var datasets = new Stack<DicomDataset>();
        var sequences = new Stack<SequenceFrame>();
        List<ReadOnlyMemory<byte>>? fragments = null;
        long fragmentsOffset = 0, fragmentsHeader = 0;
        DicomDataset current = root;
        int tokens = 0;

        while (true)
        {
            if (metaGroupOnly && sequences.Count == 0 && fragments is null)
            {
                int pos = reader.BytesConsumed;
                if (span.Length - pos < 2 || (span[pos] | (span[pos + 1] << 8)) != 0x0002) break;
            }
            if (!reader.Read()) break;
            if ((++tokens & 1023) == 0) ct.ThrowIfCancellationRequested();

            switch (reader.TokenType)
            {
                case DicomTokenType.Element:
                    AddElement(ref reader, data, baseOffset, current);
                    if (reader.IsStoppedAtPixelData) return new Outcome(false, reader.BytesConsumed);
                    break;
                case DicomTokenType.StartSequence:
                    sequences.Push(new SequenceFrame(reader.Tag, reader.VR, reader.Length, reader.ValueOffset));
                    break;
                case DicomTokenType.StartItem:
                    var item = new DicomDataset(root.FilePath, current.Charset, root.WarningList);
                    sequences.Peek().Items.Add(item);
                    datasets.Push(current);
                    current = item;
                    break;
                case DicomTokenType.EndItem:
                    current = datasets.Pop();
                    break;
                case DicomTokenType.EndSequence:
                    SequenceFrame done = sequences.Pop();
                    current.Add(new DicomElement(done.Tag, done.VR, ReadOnlyMemory<byte>.Empty, done.Length, done.ValueOffset,
                        items: done.Items));
                    break;
                case DicomTokenType.StartFragments:
                    if (reader.IsStoppedAtPixelData)
                    {
                        current.Add(new DicomElement(reader.Tag, DicomVR.OB, ReadOnlyMemory<byte>.Empty, reader.Length,
                            reader.ValueOffset, fragments: Array.Empty<ReadOnlyMemory<byte>>())
                        { HeaderOffset = reader.TokenOffset });
                        return new Outcome(false, reader.BytesConsumed);
                    }
                    fragments = new List<ReadOnlyMemory<byte>>();
                    fragmentsOffset = reader.ValueOffset;
                    fragmentsHeader = reader.TokenOffset;
                    break;
                case DicomTokenType.Fragment:
                    fragments!.Add(data.Slice((int)(reader.ValueOffset - baseOffset), (int)reader.Length));
                    break;
                case DicomTokenType.EndFragments:
                    current.Add(new DicomElement(reader.Tag, DicomVR.OB, ReadOnlyMemory<byte>.Empty, 0xFFFFFFFF,
                        fragmentsOffset, fragments: fragments) { HeaderOffset = fragmentsHeader });
                    fragments = null;
                    break;
            }
        }
        return new Outcome(reader.NeedsMoreData, reader.BytesConsumed);
    }

    private static void AddElement(ref DicomElementReader reader, ReadOnlyMemory<byte> data, long baseOffset,
        DicomDataset current)
    {
        DicomTag tag = reader.Tag;
        DicomVR vr = reader.VR;
        if (reader.IsStoppedAtPixelData)
        {
            current.Add(new DicomElement(tag, vr, ReadOnlyMemory<byte>.Empty, reader.Length, reader.ValueOffset,
                isByteOrderNormalized: reader.ValueIsLittleEndian) { HeaderOffset = reader.TokenOffset });
            return;
        }
        ReadOnlyMemory<byte> value = data.Slice((int)(reader.ValueOffset - baseOffset), (int)reader.Length);
        bool normalized = true;
        int unit = vr.BinaryUnitSize;
        if (!reader.ValueIsLittleEndian && unit > 1)
        {
            if (tag == DicomTags.PixelData) normalized = false;
            else value = SwapBytes(value.Span, unit);
        }
        current.Add(new DicomElement(tag, vr, value, reader.Length, reader.ValueOffset, isByteOrderNormalized: normalized)
        {
            HeaderOffset = reader.TokenOffset,
        });

        if (tag == DicomTags.SpecificCharacterSet && current.TryGetStrings(tag, out string[]? terms))
        {
            current.SetCharset(DicomCharset.FromSpecificCharacterSet(terms, out string? warning));
            if (warning is not null) current.WarningList.Add(warning);
        }
    }

    private static byte[] SwapBytes(ReadOnlySpan<byte> source, int unit)
    {
        var copy = source.ToArray();
        int whole = copy.Length - copy.Length % unit;
        for (int i = 0; i < whole; i += unit) copy.AsSpan(i, unit).Reverse();
        return copy;
    }

    private sealed class SequenceFrame(DicomTag tag, DicomVR vr, uint length, long valueOffset)
    {
        public DicomTag Tag { get; } = tag;
        public DicomVR VR { get; } = vr;
        public uint Length { get; } = length;
        public long ValueOffset { get; } = valueOffset;
        public List<DicomDataset> Items { get; } = new();
    }
}
