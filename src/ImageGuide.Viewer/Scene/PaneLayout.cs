using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Scene;

/// <summary>What a pane shows.</summary>
public enum PaneKind
{
    /// <summary>Axial MPR through the cursor.</summary>
    Axial,
    /// <summary>Coronal MPR through the cursor.</summary>
    Coronal,
    /// <summary>Sagittal MPR through the cursor.</summary>
    Sagittal,
    /// <summary>3-D ray casting of the fused pair.</summary>
    Volume3D,
}

/// <summary>A pane: a rectangle of the framebuffer in pixels, x right and y down from the top-left corner.</summary>
/// <param name="Kind">What it shows.</param>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public readonly record struct Pane(PaneKind Kind, int X, int Y, int Width, int Height)
{
    /// <summary>True when framebuffer pixel (x, y) lies in the pane.</summary>
    public bool Contains(double x, double y) => x >= X && y >= Y && x < X + Width && y < Y + Height;
}

/// <summary>The 2×2 layout (axial | coronal over sagittal | 3-D) and the planes each MPR pane shows.</summary>
public static class PaneLayout
{
    /// <summary>The four panes of a <paramref name="width"/>×<paramref name="height"/> framebuffer.</summary>
    public static Pane[] Panes(int width, int height)
    {
        int w0 = width / 2, h0 = height / 2;
        return
        [
            new Pane(PaneKind.Axial, 0, 0, w0, h0),
            new Pane(PaneKind.Coronal, w0, 0, width - w0, h0),
            new Pane(PaneKind.Sagittal, 0, h0, w0, height - h0),
            new Pane(PaneKind.Volume3D, w0, h0, width - w0, height - h0),
        ];
    }

    /// <summary>
    /// The plane an MPR pane shows: core's standard plane through the cursor, resampled so the volume fits the pane
    /// (at <paramref name="zoom"/> 1) with square pixels.
    /// </summary>
    public static SlicePlane MprPlane(PaneKind kind, VolumeGeometry geometry, Vec3 cursor, int width, int height, double zoom = 1)
    {
        var standard = kind switch
        {
            PaneKind.Axial => SlicePlane.Axial(geometry, cursor),
            PaneKind.Coronal => SlicePlane.Coronal(geometry, cursor),
            PaneKind.Sagittal => SlicePlane.Sagittal(geometry, cursor),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only MPR panes have a slice plane."),
        };
        double fit = Math.Max(standard.Width * standard.PixelSpacing / width, standard.Height * standard.PixelSpacing / height);
        return new SlicePlane(standard.Center, standard.U, standard.V, width, height, fit / zoom);
    }
}
