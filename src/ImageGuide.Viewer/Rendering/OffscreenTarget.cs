using ImageGuide.Visualization;
using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>An RGBA8 framebuffer object to render into without a window, and read back as an <see cref="RgbaImage"/>.</summary>
internal sealed unsafe class OffscreenTarget : IDisposable
{
    private readonly GL _gl;
    private uint _framebuffer;
    private uint _colour;

    /// <summary>Creates a <paramref name="width"/>×<paramref name="height"/> target.</summary>
    public OffscreenTarget(GL gl, int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Target size {width}×{height} must be at least 1×1.");
        _gl = gl;
        Width = width;
        Height = height;
        uint fb = gl.GenFramebuffer(), rb = gl.GenRenderbuffer();
        _framebuffer = fb;
        _colour = rb;
        gl.BindRenderbuffer(RenderbufferTarget.Renderbuffer, rb);
        gl.RenderbufferStorage(RenderbufferTarget.Renderbuffer, InternalFormat.Rgba8, (uint)width, (uint)height);
        gl.BindFramebuffer(FramebufferTarget.Framebuffer, fb);
        gl.FramebufferRenderbuffer(FramebufferTarget.Framebuffer, FramebufferAttachment.ColorAttachment0, RenderbufferTarget.Renderbuffer, rb);
        var status = gl.CheckFramebufferStatus(FramebufferTarget.Framebuffer);
        if (status != GLEnum.FramebufferComplete) throw new ViewerException($"Offscreen framebuffer {width}×{height} is incomplete (status 0x{(int)status:X4}).");
        GlInfo.Check(gl, "creating the offscreen framebuffer");
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The GL framebuffer name.</summary>
    public uint Handle => _framebuffer;

    /// <summary>Directs rendering into this target.</summary>
    public void Bind() => _gl.BindFramebuffer(FramebufferTarget.Framebuffer, _framebuffer);

    /// <summary>Reads the pixels back, top row first.</summary>
    public RgbaImage ReadBack()
    {
        Bind();
        _gl.Finish();
        var image = new RgbaImage(Width, Height);
        var rows = new byte[image.Pixels.Length];
        _gl.PixelStore(PixelStoreParameter.PackAlignment, 1);
        fixed (byte* p = rows) _gl.ReadPixels(0, 0, (uint)Width, (uint)Height, PixelFormat.Rgba, PixelType.UnsignedByte, p);
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
        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, 0);
        _gl.DeleteFramebuffer(_framebuffer);
        _gl.DeleteRenderbuffer(_colour);
        _framebuffer = 0;
        _colour = 0;
    }
}
