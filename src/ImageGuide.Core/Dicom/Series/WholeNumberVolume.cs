using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Whole-number voxels kept in the 16-bit integers they were stored in: real value = stored + <see cref="Offset"/>
/// (a DICOM series with Rescale Slope 1 and an integer Rescale Intercept, not resampled). The range and sum of the real
/// values were measured while the slices were decoded, so a writer picks the exact voxel type from them (the choice
/// <c>ExactVoxelType</c> makes for the same values as floats) and statistics need no pass over the voxels. The float volume of the same series holds exactly these values; this form
/// lets <c>imageguide convert</c> and <c>info</c> skip building it (half the bytes, no rescale pass, no whole-number scan).
/// Internal: the public API reads and writes <see cref="Volume{T}"/> of floats.
/// </summary>
internal sealed class WholeNumberVolume
{
    private readonly short[]? _signed;
    private readonly ushort[]? _unsigned;

    private WholeNumberVolume(VolumeGeometry geometry, ImageMetadata metadata, short[]? signed, ushort[]? unsigned, int offset,
        long min, long max, long sum)
    {
        Geometry = geometry;
        Metadata = metadata;
        _signed = signed;
        _unsigned = unsigned;
        Offset = offset;
        Min = min;
        Max = max;
        Sum = sum;
    }

    /// <summary>Wraps stored signed values (no copy) with their offset and the real values' range and sum.</summary>
    public static WholeNumberVolume FromSigned(Volume<short> stored, int offset, long min, long max, long sum) =>
        new(stored.Geometry, stored.Metadata, stored.Data, null, offset, min, max, sum);

    /// <summary>Wraps stored unsigned values (no copy) with their offset and the real values' range and sum.</summary>
    public static WholeNumberVolume FromUnsigned(Volume<ushort> stored, int offset, long min, long max, long sum) =>
        new(stored.Geometry, stored.Metadata, null, stored.Data, offset, min, max, sum);

    /// <summary>Where the grid lies in LPS space.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>Metadata, warnings included.</summary>
    public ImageMetadata Metadata { get; }

    /// <summary>Added to every stored value to give the real value (the Rescale Intercept).</summary>
    public int Offset { get; }

    /// <summary>Smallest real value.</summary>
    public long Min { get; }

    /// <summary>Largest real value.</summary>
    public long Max { get; }

    /// <summary>Sum of the real values, exact.</summary>
    public long Sum { get; }

    /// <summary>Number of voxels.</summary>
    public long Count => Geometry.VoxelCount;

    /// <summary>Mean of the real values: the exact sum over the count, the same double the float volume's statistics give.</summary>
    public double Mean => Count == 0 ? double.NaN : (double)Sum / Count;

    /// <summary>True when the stored values are held as <c>short</c> (Pixel Representation 1), false for <c>ushort</c>.</summary>
    public bool IsSigned => _signed is not null;

    /// <summary>The same metadata with other warnings (no copy of the voxels).</summary>
    public WholeNumberVolume WithWarnings(IReadOnlyList<string> warnings) =>
        new(Geometry, Metadata with { Warnings = warnings }, _signed, _unsigned, Offset, Min, Max, Sum);

    /// <summary>
    /// The stored buffer itself when it already holds the real values as <typeparamref name="T"/> (the stored type
    /// and offset 0), else null.
    /// </summary>
    public T[]? StoredAs<T>() where T : unmanaged
    {
        if (Offset != 0) return null;
        if (typeof(T) == typeof(short)) return _signed as T[];
        if (typeof(T) == typeof(ushort)) return _unsigned as T[];
        return null;
    }

    /// <summary>
    /// The real values of voxels [<paramref name="start"/>, start + target.Length) as <typeparamref name="T"/>
    /// (uint8, int8, int16, uint16 or float; the caller knows from <see cref="Min"/> and <see cref="Max"/> that they fit).
    /// </summary>
    public void CopyReal<T>(int start, Span<T> target) where T : unmanaged, INumber<T>
    {
        ReadOnlySpan<ushort> bits = _signed is not null
            ? MemoryMarshal.Cast<short, ushort>(_signed.AsSpan(start, target.Length))
            : _unsigned.AsSpan(start, target.Length);
        if (typeof(T) == typeof(short) || typeof(T) == typeof(ushort))
        {
            // the real values fit the 16-bit target, so 16-bit wrap-around arithmetic on the patterns is exact
            AddWrapping(bits, (ushort)Offset, MemoryMarshal.Cast<T, ushort>(target));
            return;
        }
        int offset = Offset;
        if (_signed is not null)
            for (int n = 0; n < target.Length; n++) target[n] = T.CreateTruncating((short)bits[n] + offset);
        else
            for (int n = 0; n < target.Length; n++) target[n] = T.CreateTruncating(bits[n] + offset);
    }

