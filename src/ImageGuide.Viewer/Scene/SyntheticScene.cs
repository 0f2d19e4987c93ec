using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Scene;

/// <summary>
/// A deterministic fused pair for demonstrations and frame-rate measurements when no files are given: a CT-like
/// base (HU: air, subcutaneous fat, soft tissue, contrast aorta, vertebrae with cortical rims and discs, spinous processes, tumour) and
/// an MR-like overlay of the same anatomy on its own grid, displaced by a known rigid transform; labels (tumour,
/// cord, vertebra) and one needle trajectory to the tumour. Positions are relative to the grid centre.
/// </summary>
public static class SyntheticScene
{
    /// <summary>Label value of the tumour.</summary>
    public const byte TumourLabel = 1;
    /// <summary>Label value of the spinal cord.</summary>
    public const byte CordLabel = 2;
    /// <summary>Label value of the vertebrae.</summary>
    public const byte BoneLabel = 3;

    private enum Tissue : byte { Air, Fat, Soft, Aorta, Disc, Bone, Cortex, Csf, Cord, Tumour }

    private static readonly Vec3 TumourCenter = new(35, 35, 0);
    private const double TumourRadius = 15;

    /// <summary>The overlay's fixed → moving transform: 4° about the superior axis about <paramref name="center"/>, then (3, −2, 4) mm.</summary>
    public static RigidTransform OverlayTransform(Vec3 center) =>
        new(Versor.FromAxisAngle(new Vec3(0, 0, 1), 4 * Math.PI / 180), new Vec3(3, -2, 4), center);

    /// <summary>Builds the scene on an axis-aligned grid centred on the LPS origin.</summary>
    public static ViewerScene Create(int nx, int ny, int nz, Vec3 spacing, CancellationToken cancellationToken = default)
    {
        var origin = new Vec3(-(nx - 1) * spacing.X / 2, -(ny - 1) * spacing.Y / 2, -(nz - 1) * spacing.Z / 2);
        var geometry = new VolumeGeometry(nx, ny, nz, spacing, origin);
        var transform = OverlayTransform(geometry.Center);
        var inverse = transform.Inverse();
        var ct = new Volume<float>(geometry) { Metadata = new ImageMetadata { Modality = "CT", Units = "HU" } };
        var mr = new Volume<float>(geometry) { Metadata = new ImageMetadata { Modality = "MR" } };
        var labels = new Volume<byte>(geometry);
        Parallel.For(0, nz, new ParallelOptions { CancellationToken = cancellationToken }, k =>
        {
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    var p = geometry.IndexToPhysical(i, j, k);
                    long n = geometry.LinearIndex(i, j, k);
                    var tissue = TissueAt(p);
                    ct.Data[n] = CtValue(tissue);
                    labels.Data[n] = tissue switch { Tissue.Tumour => TumourLabel, Tissue.Cord => CordLabel, Tissue.Bone or Tissue.Cortex => BoneLabel, _ => 0 };
                    // the moving image shows at q the anatomy of the fixed point T⁻¹(q)
                    mr.Data[n] = MrValue(TissueAt(inverse.TransformPoint(p)));
                }
        });
        var entry = new Vec3(95, 60, 10);
        return new ViewerScene(ct)
        {
            Overlay = mr,
            OverlayTransform = transform,
            Labels = labels,
            LabelColors = new Dictionary<int, Rgb> { [TumourLabel] = new(255, 64, 64), [CordLabel] = new(255, 220, 0), [BoneLabel] = new(90, 160, 255) },
            Trajectories = [new Trajectory(entry, TumourCenter)],
        };
    }

    private static Tissue TissueAt(Vec3 p)
    {
        double x = p.X, y = p.Y, z = p.Z;
        double body = (x / 150) * (x / 150) + (y / 105) * (y / 105);
        if (body > 1) return Tissue.Air;
        if (body > 0.81) return Tissue.Fat; // subcutaneous fat: the outer tenth of the body's radius
        if (Vec3.Distance(p, TumourCenter) <= TumourRadius) return Tissue.Tumour;
        double canal = Math.Sqrt(x * x + (y - 55) * (y - 55));
        if (canal <= 6) return Tissue.Cord;
        if (canal <= 9) return Tissue.Csf;
        bool disc = Modulo(z + 15, 30) >= 25;
        double vertebra = Math.Sqrt(x * x + (y - 22) * (y - 22));
        if (vertebra <= 20) return disc ? Tissue.Disc : vertebra >= 17 ? Tissue.Cortex : Tissue.Bone;
        if (!disc && (canal <= 14 || (Math.Abs(x) <= 4 && y > 55 && y <= 88) || (Math.Abs(y - 55) <= 4 && Math.Abs(x) <= 35))) return Tissue.Cortex;
        if (Math.Sqrt((x + 22) * (x + 22) + (y + 8) * (y + 8)) <= 11) return Tissue.Aorta;
        return Tissue.Soft;
    }

    private static double Modulo(double a, double m) => a - m * Math.Floor(a / m);

    private static float CtValue(Tissue t) => t switch
    {
        Tissue.Air => -1000, Tissue.Fat => -100, Tissue.Soft => 40, Tissue.Aorta => 250, Tissue.Disc => 80, Tissue.Bone => 350,
        Tissue.Cortex => 1100, Tissue.Csf => 10, Tissue.Cord => 35, _ => 60,
    };

    private static float MrValue(Tissue t) => t switch
    {
        Tissue.Air => 0, Tissue.Fat => 800, Tissue.Soft => 300, Tissue.Aorta => 40, Tissue.Disc => 550, Tissue.Bone => 250,
        Tissue.Cortex => 60, Tissue.Csf => 1000, Tissue.Cord => 650, _ => 900,
    };
}
