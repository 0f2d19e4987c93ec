using BenchmarkDotNet.Attributes;
using ImageGuide.Dicom;
using ImageGuide.Dicom.Codecs;
using ImageGuide.Tests.Codecs;

namespace ImageGuide.Benchmarks;

/// <summary>
/// Decoding one real 512 × 512 16-bit CT slice (the middle slice of the Philips series), compressed with the
/// test encoders written from the standards (RLE: PS3.5 G.3; JPEG lossless: T.81 Annex H, predictor 1 = SV1;
/// JPEG-LS: T.87 lossless), and one real JPEG-LS frame as CharLS wrote it (the 384 × 384 12-bit MR slice of
/// mr-one-slice-9-syntaxes, In/7.dcm, gdcmconv --jpegls).
/// </summary>
public class CodecBenchmarks
{
    private byte[] _rle = null!, _jpeg = null!, _jpegLs = null!, _native = null!, _mrJpegLs = null!, _mrNative = null!;
    private DicomPixelFormat _format, _mrFormat;
    private readonly RleLosslessCodec _rleCodec = new();
    private readonly JpegLosslessCodec _jpegCodec = new();
    private readonly JpegLsCodec _jpegLsCodec = new();

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
        _jpegLs = new JpegLsTestEncoder { Precision = 16 }.Encode([values], _format.Columns, _format.Rows);

        string mr = Path.Combine(BenchmarkData.SharedData("mr-one-slice-9-syntaxes"), "In", "7.dcm");
        _mrFormat = DicomFile.Read(mr).GetPixelData().Format;
        _mrJpegLs = EncapsulatedPixelData.ReadFrames(File.ReadAllBytes(mr), 1)[0];
        _mrNative = new byte[_mrFormat.FrameSizeBytes];
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

    [Benchmark]
    public byte[] JpegLsDecode512()
    {
        _jpegLsCodec.DecodeFrame(_jpegLs, _format, _native);
        return _native;
    }

    [Benchmark]
    public byte[] JpegLsDecodeRealMr384()
    {
        _jpegLsCodec.DecodeFrame(_mrJpegLs, _mrFormat, _mrNative);
        return _mrNative;
    }
}
