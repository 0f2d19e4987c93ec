using ImageGuide.Visualization;
using ImageGuide.Viewer.Native;

namespace ImageGuide.Viewer.Rendering;

/// <summary>A 256×1 RGBA8 texture read with <c>texelFetch</c>: a core <see cref="ColorMap"/> or a label colour table.</summary>
internal sealed unsafe class LookupTexture : IDisposable
{
    private readonly Gl _gl;
    private uint _texture;

    private LookupTexture(Gl gl, byte[] rgba)
    {
        _gl = gl;
        uint t;
        gl.GenTextures(1, &t);
        _texture = t;
        gl.ActiveTexture(GlConst.Texture0);
        gl.BindTexture(GlConst.Texture2D, t);
        gl.TexParameteri(GlConst.Texture2D, GlConst.TextureMinFilter, GlConst.Nearest);
        gl.TexParameteri(GlConst.Texture2D, GlConst.TextureMagFilter, GlConst.Nearest);
        gl.PixelStorei(GlConst.UnpackAlignment, 1);
        fixed (byte* p = rgba) gl.TexImage2D(GlConst.Texture2D, 0, GlConst.Rgba8, 256, 1, 0, GlConst.Rgba, GlConst.UnsignedByte, p);
        GlInfo.Check(gl, "uploading a lookup table");
    }

    /// <summary>The map's 256 entries (entry n is the colour of intensity n/255), opaque.</summary>
    public static LookupTexture FromColorMap(Gl gl, ColorMap map)
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
    public static LookupTexture FromLabelColors(Gl gl, IReadOnlyDictionary<int, Rgb> colors)
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
        _gl.ActiveTexture(GlConst.Texture0 + (uint)unit);
        _gl.BindTexture(GlConst.Texture2D, _texture);
    }

    /// <summary>Deletes the texture.</summary>
    public void Dispose()
    {
        if (_texture == 0) return;
        uint t = _texture;
        _gl.DeleteTextures(1, &t);
        _texture = 0;
    }
}
