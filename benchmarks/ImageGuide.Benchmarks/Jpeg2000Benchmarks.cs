using BenchmarkDotNet.Attributes;
using ImageGuide.Dicom;

namespace ImageGuide.Benchmarks;

/// <summary>Decoding one slice of the real JPEG 2000 lossless CT series (512 × 512, 12 bits, 12 quality layers).</summary>
public class Jpeg2000Benchmarks
{
    private DicomPixelData _pixels = null!;
    private byte[] _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        string dir = Path.Combine(BenchmarkData.SharedData("ct-mr-totalsegmentator"), "example_ct_dicom");
        _pixels = DicomFile.Read(Directory.GetFiles(dir).Order(StringComparer.Ordinal).First()).GetPixelData();
        _frame = new byte[_pixels.FrameSizeBytes];
    }

    [Benchmark]
    public byte[] Jpeg2000LosslessCtSlice()
    {
        _pixels.DecodeFrame(0, _frame);
        return _frame;
    }
}
