using ImageGuide.Rendering;
using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;
using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// Text over a pane: ImageGuide.Rendering draws the texts with Skia and the embedded DejaVu Sans into a transparent
/// layer (<see cref="SkiaSnapshotRenderer.TextLayer"/>), which is uploaded as a texture and blended over the pane
/// (premultiplied alpha). A pane's layer is redrawn only when its size or texts change.
/// </summary>
internal sealed unsafe class TextOverlay : IDisposable
{
    /// <summary>Texture unit of the layer: apart from the units of the scene's samplers.</summary>
    private const int LayerUnit = 6;

    private const string Fragment = """
        #version 330 core
        out vec4 fragColour;
        uniform vec2 paneOrigin;  // lower-left corner of the pane in framebuffer pixels
        uniform vec2 paneSize;
        uniform sampler2D layer;  // premultiplied RGBA, top row first
        void main() {
            ivec2 p = ivec2(int(gl_FragCoord.x - paneOrigin.x), int(paneOrigin.y + paneSize.y - gl_FragCoord.y));
            fragColour = texelFetch(layer, p, 0);
        }
        """;

    private readonly GL _gl;
    private readonly ShaderProgram _program;
    private readonly uint _vao;
    private readonly Dictionary<PaneKind, (string Key, uint Texture)> _layers = [];

    public TextOverlay(GL gl)
    {
        _gl = gl;
        _program = new ShaderProgram(gl, "text", Shaders.FullScreenVertex, Fragment);
        _program.Use();
        _program.Set("layer", LayerUnit);
        _vao = gl.GenVertexArray();
    }

    /// <summary>Blends <paramref name="texts"/> (pane pixel coordinates, y down) over <paramref name="pane"/>.</summary>
    public void Draw(Pane pane, int framebufferHeight, IReadOnlyList<SceneText> texts)
    {
        if (texts.Count == 0 || pane.Width < 1 || pane.Height < 1) return;
        string key = $"{pane.Width}x{pane.Height}|{string.Join('|', texts)}";
        _gl.ActiveTexture(TextureUnit.Texture0 + LayerUnit);
        if (!_layers.TryGetValue(pane.Kind, out var layer) || layer.Key != key)
        {
            uint texture = layer.Texture != 0 ? layer.Texture : _gl.GenTexture();
            _gl.BindTexture(TextureTarget.Texture2D, texture);
            _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMinFilter, (int)TextureMinFilter.Nearest);
            _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMagFilter, (int)TextureMagFilter.Nearest);
            _gl.PixelStore(PixelStoreParameter.UnpackAlignment, 4);
            byte[] pixels = SkiaSnapshotRenderer.TextLayer(texts, pane.Width, pane.Height);
            fixed (byte* p = pixels)
                _gl.TexImage2D(TextureTarget.Texture2D, 0, InternalFormat.Rgba8, (uint)pane.Width, (uint)pane.Height, 0, PixelFormat.Rgba, PixelType.UnsignedByte, p);
            _layers[pane.Kind] = layer = (key, texture);
        }
        else _gl.BindTexture(TextureTarget.Texture2D, layer.Texture);

        int glY = framebufferHeight - pane.Y - pane.Height;
        _gl.Viewport(pane.X, glY, (uint)pane.Width, (uint)pane.Height);
        _program.Use();
        _program.Set("paneOrigin", pane.X, glY);
        _program.Set("paneSize", pane.Width, pane.Height);
        _gl.Enable(EnableCap.Blend);
        _gl.BlendFunc(BlendingFactor.One, BlendingFactor.OneMinusSrcAlpha);
        _gl.BindVertexArray(_vao);
        _gl.DrawArrays(PrimitiveType.Triangles, 0, 3);
        _gl.BindVertexArray(0);
        _gl.Disable(EnableCap.Blend);
        GlInfo.Check(_gl, "drawing text");
    }

    /// <summary>Frees the textures and the program.</summary>
    public void Dispose()
    {
        foreach (var (_, texture) in _layers.Values) _gl.DeleteTexture(texture);
        _layers.Clear();
        _program.Dispose();
        _gl.DeleteVertexArray(_vao);
    }
}
