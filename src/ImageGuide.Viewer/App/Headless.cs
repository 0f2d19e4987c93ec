using System.Diagnostics;
using ImageGuide.Imaging;
using ImageGuide.Visualization;
using ImageGuide.Viewer.Rendering;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Viewer.App;

/// <summary>Offscreen rendering through EGL surfaceless: snapshots and frame-rate measurement (no display needed).</summary>
internal static class Headless
{
    /// <summary>Renders the 2×2 layout of <paramref name="state"/> at <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static RgbaImage RenderLayout(IGlContext context, ViewerScene scene, ViewState state, int width, int height)
    {
        using var renderer = new SceneRenderer(context.Gl, scene);
        using var target = new OffscreenTarget(context.Gl, width, height);
        target.Bind();
        renderer.BeginFrame(width, height);
        renderer.DrawLayout(state);
        GlInfo.Check(context.Gl, "drawing the layout");
        return target.ReadBack();
    }

    /// <summary>
    /// Frames per second of a single <paramref name="width"/>×<paramref name="height"/> MPR pane (axial, moving one
    /// slice per frame), a ray-cast pane (turning 2° per frame) at full and at half resolution, and the full 2×2 layout, each over
    /// <paramref name="frames"/> frames after one warm-up frame; every frame ends with glFinish.
    /// </summary>
    public static (FrameRate Mpr, FrameRate RayCast, FrameRate RayCastHalf, FrameRate Layout) Benchmark(IGlContext context, ViewerScene scene, ViewState state, int width, int height, int frames)
    {
        using var renderer = new SceneRenderer(context.Gl, scene);
        using var target = new OffscreenTarget(context.Gl, width, height);
        target.Bind();
        var pane = new Pane(PaneKind.Axial, 0, 0, width, height);
        var g = scene.Base.Geometry;
        double step = g.Spacing.Z;
        var start = state.Cursor;
        var mpr = Measure(context, frames, f =>
        {
            renderer.BeginFrame(width, height);
            var cursor = start + new Vec3(0, 0, step * (f % 20 - 10));
            renderer.DrawMpr(pane, PaneLayout.MprPlane(PaneKind.Axial, g, cursor, width, height), state);
        });
        var camera = state.Camera;
        var rayCast = Measure(context, frames, f =>
        {
            renderer.BeginFrame(width, height);
            renderer.DrawVolume(pane with { Kind = PaneKind.Volume3D }, camera.Rotated(2 * f, 0).ImagePlane(width, height), state);
        });
        state.RayCastScale = 0.5;
        var rayCastHalf = Measure(context, frames, f =>
        {
            renderer.BeginFrame(width, height);
            renderer.DrawVolume(pane with { Kind = PaneKind.Volume3D }, camera.Rotated(2 * f, 0).ImagePlane(width, height), state);
        });
        state.RayCastScale = 1;
        var layout = Measure(context, frames, f =>
        {
            renderer.BeginFrame(width, height);
            state.Camera = camera.Rotated(2 * f, 0);
            renderer.DrawLayout(state);
        });
        state.Camera = camera;
        return (mpr, rayCast, rayCastHalf, layout);
    }

    private static FrameRate Measure(IGlContext context, int frames, Action<int> draw)
    {
        draw(0);
        context.Gl.Finish();
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int f = 1; f <= frames; f++)
        {
            draw(f);
            context.Gl.Finish();
        }
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new FrameRate(frames / wall, (process.TotalProcessorTime - cpuStart).TotalSeconds / frames);
    }
}

/// <summary>A measured frame rate and the CPU time (all threads, llvmpipe's included) each frame took.</summary>
/// <param name="FramesPerSecond">Frames per wall-clock second.</param>
/// <param name="CpuSecondsPerFrame">Process CPU seconds per frame.</param>
internal readonly record struct FrameRate(double FramesPerSecond, double CpuSecondsPerFrame)
{
    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{FramesPerSecond:F2} fps ({CpuSecondsPerFrame:F2} CPU s/frame)");
}
