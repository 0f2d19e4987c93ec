namespace ImageGuide.Viewer;

/// <summary>The viewer could not set up OpenGL/EGL/GLFW or a GPU resource (message says which and what to do).</summary>
public sealed class ViewerException : ImageGuideException
{
    /// <summary>Creates the exception.</summary>
    public ViewerException(string message) : base(message) { }
}
