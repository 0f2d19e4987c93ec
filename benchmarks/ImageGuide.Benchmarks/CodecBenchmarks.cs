using BenchmarkDotNet.Attributes;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;
using ImageGuide.Tests.Codecs;

namespace ImageGuide.Benchmarks;

/// <summary>
/// Decoding one real 512 × 512 16-bit CT slice (the middle slice of the Philips series), compressed with the
/// test encoders written from the standards (RLE: PS3.5 G.3; JPEG lossless: T.81 Annex H, predictor 1 = SV1).
/// </summary>
public class CodecBenchmarks
{
    private byte[] _rle = null!, _jpeg = null!, _native = null!;
    private DicomPixelFormat _format;
    private readonly RleLosslessCodec _rleCodec = new();
    private readonly JpegLosslessCodec _jpegCodec = new();

    [GlobalSetup]
    public void Setup()
    {
        string dir = BenchmarkData.SharedData("ct-philips-brain-5mm");
        var file = DicomFile.Read(Path.Combine(dir, "dicom", "I150"));
        var pixels = file.GetPixelData();
        _format = pixels.Format;
        _native = new byte[pixels.FrameSizeBytes];
        pixels.DecodeFrame(0, _native);
        _rle = RleTestEncoder.Encode(_native, _format);
        var values = new uint[_format.Rows * _format.Columns];
        for (int n = 0; n < values.Length; n++) values[n] = BitConverter.ToUInt16(_native, 2 * n);
        _jpeg = new JpegLosslessTestEncoder { Precision = 16, Predictor = 1 }.Encode([values], _format.Columns, _format.Rows);
    }

    [Benchmark]
    public byte[] RleDecode512()
    {
        _rleCodec.DecodeFrame(_rle, _format, _native);
        return _native;
    }

    [Benchmark]
    public byte[] JpegLosslessDecode512()
    {
        _jpegCodec.DecodeFrame(_jpeg, _format, _native);
        return _native;
    }
}
