using System.Globalization;
using System.Text.Json;

namespace ImageGuide.Rendering;

/// <summary>Reads values out of a report JSON for printing: numbers exactly as the JSON wrote them, so the PDF and the JSON agree digit for digit.</summary>
internal static class PdfJson
{
    /// <summary>The property, or null when it is missing or JSON null.</summary>
    public static JsonElement? Get(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>A number as written in the JSON (plus <paramref name="unit"/>), or – when missing.</summary>
    public static string Num(this JsonElement? e, string unit = "") =>
        e is { ValueKind: JsonValueKind.Number } v ? v.GetRawText() + unit : "–";

    /// <summary>A fraction 0–1 as a percentage (the JSON's value × 100, rounded to 0.1), or – when missing.</summary>
    public static string Percent(this JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Number } v ? (100 * v.GetDouble()).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "–";

    /// <summary>A point [x, y, z] as written in the JSON, or – when missing.</summary>
    public static string Point(this JsonElement? e) =>
        e is { ValueKind: JsonValueKind.Array } v ? "(" + string.Join(", ", v.EnumerateArray().Select(x => x.GetRawText())) + ")" : "–";

    /// <summary>A string, or <paramref name="missing"/>.</summary>
    public static string Str(this JsonElement? e, string missing = "–") =>
        e is { ValueKind: JsonValueKind.String } v ? v.GetString() ?? missing : e is { } o ? o.GetRawText() : missing;

    /// <summary>The strings of every property named <paramref name="name"/> (plan files written before the fix of the repeated key hold <c>warnings</c> twice).</summary>
    public static List<string> AllStrings(this JsonElement e, string name) =>
        [.. e.EnumerateObject().Where(p => p.Name == name && p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray()).Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)];
}
