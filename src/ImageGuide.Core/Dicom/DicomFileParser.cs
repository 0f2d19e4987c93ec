using System.IO.Compression;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom;

/// <summary>Parses DICOM Part 10 files (and bare data sets without file meta) held in memory.</summary>
internal static class DicomFileParser
{
    private static ReadOnlySpan<byte> Dicm => "DICM"u8;

    /// <summary>The parts of a parsed file, or a request for more bytes.</summary>
    internal sealed class Parsed
    {
        public bool NeedsMoreData { get; init; }
        public bool HasPreamble { get; init; }
        public DicomDataset? Meta { get; init; }
        public DicomDataset? Dataset { get; init; }
        public string TransferSyntaxUid { get; init; } = TransferSyntaxNames.ImplicitVRLittleEndian;
        public bool TransferSyntaxInferred { get; init; }
        public DicomEncoding Encoding { get; init; }
        public ReadOnlyMemory<byte> DatasetBytes { get; init; }
        public long DatasetOffset { get; init; }
        public bool DatasetInflated { get; init; }
        public List<string> Warnings { get; init; } = new();
    }

    /// <summary>
    /// Parses <paramref name="data"/> (the whole file, or its first bytes when <paramref name="partial"/>).
    /// </summary>
    public static Parsed Parse(ReadOnlyMemory<byte> data, long fileLength, string? path, bool headerOnly, bool partial,
        DicomReadOptions options, CancellationToken ct)
    {
        ReadOnlySpan<byte> span = data.Span;
        var warnings = new List<string>();
        var meta = new DicomDataset(path, DicomCharset.Default, warnings);

        if (partial && span.Length < 132) return new Parsed { NeedsMoreData = true };
        bool hasPreamble = span.Length >= 132 && span.Slice(128, 4).SequenceEqual(Dicm);
        int pos = hasPreamble ? 132 : 0;
        if (!hasPreamble && span.Length >= 4 && span[..4].SequenceEqual(Dicm)) pos = 4; // "DICM" without a preamble

        if (span.Length - pos >= 8 && (span[pos] | (span[pos + 1] << 8)) == 0x0002)
        {
            DicomDatasetBuilder.Outcome metaOutcome = DicomDatasetBuilder.Build(data[pos..], DicomEncoding.ExplicitLittle,
                pos, meta, stopAtPixelData: false, partial, metaGroupOnly: true, ct);
            if (metaOutcome.NeedsMoreData) return new Parsed { NeedsMoreData = true };
            pos += metaOutcome.BytesConsumed;
        }
        else if (hasPreamble && span.Length - pos >= 8)
        {
            warnings.Add("the file has a DICM preamble but no file meta group (0002,xxxx); the transfer syntax was guessed.");
        }

        ReadOnlyMemory<byte> datasetBytes = data[pos..];
        bool inferred;
        string uid;
        DicomEncoding encoding;
        if (meta.TryGetString(DicomTags.TransferSyntaxUid, out string? declared))
        {
            uid = declared;
            inferred = false;
            encoding = DicomEncoding.FromTransferSyntax(uid);
        }
        else
        {
            encoding = DicomEncoding.Guess(datasetBytes.Span);
            uid = encoding.TransferSyntaxUid;
            inferred = true;
        }

        long datasetOffset = pos;
        bool inflated = encoding.Deflated;
        if (inflated)
        {
            if (partial) return new Parsed { NeedsMoreData = true };
            datasetBytes = Inflate(datasetBytes, fileLength, path, pos, options);
            datasetOffset = 0;
            encoding = DicomEncoding.ExplicitLittle;
        }

        var dataset = new DicomDataset(path, DicomCharset.Default, warnings);
        DicomDatasetBuilder.Outcome outcome = DicomDatasetBuilder.Build(datasetBytes, encoding, datasetOffset, dataset,
            stopAtPixelData: headerOnly, partial, metaGroupOnly: false, ct);
        if (outcome.NeedsMoreData) return new Parsed { NeedsMoreData = true };

        return new Parsed
        {
            HasPreamble = hasPreamble,
            Meta = meta,
            Dataset = dataset,
            TransferSyntaxUid = uid,
            TransferSyntaxInferred = inferred,
            Encoding = encoding,
            DatasetBytes = datasetBytes,
            DatasetOffset = datasetOffset,
            DatasetInflated = inflated,
            Warnings = warnings,
        };
    }

    private static byte[] Inflate(ReadOnlyMemory<byte> deflated, long fileLength, string? path, long offset,
        DicomReadOptions options)
    {
        long cap = options.MaxInflatedBytes ?? Math.Min(Array.MaxLength, 64L * fileLength + (16L << 20));
        cap = Math.Min(cap, Array.MaxLength);
        try
        {
            using var input = new MemoryStream(deflated.ToArray(), writable: false);
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            byte[] buffer = new byte[81920];
            int n;
            while ((n = inflater.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > cap)
                    throw new DicomException($"the deflated data set starting at byte {offset} inflates to more than {cap} bytes, the limit for this file ({fileLength} bytes); it is corrupt or a decompression bomb. Raise DicomReadOptions.MaxInflatedBytes if the file is genuine.", path, null, offset);
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new DicomException($"the deflated data set starting at byte {offset} is not valid deflate data ({ex.Message}); the file is corrupt.", path, null, offset, ex);
        }
    }
}
