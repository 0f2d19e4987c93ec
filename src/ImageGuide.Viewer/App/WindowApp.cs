using System.Runtime.InteropServices;
using ImageGuide.Viewer.Native;
using ImageGuide.Viewer.Rendering;
using ImageGuide.Viewer.Scene;
using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.App;

/// <summary>The interactive GLFW window: redraws the 2×2 layout whenever input changes the view.</summary>
internal sealed unsafe class WindowApp : IGlContext
{
    private readonly nint _window;
    private readonly Interaction _interaction;
    private double _mouseX, _mouseY;
    private bool _leftDown;
    private Pane? _dragPane;
    private bool _dirty = true;
    private int _width, _height;

    private WindowApp(nint window, Interaction interaction)
    {
        _window = window;
        _interaction = interaction;
        Gl = GlInfo.Load(Glfw.GetProcAddress);
        Description = GlInfo.Describe(Gl);
    }

    /// <inheritdoc />
    public GL Gl { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Opens the window and runs until it is closed; returns the exit code.</summary>
    public static int Run(ViewerScene scene, ViewState state, int width, int height)
    {
        try
        {
            if (Glfw.Init() == 0)
                throw new ViewerException($"GLFW could not initialise ({Glfw.LastError()}); is a display available (DISPLAY / WAYLAND_DISPLAY)? Use --snapshot out.png to render without one.");
        }
        catch (DllNotFoundException)
        {
            throw new ViewerException("libglfw.so.3 was not found: install it (apt-get install libglfw3) for a window, or use --snapshot out.png to render headless.");
        }
        try
        {
            Glfw.WindowHint(Glfw.ContextVersionMajor, 3);
            Glfw.WindowHint(Glfw.ContextVersionMinor, 3);
            Glfw.WindowHint(Glfw.OpenGLProfile, Glfw.OpenGLCoreProfile);
            Glfw.WindowHint(Glfw.OpenGLForwardCompat, 1);
            nint window;
            fixed (byte* title = NativeText.ToNullTerminated("ImageGuide viewer")) window = Glfw.CreateWindow(width, height, title, 0, 0);
            if (window == 0) throw new ViewerException($"GLFW could not open an OpenGL 3.3 core window ({Glfw.LastError()}).");
            Glfw.MakeContextCurrent(window);
            Glfw.SwapInterval(1);
            var app = new WindowApp(window, new Interaction(scene, state));
            var handle = GCHandle.Alloc(app);
            try
            {
                Glfw.SetWindowUserPointer(window, GCHandle.ToIntPtr(handle));
                Glfw.SetScrollCallback(window, &OnScroll);
                Glfw.SetCursorPosCallback(window, &OnCursor);
                Glfw.SetMouseButtonCallback(window, &OnButton);
                Glfw.SetKeyCallback(window, &OnKey);
                Glfw.SetFramebufferSizeCallback(window, &OnResize);
                app.Loop(scene);
            }
            finally
            {
                handle.Free();
                Glfw.DestroyWindow(window);
            }
            return 0;
        }
        finally
        {
            Glfw.Terminate();
        }
    }

    private void Loop(ViewerScene scene)
    {
        using var renderer = new SceneRenderer(Gl, scene);
        while (Glfw.WindowShouldClose(_window) == 0)
        {
            if (_dirty)
            {
                int w, h;
                Glfw.GetFramebufferSize(_window, &w, &h);
                (_width, _height) = (w, h);
                if (w > 0 && h > 0)
                {
                    renderer.BeginFrame(w, h);
                    renderer.DrawLayout(_interaction.State);
                    Glfw.SwapBuffers(_window);
                    UpdateTitle();
                }
                _dirty = false;
            }
            Glfw.WaitEvents();
        }
    }

    private void UpdateTitle()
    {
        var s = _interaction.State;
        var c = s.Cursor;
        string title = FormattableString.Invariant(
            $"ImageGuide viewer — cursor ({c.X:F1}, {c.Y:F1}, {c.Z:F1}) mm, W {s.BaseWindow.Width:F0} L {s.BaseWindow.Center:F0}, {s.Fusion} {s.Opacity:F1}");
        fixed (byte* t = NativeText.ToNullTerminated(title)) Glfw.SetWindowTitle(_window, t);
    }

    // cursor positions come in window coordinates; panes are in framebuffer pixels (they differ on HiDPI screens)
    private (double X, double Y) ToFramebuffer(double x, double y)
    {
        int ww, wh;
        Glfw.GetWindowSize(_window, &ww, &wh);
        return ww > 0 && wh > 0 ? (x * _width / ww, y * _height / wh) : (x, y);
    }

    private Pane? PaneAt(double x, double y)
    {
        foreach (var p in PaneLayout.Panes(_width, _height))
            if (p.Contains(x, y)) return p;
        return null;
    }

    private static WindowApp App(nint window) => (WindowApp)GCHandle.FromIntPtr(Glfw.GetWindowUserPointer(window)).Target!;

    [UnmanagedCallersOnly]
    private static void OnScroll(nint window, double dx, double dy)
    {
        var app = App(window);
        var (x, y) = app.ToFramebuffer(app._mouseX, app._mouseY);
        if (app.PaneAt(x, y) is not { } pane) return;
        app._interaction.Scroll(pane, dy);
        app._dirty = true;
    }

    [UnmanagedCallersOnly]
    private static void OnCursor(nint window, double x, double y)
    {
        var app = App(window);
        double dx = x - app._mouseX, dy = y - app._mouseY;
        app._mouseX = x;
        app._mouseY = y;
        if (!app._leftDown || app._dragPane is not { } pane) return;
        app._interaction.Drag(pane, dx, dy);
        app._dirty = true;
    }

    [UnmanagedCallersOnly]
    private static void OnButton(nint window, int button, int action, int mods)
    {
        var app = App(window);
        var (x, y) = app.ToFramebuffer(app._mouseX, app._mouseY);
        var pane = app.PaneAt(x, y);
        if (button == Glfw.MouseLeft)
        {
            app._leftDown = action == Glfw.Press;
            app._dragPane = app._leftDown ? pane : null;
            // rotate at half resolution, then redraw sharp on release
            app._interaction.State.RayCastScale = app._leftDown && pane?.Kind == PaneKind.Volume3D ? 0.5 : 1;
            app._dirty = true;
        }
        else if (button == Glfw.MouseRight && action == Glfw.Press && pane is { } p)
        {
            app._interaction.Click(p, x - p.X, y - p.Y);
            app._dirty = true;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnKey(nint window, int key, int scancode, int action, int mods)
    {
        if (action == Glfw.Release) return;
        var app = App(window);
        if (key == Glfw.KeyEscape) Glfw.SetWindowShouldClose(window, 1);
        else if (key is > 0 and < 128 && app._interaction.Key((char)key)) app._dirty = true;
    }

    [UnmanagedCallersOnly]
    private static void OnResize(nint window, int width, int height) => App(window)._dirty = true;

    /// <summary>The window is closed by <see cref="Run"/>.</summary>
    public void Dispose() { }
}
