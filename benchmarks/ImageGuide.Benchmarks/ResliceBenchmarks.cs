using BenchmarkDotNet.Attributes;
using ImageGuide.Imaging;
using ImageGuide.Rendering;
using ImageGuide.Visualization;

namespace ImageGuide.Benchmarks;

/// <summary>CPU reslicing of a 512 × 512 plane (axial and oblique) from a 512 × 512 × 300 float volume, a fused snapshot, and drawing its annotations.</summary>
public class ResliceBenchmarks
{
    private Volume<float> _volume = null!;
    private SlicePlane _axial = null!, _oblique = null!;
    private SnapshotScene _scene = null!;

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
        _scene = SnapshotScene.Build(Request() with
        {
            Title = "Axial", Trajectories = [new TrajectoryLine(g.Center - new Vec3(60, 60, 0), g.Center)],
            Temperature = p => 37 - 80 * Math.Exp(-(p - g.Center).Length / 15),
        });
    }

    [Benchmark]
    public Image2D Axial512() => Reslicer.Reslice(_volume, _axial);

    [Benchmark]
    public Image2D Oblique512() => Reslicer.Reslice(_volume, _oblique);

    [Benchmark]
    public RgbaImage FusedCheckerboard512() => FusionSnapshot.Render(Request());

    /// <summary>Drawing a built 512² scene (needle with ticks, three isotherms, letters, scale bar, title, legend) with Skia.</summary>
    [Benchmark]
    public RgbaImage AnnotateSkia512() => SkiaSnapshotRenderer.Instance.Render(_scene);

    /// <summary>The same scene with Core's managed renderer (lines only, no text).</summary>
    [Benchmark]
    public RgbaImage AnnotateManaged512() => ManagedSnapshotRenderer.Instance.Render(_scene);

    private SnapshotRequest Request() => new()
    {
        Image = _volume, Plane = _axial, Overlay = _volume, Mode = FusionMode.Checkerboard,
        ImageToOverlay = new RigidTransform(Versor.FromAxisAngle(new Vec3(0, 0, 1), 0.1), new Vec3(2, 1, 0), _volume.Geometry.Center),
    };
}
