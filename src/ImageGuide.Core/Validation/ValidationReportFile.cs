using System.Text.Json;

namespace ImageGuide.Validation;

/// <summary>Reads back what other commands need from a validation <c>report.json</c>.</summary>
public static class ValidationReportFile
{
    /// <summary>
    /// The pooled p95 TRE (mm) of the report's first tool (ImageGuide): the fusion uncertainty to add to planning
    /// clearances (<c>uncertaintyFeed.p95TreMm</c>).
    /// </summary>
    /// <exception cref="ValidationException">Missing or unreadable file, not a validation report, or a run without any successful case.</exception>
    public static double ReadPooledP95(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new ValidationException($"{path}: the validation report does not exist; run 'imageguide validate MANIFEST --out DIR' and pass DIR/report.json.");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String
                || schema.GetString() != ValidationReportWriter.Schema)
                throw new ValidationException($"{path}: not an ImageGuide validation report (no \"schema\": \"{ValidationReportWriter.Schema}\"); pass the report.json written by 'imageguide validate'.");
            if (!root.TryGetProperty("uncertaintyFeed", out var feed) || feed.ValueKind != JsonValueKind.Object || !feed.TryGetProperty("p95TreMm", out var p95))
                throw new ValidationException($"{path}: 'uncertaintyFeed.p95TreMm' is missing.");
            if (p95.ValueKind == JsonValueKind.Null)
                throw new ValidationException($"{path}: no case succeeded in this validation run, so it gives no p95 TRE; fix the failing cases or pass --uncertainty.");
            if (p95.ValueKind != JsonValueKind.Number || !p95.TryGetDouble(out double v) || !double.IsFinite(v) || v < 0)
                throw new ValidationException($"{path}: 'uncertaintyFeed.p95TreMm' must be a number ≥ 0.");
            return v;
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
}
