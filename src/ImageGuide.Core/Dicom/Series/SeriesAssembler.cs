using System.Buffers;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ImageGuide.Imaging;

namespace ImageGuide.Dicom.Series;

/// <summary>
/// Turns the frames of one series into a volume in LPS millimetres:
/// <list type="bullet">
/// <item>frames are split into stacks of equal orientation, matrix and pixel spacing; the largest stack is used and the others are named in a warning;</item>
/// <item>frames are sorted by the projection of Image Position (Patient) on the slice normal <c>n = row × column</c>;
/// spacing comes from those positions, never from Slice Thickness;</item>
/// <item>duplicate positions, uneven spacing (missing slices, mixed slabs) and gantry tilt are handled by the policies
/// of <see cref="SeriesAssemblyOptions"/> (resample with a warning, or refuse naming the slices);</item>
/// <item>each frame is rescaled with its own slope and intercept; values are HU for CT only.</item>
/// </list>
/// The grid's axes are the row cosine, the column cosine and <c>n</c>; its origin is the first sorted slice's
/// Image Position (Patient) (for a tilted stack the corner of the union of all slice planes). Spacing along <c>n</c>
/// is the distance between slice planes when it is even (every plane within
/// <see cref="SeriesAssemblyOptions.SpacingToleranceMm"/> of the uniform grid through the first and last plane);
/// otherwise the smallest spacing shared by a run of two or more gaps (a lone gap is a junction or a hole),
/// adjusted so that a whole number of steps spans exactly from the first to the last slice plane. A tilted stack
/// keeps the in-plane spacing and its grid grows in-plane to cover every slice. Resampling is linear
/// between neighbouring input slices along the stacking direction (bilinear in-plane): exact for values that vary
/// linearly in space. Thread-safe: an assembler holds only its immutable options.
/// </summary>
public sealed class SeriesAssembler
{
    /// <summary>Creates an assembler with the given options (default: <see cref="SeriesAssemblyOptions.Default"/>).</summary>
    public SeriesAssembler(SeriesAssemblyOptions? options = null)
    {
        Options = options ?? SeriesAssemblyOptions.Default;
        Options.Validate();
    }

    /// <summary>The policies and tolerances in use.</summary>
    public SeriesAssemblyOptions Options { get; }

