using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Scene;

/// <summary>
/// An orthographic camera orbiting a point. At azimuth and elevation 0 it looks from the patient's front
/// (anterior view: screen right = patient left, screen up = superior). Its image for a pane is a core
/// <see cref="SlicePlane"/> whose normal is the viewing direction: each pixel casts one ray along that normal.
/// </summary>
/// <param name="Target">Point the camera looks at (LPS mm).</param>
/// <param name="FieldMm">Width and height of the view in mm at zoom 1.</param>
/// <param name="AzimuthDeg">Rotation about the patient's superior axis.</param>
/// <param name="ElevationDeg">Tilt above (positive) or below the axial plane.</param>
/// <param name="Zoom">Magnification (field shrinks as zoom grows).</param>
public sealed record OrbitCamera(Vec3 Target, double FieldMm, double AzimuthDeg = 0, double ElevationDeg = 0, double Zoom = 1)
{
    /// <summary>An anterior view of the whole volume: the field covers the bounding box's diagonal.</summary>
    public static OrbitCamera Anterior(VolumeGeometry geometry)
    {
        var (min, max) = geometry.PhysicalBounds();
        double diagonal = (max - min).Length + Math.Max(geometry.Spacing.X, Math.Max(geometry.Spacing.Y, geometry.Spacing.Z));
        return new OrbitCamera((min + max) / 2, diagonal);
    }

    /// <summary>The camera turned by the given angles (degrees); elevation is kept within ±89°.</summary>
    public OrbitCamera Rotated(double azimuthDeg, double elevationDeg) =>
        this with { AzimuthDeg = (AzimuthDeg + azimuthDeg) % 360, ElevationDeg = Math.Clamp(ElevationDeg + elevationDeg, -89, 89) };

    /// <summary>The camera with zoom multiplied by <paramref name="factor"/> (kept within 0.1–20).</summary>
    public OrbitCamera Zoomed(double factor) => this with { Zoom = Math.Clamp(Zoom * factor, 0.1, 20) };

    /// <summary>The image plane for a pane of <paramref name="width"/>×<paramref name="height"/> pixels.</summary>
    public SlicePlane ImagePlane(int width, int height)
    {
        // anterior view: right = +x (patient left), down = −z (inferior), looking along +y (posterior)
        var spin = Versor.FromAxisAngle(new Vec3(0, 0, 1), AzimuthDeg * Math.PI / 180);
        var right = spin.Rotate(new Vec3(1, 0, 0));
        var tilt = Versor.FromAxisAngle(right, -ElevationDeg * Math.PI / 180); // positive: seen from above
        var down = tilt.Rotate(new Vec3(0, 0, -1));
        double spacing = FieldMm / Zoom / Math.Min(width, height);
        return new SlicePlane(Target, right, down, width, height, spacing);
    }
}
