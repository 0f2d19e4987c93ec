using ImageGuide.Viewer.Native;
using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// An OpenGL 3.3 core context with no window and no display server: EGL on Mesa's surfaceless platform
/// (<c>EGL_MESA_platform_surfaceless</c>), made current with no surface; rendering goes into framebuffer objects.
/// Works on CI machines with only Mesa's llvmpipe.
/// </summary>
internal sealed unsafe class HeadlessContext : IGlContext
{
    private nint _display;
    private nint _context;

    private HeadlessContext(nint display, nint context, GL gl)
    {
        _display = display;
        _context = context;
        Gl = gl;
        Description = GlInfo.Describe(gl);
    }

    /// <inheritdoc />
    public GL Gl { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>Creates the context and makes it current on this thread; null with a reason when EGL cannot provide one.</summary>
    public static HeadlessContext? TryCreate(out string reason)
    {
        reason = "";
        try
        {
            return CreateOrThrow();
        }
        catch (Exception e) when (e is ViewerException or DllNotFoundException or EntryPointNotFoundException)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>Creates the context and makes it current on this thread.</summary>
    /// <exception cref="ViewerException">EGL is missing or cannot give a surfaceless GL 3.3 core context.</exception>
    public static HeadlessContext Create()
    {
        try
        {
            return CreateOrThrow();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new ViewerException($"EGL could not be loaded ({e.Message}); install Mesa's EGL (apt libegl1 libegl-mesa0).");
        }
    }

    private static HeadlessContext CreateOrThrow()
    {
        string clientExtensions = Egl.QueryText(0, Egl.Extensions);
        if (!clientExtensions.Contains("EGL_MESA_platform_surfaceless", StringComparison.Ordinal))
            throw new ViewerException($"EGL has no surfaceless platform (EGL_MESA_platform_surfaceless missing; client extensions: '{clientExtensions}'); install Mesa's EGL (apt libegl-mesa0).");
        nint getPlatformDisplay = Egl.GetProcAddress("eglGetPlatformDisplayEXT");
        if (getPlatformDisplay == 0) getPlatformDisplay = Egl.GetProcAddress("eglGetPlatformDisplay");
        if (getPlatformDisplay == 0) throw new ViewerException("EGL offers neither eglGetPlatformDisplayEXT nor eglGetPlatformDisplay.");
        var getDisplay = (delegate* unmanaged<int, nint, int*, nint>)getPlatformDisplay;
        nint display = getDisplay(Egl.PlatformSurfacelessMesa, 0, null);
        if (display == 0) throw new ViewerException($"eglGetPlatformDisplay(SURFACELESS_MESA) failed (EGL error 0x{Egl.GetError():X}).");
        int major, minor;
        if (Egl.Initialize(display, &major, &minor) == 0)
            throw new ViewerException($"eglInitialize failed on the surfaceless display (EGL error 0x{Egl.GetError():X}).");
        try
        {
            if (Egl.BindApi(Egl.OpenGLApi) == 0)
                throw new ViewerException($"eglBindAPI(EGL_OPENGL_API) failed (EGL error 0x{Egl.GetError():X}): this EGL has desktop OpenGL disabled.");
            int* configAttributes = stackalloc int[]
            {
                Egl.SurfaceType, Egl.PbufferBit, Egl.RenderableType, Egl.OpenGLBit,
                Egl.RedSize, 8, Egl.GreenSize, 8, Egl.BlueSize, 8, Egl.None,
            };
            nint config;
            int count;
            if (Egl.ChooseConfig(display, configAttributes, &config, 1, &count) == 0 || count < 1)
                throw new ViewerException($"eglChooseConfig found no pbuffer-capable desktop-GL config (EGL error 0x{Egl.GetError():X}).");
            int* contextAttributes = stackalloc int[]
            {
                Egl.ContextMajorVersion, 3, Egl.ContextMinorVersion, 3,
                Egl.ContextOpenGLProfileMask, Egl.ContextOpenGLCoreProfileBit, Egl.None,
            };
            nint context = Egl.CreateContext(display, config, 0, contextAttributes);
            if (context == 0) throw new ViewerException($"eglCreateContext(OpenGL 3.3 core) failed (EGL error 0x{Egl.GetError():X}).");
            if (Egl.MakeCurrent(display, 0, 0, context) == 0)
            {
                Egl.DestroyContext(display, context);
                throw new ViewerException($"eglMakeCurrent with no surface failed (EGL error 0x{Egl.GetError():X}).");
            }
            return new HeadlessContext(display, context, GlInfo.Load(Egl.GetProcAddress));
        }
        catch
        {
            Egl.Terminate(display);
            throw;
        }
    }

    /// <summary>Releases the context and the display connection.</summary>
    public void Dispose()
    {
        if (_display == 0) return;
        Egl.MakeCurrent(_display, 0, 0, 0);
        Egl.DestroyContext(_display, _context);
        Egl.Terminate(_display);
        Egl.ReleaseThread();
        _display = 0;
        _context = 0;
    }
}
