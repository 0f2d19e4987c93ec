using System.Runtime.InteropServices;
using ImageGuide.Viewer.Native;

namespace ImageGuide.Viewer.Rendering;

/// <summary>Driver identification and error checks.</summary>
internal static unsafe class GlInfo
{
    /// <summary>"vendor / renderer / version".</summary>
    public static string Describe(Gl gl) =>
        $"{Text(gl, GlConst.Vendor)} / {Text(gl, GlConst.Renderer)} / {Text(gl, GlConst.Version)}";

    /// <summary>Throws when the GL error flag is set, naming the operation.</summary>
    public static void Check(Gl gl, string operation)
    {
        uint error = gl.GetError();
        if (error != GlConst.NoError) throw new ViewerException($"OpenGL error 0x{error:X4} after {operation}.");
    }

    private static string Text(Gl gl, uint name) => Marshal.PtrToStringUTF8((nint)gl.GetString(name)) ?? "?";
}
