using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>An OpenGL 3.3 core context that is current on the calling thread, with its function table.</summary>
internal interface IGlContext : IDisposable
{
    /// <summary>The GL functions of this context (Silk.NET, loaded through the context's <c>GetProcAddress</c>).</summary>
    GL Gl { get; }

    /// <summary>"vendor / renderer / version" as the driver reports them.</summary>
    string Description { get; }
}
