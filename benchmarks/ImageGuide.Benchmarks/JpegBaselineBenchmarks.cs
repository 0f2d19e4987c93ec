using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using ImageGuide.Dicom.Codecs;
using ImageGuide.Tests.Codecs;

namespace ImageGuide.Benchmarks;

/// <summary>
/// Decoding real JPEG Baseline / Extended frames with the managed codec: the 100 × 100 YCbCr baseline frame of
/// pydicom's SC_rgb_jpeg_dcmtk.dcm, the 1024 × 256 12-bit extended frame of JPGExtended.dcm and the 2140 × 1760 12-bit
/// CR frame RG2_JPLY.dcm (pylibjpeg-data). <see cref="Measure"/> is the plain Stopwatch loop behind the
/// <c>jpeg-speed</c> verb.
/// </summary>
public class JpegBaselineBenchmarks
{
    private static readonly (string Folder, string Path, DicomPixelFormat Format)[] Files =
    [
        ("pydicom-test-files", "test_files/SC_rgb_jpeg_dcmtk.dcm", new(100, 100, 3, 8, 8, 7, 0, 0, "YBR_FULL")),
        ("pydicom-test-files", "test_files/JPGExtended.dcm", new(1024, 256, 1, 16, 12, 11, 0, 0, "MONOCHROME2")),
        ("dicom-codecs-enhanced-seg", "pylibjpeg-data/JPEGExtended/RG2_JPLY.dcm", new(2140, 1760, 1, 16, 10, 9, 0, 0, "MONOCHROME2")),
    ];

    private readonly JpegBaselineCodec _codec = new();
    private byte[][] _frames = null!;
    private byte[][] _outputs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frames = Files.Select(f => Frame(f.Folder, f.Path)).ToArray();
        _outputs = Files.Select(f => new byte[f.Format.FrameSizeBytes]).ToArray();
    }

    [Benchmark]
    public byte[] BaselineRgb100() => Decode(0);

    [Benchmark]
    public byte[] Extended12Bit1024x256() => Decode(1);

    [Benchmark]
    public byte[] Extended12BitCr2140x1760() => Decode(2);

    private byte[] Decode(int i)
    {
        _codec.DecodeFrame(_frames[i], Files[i].Format, _outputs[i]);
        return _outputs[i];
    }

    private static byte[] Frame(string folder, string path) =>
        EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(Path.Combine(BenchmarkData.SharedData(folder), path)), 1)[0];

    /// <summary>Decodes each file repeatedly for about <paramref name="seconds"/> s and prints decoded MB/s and time per frame.</summary>
    public static void Measure(double seconds)
    {
        var codec = new JpegBaselineCodec();
        foreach (var (folder, path, format) in Files)
        {
            byte[] frame = Frame(folder, path), output = new byte[format.FrameSizeBytes];
            for (int w = 0; w < 20; w++) codec.DecodeFrame(frame, format, output); // warm-up: JIT tiers
            int n = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < seconds || n < 5)
            {
                codec.DecodeFrame(frame, format, output);
                n++;
            }

            double perFrame = sw.Elapsed.TotalSeconds / n;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(path),-28} {format.Columns}x{format.Rows}x{format.SamplesPerPixel} {frame.Length,8} B in, {format.FrameSizeBytes,8} B out: "
                + $"{perFrame * 1e3,8:F3} ms/frame, {format.FrameSizeBytes / perFrame / 1e6,7:F1} MB/s decoded, {format.PixelCount / perFrame / 1e6,6:F1} Mpixel/s ({n} runs)"));
        }
    }
}
