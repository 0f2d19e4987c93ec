using System.Runtime.InteropServices;

namespace ImageGuide.Viewer.Native;

/// <summary>The few EGL 1.4/1.5 entry points and constants a headless (surfaceless) GL context needs.</summary>
internal static unsafe partial class Egl
{
    private const string Library = "libEGL.so.1";

    public const int None = 0x3038;
    public const int SurfaceType = 0x3033;
    public const int PbufferBit = 0x0001;
    public const int RenderableType = 0x3040;
    public const int OpenGLBit = 0x0008;
    public const int RedSize = 0x3024;
    public const int GreenSize = 0x3023;
    public const int BlueSize = 0x3022;
    public const uint OpenGLApi = 0x30A2;
    public const int ContextMajorVersion = 0x3098;
    public const int ContextMinorVersion = 0x30FB;
    public const int ContextOpenGLProfileMask = 0x30FD;
    public const int ContextOpenGLCoreProfileBit = 0x0001;
    public const int PlatformSurfacelessMesa = 0x31DD;
    public const int Extensions = 0x3055;

    [LibraryImport(Library, EntryPoint = "eglGetProcAddress")]
    public static partial nint GetProcAddress(byte* name);

    [LibraryImport(Library, EntryPoint = "eglQueryString")]
    public static partial byte* QueryString(nint display, int name);

    [LibraryImport(Library, EntryPoint = "eglGetError")]
    public static partial int GetError();

    [LibraryImport(Library, EntryPoint = "eglInitialize")]
    public static partial uint Initialize(nint display, int* major, int* minor);

    [LibraryImport(Library, EntryPoint = "eglBindAPI")]
    public static partial uint BindApi(uint api);

    [LibraryImport(Library, EntryPoint = "eglChooseConfig")]
    public static partial uint ChooseConfig(nint display, int* attributes, nint* configs, int configSize, int* count);

    [LibraryImport(Library, EntryPoint = "eglCreateContext")]
    public static partial nint CreateContext(nint display, nint config, nint shareContext, int* attributes);

    [LibraryImport(Library, EntryPoint = "eglMakeCurrent")]
    public static partial uint MakeCurrent(nint display, nint draw, nint read, nint context);

    [LibraryImport(Library, EntryPoint = "eglDestroyContext")]
    public static partial uint DestroyContext(nint display, nint context);

    [LibraryImport(Library, EntryPoint = "eglTerminate")]
    public static partial uint Terminate(nint display);

    [LibraryImport(Library, EntryPoint = "eglReleaseThread")]
    public static partial uint ReleaseThread();

    /// <summary>Address of an EGL or GL function by name (0 when unknown).</summary>
    public static nint GetProcAddress(string name)
    {
        var bytes = NativeText.ToNullTerminated(name);
        fixed (byte* p = bytes) return GetProcAddress(p);
    }

    /// <summary>A string query (client extensions when <paramref name="display"/> is 0).</summary>
    public static string QueryText(nint display, int name) =>
        Marshal.PtrToStringUTF8((nint)QueryString(display, name)) ?? "";
}
