using ImageGuide.Visualization;
using ImageGuide.Viewer.Rendering;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Tests.Viewer;

/// <summary>Headless GL for tests: an EGL surfaceless context, or the test is ignored with EGL's reason.</summary>
internal static class Gpu
{
    public static HeadlessContext Context()
    {
        var context = HeadlessContext.TryCreate(out string reason);
        if (context is null) Assert.Ignore($"EGL could not initialise a surfaceless OpenGL 3.3 context, so GPU rendering is not tested here: {reason}");
        return context!;
    }

    /// <summary>Renders one MPR pane filling a target of the plane's size.</summary>
    public static RgbaImage RenderMpr(ViewerScene scene, ViewState state, SlicePlane plane)
    {
        using var context = Context();
        using var renderer = new SceneRenderer(context.Gl, scene);
        using var target = new OffscreenTarget(context.Gl, plane.Width, plane.Height);
        target.Bind();
        renderer.BeginFrame(plane.Width, plane.Height);
        renderer.DrawMpr(new Pane(PaneKind.Axial, 0, 0, plane.Width, plane.Height), plane, state);
        GlInfo.Check(context.Gl, "DrawMpr");
        return target.ReadBack();
    }

    /// <summary>Renders one MPR pane with its annotations (cross-hair, trajectories, isotherms, letters, scale bar).</summary>
    public static RgbaImage RenderMprAnnotated(ViewerScene scene, ViewState state, SlicePlane plane)
    {
        using var context = Context();
        using var renderer = new SceneRenderer(context.Gl, scene);
        using var target = new OffscreenTarget(context.Gl, plane.Width, plane.Height);
        target.Bind();
        renderer.BeginFrame(plane.Width, plane.Height);
        var pane = new Pane(PaneKind.Axial, 0, 0, plane.Width, plane.Height);
        renderer.DrawMpr(pane, plane, state);
        renderer.DrawMprAnnotations(pane, plane, state);
        GlInfo.Check(context.Gl, "DrawMprAnnotations");
        return target.ReadBack();
    }

    /// <summary>Ray-casts one pane filling a target of the camera plane's size.</summary>
    public static RgbaImage RenderVolume(ViewerScene scene, ViewState state, SlicePlane camera)
    {
        using var context = Context();
        using var renderer = new SceneRenderer(context.Gl, scene);
        using var target = new OffscreenTarget(context.Gl, camera.Width, camera.Height);
        target.Bind();
        renderer.BeginFrame(camera.Width, camera.Height);
        renderer.DrawVolume(new Pane(PaneKind.Volume3D, 0, 0, camera.Width, camera.Height), camera, state);
        GlInfo.Check(context.Gl, "DrawVolume");
        return target.ReadBack();
    }

    /// <summary>Fraction of pixels whose R, G and B all differ by at most <paramref name="tolerance"/>, and the largest difference.</summary>
    public static (double Fraction, int MaxDifference) Agreement(RgbaImage a, RgbaImage b, int tolerance)
    {
        Assert.That((a.Width, a.Height), Is.EqualTo((b.Width, b.Height)), "image sizes");
        int good = 0, max = 0;
        for (long n = 0; n < a.Pixels.LongLength; n += 4)
        {
            int d = Math.Max(Math.Abs(a.Pixels[n] - b.Pixels[n]), Math.Max(Math.Abs(a.Pixels[n + 1] - b.Pixels[n + 1]), Math.Abs(a.Pixels[n + 2] - b.Pixels[n + 2])));
            max = Math.Max(max, d);
            if (d <= tolerance) good++;
        }
        return (good / (a.Pixels.LongLength / 4.0), max);
    }
}
