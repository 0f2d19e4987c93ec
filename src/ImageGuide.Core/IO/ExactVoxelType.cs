using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ImageGuide.Dicom.Series;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// The smallest voxel type that holds every value of a float volume exactly, as converters such as dcm2niix and ITK
/// keep a CT's integers: when every value is a whole number within the range of uint8, int8, int16 or uint16 (tried in
/// that order), that type; otherwise <see cref="VoxelType.Float32"/>. A DICOM CT (integer stored values, integer
/// slope and intercept) thus becomes int16 Hounsfield units at half the bytes of float32, and reads back to the same
/// floats. NaN, infinities, fractions and wider ranges keep float32. Thread-safe.
/// </summary>
public static class ExactVoxelType
{
    /// <summary>The smallest of uint8, int8, int16, uint16 holding every value of <paramref name="values"/> exactly, else Float32.</summary>
    public static VoxelType Of(ReadOnlySpan<float> values)
    {
        var (min, max, exact) = Scan(values);
        return exact ? Choose(min, max) : VoxelType.Float32;
    }

    /// <summary>As <see cref="Of(ReadOnlySpan{float})"/>, scanning slabs of a large buffer on all cores (stopping at the first value that does not fit).</summary>
    public static VoxelType Of(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        const int Slab = 1 << 18;
        int slabs = (int)((values.LongLength + Slab - 1) / Slab);
        if (slabs <= 1) return Of(values.AsSpan());
        var mins = new float[slabs];
        var maxs = new float[slabs];
        int failed = 0;
        Parallel.For(0, slabs, s =>
        {
            if (Volatile.Read(ref failed) != 0) return;
            int start = s * Slab;
            (mins[s], maxs[s], bool exact) = Scan(values.AsSpan(start, Math.Min(Slab, values.Length - start)));
            if (!exact) Volatile.Write(ref failed, 1);
        });
        if (failed != 0) return VoxelType.Float32;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        for (int s = 0; s < slabs; s++)
        {
            if (mins[s] < min) min = mins[s];
            if (maxs[s] > max) max = maxs[s];
        }
        return Choose(min, max);
    }

    /// <summary>
    /// The type <see cref="Of(float[])"/> would choose for the floats of whole numbers kept as stored integers, from the
    /// range measured while they were decoded (no scan).
    /// </summary>
    internal static VoxelType Of(WholeNumberVolume volume) => Choose(volume.Min, volume.Max);

    /// <summary>The smallest of uint8, int8, int16, uint16 whose range holds [<paramref name="min"/>, <paramref name="max"/>] (whole numbers), else Float32; UInt8 when empty (min &gt; max).</summary>
    internal static VoxelType Choose(double min, double max)
    {
        if (min > max) return VoxelType.UInt8; // empty
        if (min >= 0 && max <= byte.MaxValue) return VoxelType.UInt8;
        if (min >= sbyte.MinValue && max <= sbyte.MaxValue) return VoxelType.Int8;
        if (min >= short.MinValue && max <= short.MaxValue) return VoxelType.Int16;
        if (min >= 0 && max <= ushort.MaxValue) return VoxelType.UInt16;
        return VoxelType.Float32;
    }

    /// <summary>
    /// Minimum and maximum, and whether every value is a whole number within [−32768, 65535] (NaN, infinities,
    /// fractions and wider values are not; the scan stops at the first). Vector128 (SSE2), which Native AOT always
    /// accelerates, unlike Vector&lt;T&gt;; the integer test is a round trip through int32, no floor call.
    /// </summary>
    private static (float Min, float Max, bool Exact) Scan(ReadOnlySpan<float> values)
    {
        const float Lo = short.MinValue, Hi = ushort.MaxValue;
        int n = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        if (Vector128.IsHardwareAccelerated && values.Length >= 4)
        {
            var lo = Vector128.Create(Lo);
            var hi = Vector128.Create(Hi);
            var vmin = Vector128.Create(float.PositiveInfinity);
            var vmax = Vector128.Create(float.NegativeInfinity);
            ref float first = ref MemoryMarshal.GetReference(values);
            for (; n <= values.Length - 4; n += 4)
            {
                var v = Vector128.LoadUnsafe(ref first, (nuint)n);
                // NaN fails both comparisons; out-of-range lanes are rejected before their int32 conversion matters
                var ok = Vector128.GreaterThanOrEqual(v, lo) & Vector128.LessThanOrEqual(v, hi)
                    & Vector128.Equals(Vector128.ConvertToSingle(ToInt32(v)), v);
                // the lane masks as bits (a float comparison would read an all-ones lane as NaN)
                if (Vector128.ExtractMostSignificantBits(ok) != 0b1111) return (0, 0, false);
                vmin = Vector128.Min(vmin, v);
                vmax = Vector128.Max(vmax, v);
            }
            for (int k = 0; k < 4; k++)
            {
                if (vmin[k] < min) min = vmin[k];
                if (vmax[k] > max) max = vmax[k];
            }
        }
        for (; n < values.Length; n++)
        {
            float v = values[n];
            if (!(v >= Lo && v <= Hi) || (float)(int)v != v) return (0, 0, false);
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return (min, max, true);
    }

    /// <summary>
    /// Truncating float → int32 per lane: cvttps2dq where SSE2 is there (Vector128.ConvertToInt32 saturates, which the
    /// Native AOT baseline does lane by lane in scalar code); out-of-range lanes are masked by the caller.
    /// </summary>
    private static Vector128<int> ToInt32(Vector128<float> v) =>
        Sse2.IsSupported ? Sse2.ConvertToVector128Int32WithTruncation(v) : Vector128.ConvertToInt32(v);

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
        if (Sse2.IsSupported)
        {
            // the values fit int16, so the saturating pack is exact
            ref float src = ref MemoryMarshal.GetReference(source);
            ref short dst = ref MemoryMarshal.GetReference(target);
            for (; n <= source.Length - 8; n += 8)
            {
                var a = Sse2.ConvertToVector128Int32WithTruncation(Vector128.LoadUnsafe(ref src, (nuint)n));
                var b = Sse2.ConvertToVector128Int32WithTruncation(Vector128.LoadUnsafe(ref src, (nuint)(n + 4)));
                Sse2.PackSignedSaturate(a, b).StoreUnsafe(ref dst, (nuint)n);
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
