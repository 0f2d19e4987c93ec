using ImageGuide.Visualization;

namespace ImageGuide.Viewer.Scene;

/// <summary>
/// Turns mouse and key input into <see cref="ViewState"/> changes (no windowing code here, so it is testable):
/// scroll moves the slice of an MPR pane or zooms the 3-D pane, left drag sets window/level (MPR) or rotates (3-D),
/// right click moves the cursor, keys switch fusion mode, opacity and overlays.
/// </summary>
public sealed class Interaction(ViewerScene scene, ViewState state)
{
    /// <summary>The state being edited.</summary>
    public ViewState State { get; } = state;

    /// <summary>Scroll by <paramref name="steps"/> notches over <paramref name="pane"/>: one notch = one slice (finest spacing) or 10 % zoom.</summary>
    public void Scroll(Pane pane, double steps)
    {
        if (pane.Kind == PaneKind.Volume3D)
        {
            State.Camera = State.Camera.Zoomed(Math.Pow(1.1, steps));
            return;
        }
        var plane = PlaneOf(pane);
        var s = scene.Base.Geometry.Spacing;
        State.Cursor += plane.Normal * (steps * Math.Min(s.X, Math.Min(s.Y, s.Z)));
    }

    /// <summary>Left drag by (dx, dy) pixels: window width/centre (MPR, relative to the pane size) or rotation (3-D, 0.5°/pixel).</summary>
    public void Drag(Pane pane, double dx, double dy)
    {
        if (pane.Kind == PaneKind.Volume3D)
        {
            State.Camera = State.Camera.Rotated(-dx * 0.5, dy * 0.5);
            return;
        }
        var w = State.BaseWindow;
        double scale = w.Width / Math.Max(1, Math.Min(pane.Width, pane.Height));
        State.BaseWindow = new WindowLevel(w.Center - dy * scale, Math.Max(1e-3, w.Width + dx * scale * 2));
    }

    /// <summary>Right click at pane pixel (x, y): the cursor moves to that point of the pane's plane.</summary>
    public void Click(Pane pane, double x, double y)
    {
        if (pane.Kind == PaneKind.Volume3D) return;
        State.Cursor = PlaneOf(pane).PixelToPhysical(x, y);
    }

    /// <summary>A key press (GLFW key code = ASCII for letters and brackets); returns false when it means nothing.</summary>
    public bool Key(char key)
    {
        switch (char.ToUpperInvariant(key))
        {
            case 'F': State.Fusion = (FusionMode)(((int)State.Fusion + 1) % 3); break;
            case '[': State.Opacity = Math.Round(Math.Max(0, State.Opacity - 0.1), 2); break;
            case ']': State.Opacity = Math.Round(Math.Min(1, State.Opacity + 0.1), 2); break;
            case 'O': State.ShowOverlay = !State.ShowOverlay; break;
            case 'L': State.ShowLabels = !State.ShowLabels; break;
            case 'A': State.ShowAnnotations = !State.ShowAnnotations; break;
            case 'R':
                var fresh = new ViewState(scene);
                State.Cursor = fresh.Cursor;
                State.Camera = fresh.Camera;
                State.BaseWindow = fresh.BaseWindow;
                State.MprZoom = 1;
                break;
            default: return false;
        }
        return true;
    }

    /// <summary>The plane an MPR pane currently shows.</summary>
    public SlicePlane PlaneOf(Pane pane) =>
        PaneLayout.MprPlane(pane.Kind, scene.Base.Geometry, State.Cursor, pane.Width, pane.Height, State.MprZoom);
}
