using ImageGuide.Imaging;
using ImageGuide.Viewer.Native;

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
    private readonly Gl _gl;
    private uint _texture;

    private GpuVolume(Gl gl, VolumeGeometry geometry, uint texture)
    {
        _gl = gl;
        Geometry = geometry;
        _texture = texture;
    }

    /// <summary>Where the texture lies in LPS space.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>Uploads a scalar volume with linear filtering.</summary>
    public static GpuVolume UploadScalar(Gl gl, Volume<float> volume)
    {
        var g = volume.Geometry;
        bool half = g.VoxelCount > HalfFloatThreshold;
        uint texture = Create(gl, g, half ? GlConst.R16F : GlConst.R32F, GlConst.Red, half ? GlConst.HalfFloat : GlConst.Float, GlConst.Linear);
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
                fixed (Half* p = buffer) gl.TexSubImage3D(GlConst.Texture3D, 0, 0, 0, k0, g.Nx, g.Ny, slices, GlConst.Red, GlConst.HalfFloat, p);
            }
        }
        else
        {
            fixed (float* p = volume.Data) gl.TexSubImage3D(GlConst.Texture3D, 0, 0, 0, 0, g.Nx, g.Ny, g.Nz, GlConst.Red, GlConst.Float, p);
        }
        GlInfo.Check(gl, $"uploading a {g.Nx}×{g.Ny}×{g.Nz} volume");
        return new GpuVolume(gl, g, texture);
    }

    /// <summary>Uploads a label map (values 0–255) for nearest-neighbour reads.</summary>
    public static GpuVolume UploadLabels(Gl gl, Volume<byte> labels)
    {
        var g = labels.Geometry;
        uint texture = Create(gl, g, GlConst.R8UI, GlConst.RedInteger, GlConst.UnsignedByte, GlConst.Nearest);
        fixed (byte* p = labels.Data) gl.TexSubImage3D(GlConst.Texture3D, 0, 0, 0, 0, g.Nx, g.Ny, g.Nz, GlConst.RedInteger, GlConst.UnsignedByte, p);
        GlInfo.Check(gl, $"uploading a {g.Nx}×{g.Ny}×{g.Nz} label map");
        return new GpuVolume(gl, g, texture);
    }

    /// <summary>Binds the texture to texture unit <paramref name="unit"/>.</summary>
    public void Bind(int unit)
    {
        _gl.ActiveTexture(GlConst.Texture0 + (uint)unit);
        _gl.BindTexture(GlConst.Texture3D, _texture);
    }

    private static uint Create(Gl gl, VolumeGeometry g, int internalFormat, uint format, uint type, int filter)
    {
        int max;
        gl.GetIntegerv(GlConst.Max3DTextureSize, &max);
        if (g.Nx > max || g.Ny > max || g.Nz > max)
            throw new ViewerException($"Volume {g.Nx}×{g.Ny}×{g.Nz} exceeds this driver's largest 3-D texture ({max}); resample it first.");
        uint texture;
        gl.GenTextures(1, &texture);
        gl.ActiveTexture(GlConst.Texture0);
        gl.BindTexture(GlConst.Texture3D, texture);
        gl.TexParameteri(GlConst.Texture3D, GlConst.TextureMinFilter, filter);
        gl.TexParameteri(GlConst.Texture3D, GlConst.TextureMagFilter, filter);
        gl.TexParameteri(GlConst.Texture3D, GlConst.TextureWrapS, GlConst.ClampToEdge);
        gl.TexParameteri(GlConst.Texture3D, GlConst.TextureWrapT, GlConst.ClampToEdge);
        gl.TexParameteri(GlConst.Texture3D, GlConst.TextureWrapR, GlConst.ClampToEdge);
        gl.PixelStorei(GlConst.UnpackAlignment, 1);
        gl.TexImage3D(GlConst.Texture3D, 0, internalFormat, g.Nx, g.Ny, g.Nz, 0, format, type, null);
        GlInfo.Check(gl, $"allocating a {g.Nx}×{g.Ny}×{g.Nz} 3-D texture");
        return texture;
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
