using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// Decodes the RLE, JPEG lossless and JPEG-LS files of the pydicom test corpus and compares the stored values with
/// the statistics and array hash pydicom 2.3.1 recorded in reference.json.
/// </summary>
[TestFixture]
public class ReferenceFileTests
{
    private static readonly string[] CodecSyntaxes =
    [
        TransferSyntaxNames.RleLossless, TransferSyntaxNames.JpegLossless, TransferSyntaxNames.JpegLosslessSV1,
        TransferSyntaxNames.JpegLsLossless, TransferSyntaxNames.JpegLsNearLossless,
    ];

    private static JsonElement Reference(string folder, string relativePath)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
        foreach (JsonElement file in json.RootElement.GetProperty("files").EnumerateArray())
            if (file.GetProperty("path").GetString() == relativePath) return file.Clone();
        Assert.Fail($"{relativePath} is not in reference.json");
        return default;
    }

    [Test]
    public void EveryDecodableCodecFileIsCovered()
    {
        string folder = TestPaths.RequireShared("pydicom-test-files");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
        var expected = new List<string>();
        foreach (JsonElement file in json.RootElement.GetProperty("files").EnumerateArray())
            if (file.TryGetProperty("transfer_syntax_uid", out JsonElement ts) && CodecSyntaxes.Contains(ts.GetString())
                && file.GetProperty("pixels").TryGetProperty("decoded", out JsonElement decoded) && decoded.GetBoolean())
                expected.Add(file.GetProperty("path").GetString()!);
        Assert.That(Covered, Is.EquivalentTo(expected));
    }

    private static readonly string[] Covered =
    [
        "test_files/SC_rgb_rle.dcm",
        "test_files/SC_rgb_rle_2frame.dcm",
        "test_files/SC_rgb_rle_16bit.dcm",
        "test_files/SC_rgb_rle_16bit_2frame.dcm",
        "test_files/SC_rgb_rle_32bit.dcm",
        "test_files/SC_rgb_rle_32bit_2frame.dcm",
        "test_files/rtdose_rle_1frame.dcm",
        "test_files/SC_rgb_jpeg_gdcm.dcm",
        "test_files/MR_small_jpeg_ls_lossless.dcm",
    ];

    [TestCaseSource(nameof(Covered))]
    public void DecodedValuesMatchPydicom(string relativePath)
    {
        string folder = TestPaths.RequireShared("pydicom-test-files");
        JsonElement reference = Reference(folder, relativePath);
        JsonElement pixels = reference.GetProperty("pixels");
        int frames = reference.GetProperty("number_of_frames").ValueKind == JsonValueKind.Number ? reference.GetProperty("number_of_frames").GetInt32() : 1;
        var format = new DicomPixelFormat(
            reference.GetProperty("rows").GetInt32(),
            reference.GetProperty("columns").GetInt32(),
            reference.GetProperty("samples_per_pixel").GetInt32(),
            reference.GetProperty("bits_allocated").GetInt32(),
            reference.GetProperty("bits_stored").GetInt32(),
            reference.GetProperty("high_bit").GetInt32(),
            reference.GetProperty("pixel_representation").GetInt32(),
            reference.GetProperty("planar_configuration").ValueKind == JsonValueKind.Number ? reference.GetProperty("planar_configuration").GetInt32() : 0,
            reference.GetProperty("photometric_interpretation").GetString()!);

        IDicomCodec codec = DicomCodecRegistry.CreateDefault().GetCodec(reference.GetProperty("transfer_syntax_uid").GetString()!);
        List<byte[]> encoded = EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(Path.Combine(folder, relativePath)), frames);
        Assert.That(encoded, Has.Count.EqualTo(frames));

        // pydicom's array is (frame, row, column, sample): interleave planar frames before comparing.
        int frameSize = (int)format.FrameSizeBytes;
        var array = new byte[frameSize * frames];
        var frame = new byte[frameSize];
        for (int f = 0; f < frames; f++)
        {
            codec.DecodeFrame(encoded[f], format, frame);
            Interleave(frame, format, array.AsSpan(f * frameSize, frameSize));
        }

        long[] values = Values(array, format);
        int spp = format.SamplesPerPixel;
        int centre = ((format.Rows / 2) * format.Columns + format.Columns / 2) * spp;
        Assert.Multiple(() =>
        {
            Assert.That(values.Min(), Is.EqualTo(pixels.GetProperty("min").GetInt64()), "min");
            Assert.That(values.Max(), Is.EqualTo(pixels.GetProperty("max").GetInt64()), "max");
            Assert.That(values.Sum(), Is.EqualTo(pixels.GetProperty("sum").GetInt64()), "sum");
            Assert.That(values.AsSpan(0, spp).ToArray(), Is.EqualTo(Samples(pixels.GetProperty("value_at_0_0"))), "value at (0,0)");
            Assert.That(values.AsSpan(centre, spp).ToArray(), Is.EqualTo(Samples(pixels.GetProperty("value_at_centre"))), "value at centre");
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(array)), Is.EqualTo(pixels.GetProperty("sha256_of_little_endian_array_bytes").GetString()), "sha256");
        });
    }

    private static long[] Samples(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetInt64()).ToArray() : [value.GetInt64()];

    private static void Interleave(ReadOnlySpan<byte> frame, in DicomPixelFormat format, Span<byte> output)
    {
        if (format.PlanarConfiguration == 0 || format.SamplesPerPixel == 1)
        {
            frame.CopyTo(output);
            return;
        }

        int bps = format.BytesPerSample, spp = format.SamplesPerPixel, pixels = format.Rows * format.Columns;
        for (int s = 0; s < spp; s++)
        for (int p = 0; p < pixels; p++)
            frame.Slice((s * pixels + p) * bps, bps).CopyTo(output[((p * spp + s) * bps)..]);
    }

    private static long[] Values(byte[] array, in DicomPixelFormat format)
    {
        int bps = format.BytesPerSample;
        var values = new long[array.Length / bps];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> b = array.AsSpan(i * bps, bps);
            values[i] = (bps, format.IsSigned) switch
            {
                (1, false) => b[0],
                (1, true) => (sbyte)b[0],
                (2, false) => BinaryPrimitives.ReadUInt16LittleEndian(b),
                (2, true) => BinaryPrimitives.ReadInt16LittleEndian(b),
                (_, false) => BinaryPrimitives.ReadUInt32LittleEndian(b),
                _ => BinaryPrimitives.ReadInt32LittleEndian(b),
            };
        }

        return values;
    }
}
