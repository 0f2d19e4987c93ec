using System.Buffers.Binary;
using System.Text;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// Decodes files compressed by DCMTK's independent encoders (dcmcjpeg true-lossless, predictors 1–7, point
/// transform, fragmented frames; dcmcrle) and compares them with the uncompressed sources they were made
/// from (Data/make_fixtures.sh).
/// </summary>
[TestFixture]
public class DcmtkFixtureTests
{
    private static string DataFolder => Path.Combine(TestPaths.RepoRoot, "tests", "ImageGuide.Core.Tests", "Codecs", "Data");

    private static IEnumerable<TestCaseData> Fixtures()
    {
        string manifest = Path.Combine(DataFolder, "fixtures.tsv");
        foreach (string line in File.ReadAllLines(manifest))
        {
            string[] f = line.Split('\t');
            yield return new TestCaseData(f[0], f[1], f[2], int.Parse(f[4])).SetArgDisplayNames(f[0]);
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void DecodesToTheUncompressedSource(string compressedFile, string sourceFile, string transferSyntax, int pointTransform)
    {
        byte[] compressed = File.ReadAllBytes(Path.Combine(DataFolder, compressedFile));
        byte[] source = File.ReadAllBytes(Path.Combine(DataFolder, sourceFile));
        DicomPixelFormat format = FormatOf(compressed);
        DicomPixelFormat sourceFormat = FormatOf(source);
        int frames = NumberOfFrames(compressed);
        int frameSize = (int)format.FrameSizeBytes;
        Assert.That(format with { PlanarConfiguration = 0 }, Is.EqualTo(sourceFormat with { PlanarConfiguration = 0 }));

        byte[] native = NativePixelData(source);
        Assert.That(native, Has.Length.EqualTo(frameSize * frames));
        List<byte[]> encoded = EncapsulatedPixelData.ReadFrames(compressed, frames);
        IDicomCodec codec = DicomCodecRegistry.CreateDefault().GetCodec(transferSyntax);
        for (int f = 0; f < frames; f++)
        {
            var decoded = new byte[frameSize];
            codec.DecodeFrame(encoded[f], format, decoded);
            byte[] expected = native.AsSpan(f * frameSize, frameSize).ToArray();
            if (format.PlanarConfiguration != sourceFormat.PlanarConfiguration && format.SamplesPerPixel > 1)
                expected = Relayout(expected, sourceFormat, format);
            if (pointTransform > 0)
                for (int i = 0; i < expected.Length; i += 2)
                    BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(i),
                        (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(expected.AsSpan(i)) >> pointTransform << pointTransform));
            Assert.That(decoded, Is.EqualTo(expected), $"frame {f}");
        }
    }

    /// <summary>The same samples in the other planar configuration.</summary>
    private static byte[] Relayout(byte[] frame, DicomPixelFormat from, DicomPixelFormat to)
    {
        int pixels = from.Rows * from.Columns, spp = from.SamplesPerPixel, bps = from.BytesPerSample;
        var result = new byte[frame.Length];
        for (int p = 0; p < pixels; p++)
        for (int s = 0; s < spp; s++)
        {
            int a = from.PlanarConfiguration == 1 ? (s * pixels + p) * bps : (p * spp + s) * bps;
            int b = to.PlanarConfiguration == 1 ? (s * pixels + p) * bps : (p * spp + s) * bps;
            frame.AsSpan(a, bps).CopyTo(result.AsSpan(b));
        }

        return result;
    }

    private static DicomPixelFormat FormatOf(byte[] file)
    {
        int spp = UnsignedShort(file, 0x0002) ?? 1;
        return new DicomPixelFormat(
            UnsignedShort(file, 0x0010)!.Value, UnsignedShort(file, 0x0011)!.Value, spp,
            UnsignedShort(file, 0x0100)!.Value, UnsignedShort(file, 0x0101)!.Value, UnsignedShort(file, 0x0102)!.Value,
            UnsignedShort(file, 0x0103)!.Value, spp > 1 ? UnsignedShort(file, 0x0006)!.Value : 0,
            spp > 1 ? "RGB" : "MONOCHROME2");
    }

    /// <summary>Value of the explicit VR LE element (0028,<paramref name="element"/>) US, found by its header bytes.</summary>
    private static int? UnsignedShort(byte[] file, int element)
    {
        byte[] header = [0x28, 0x00, (byte)element, (byte)(element >> 8), (byte)'U', (byte)'S', 2, 0];
        int at = file.AsSpan().IndexOf(header);
        return at < 0 ? null : BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 8));
    }

    private static int NumberOfFrames(byte[] file)
    {
        byte[] header = [0x28, 0x00, 0x08, 0x00, (byte)'I', (byte)'S'];
        int at = file.AsSpan().IndexOf(header);
        if (at < 0) return 1;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 6));
        return int.Parse(Encoding.ASCII.GetString(file, at + 8, length).Trim());
    }

    /// <summary>The value of a native (defined-length) Pixel Data element.</summary>
    private static byte[] NativePixelData(byte[] file)
    {
        for (int i = file.Length - 12; i >= 0; i--)
        {
            if (file[i] == 0xE0 && file[i + 1] == 0x7F && file[i + 2] == 0x10 && file[i + 3] == 0x00
                && file[i + 4] == (byte)'O' && file[i + 5] is (byte)'B' or (byte)'W')
            {
                int length = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(i + 8)));
                return file.AsSpan(i + 12, length).ToArray();
            }
        }

        Assert.Fail("no native Pixel Data in the source file");
        return [];
    }
}
