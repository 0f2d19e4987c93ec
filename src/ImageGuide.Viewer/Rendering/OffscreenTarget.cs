using ImageGuide.Visualization;
using ImageGuide.Viewer.Native;

namespace ImageGuide.Viewer.Rendering;

/// <summary>An RGBA8 framebuffer object to render into without a window, and read back as an <see cref="RgbaImage"/>.</summary>
internal sealed unsafe class OffscreenTarget : IDisposable
{
    private readonly Gl _gl;
    private uint _framebuffer;
    private uint _colour;

    /// <summary>Creates a <paramref name="width"/>×<paramref name="height"/> target.</summary>
    public OffscreenTarget(Gl gl, int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Target size {width}×{height} must be at least 1×1.");
        _gl = gl;
        Width = width;
        Height = height;
        uint fb, rb;
        gl.GenFramebuffers(1, &fb);
        gl.GenRenderbuffers(1, &rb);
        _framebuffer = fb;
        _colour = rb;
        gl.BindRenderbuffer(GlConst.Renderbuffer, rb);
        gl.RenderbufferStorage(GlConst.Renderbuffer, (uint)GlConst.Rgba8, width, height);
        gl.BindFramebuffer(GlConst.Framebuffer, fb);
        gl.FramebufferRenderbuffer(GlConst.Framebuffer, GlConst.ColorAttachment0, GlConst.Renderbuffer, rb);
        uint status = gl.CheckFramebufferStatus(GlConst.Framebuffer);
        if (status != GlConst.FramebufferComplete) throw new ViewerException($"Offscreen framebuffer {width}×{height} is incomplete (status 0x{status:X4}).");
        GlInfo.Check(gl, "creating the offscreen framebuffer");
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The GL framebuffer name.</summary>
    public uint Handle => _framebuffer;

    /// <summary>Directs rendering into this target.</summary>
    public void Bind() => _gl.BindFramebuffer(GlConst.Framebuffer, _framebuffer);

    /// <summary>Reads the pixels back, top row first.</summary>
    public RgbaImage ReadBack()
    {
        Bind();
        _gl.Finish();
        var image = new RgbaImage(Width, Height);
        var rows = new byte[image.Pixels.Length];
        _gl.PixelStorei(GlConst.PackAlignment, 1);
        fixed (byte* p = rows) _gl.ReadPixels(0, 0, Width, Height, GlConst.Rgba, GlConst.UnsignedByte, p);
        GlInfo.Check(_gl, "glReadPixels");
        int stride = Width * 4;
        for (int y = 0; y < Height; y++) // GL rows run bottom-up
            Array.Copy(rows, (long)(Height - 1 - y) * stride, image.Pixels, (long)y * stride, stride);
        for (long n = 3; n < image.Pixels.LongLength; n += 4) image.Pixels[n] = 255;
        return image;
    }

    /// <summary>Deletes the framebuffer.</summary>
    public void Dispose()
    {
        if (_framebuffer == 0) return;
        uint fb = _framebuffer, rb = _colour;
        _gl.BindFramebuffer(GlConst.Framebuffer, 0);
        _gl.DeleteFramebuffers(1, &fb);
        _gl.DeleteRenderbuffers(1, &rb);
        _framebuffer = 0;
        _colour = 0;
    }
}
