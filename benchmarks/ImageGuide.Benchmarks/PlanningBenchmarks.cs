using BenchmarkDotNet.Attributes;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Planning;

namespace ImageGuide.Benchmarks;

/// <summary>
/// Issue 5 speed targets: exact EDT on 512 × 512 × 300; full skin-entry search for one target once the distance maps
/// exist (&lt; 100 ms); multi-probe cryo plan with up to 4 probes (&lt; 2 s on 2 cores). The torso is geometric: elliptic
/// body, spherical tumour, cord and aorta cylinders, vertebra box, 1 mm voxels. The cord's distance map on a
/// 512 × 512 × 300 torso (0.7 × 0.7 × 1 mm) is timed over the whole grid and over the planning region (150 mm needle,
/// 30° gantry limit) around its tumour.
/// </summary>
[MemoryDiagnoser]
public class PlanningBenchmarks
{
    private Volume<byte> _bigMask = null!;
    private PlanningAnatomy _anatomy = null!;
    private TrajectoryPlanner _planner = null!;
    private Vec3 _target;
    private Volume<byte> _bigTorso = null!;
    private PlanningRegion _bigRegion;
    private readonly bool[] _cordFlags = new bool[256];

    [GlobalSetup]
    public void Setup()
    {
        // 512 × 512 × 300 mask: a few scattered spheres (a realistic sparse structure).
        var big = new VolumeGeometry(512, 512, 300, new Vec3(0.7, 0.7, 1.0), Vec3.Zero);
        _bigMask = new Volume<byte>(big);
        Paint(_bigMask, p => Vec3.Distance(p, new Vec3(180, 180, 150)) <= 20 || Vec3.Distance(p, new Vec3(100, 250, 60)) <= 8, 1);

        var g = new VolumeGeometry(150, 130, 90, new Vec3(1, 1, 1), new Vec3(-75, -65, -45));
        var labels = new Volume<byte>(g);
        Paint(labels, p => Math.Pow(p.X / 70, 2) + Math.Pow(p.Y / 60, 2) <= 1, 1);
        Paint(labels, p => p.X >= -12 && p.X <= 12 && p.Y >= 15 && p.Y <= 38, 2);
        Paint(labels, p => p.Length <= 15, 3);
        Paint(labels, p => Math.Sqrt(p.X * p.X + (p.Y - 48) * (p.Y - 48)) <= 5, 4);
        Paint(labels, p => Math.Sqrt((p.X + 25) * (p.X + 25) + (p.Y + 25) * (p.Y + 25)) <= 9, 5);
        _anatomy = PlanningAnatomy.Create(labels, new LabelTable(
        [
            new LabelDefinition(1, "body", LabelRole.Body),
            new LabelDefinition(2, "vertebra", LabelRole.Bone),
            new LabelDefinition(3, "tumour", LabelRole.Target),
            new LabelDefinition(4, "cord", LabelRole.Critical),
            new LabelDefinition(5, "aorta", LabelRole.Critical),
        ]));
        _planner = new TrajectoryPlanner(_anatomy);
        _target = _anatomy.TargetCentroid();

        // 512 × 512 × 300 torso: body 170 × 120 mm semi-axes, tumour r 15 mm, cord r 6 mm behind it.
        _bigTorso = new Volume<byte>(new VolumeGeometry(512, 512, 300, new Vec3(0.7, 0.7, 1.0), new Vec3(-179, -179, -150)));
        Paint(_bigTorso, p => Math.Pow(p.X / 170, 2) + Math.Pow(p.Y / 120, 2) <= 1, 1);
        Paint(_bigTorso, p => Vec3.Distance(p, new Vec3(40, 20, 0)) <= 15, 3);
        Paint(_bigTorso, p => Math.Sqrt(p.X * p.X + (p.Y - 60) * (p.Y - 60)) <= 6, 4);
        var bigTable = new LabelTable(
        [
            new LabelDefinition(1, "body", LabelRole.Body),
            new LabelDefinition(3, "tumour", LabelRole.Target),
            new LabelDefinition(4, "cord", LabelRole.Critical),
        ]);
        _bigRegion = PlanningRegion.Around(_bigTorso, bigTable, PlanningConstraints.Default);
        _cordFlags[4] = true;
    }

    private static void Paint(Volume<byte> v, Func<Vec3, bool> inside, byte value)
    {
        var g = v.Geometry;
        Parallel.For(0, g.Nz, k =>
        {
            for (int j = 0; j < g.Ny; j++)
                for (int i = 0; i < g.Nx; i++)
                    if (inside(g.IndexToPhysical(i, j, k))) v[i, j, k] = value;
        });
    }

    [Benchmark]
    public Volume<float> DistanceTransform512x512x300() => DistanceTransform.Unsigned(_bigMask);

    [Benchmark]
    public Volume<float> CordDistanceMap512x512x300Whole() => DistanceTransform.Squared(_bigTorso, _cordFlags);

    [Benchmark]
    public Volume<float> CordDistanceMap512x512x300Region() =>
        DistanceTransform.Squared(_bigTorso, _cordFlags, (_bigRegion.I0, _bigRegion.J0, _bigRegion.K0), (_bigRegion.Nx, _bigRegion.Ny, _bigRegion.Nz));

    [Benchmark]
    public TrajectoryPlan SkinEntrySearch() => _planner.Plan(_target);

    [Benchmark]
    public CryoPlan FourProbeCryoPlan() => new CryoPlanner(_planner).Plan(probeCount: 4);

    [Benchmark]
    public CryoPlan AutomaticCryoPlan() => new CryoPlanner(_planner).Plan();
}
