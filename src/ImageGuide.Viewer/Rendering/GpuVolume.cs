using ImageGuide.Imaging;
using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// A volume resident on the GPU as a 3-D texture together with the geometry that places it in LPS space.
/// Scalars become R32F (exact) or, above <see cref="HalfFloatThreshold"/> voxels, R16F (half the memory) with
/// trilinear filtering; labels become R8UI read with <c>texelFetch</c> (nearest, no blending of label values).
/// </summary>
internal sealed unsafe class GpuVolume : IDisposable
{
    /// <summary>Scalar volumes with more voxels than this are stored as half floats.</summary>
    public const long HalfFloatThreshold = 64L * 1024 * 1024;

    private const int SlabSlices = 16;
    private readonly GL _gl;
    private uint _texture;

    private GpuVolume(GL gl, VolumeGeometry geometry, uint texture)
    {
        _gl = gl;
        Geometry = geometry;
        _texture = texture;
    }

    /// <summary>Where the texture lies in LPS space.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>Uploads a scalar volume with linear filtering.</summary>
    public static GpuVolume UploadScalar(GL gl, Volume<float> volume)
    {
        var g = volume.Geometry;
        bool half = g.VoxelCount > HalfFloatThreshold;
        uint texture = Create(gl, g, half ? InternalFormat.R16f : InternalFormat.R32f, PixelFormat.Red, half ? PixelType.HalfFloat : PixelType.Float, GLEnum.Linear);
        int sliceVoxels = g.Nx * g.Ny;
        if (half)
        {
            var buffer = new Half[(long)sliceVoxels * Math.Min(SlabSlices, g.Nz)];
            for (int k0 = 0; k0 < g.Nz; k0 += SlabSlices)
            {
                int slices = Math.Min(SlabSlices, g.Nz - k0);
                var source = volume.Data.AsMemory((int)((long)k0 * sliceVoxels), slices * sliceVoxels);
                Parallel.For(0, slices, s =>
                {
                    var src = source.Span.Slice(s * sliceVoxels, sliceVoxels);
                    var dst = buffer.AsSpan(s * sliceVoxels, sliceVoxels);
                    for (int n = 0; n < src.Length; n++) dst[n] = (Half)src[n];
                });
                fixed (Half* p = buffer) gl.TexSubImage3D(TextureTarget.Texture3D, 0, 0, 0, k0, (uint)g.Nx, (uint)g.Ny, (uint)slices, PixelFormat.Red, PixelType.HalfFloat, p);
            }
        }
        else
        {
            fixed (float* p = volume.Data) gl.TexSubImage3D(TextureTarget.Texture3D, 0, 0, 0, 0, (uint)g.Nx, (uint)g.Ny, (uint)g.Nz, PixelFormat.Red, PixelType.Float, p);
        }
        GlInfo.Check(gl, $"uploading a {g.Nx}×{g.Ny}×{g.Nz} volume");
        return new GpuVolume(gl, g, texture);
    }

    /// <summary>Uploads a label map (values 0–255) for nearest-neighbour reads.</summary>
    public static GpuVolume UploadLabels(GL gl, Volume<byte> labels)
    {
        var g = labels.Geometry;
        uint texture = Create(gl, g, InternalFormat.R8ui, PixelFormat.RedInteger, PixelType.UnsignedByte, GLEnum.Nearest);
        fixed (byte* p = labels.Data) gl.TexSubImage3D(TextureTarget.Texture3D, 0, 0, 0, 0, (uint)g.Nx, (uint)g.Ny, (uint)g.Nz, PixelFormat.RedInteger, PixelType.UnsignedByte, p);
        GlInfo.Check(gl, $"uploading a {g.Nx}×{g.Ny}×{g.Nz} label map");
        return new GpuVolume(gl, g, texture);
    }

    /// <summary>Binds the texture to texture unit <paramref name="unit"/>.</summary>
    public void Bind(int unit)
    {
        _gl.ActiveTexture(TextureUnit.Texture0 + unit);
        _gl.BindTexture(TextureTarget.Texture3D, _texture);
    }

    private static uint Create(GL gl, VolumeGeometry g, InternalFormat internalFormat, PixelFormat format, PixelType type, GLEnum filter)
    {
        int max = gl.GetInteger(GetPName.Max3DTextureSize);
        if (g.Nx > max || g.Ny > max || g.Nz > max)
            throw new ViewerException($"Volume {g.Nx}×{g.Ny}×{g.Nz} exceeds this driver's largest 3-D texture ({max}); resample it first.");
        uint texture = gl.GenTexture();
        gl.ActiveTexture(TextureUnit.Texture0);
        gl.BindTexture(TextureTarget.Texture3D, texture);
        gl.TexParameter(TextureTarget.Texture3D, TextureParameterName.TextureMinFilter, (int)filter);
        gl.TexParameter(TextureTarget.Texture3D, TextureParameterName.TextureMagFilter, (int)filter);
        gl.TexParameter(TextureTarget.Texture3D, TextureParameterName.TextureWrapS, (int)GLEnum.ClampToEdge);
        gl.TexParameter(TextureTarget.Texture3D, TextureParameterName.TextureWrapT, (int)GLEnum.ClampToEdge);
        gl.TexParameter(TextureTarget.Texture3D, TextureParameterName.TextureWrapR, (int)GLEnum.ClampToEdge);
        gl.PixelStore(PixelStoreParameter.UnpackAlignment, 1);
        gl.TexImage3D(TextureTarget.Texture3D, 0, internalFormat, (uint)g.Nx, (uint)g.Ny, (uint)g.Nz, 0, format, type, null);
        GlInfo.Check(gl, $"allocating a {g.Nx}×{g.Ny}×{g.Nz} 3-D texture");
        return texture;
    }

    /// <summary>Deletes the texture.</summary>
    public void Dispose()
    {
        if (_texture == 0) return;
        _gl.DeleteTexture(_texture);
        _texture = 0;
    }
}
