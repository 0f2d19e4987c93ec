using BenchmarkDotNet.Attributes;
using ImageGuide.Imaging;

namespace ImageGuide.Benchmarks;

/// <summary>Trilinear resampling of a 256³ float volume through a rotation onto a 256³ grid (16.7 M voxels).</summary>
[MemoryDiagnoser]
public class ResamplingBenchmarks
{
    private Volume<float> _source = null!;
    private VolumeGeometry _target = null!;
    private RigidTransform _transform = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new VolumeGeometry(256, 256, 256, new Vec3(1, 1, 1), new Vec3(-128, -128, -128));
        _source = new Volume<float>(g);
        for (int n = 0; n < _source.Data.Length; n++) _source.Data[n] = n % 1000;
        _target = g;
        _transform = new RigidTransform(Versor.FromAxisAngle(new Vec3(1, 2, 3), 0.2), new Vec3(3, -2, 1), Vec3.Zero);
    }

    [Benchmark]
    public Volume<float> Linear() => Resampler.Resample(_source, _target, _transform, InterpolationMode.Linear);

    [Benchmark]
    public Volume<float> Nearest() => Resampler.Resample(_source, _target, _transform, InterpolationMode.Nearest);
}
