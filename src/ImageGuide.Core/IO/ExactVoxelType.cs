using System.Numerics;
using System.Runtime.InteropServices;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// The smallest voxel type that holds every value of a float volume exactly, as converters such as dcm2niix and ITK
/// keep a CT's integers: when every value is a whole number within the range of uint8, int8, int16 or uint16 (tried in
/// that order), that type; otherwise <see cref="VoxelType.Float32"/>. A DICOM CT (integer stored values, integer
/// slope and intercept) thus becomes int16 Hounsfield units at half the bytes of float32, and reads back to the same
/// floats. NaN, infinities and fractions keep float32. Thread-safe.
/// </summary>
public static class ExactVoxelType
{
    /// <summary>The smallest of uint8, int8, int16, uint16 holding every value of <paramref name="values"/> exactly, else Float32.</summary>
    public static VoxelType Of(ReadOnlySpan<float> values)
    {
        var (min, max, integral) = Scan(values);
        return Choose(min, max, integral);
    }

    /// <summary>As <see cref="Of(ReadOnlySpan{float})"/>, scanning slabs of a large buffer on all cores.</summary>
    public static VoxelType Of(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        const int Slab = 1 << 18;
        int slabs = (int)((values.LongLength + Slab - 1) / Slab);
        if (slabs <= 1) return Of(values.AsSpan());
        var mins = new float[slabs];
        var maxs = new float[slabs];
        var whole = new bool[slabs];
        Parallel.For(0, slabs, s =>
        {
            int start = s * Slab;
            (mins[s], maxs[s], whole[s]) = Scan(values.AsSpan(start, Math.Min(Slab, values.Length - start)));
        });
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        bool integral = true;
        for (int s = 0; s < slabs; s++)
        {
            min = Math.Min(min, mins[s]);
            max = Math.Max(max, maxs[s]);
            integral &= whole[s];
        }
        return Choose(min, max, integral);
    }

    private static VoxelType Choose(float min, float max, bool integral)
    {
        if (!integral || float.IsNaN(min) || float.IsNaN(max)) return VoxelType.Float32;
        if (min > max) return VoxelType.UInt8; // empty
        if (min >= 0 && max <= byte.MaxValue) return VoxelType.UInt8;
        if (min >= sbyte.MinValue && max <= sbyte.MaxValue) return VoxelType.Int8;
        if (min >= short.MinValue && max <= short.MaxValue) return VoxelType.Int16;
        if (min >= 0 && max <= ushort.MaxValue) return VoxelType.UInt16;
        return VoxelType.Float32;
    }

    /// <summary>Minimum, maximum and whether every value is a finite whole number (NaN and infinities are not).</summary>
    private static (float Min, float Max, bool Integral) Scan(ReadOnlySpan<float> values)
    {
        int n = 0;
        var vmin = new Vector<float>(float.PositiveInfinity);
        var vmax = new Vector<float>(float.NegativeInfinity);
        var bad = Vector<int>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            // v − floor(v) is 0 for whole numbers and non-zero (or NaN) for fractions, NaN and infinities
            for (int w = Vector<float>.Count; n <= values.Length - w; n += w)
            {
                var v = new Vector<float>(values[n..]);
                bad |= ~Vector.Equals(v - Vector.Floor(v), Vector<float>.Zero);
                vmin = Vector.Min(vmin, v);
                vmax = Vector.Max(vmax, v);
            }
        }
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        bool integral = bad == Vector<int>.Zero;
        for (int k = 0; k < Vector<float>.Count; k++)
        {
            min = Math.Min(min, vmin[k]);
            max = Math.Max(max, vmax[k]);
        }
        for (; n < values.Length; n++)
        {
            float v = values[n];
            if (v - MathF.Floor(v) != 0) integral = false;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return (min, max, integral);
    }

    /// <summary>Converts whole-number floats known to fit <typeparamref name="T"/> (see <see cref="Of(float[])"/>).</summary>
    internal static void Narrow<T>(ReadOnlySpan<float> source, Span<T> target) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(short))
        {
            Narrow16(source, MemoryMarshal.Cast<T, short>(target));
            return;
        }
        for (int n = 0; n < source.Length; n++) target[n] = T.CreateTruncating(source[n]);
    }

    private static void Narrow16(ReadOnlySpan<float> source, Span<short> target)
    {
        int n = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            for (; n <= source.Length - 2 * w; n += 2 * w)
            {
                var lo = Vector.ConvertToInt32(new Vector<float>(source[n..]));
                var hi = Vector.ConvertToInt32(new Vector<float>(source[(n + w)..]));
                Vector.Narrow(lo, hi).CopyTo(target[n..]);
            }
        }
        for (; n < source.Length; n++) target[n] = (short)source[n];
    }

    /// <summary>A copy of <paramref name="volume"/> as <typeparamref name="T"/> (values known to fit exactly), converted on all cores.</summary>
    internal static Volume<T> Narrow<T>(Volume<float> volume) where T : unmanaged, INumber<T>
    {
        var g = volume.Geometry;
        var result = Volume<T>.CreateUninitialized(g, volume.Metadata);
        long plane = (long)g.Nx * g.Ny;
        var src = volume.Data;
        var dst = result.Data;
        Parallel.For(0, g.Nz, k => Narrow<T>(src.AsSpan((int)(plane * k), (int)plane), dst.AsSpan((int)(plane * k), (int)plane)));
        return result;
    }
}
