using System.Text.Json;
using ImageGuide.Imaging;

namespace ImageGuide.IO;

/// <summary>The JSON writes the reports and data files share: points as <c>[x, y, z]</c> and report numbers rounded or null.</summary>
internal static class JsonWriterExtensions
{
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
        w.WriteNumberValue(Math.Round(v.X, ReportDecimals));
        w.WriteNumberValue(Math.Round(v.Y, ReportDecimals));
        w.WriteNumberValue(Math.Round(v.Z, ReportDecimals));
        w.WriteEndArray();
    }

    /// <summary><c>[x, y, z]</c> at full precision.</summary>
    public static void WriteVec3(this Utf8JsonWriter w, string name, Vec3 v)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(v.X);
        w.WriteNumberValue(v.Y);
        w.WriteNumberValue(v.Z);
        w.WriteEndArray();
    }
}
