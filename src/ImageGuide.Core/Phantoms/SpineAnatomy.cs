using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Phantoms;

/// <summary>
/// Analytic anatomy of a thoraco-lumbar spine segment in the phantom's anatomy frame (LPS mm, origin at the
/// centre of the body outline at the height of the middle vertebra): skin, subcutaneous fat, soft tissue,
/// paraspinal and psoas muscles, five vertebrae (T11–L3: cortical shell, cancellous core, pedicles, laminae,
/// spinous and transverse processes), discs, spinal canal with CSF and cord, exiting nerve roots, aorta, IVC and
/// a tumour (lytic lesion in one of the three central vertebral bodies with an extra-osseous component reaching
/// toward a nerve root). Built deterministically from <see cref="PhantomOptions.Seed"/>. Immutable and thread-safe.
/// </summary>
public sealed class SpineAnatomy
{
    private readonly PaintedShape[] _shapes;
    private readonly (Vec3 Min, Vec3 Max)[] _bounds;
    private readonly double _lipschitz;

    internal SpineAnatomy(SpineAnatomyParts parts)
    {
        Seed = parts.Seed;
        Curve = parts.Curve;
        _shapes = [.. parts.Shapes];
        _lipschitz = Curve.Lipschitz;
        _bounds = new (Vec3, Vec3)[_shapes.Length];
        for (int n = 0; n < _shapes.Length; n++) _bounds[n] = _shapes[n].Shape.Bounds;
        Levels = parts.Levels;
        TumourLevelIndex = parts.TumourLevelIndex;
        TumourSide = parts.TumourSide;
        Tumour = parts.Tumour;
        BodySemiAxes = parts.BodySemiAxes;
        Landmarks = parts.BuildLandmarks(this);
    }

    /// <summary>Builds the anatomy of <paramref name="options"/>' seed.</summary>
    public static SpineAnatomy Build(PhantomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SpineAnatomy(SpineAnatomyBuilder.Build(options.Seed, options.Tumour));
    }

    /// <summary>The seed the anatomy was built from.</summary>
    public ulong Seed { get; }

    /// <summary>Label table of the anatomy.</summary>
    public LabelTable LabelTable => SpineLabels.Table;

    /// <summary>Solids in painting order (later ones paint over earlier ones).</summary>
    public IReadOnlyList<PaintedShape> Shapes => _shapes;

    /// <summary>Curvature applied to the shapes marked <see cref="PaintedShape.Curved"/>.</summary>
    public SpineCurve Curve { get; }

    /// <summary>The modelled vertebrae, superior first.</summary>
    public IReadOnlyList<VertebralLevel> Levels { get; }

    /// <summary>Index in <see cref="Levels"/> of the vertebra holding the tumour.</summary>
    public int TumourLevelIndex { get; }

    /// <summary>+1 when the tumour's extra-osseous part lies on the patient's left, −1 on the right.</summary>
    public int TumourSide { get; }

    /// <summary>The tumour solid (lytic part ∪ extra-osseous part), curved with the spine.</summary>
    public PaintedShape Tumour { get; }

    /// <summary>Semi-axes (x: lateral, y: antero-posterior) of the skin outline, mm.</summary>
    public (double X, double Y) BodySemiAxes { get; }

    /// <summary>Anatomical landmarks in the anatomy frame (pedicle tips, spinous tips, body corners, cord centres).</summary>
    public IReadOnlyList<AnatomicalLandmark> Landmarks { get; }

    /// <summary>Signed distance bound of one painted shape at an anatomy-frame point (curvature accounted for).</summary>
    public double SignedDistance(PaintedShape shape, Vec3 p)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Curved ? shape.Shape.SignedDistance(Curve.ToStraight(p)) / _lipschitz : shape.Shape.SignedDistance(p);
    }

    /// <summary>Label at an anatomy-frame point (the last painted shape containing it; 0 outside the body).</summary>
    public byte LabelAt(Vec3 p)
    {
        var q = Curve.ToStraight(p);
        byte label = SpineLabels.Background;
        for (int n = 0; n < _shapes.Length; n++)
        {
            var s = _shapes[n];
            var x = s.Curved ? q : p;
            var (min, max) = _bounds[n];
            if (x.X < min.X || x.Y < min.Y || x.Z < min.Z || x.X > max.X || x.Y > max.Y || x.Z > max.Z) continue;
            if (s.Shape.SignedDistance(x) < 0) label = s.Label;
        }
        return label;
    }

    /// <summary>
    /// Smallest signed distance bound from <paramref name="p"/> to any shape painting <paramref name="label"/>
    /// (negative inside one of them); a conservative clearance measure.
    /// </summary>
    public double DistanceToLabel(byte label, Vec3 p)
    {
        double d = double.MaxValue;
        foreach (var s in _shapes) if (s.Label == label) d = Math.Min(d, SignedDistance(s, p));
        return d;
    }
}