    /// <summary>The real values as a new <typeparamref name="T"/> volume (for writers that take a whole volume), converted on all cores.</summary>
    public Volume<T> ToVolume<T>() where T : unmanaged, INumber<T>
    {
        var result = Volume<T>.CreateUninitialized(Geometry, Metadata);
        int plane = Geometry.Nx * Geometry.Ny;
        var data = result.Data;
        Parallel.For(0, Geometry.Nz, k => CopyReal(k * plane, data.AsSpan(k * plane, plane)));
        return result;
    }

    private static void AddWrapping(ReadOnlySpan<ushort> source, ushort add, Span<ushort> target)
    {
        if (add == 0)
        {
            source.CopyTo(target);
            return;
        }
        int n = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var a = Vector128.Create(add);
            ref ushort src = ref MemoryMarshal.GetReference(source);
            ref ushort dst = ref MemoryMarshal.GetReference(target);
            for (; n <= source.Length - Vector128<ushort>.Count; n += Vector128<ushort>.Count)
                (Vector128.LoadUnsafe(ref src, (nuint)n) + a).StoreUnsafe(ref dst, (nuint)n);
        }
        for (; n < source.Length; n++) target[n] = (ushort)(source[n] + add);
    }

    /// <summary>Minimum, maximum and sum of 16-bit values (Vector128; the sum in 32-bit lanes, flushed before they could overflow).</summary>
    internal static (long Min, long Max, long Sum) MinMaxSum(ReadOnlySpan<short> values) => MinMaxSum(values, 0);

    /// <summary>As <see cref="MinMaxSum(ReadOnlySpan{short})"/> for unsigned values.</summary>
    internal static (long Min, long Max, long Sum) MinMaxSum(ReadOnlySpan<ushort> values)
    {
        if (values.IsEmpty) return MinMaxSum(ReadOnlySpan<short>.Empty);
        // u ^ 0x8000 read as a short is u − 32768: the unsigned order on the signed scale, shifted back after
        var (min, max, sum) = MinMaxSum(MemoryMarshal.Cast<ushort, short>(values), unchecked((short)0x8000));
        return (min + 32768, max + 32768, sum + 32768L * values.Length);
    }

    /// <summary>Minimum, maximum and sum of <c>value ^ bias</c> over <paramref name="values"/>.</summary>
    private static (long Min, long Max, long Sum) MinMaxSum(ReadOnlySpan<short> values, short bias)
    {
        long sum = 0;
        int min = int.MaxValue, max = int.MinValue, n = 0;
        if (Vector128.IsHardwareAccelerated && values.Length >= Vector128<short>.Count)
        {
            var vmin = Vector128.Create(short.MaxValue);
            var vmax = Vector128.Create(short.MinValue);
            var vbias = Vector128.Create(bias);
            ref short first = ref MemoryMarshal.GetReference(values);
            while (n <= values.Length - Vector128<short>.Count)
            {
                // each int lane takes two values of at most 2^15 per step: 2^14 steps stay below 2^31
                var acc = Vector128<int>.Zero;
                int end = Math.Min(values.Length - Vector128<short>.Count, n + (Vector128<short>.Count << 14));
                for (; n <= end; n += Vector128<short>.Count)
                {
                    var v = Vector128.LoadUnsafe(ref first, (nuint)n) ^ vbias;
                    vmin = Vector128.Min(vmin, v);
                    vmax = Vector128.Max(vmax, v);
                    var (lo, hi) = Vector128.Widen(v);
                    acc += lo + hi;
                }
                for (int k = 0; k < Vector128<int>.Count; k++) sum += acc[k];
            }
            for (int k = 0; k < Vector128<short>.Count; k++)
            {
                min = Math.Min(min, vmin[k]);
                max = Math.Max(max, vmax[k]);
            }
        }
        for (; n < values.Length; n++)
        {
            int v = (short)(values[n] ^ bias);
            if (v < min) min = v;
            if (v > max) max = v;
            sum += v;
        }
        return (min, max, sum);
    }
}
