using ImageGuide.Imaging;
using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Scene;

/// <summary>The interactive state of one viewer window (mutable, owned by that window's thread).</summary>
public sealed class ViewState
{
    /// <summary>Initial state for a scene: cursor at the base volume's centre, default windows and transfer functions.</summary>
    public ViewState(ViewerScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        Cursor = scene.Base.Geometry.Center;
        BaseWindow = VolumeWindows.DefaultFor(scene.Base);
        BaseTransfer = TransferFunction.BoneFor(scene.Base);
        if (scene.Overlay is { } overlay)
        {
            OverlayWindow = VolumeWindows.DefaultFor(overlay);
            OverlayTransfer = TransferFunction.SoftTissueFor(overlay);
        }
        Camera = OrbitCamera.Anterior(scene.Base.Geometry);
    }

    /// <summary>Point (LPS mm) the three MPR planes pass through.</summary>
    public Vec3 Cursor { get; set; }
    /// <summary>2-D window of the base volume.</summary>
    public WindowLevel BaseWindow { get; set; }
    /// <summary>2-D window of the overlay.</summary>
    public WindowLevel OverlayWindow { get; set; } = new(0.5, 1);
    /// <summary>Colour map of the base in the MPR panes.</summary>
    public ColorMap BaseColors { get; set; } = ColorMap.Grey;
    /// <summary>Colour map of the overlay (MPR panes and 3-D).</summary>
    public ColorMap OverlayColors { get; set; } = ColorMap.Hot;
    /// <summary>3-D bone transfer function of the base.</summary>
    public TransferFunction BaseTransfer { get; set; }
    /// <summary>3-D soft-tissue transfer function of the overlay.</summary>
    public TransferFunction OverlayTransfer { get; set; }
    /// <summary>How base and overlay are combined.</summary>
    public FusionMode Fusion { get; set; } = FusionMode.Alpha;
    /// <summary>Overlay opacity for alpha fusion (0–1).</summary>
    public double Opacity { get; set; } = 0.5;
    /// <summary>Checkerboard tile size in screen pixels.</summary>
    public int TilePixels { get; set; } = 32;
    /// <summary>Draw the overlay.</summary>
    public bool ShowOverlay { get; set; } = true;
    /// <summary>Draw the labels.</summary>
    public bool ShowLabels { get; set; } = true;
    /// <summary>Draw trajectories and the cursor cross-hair.</summary>
    public bool ShowAnnotations { get; set; } = true;
    /// <summary>Label fill opacity in the MPR panes (contours are opaque).</summary>
    public double LabelOpacity { get; set; } = 0.3;
    /// <summary>Magnification of the MPR panes (1 = the whole volume fits).</summary>
    public double MprZoom { get; set; } = 1;
    /// <summary>The 3-D camera.</summary>
    public OrbitCamera Camera { get; set; }
    /// <summary>
    /// Resolution of the ray-cast image relative to its pane (0.1–1); below 1 the rays are cast into a smaller image
    /// that is then stretched over the pane (the window uses 0.5 while the 3-D view is being rotated).
    /// </summary>
    public double RayCastScale { get; set; } = 1;
    /// <summary>Ray step in voxels of the base's finest spacing (smaller is finer and slower).</summary>
    public double RayStepVoxels { get; set; } = 1;
}
