using BenchmarkDotNet.Attributes;
using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Benchmarks;

/// <summary>CPU reslicing of a 512 × 512 plane (axial and oblique) from a 512 × 512 × 300 float volume, and a fused snapshot.</summary>
public class ResliceBenchmarks
{
    private Volume<float> _volume = null!;
    private SlicePlane _axial = null!, _oblique = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new VolumeGeometry(512, 512, 300, new Vec3(0.7, 0.7, 1.25), new Vec3(-179, -179, -187));
        _volume = new Volume<float>(g);
        for (int n = 0; n < _volume.Data.Length; n++) _volume.Data[n] = n % 1777;
        _axial = SlicePlane.Axial(g, g.Center);
        var normal = new Vec3(1, 1, 2).Normalized();
        var u = Vec3.Cross(normal, new Vec3(0, 0, 1)).Normalized();
        _oblique = new SlicePlane(g.Center, u, Vec3.Cross(normal, u), 512, 512, 0.7);
    }

    [Benchmark]
    public Image2D Axial512() => Reslicer.Reslice(_volume, _axial);

    [Benchmark]
    public Image2D Oblique512() => Reslicer.Reslice(_volume, _oblique);

    [Benchmark]
    public RgbaImage FusedCheckerboard512() => FusionSnapshot.Render(new SnapshotRequest
    {
        Image = _volume, Plane = _axial, Overlay = _volume, Mode = FusionMode.Checkerboard,
        ImageToOverlay = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.1), new Vec3(2, 1, 0), _volume.Geometry.Center),
    });
}
