using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ImageGuide.Workflows.Demo;

/// <summary>One step of the demo: what it did, its numbers, its pictures, or why it is not available.</summary>
public sealed record DemoStep(string Name, string Status, IReadOnlyList<(string Key, string Value)> Facts, IReadOnlyList<string> Images);

/// <summary>Collects the demo's steps and writes report.md and summary.json.</summary>
public sealed class DemoReport
{
    private readonly List<DemoStep> _steps = [];

    /// <summary>The steps in the order they ran.</summary>
    public IReadOnlyList<DemoStep> Steps => _steps;

    /// <summary>Adds a step that ran, with its facts and the report-relative paths of its pictures.</summary>
    public void Add(string name, string status, IReadOnlyList<(string, string)> facts, params string[] images) =>
        _steps.Add(new DemoStep(name, status, facts, images));

    /// <summary>Adds a step that could not run, and why.</summary>
    public void NotAvailable(string name, string why) => _steps.Add(new DemoStep(name, "not available yet", [("why", why)], []));

    /// <summary>Writes report.md and summary.json into <paramref name="folder"/>.</summary>
    public void Write(string folder, string title)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        foreach (var s in _steps)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {s.Name} — {s.Status}").AppendLine();
            if (s.Facts.Count > 0)
            {
                md.AppendLine("| | |").AppendLine("|---|---|");
                foreach (var (k, v) in s.Facts) md.AppendLine(CultureInfo.InvariantCulture, $"| {k} | {v.Replace("|", "\\|", StringComparison.Ordinal)} |");
                md.AppendLine();
            }
            foreach (var img in s.Images) md.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(img)}]({img})").AppendLine();
        }
        File.WriteAllText(Path.Combine(folder, "report.md"), md.ToString());

        using var stream = File.Create(Path.Combine(folder, "summary.json"));
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteStartArray("steps");
        foreach (var s in _steps)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("status", s.Status);
            w.WriteStartObject("facts");
            foreach (var (k, v) in s.Facts) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteStartArray("images");
            foreach (var i in s.Images) w.WriteStringValue(i);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
