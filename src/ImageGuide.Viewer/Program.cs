using ImageGuide.Visualization;
using ImageGuide.Viewer.App;
using ImageGuide.Viewer.Rendering;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Viewer;

/// <summary>Entry point of the OpenGL viewer sample.</summary>
public static class Program
{
    /// <summary>Runs the viewer; exit codes: 0 success, 2 bad usage, 3 bad or unsupported input, 1 anything else.</summary>
    public static int Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(ViewerOptions.Usage);
            return 0;
        }
        ViewerOptions options;
        try
        {
            options = ViewerOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(ViewerOptions.Usage);
            return 2;
        }
        try
        {
            var scene = SceneLoader.Load(options);
            var state = InitialState(scene, options);
            if (options.Snapshot is null && options.BenchmarkFrames is null)
                return WindowApp.Run(scene, state, options.Width, options.Height);
            using var context = HeadlessContext.Create();
            Console.Error.WriteLine($"OpenGL: {context.Description}");
            if (options.BenchmarkFrames is int frames)
            {
                var g = scene.Base.Geometry;
                var (mpr, rayCast, rayCastHalf, layout) = Headless.Benchmark(context, scene, state, options.Width, options.Height, frames);
                Console.WriteLine($"volume {g.Nx}x{g.Ny}x{g.Nz}{(scene.Overlay is null ? "" : " + overlay")}, {options.Width}x{options.Height} px, {frames} frames, {Environment.ProcessorCount} CPUs:");
                Console.WriteLine($"  MPR pane: {mpr}");
                Console.WriteLine($"  ray-cast pane: {rayCast}");
                Console.WriteLine($"  ray-cast pane at half resolution: {rayCastHalf}");
                Console.WriteLine($"  2x2 layout: {layout}");
            }
            if (options.Snapshot is not null)
                PngExport.Write(Headless.RenderLayout(context, scene, state, options.Width, options.Height), options.Snapshot);
            return 0;
        }
        catch (ViewerException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (ImageGuideException e)
        {
            Console.Error.WriteLine(e.Message);
            return 3;
        }
    }

    private static ViewState InitialState(ViewerScene scene, ViewerOptions options)
    {
        var state = new ViewState(scene) { Fusion = options.Fusion, Opacity = options.Opacity };
        if (options.At is { } at) state.Cursor = at;
        state.Camera = state.Camera.Rotated(options.Azimuth, options.Elevation);
        return state;
    }
}
