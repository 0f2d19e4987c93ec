using ImageGuide.Visualization;
using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>A 256×1 RGBA8 texture read with <c>texelFetch</c>: a core <see cref="ColorMap"/> or a label colour table.</summary>
internal sealed unsafe class LookupTexture : IDisposable
{
    private readonly GL _gl;
    private uint _texture;

    private LookupTexture(GL gl, byte[] rgba)
    {
        _gl = gl;
        uint t = gl.GenTexture();
        _texture = t;
        gl.ActiveTexture(TextureUnit.Texture0);
        gl.BindTexture(TextureTarget.Texture2D, t);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMinFilter, (int)TextureMinFilter.Nearest);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMagFilter, (int)TextureMagFilter.Nearest);
        gl.PixelStore(PixelStoreParameter.UnpackAlignment, 1);
        fixed (byte* p = rgba) gl.TexImage2D(TextureTarget.Texture2D, 0, InternalFormat.Rgba8, 256, 1, 0, PixelFormat.Rgba, PixelType.UnsignedByte, p);
        GlInfo.Check(gl, "uploading a lookup table");
    }

    /// <summary>The map's 256 entries (entry n is the colour of intensity n/255), opaque.</summary>
    public static LookupTexture FromColorMap(GL gl, ColorMap map)
    {
        var rgba = new byte[256 * 4];
        for (int n = 0; n < 256; n++)
        {
            var c = map.Map(n / 255.0);
            rgba[n * 4] = c.R; rgba[n * 4 + 1] = c.G; rgba[n * 4 + 2] = c.B; rgba[n * 4 + 3] = 255;
        }
        return new LookupTexture(gl, rgba);
    }

    /// <summary>Label colours by value; values without a colour get alpha 0 (not drawn).</summary>
    public static LookupTexture FromLabelColors(GL gl, IReadOnlyDictionary<int, Rgb> colors)
    {
        var rgba = new byte[256 * 4];
        foreach (var (value, c) in colors)
        {
            if (value is < 1 or > 255) continue;
            rgba[value * 4] = c.R; rgba[value * 4 + 1] = c.G; rgba[value * 4 + 2] = c.B; rgba[value * 4 + 3] = 255;
        }
        return new LookupTexture(gl, rgba);
    }

    /// <summary>Binds the texture to texture unit <paramref name="unit"/>.</summary>
    public void Bind(int unit)
    {
        _gl.ActiveTexture(TextureUnit.Texture0 + unit);
        _gl.BindTexture(TextureTarget.Texture2D, _texture);
    }

    /// <summary>Deletes the texture.</summary>
    public void Dispose()
    {
        if (_texture == 0) return;
        _gl.DeleteTexture(_texture);
        _texture = 0;
    }
}
