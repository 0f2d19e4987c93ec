using System.Text.Json;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>
/// The JSON writes the reports and data files share: points as <c>[x, y, z]</c>, report numbers rounded, and numbers that
/// are not finite (NaN, ±∞: JSON has no form for them) written as <c>null</c> and counted, never a crash.
/// </summary>
public static class JsonWriterExtensions
{
    private static long _nonFinite;

    /// <summary>How many non-finite numbers this process has written as <c>null</c> (a CLI warns when any were).</summary>
    public static long NonFiniteWritten => Interlocked.Read(ref _nonFinite);

    /// <summary><paramref name="value"/>, or <c>null</c> when it is not finite (counted in <see cref="NonFiniteWritten"/>).</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter w, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else { Interlocked.Increment(ref _nonFinite); w.WriteNull(name); }
    }

    /// <summary>An array element <paramref name="value"/>, or <c>null</c> when it is not finite (counted).</summary>
    public static void WriteNumberValueOrNull(this Utf8JsonWriter w, double value)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (double.IsFinite(value)) w.WriteNumberValue(value);
        else { Interlocked.Increment(ref _nonFinite); w.WriteNullValue(); }
    }

    /// <summary>Decimals kept in reports (mm, mL, fractions): 0.1 µm is far below any image's resolution.</summary>
    public const int ReportDecimals = 4;

    /// <summary>A report number rounded to <see cref="ReportDecimals"/>, or null when absent or not finite.</summary>
    public static void WriteRoundedOrNull(this Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, Math.Round(v, ReportDecimals));
        else w.WriteNull(name);
    }

    /// <summary><c>[x, y, z]</c> rounded to <see cref="ReportDecimals"/>; an array value when <paramref name="name"/> is null.</summary>
    public static void WriteRoundedVec3(this Utf8JsonWriter w, string? name, Vec3 v)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        w.WriteNumberValueOrNull(Math.Round(v.X, ReportDecimals));
        w.WriteNumberValueOrNull(Math.Round(v.Y, ReportDecimals));
        w.WriteNumberValueOrNull(Math.Round(v.Z, ReportDecimals));
        w.WriteEndArray();
    }

    /// <summary><c>[x, y, z]</c> at full precision; an array value when <paramref name="name"/> is null.</summary>
    public static void WriteVec3(this Utf8JsonWriter w, string? name, Vec3 v) => w.WriteNumberArray(name, [v.X, v.Y, v.Z]);

    /// <summary>An array of numbers at full precision (non-finite ones as <c>null</c>, counted); an array value when <paramref name="name"/> is null.</summary>
    public static void WriteNumberArray(this Utf8JsonWriter w, string? name, IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(values);
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValueOrNull(v);
        w.WriteEndArray();
    }
}
