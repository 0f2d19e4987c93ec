using System.Text.Json;
using ImageGuide.Files;

namespace ImageGuide.Workflows.Validation;

/// <summary>Reads back what other commands need from a validation <c>report.json</c>.</summary>
public static class ValidationReportFile
{
    /// <summary>
    /// The pooled p95 TRE (mm) of the report's first tool (ImageGuide): the fusion uncertainty to add to planning
    /// clearances (<c>uncertaintyFeed.p95TreMm</c>).
    /// </summary>
    /// <exception cref="ValidationException">Missing or unreadable file, not a validation report, or a run without any successful case.</exception>
    public static double ReadPooledP95(string path) => ReadUncertainty(path, null).Mm;

    /// <summary>
    /// The fusion uncertainty (mm) for planning at <paramref name="level"/>: the per-vertebra p95 TRE the report measured
    /// at that level (<c>uncertaintyFeed.perVertebraP95TreMm</c>) when it has one, else the pooled p95 TRE; with where it
    /// came from, in words.
    /// </summary>
    /// <exception cref="ValidationException">Missing or unreadable file, not a validation report, or a run without any successful case.</exception>
    public static (double Mm, string Source) ReadUncertainty(string path, string? level)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new ValidationException($"{path}: the validation report does not exist; run 'imageguide validate MANIFEST --out DIR' and pass DIR/report.json.");
        try
        {
            using var doc = JsonDocument.Parse(InputFile.ReadAllText(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String
                || schema.GetString() != ValidationReportWriter.Schema)
                throw new ValidationException($"{path}: not an ImageGuide validation report (no \"schema\": \"{ValidationReportWriter.Schema}\"); pass the report.json written by 'imageguide validate'.");
            if (!root.TryGetProperty("uncertaintyFeed", out var feed) || feed.ValueKind != JsonValueKind.Object || !feed.TryGetProperty("p95TreMm", out var p95))
                throw new ValidationException($"{path}: 'uncertaintyFeed.p95TreMm' is missing.");
            if (p95.ValueKind == JsonValueKind.Null)
                throw new ValidationException($"{path}: no case succeeded in this validation run, so it gives no p95 TRE; fix the failing cases or pass --uncertainty.");
            if (level is not null && feed.TryGetProperty("perVertebraP95TreMm", out var levels) && levels.ValueKind == JsonValueKind.Object
                && levels.TryGetProperty(level, out var atLevel))
                return (Number(atLevel, path, $"uncertaintyFeed.perVertebraP95TreMm.{level}"), $"p95 TRE of the per-vertebra fusion at {level} in {Path.GetFileName(path)}");
            string pooled = $"pooled p95 TRE in {Path.GetFileName(path)}";
            return (Number(p95, path, "uncertaintyFeed.p95TreMm"), level is null ? pooled : $"{pooled} (the report measured no per-vertebra TRE at {level})");
        }
        catch (JsonException e)
        {
            throw new ValidationException($"{path}: not valid JSON ({e.Message}).", e);
        }
        catch (IOException e)
        {
            throw new ValidationException($"{path}: cannot read ({e.Message}).", e);
        }
    }

    private static double Number(JsonElement e, string path, string name) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) && double.IsFinite(v) && v >= 0 ? v
            : throw new ValidationException($"{path}: '{name}' must be a number ≥ 0.");
}
