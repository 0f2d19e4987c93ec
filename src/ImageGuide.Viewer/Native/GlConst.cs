namespace ImageGuide.Viewer.Native;

/// <summary>OpenGL enum values used by the viewer (from the Khronos registry, gl.xml).</summary>
internal static class GlConst
{
    public const uint NoError = 0;
    public const uint Vendor = 0x1F00, Renderer = 0x1F01, Version = 0x1F02;
    public const uint ColorBufferBit = 0x4000;
    public const uint ScissorTest = 0x0C11;
    public const uint Texture2D = 0x0DE1, Texture3D = 0x806F;
    public const uint Texture0 = 0x84C0;
    public const uint TextureMinFilter = 0x2801, TextureMagFilter = 0x2800;
    public const uint TextureWrapS = 0x2802, TextureWrapT = 0x2803, TextureWrapR = 0x8072;
    public const int Nearest = 0x2600, Linear = 0x2601, ClampToEdge = 0x812F;
    public const uint UnpackAlignment = 0x0CF5, PackAlignment = 0x0D05;
    public const int R32F = 0x822E, R16F = 0x822D, R8UI = 0x8232, Rgba8 = 0x8058;
    public const uint Red = 0x1903, RedInteger = 0x8D94, Rgba = 0x1908;
    public const uint Float = 0x1406, HalfFloat = 0x140B, UnsignedByte = 0x1401;
    public const uint Framebuffer = 0x8D40, Renderbuffer = 0x8D41, ColorAttachment0 = 0x8CE0;
    public const uint FramebufferComplete = 0x8CD5;
    public const uint ReadFramebuffer = 0x8CA8, DrawFramebuffer = 0x8CA9, DrawFramebufferBinding = 0x8CA6;
    public const uint VertexShader = 0x8B31, FragmentShader = 0x8B30;
    public const uint CompileStatus = 0x8B81, LinkStatus = 0x8B82, InfoLogLength = 0x8B84;
    public const uint ArrayBuffer = 0x8892, DynamicDraw = 0x88E8;
    public const uint Triangles = 0x0004, Lines = 0x0001;
    public const uint Max3DTextureSize = 0x8073;
}
