using ImageGuide.Imaging;

namespace ImageGuide.Visualization;

/// <summary>
/// A rectangular grid of pixels on a plane in LPS space. Pixel (x, y) lies at
/// <c>Center + U·(x − (Width−1)/2)·PixelSpacing + V·(y − (Height−1)/2)·PixelSpacing</c>:
/// <see cref="U"/> points to the screen's right, <see cref="V"/> to the screen's bottom.
/// Standard planes follow the radiological convention (patient's right on the screen's left).
/// </summary>
public sealed record SlicePlane
{
    /// <summary>Creates a plane; <paramref name="u"/> and <paramref name="v"/> are made orthonormal (v is adjusted).</summary>
    public SlicePlane(Vec3 center, Vec3 u, Vec3 v, int width, int height, double pixelSpacing)
    {
        if (width < 1 || height < 1) throw new GeometryException($"Slice size {width}×{height} must be at least 1×1.");
        if (!(pixelSpacing > 0) || !double.IsFinite(pixelSpacing)) throw new GeometryException($"Pixel spacing {pixelSpacing} mm must be finite and > 0.");
        U = u.Normalized();
        var vOrth = v - U * Vec3.Dot(v, U);
        V = vOrth.Normalized();
        Center = center;
        Width = width;
        Height = height;
        PixelSpacing = pixelSpacing;
    }

    /// <summary>Physical centre of the image (LPS mm).</summary>
    public Vec3 Center { get; }
    /// <summary>Unit vector to the screen's right.</summary>
    public Vec3 U { get; }
    /// <summary>Unit vector to the screen's bottom.</summary>
    public Vec3 V { get; }
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Pixel size in mm (square pixels).</summary>
    public double PixelSpacing { get; }
    /// <summary>Plane normal U × V (points away from the viewer).</summary>
    public Vec3 Normal => Vec3.Cross(U, V);

    /// <summary>Physical point of pixel (x, y); fractional positions allowed.</summary>
    public Vec3 PixelToPhysical(double x, double y) =>
        Center + U * ((x - (Width - 1) / 2.0) * PixelSpacing) + V * ((y - (Height - 1) / 2.0) * PixelSpacing);

    /// <summary>Pixel position (x, y) of the projection of a physical point onto the plane, and its signed distance from it.</summary>
    public (double X, double Y, double Distance) PhysicalToPixel(Vec3 p)
    {
        var d = p - Center;
        return (Vec3.Dot(d, U) / PixelSpacing + (Width - 1) / 2.0, Vec3.Dot(d, V) / PixelSpacing + (Height - 1) / 2.0, Vec3.Dot(d, Normal));
    }

    /// <summary>Axial plane through <paramref name="at"/> covering the volume (pixel size: the finest voxel spacing unless given): screen right = patient left (+x), screen down = posterior (+y).</summary>
    public static SlicePlane Axial(VolumeGeometry g, Vec3 at, double? pixelSpacing = null) => Standard(g, at, pixelSpacing, new Vec3(1, 0, 0), new Vec3(0, 1, 0));

    /// <summary>Coronal plane: screen right = patient left (+x), screen down = inferior (−z).</summary>
    public static SlicePlane Coronal(VolumeGeometry g, Vec3 at, double? pixelSpacing = null) => Standard(g, at, pixelSpacing, new Vec3(1, 0, 0), new Vec3(0, 0, -1));

    /// <summary>Sagittal plane: screen right = anterior (−y), screen down = inferior (−z), as in 3D Slicer.</summary>
    public static SlicePlane Sagittal(VolumeGeometry g, Vec3 at, double? pixelSpacing = null) => Standard(g, at, pixelSpacing, new Vec3(0, -1, 0), new Vec3(0, 0, -1));

    /// <summary>
    /// The plane containing a needle from <paramref name="entry"/> to <paramref name="target"/>: the needle runs
    /// down the screen (entry at top); the in-plane horizontal axis is the direction perpendicular to the needle
    /// closest to patient left (or posterior when the needle is left–right).
    /// </summary>
    public static SlicePlane AlongNeedle(Vec3 entry, Vec3 target, double marginMm = 30, double pixelSpacing = 0.5)
    {
        var axis = (target - entry).Normalized();
        var reference = Math.Abs(axis.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        var u = (reference - axis * Vec3.Dot(reference, axis)).Normalized();
        double length = Vec3.Distance(entry, target);
        int h = (int)Math.Ceiling((length + 2 * marginMm) / pixelSpacing) + 1;
        int w = Math.Max(h, (int)Math.Ceiling(4 * marginMm / pixelSpacing) + 1);
        return new SlicePlane((entry + target) / 2, u, axis, w, h, pixelSpacing);
    }

    /// <summary>
    /// The "bull's-eye" plane perpendicular to the needle at <paramref name="depthMm"/> from the entry along it
    /// (the target depth when null): the needle projects to the image centre.
    /// </summary>
    public static SlicePlane BullsEye(Vec3 entry, Vec3 target, double? depthMm = null, double fieldMm = 80, double pixelSpacing = 0.5)
    {
        var axis = (target - entry).Normalized();
        var reference = Math.Abs(axis.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
        var u = (reference - axis * Vec3.Dot(reference, axis)).Normalized();
        var v = Vec3.Cross(axis, u);
        int n = (int)Math.Ceiling(fieldMm / pixelSpacing) + 1;
        return new SlicePlane(entry + axis * (depthMm ?? Vec3.Distance(entry, target)), u, v, n, n, pixelSpacing);
    }

    private static SlicePlane Standard(VolumeGeometry g, Vec3 at, double? pixelSpacing, Vec3 u, Vec3 v)
    {
        // cover the volume's bounding box projected on the plane, by default at the finest voxel spacing
        var (min, max) = g.PhysicalBounds();
        var n = Vec3.Cross(u, v);
        double sp = pixelSpacing ?? Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z));
        double extentU = Math.Abs(Vec3.Dot(max - min, u)) + sp, extentV = Math.Abs(Vec3.Dot(max - min, v)) + sp;
        var mid = (min + max) / 2;
        // centre in-plane on the volume, through-plane at 'at'
        var center = mid + n * Vec3.Dot(at - mid, n);
        int w = Math.Max(1, (int)Math.Round(extentU / sp)), h = Math.Max(1, (int)Math.Round(extentV / sp));
        return new SlicePlane(center, u, v, w, h, sp);
    }
}
