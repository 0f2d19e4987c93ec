using ImageGuide.Imaging;

namespace ImageGuide.Phantoms;

/// <summary>What a solid does to the samples inside it.</summary>
internal enum RasterKind : byte
{
    /// <summary>Paints its label (later items over earlier ones).</summary>
    Tissue,
    /// <summary>Marks the sample frozen (ice delta applies, ice-mask bit at the voxel centre).</summary>
    Ice,
    /// <summary>Marks the voxel centre inside the lethal zone (mask only, no intensity change).</summary>
    Lethal,
    /// <summary>Metal: the sample takes the metal value.</summary>
    Metal,
}

/// <summary>One solid of a raster scene with its anatomy-frame bounding box (curvature included).</summary>
internal readonly record struct RasterItem(Shape Shape, byte Label, RasterKind Kind, bool Curved, Vec3 Min, Vec3 Max);

/// <summary>
/// Everything the voxel rasterizer evaluates: the anatomy's solids plus optional ice, lethal and metal solids,
/// and per-channel value tables (label → value, label → ice delta, metal value).
/// </summary>
internal sealed class RasterScene
{
    public const byte IceBit = 1, LethalBit = 2, MetalBit = 4;

    public RasterScene(SpineAnatomy anatomy, float[][] values, CryoProcedure? procedure = null, float[][]? iceDelta = null, float[]? metalValues = null)
    {
        Curve = anatomy.Curve;
        InverseLipschitz = 1 / anatomy.Curve.Lipschitz;
        Values = values;
        IceDelta = iceDelta;
        MetalValues = metalValues;
        var items = new List<RasterItem>();
        var grow = new Vec3(Math.Abs(Curve.AmplitudeX), Math.Abs(Curve.AmplitudeY), 0);
        foreach (var s in anatomy.Shapes)
        {
            var (min, max) = s.Shape.Bounds;
            items.Add(s.Curved ? new RasterItem(s.Shape, s.Label, RasterKind.Tissue, true, min - grow, max + grow)
                               : new RasterItem(s.Shape, s.Label, RasterKind.Tissue, false, min, max));
        }
        if (procedure is not null)
        {
            AddFlat(items, procedure.IceBall, RasterKind.Ice);
            AddFlat(items, procedure.LethalZone, RasterKind.Lethal);
            foreach (var shaft in procedure.Shafts) AddFlat(items, shaft, RasterKind.Metal);
        }
        Items = [.. items];
    }

    private static void AddFlat(List<RasterItem> items, Shape shape, RasterKind kind)
    {
        var (min, max) = shape.Bounds;
        items.Add(new RasterItem(shape, 0, kind, false, min, max));
    }

    public RasterItem[] Items { get; }
    public SpineCurve Curve { get; }
    public double InverseLipschitz { get; }
    public int Channels => Values.Length;
    /// <summary>Per channel: value of each label (256 entries).</summary>
    public float[][] Values { get; }
    /// <summary>Per channel: change of each label's value when frozen, or null when the scene has no ice.</summary>
    public float[][]? IceDelta { get; }
    /// <summary>Per channel: value of metal, or null when the scene has no metal.</summary>
    public float[]? MetalValues { get; }

    /// <summary>Value of one sample in channel <paramref name="c"/>.</summary>
    public float Value(int c, byte label, int bits)
    {
        if ((bits & MetalBit) != 0 && MetalValues is not null) return MetalValues[c];
        float v = Values[c][label];
        if ((bits & IceBit) != 0 && IceDelta is not null) v += IceDelta[c][label];
        return v;
    }
}