    /// <summary>Decides the geometry of the series without reading pixels.</summary>
    /// <param name="frames">Frames of exactly one Series Instance UID, in any order.</param>
    /// <exception cref="GeometryException">Inconsistent geometry refused by the policies (message names the slices).</exception>
    /// <exception cref="InvalidImageDataException">A header with impossible values (named).</exception>
    public SeriesGeometryPlan Plan(IReadOnlyList<DicomSliceHeader> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0) throw new ImageGuideException("No frames to assemble: the series is empty.");
        string uid = frames[0].SeriesInstanceUid;
        foreach (var f in frames)
        {
            ArgumentNullException.ThrowIfNull(f, nameof(frames));
            Validate(f);
            if (!string.Equals(f.SeriesInstanceUid, uid, StringComparison.Ordinal))
                throw new GeometryException($"Frames of different series were passed together ({uid} and {f.SeriesInstanceUid} in {f.DisplayName}); assemble one series at a time (DicomSeriesScanner groups them).");
        }
        var warnings = new List<string>();
        var stacks = StackSplitter.Split(frames, Options.OrientationTolerance);
        if (stacks.Count > 1)
        {
            var parts = new List<string>();
            for (int s = 0; s < stacks.Count; s++) parts.Add(StackSplitter.Describe(stacks[s]) + (s == 0 ? " (used)" : " (ignored)"));
            warnings.Add($"Series {uid} holds {stacks.Count} stacks with different orientation, matrix or pixel spacing: {string.Join("; ", parts)}.");
        }
        return StackPlanner.Plan(stacks[0], Options, warnings);
    }

    /// <summary>Plans and loads the series: <see cref="Plan"/> then <see cref="Load"/>.</summary>
    /// <param name="frames">Frames of exactly one series, each with a <see cref="DicomSliceHeader.Loader"/>.</param>
    /// <param name="progress">Receives the fraction done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between frames.</param>
    public SeriesAssemblyResult Assemble(IReadOnlyList<DicomSliceHeader> frames, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default) => Load(Plan(frames), progress, cancellationToken);

    /// <summary>Reads, rescales and (when the plan says so) resamples the frames of a plan.</summary>
    /// <param name="plan">A plan from <see cref="Plan"/>.</param>
    /// <param name="progress">Receives the fraction done, 0 to 1.</param>
    /// <param name="cancellationToken">Cancels between frames.</param>
    public SeriesAssemblyResult Load(SeriesGeometryPlan plan, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var slices = plan.Slices;
        foreach (var s in slices)
            if (s.Loader is null)
                throw new ImageGuideException($"Frame {s.DisplayName} has no pixel loader (a geometry-only header); scan the files with DicomSeriesScanner to load pixels.");
        int count = slices.Count;
        int rows = slices[0].Rows, cols = slices[0].Columns;
        int plane = rows * cols;
        var geometry = plan.Geometry;
        bool resample = plan.Layout.NeedsResampling;
        ImageMemoryBudget.Check(slices[0].DisplayName, geometry.VoxelCount, sizeof(float), $"the series' {count} frames of {rows}×{cols} on a {geometry.Nx}×{geometry.Ny}×{geometry.Nz} grid");
        var volume = resample ? new Volume<float>(geometry, Metadata(plan)) : Volume<float>.CreateUninitialized(geometry, Metadata(plan)); // every slice is written
        float[][]? planes = resample ? new float[count][] : null;
        var mins = new float[count];
        int done = 0;
        double loadShare = resample ? 0.7 : 1.0;
        LoadFrames(slices, cancellationToken, s =>
        {
            var header = slices[s];
            var target = resample ? (planes![s] = new float[plane]) : volume.Slice(s);
            int[] stored = ArrayPool<int>.Shared.Rent(plane);
            try
            {
                header.Loader!(stored.AsSpan(0, plane), cancellationToken);
                mins[s] = Rescale(stored.AsSpan(0, plane), target, header.RescaleSlope, header.RescaleIntercept);
            }
            finally { ArrayPool<int>.Shared.Return(stored); }
            progress?.Report(loadShare * Interlocked.Increment(ref done) / count);
        });
        if (resample)
        {
            float min = float.PositiveInfinity;
            foreach (var m in mins) min = Math.Min(min, m);
            double outside = Options.OutsideValue ?? plan.Report.PixelPaddingValue ?? min;
            SliceStackResampler.Resample(planes!, rows, cols, slices[0].ColumnSpacing, slices[0].RowSpacing, plan.Layout,
                volume, (float)outside, progress, loadShare, cancellationToken);
        }
        progress?.Report(1.0);
        return new SeriesAssemblyResult(volume, plan.Report);
    }

    /// <summary>
    /// Loads a plan keeping the stored integers, when that loses nothing and the float volume would hold the same
    /// numbers: no resampling, every frame with Rescale Slope 1 and one integer Rescale Intercept (|b| ≤ 2^20), stored
    /// values of at most 16 bits and one signedness. 16-bit frames the scanner read are decoded straight into the
    /// 16-bit volume; other loaders go through 32-bit values, checked to fit. Min, max and sum of every slice are taken
    /// while it is in cache. Returns null when the series does not qualify (or a hand-made loader's values do not fit
    /// the header's Bits Stored and Pixel Representation); <see cref="Load"/> then gives the float volume.
    /// </summary>
    internal WholeNumberVolume? LoadWholeNumbers(SeriesGeometryPlan plan, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var slices = plan.Slices;
        if (plan.Layout.NeedsResampling) return null;
        var first = slices[0];
        double intercept = first.RescaleIntercept;
        if (intercept != Math.Round(intercept) || Math.Abs(intercept) > 1 << 20) return null;
        bool signed = first.IsSigned;
        foreach (var s in slices)
            if (s.Loader is null || s.RescaleSlope != 1 || s.RescaleIntercept != intercept || s.IsSigned != signed
                || s.BitsAllocated > 16 || s.BitsStored > 16 || s.SamplesPerPixel != 1)
                return null;
        int count = slices.Count;
        int rows = first.Rows, cols = first.Columns;
        int plane = rows * cols;
        var geometry = plan.Geometry;
        ImageMemoryBudget.Check(first.DisplayName, geometry.VoxelCount, sizeof(short), $"the series' {count} frames of {rows}×{cols} on a {geometry.Nx}×{geometry.Ny}×{geometry.Nz} grid");
        var metadata = Metadata(plan);
        var signedVolume = signed ? Volume<short>.CreateUninitialized(geometry, metadata) : null;
        var unsignedVolume = signed ? null : Volume<ushort>.CreateUninitialized(geometry, metadata);
        var mins = new long[count];
        var maxs = new long[count];
        var sums = new long[count];
        int misfit = 0, done = 0;
        LoadFrames(slices, cancellationToken, s =>
        {
            if (Volatile.Read(ref misfit) != 0) return;
            var header = slices[s];
            Span<ushort> bits = signed ? MemoryMarshal.Cast<short, ushort>(signedVolume!.Slice(s)) : unsignedVolume!.Slice(s);
            if (header.Pixels is { } pixels && ReferenceEquals(pixels.Loader, header.Loader) && header.BitsAllocated == 16)
                pixels.DecodeStored16(bits);
            else if (!LoadNarrowed(header, bits, signed, cancellationToken))
            {
                Volatile.Write(ref misfit, 1);
                return;
            }
            (mins[s], maxs[s], sums[s]) = signed
                ? WholeNumberVolume.MinMaxSum(MemoryMarshal.Cast<ushort, short>(bits))
                : WholeNumberVolume.MinMaxSum((ReadOnlySpan<ushort>)bits);
            progress?.Report((double)Interlocked.Increment(ref done) / count);
        });
        if (misfit != 0) return null;
        long min = long.MaxValue, max = long.MinValue, sum = 0;
        for (int s = 0; s < count; s++)
        {
            min = Math.Min(min, mins[s]);
            max = Math.Max(max, maxs[s]);
            sum += sums[s];
        }
        int b = (int)intercept;
        min += b;
        max += b;
        sum += b * geometry.VoxelCount;
        progress?.Report(1.0);
        return signed
            ? WholeNumberVolume.FromSigned(signedVolume!, b, min, max, sum)
            : WholeNumberVolume.FromUnsigned(unsignedVolume!, b, min, max, sum);
    }

    /// <summary>A frame through its 32-bit loader into 16-bit patterns; false when a value does not fit the 16-bit type.</summary>
    private static bool LoadNarrowed(DicomSliceHeader header, Span<ushort> bits, bool signed, CancellationToken cancellationToken)
    {
        int[] stored = ArrayPool<int>.Shared.Rent(bits.Length);
        try
        {
            var values = stored.AsSpan(0, bits.Length);
            header.Loader!(values, cancellationToken);
            int lo = signed ? short.MinValue : ushort.MinValue, hi = signed ? short.MaxValue : ushort.MaxValue;
            for (int n = 0; n < values.Length; n++)
            {
                int v = values[n];
                if (v < lo || v > hi) return false;
                bits[n] = (ushort)v;
            }
            return true;
        }
        finally { ArrayPool<int>.Shared.Return(stored); }
    }

    /// <summary>Runs <paramref name="loadFrame"/> for every frame on all cores; read failures name the file, and the first failure surfaces unwrapped.</summary>
    private static void LoadFrames(IReadOnlyList<DicomSliceHeader> slices, CancellationToken cancellationToken, Action<int> loadFrame)
    {
        var po = new ParallelOptions { CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, slices.Count, po, s =>
            {
                try { loadFrame(s); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new InvalidImageDataException($"{slices[s].DisplayName}: the pixel data could not be read ({ex.Message}); the file may have changed since the scan.", ex);
                }
            });
        }
        catch (AggregateException ae) when (ae.InnerExceptions.Count > 0)
        {
            // surface the library's own exception (the first reported), not the parallel wrapper
            ExceptionDispatchInfo.Capture(ae.InnerExceptions[0]).Throw();
            throw;
        }
    }

    private static float Rescale(ReadOnlySpan<int> stored, Span<float> target, double slope, double intercept)
    {
        float min = float.PositiveInfinity;
        int n = 0;
        // integer slope and intercept (almost every CT): float arithmetic on integers below 2^24 is exact, so the SIMD
        // path gives the same bits as the double one; vectors holding larger values fall through to the scalar loop.
        // Vector128 (SSE2 on x64), which Native AOT always accelerates — Vector<T> it leaves to software there.
        if (Vector128.IsHardwareAccelerated && slope == Math.Round(slope) && intercept == Math.Round(intercept) && slope != 0 &&
            Math.Abs(slope) <= 256 && Math.Abs(intercept) <= 1 << 20)
        {
            var s = Vector128.Create((float)slope);
            var i = Vector128.Create((float)intercept);
            int bound = (int)(((1 << 24) - Math.Abs(intercept)) / Math.Abs(slope)) - 1;
            var limit = Vector128.Create(bound);
            var negLimit = Vector128.Create(-bound);
            var vmin = Vector128.Create(float.PositiveInfinity);
            ref int src = ref MemoryMarshal.GetReference(stored);
            ref float dst = ref MemoryMarshal.GetReference(target);
            for (; n <= target.Length - 4; n += 4)
            {
                var raw = Vector128.LoadUnsafe(ref src, (nuint)n);
                if ((Vector128.GreaterThan(raw, limit) | Vector128.LessThan(raw, negLimit)) != Vector128<int>.Zero) break;
                var v = Vector128.ConvertToSingle(raw) * s + i;
                v.StoreUnsafe(ref dst, (nuint)n);
                vmin = Vector128.Min(vmin, v);
            }
            for (int k = 0; k < 4; k++) min = Math.Min(min, vmin[k]);
        }
        for (; n < target.Length; n++)
        {
            float v = (float)(stored[n] * slope + intercept);
            target[n] = v;
            if (v < min) min = v;
        }
        return min;
    }

    private static ImageMetadata Metadata(SeriesGeometryPlan plan)
    {
        var f = plan.Slices[0];
        return new ImageMetadata
        {
            Modality = f.Modality,
            Units = plan.Report.Units,
            PatientName = f.PatientName,
            PatientId = f.PatientId,
            StudyInstanceUid = f.StudyInstanceUid,
            SeriesInstanceUid = f.SeriesUidMissing ? null : f.SeriesInstanceUid,
            FrameOfReferenceUid = f.FrameOfReferenceUid,
            StudyDescription = f.StudyDescription,
            SeriesDescription = f.SeriesDescription,
            SeriesNumber = f.SeriesNumber,
            WindowCenter = f.WindowCenter,
            WindowWidth = f.WindowWidth,
            Warnings = plan.Report.Warnings,
        };
    }

    private static void Validate(DicomSliceHeader h)
    {
        string? problem = null;
        if (h.Rows < 1 || h.Columns < 1 || (long)h.Rows * h.Columns > 1 << 28)
            problem = string.Create(CultureInfo.InvariantCulture, $"matrix {h.Columns}×{h.Rows} (Rows (0028,0010), Columns (0028,0011)) is not a usable image size");
        else if (!(h.RowSpacing > 0 && h.ColumnSpacing > 0 && double.IsFinite(h.RowSpacing) && double.IsFinite(h.ColumnSpacing)))
            problem = string.Create(CultureInfo.InvariantCulture, $"Pixel Spacing (0028,0030) {h.RowSpacing}\\{h.ColumnSpacing} is not positive");
        else if (!Finite(h.ImagePositionPatient))
            problem = "Image Position (Patient) (0020,0032) is not finite";
        else if (!Finite(h.RowDirection) || !Finite(h.ColumnDirection) || h.RowDirection.Length < 0.5 || h.ColumnDirection.Length < 0.5
                 || Math.Abs(Vec3.Dot(h.RowDirection.Normalized(), h.ColumnDirection.Normalized())) > 0.01)
            problem = $"Image Orientation (Patient) (0020,0037) {h.RowDirection}\\{h.ColumnDirection} does not hold two perpendicular unit vectors";
        else if (!double.IsFinite(h.RescaleSlope) || h.RescaleSlope == 0 || !double.IsFinite(h.RescaleIntercept))
            problem = string.Create(CultureInfo.InvariantCulture, $"Rescale Slope/Intercept (0028,1053/1052) {h.RescaleSlope}/{h.RescaleIntercept} is unusable");
        if (problem is not null)
            throw new InvalidImageDataException($"{h.DisplayName}: {problem}; the frame cannot be placed in a volume.");
        if (h.SamplesPerPixel != 1)
            throw new UnsupportedFormatException($"{h.DisplayName}: Samples per Pixel (0028,0002) is {h.SamplesPerPixel}; only grey-scale (1 sample) frames can form a volume.");
    }

    private static bool Finite(Vec3 v) => double.IsFinite(v.X) && double.IsFinite(v.Y) && double.IsFinite(v.Z);
}
