using System.Diagnostics;
using System.Text.Json;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;
using ImageGuide.IO;
using ImageGuide.Tests.Dicom;

namespace ImageGuide.Tests.Codecs;

/// <summary>
/// Real JPEG-LS files beyond the pydicom corpus: the lossless and near-lossless files of shared/data
/// dicom-codecs-enhanced-seg compared with pydicom 2.3.1 + GDCM's reference.json (statistics and SHA-256 of the
/// array), near-lossless against its lossless twin within NEAR, and the JPEG-LS slices of mr-one-slice-9-syntaxes
/// against the uncompressed slice.
/// </summary>
[TestFixture]
public class JpegLsReferenceFileTests
{
    private const string EnhancedFolder = "dicom-codecs-enhanced-seg";

    private static readonly string[] EnhancedFiles =
    [
        "pydicom-data/JLSL_08_07_0_1F.dcm",
        "pydicom-data/JLSL_16_15_1_1F.dcm",
        "pydicom-data/emri_small_jpeg_ls_lossless.dcm",
        "pylibjpeg-data/JPEGLS/CT1_JLSN.dcm",
        "pylibjpeg-data/JPEGLS/RG2_JLSN.dcm",
        "pylibjpeg-data/JPEGLSLossless/RG2_JLSL.dcm",
    ];

    [Test]
    public void EveryJpegLsFileOfTheFolderIsCovered()
    {
        string folder = TestPaths.RequireShared(EnhancedFolder);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
        var expected = new List<string>();
        foreach (JsonElement file in json.RootElement.GetProperty("files").EnumerateArray())
            if (file.TryGetProperty("transfer_syntax_uid", out JsonElement ts) && ts.GetString() is "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81")
                expected.Add(file.GetProperty("path").GetString()!);
        Assert.That(EnhancedFiles, Is.EquivalentTo(expected));
    }

    [TestCaseSource(nameof(EnhancedFiles))]
    public void DecodedValuesMatchTheReference(string relativePath)
    {
        string folder = TestPaths.RequireShared(EnhancedFolder);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
        JsonElement entry = json.RootElement.GetProperty("files").EnumerateArray()
            .Single(f => f.GetProperty("path").GetString() == relativePath);
        Assert.That(entry.GetProperty("pixels").GetProperty("decoded").GetBoolean(), Is.True);

        DicomPixelData pd = DicomFile.Read(Path.Combine(folder, relativePath)).GetPixelData();
        DicomCorpusTests.CheckPixelStatistics(entry.GetProperty("pixels"), pd, DicomCorpusTests.DecodeAll(pd));
    }

    [Test]
    public void NearLosslessStaysWithinNearOfTheLosslessTwin()
    {
        // RG2_JLSN is coded with NEAR = 4 (its SOS); RG2_JLSL is the same CR image losslessly coded.
        const int near = 4;
        string folder = TestPaths.RequireShared(EnhancedFolder);
        long[] lossy = DicomCorpusTests.DecodeAll(DicomFile.Read(Path.Combine(folder, "pylibjpeg-data/JPEGLS/RG2_JLSN.dcm")).GetPixelData());
        long[] lossless = DicomCorpusTests.DecodeAll(DicomFile.Read(Path.Combine(folder, "pylibjpeg-data/JPEGLSLossless/RG2_JLSL.dcm")).GetPixelData());
        Assert.That(lossy, Has.Length.EqualTo(lossless.Length));
        long maxDifference = 0;
        for (int i = 0; i < lossy.Length; i++) maxDifference = Math.Max(maxDifference, Math.Abs(lossy[i] - lossless[i]));
        Assert.That(maxDifference, Is.LessThanOrEqualTo(near).And.GreaterThan(0));
    }

    [TestCase("7.dcm")] // gdcmconv --jpegls
    [TestCase("8.dcm")] // dcmcjpls
    public void MrSliceIsBitIdenticalToTheUncompressedSlice(string name)
    {
        string folder = Path.Combine(TestPaths.RequireShared("mr-one-slice-9-syntaxes"), "In");
        float[] reference = VolumeReader.Read(Path.Combine(folder, "1.dcm")).Volume.Data;
        float[] decoded = VolumeReader.Read(Path.Combine(folder, name)).Volume.Data;
        Assert.That(decoded, Is.EqualTo(reference));
    }

    [Test]
    public void CorruptedRealFrame_DecodesOrThrowsDicomCodecException_Quickly()
    {
        string path = Path.Combine(TestPaths.RequireShared("mr-one-slice-9-syntaxes"), "In", "7.dcm");
        byte[] good = EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(path), 1)[0];
        var format = new DicomPixelFormat(384, 384, 1, 16, 12, 11, 0, 0, "MONOCHROME2");
        var codec = new JpegLsCodec();
        var frame = new byte[format.FrameSizeBytes];
        var random = new Random(17);
        var watch = Stopwatch.StartNew();
        int refused = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bad = (byte[])good.Clone();
            for (int c = 0, changes = 1 + trial % 8; c < changes; c++) bad[random.Next(bad.Length)] ^= (byte)(1 + random.Next(255));
            if (trial % 4 == 0) bad = bad.AsSpan(0, random.Next(bad.Length)).ToArray();
            try
            {
                codec.DecodeFrame(bad, format, frame);
            }
            catch (DicomCodecException)
            {
                refused++;
            }
        }

        Assert.That(refused, Is.GreaterThan(0));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "no pathological slow path");
    }
}
