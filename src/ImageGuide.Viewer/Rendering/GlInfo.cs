using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>Loading Silk.NET's GL through a context's <c>GetProcAddress</c>, driver identification and error checks.</summary>
internal static class GlInfo
{
    // Entry points newer than GL 2.1 that the viewer cannot work without: when one is missing the context is not 3.3 core.
    private static readonly string[] Required =
    [
        "glGenVertexArrays", "glBindVertexArray", "glTexImage3D", "glTexSubImage3D", "glGenFramebuffers",
        "glBlitFramebuffer", "glRenderbufferStorage", "glCreateShader", "glUniformMatrix4fv",
    ];

    /// <summary>
    /// Silk.NET's <see cref="GL"/> for the context current on this thread, its functions looked up through
    /// <paramref name="getProcAddress"/> (EGL's or GLFW's); throws when a GL 3.3 function is missing.
    /// </summary>
    public static GL Load(Func<string, nint> getProcAddress)
    {
        foreach (string name in Required)
            if (getProcAddress(name) == 0)
                throw new ViewerException($"OpenGL function {name} is not available; the viewer needs an OpenGL 3.3 core context.");
        return GL.GetApi(getProcAddress);
    }

    /// <summary>"vendor / renderer / version".</summary>
    public static string Describe(GL gl) =>
        $"{gl.GetStringS(StringName.Vendor)} / {gl.GetStringS(StringName.Renderer)} / {gl.GetStringS(StringName.Version)}";

    /// <summary>Throws when the GL error flag is set, naming the operation.</summary>
    public static void Check(GL gl, string operation)
    {
        var error = gl.GetError();
        if (error != GLEnum.NoError) throw new ViewerException($"OpenGL error 0x{(int)error:X4} after {operation}.");
    }
}
