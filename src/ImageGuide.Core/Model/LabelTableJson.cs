using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.IO;

namespace ImageGuide.Model;

/// <summary>
/// The label table file: <c>{"labels":[{"value":1,"name":"tumour","role":"Target"},
/// {"value":2,"name":"cord","role":"Critical","clearanceMm":5,"color":[255,0,0]}]}</c>. Roles are Target, Critical,
/// Bone, Body, Other (case-insensitive); <c>color</c> is <c>[r,g,b]</c> (0–255) or <c>"#rrggbb"</c>.
/// </summary>
public static class LabelTableJson
{
    /// <summary>Reads a label table file.</summary>
    /// <exception cref="InvalidImageDataException">Missing file, malformed JSON or entries, naming file and entry.</exception>
    public static LabelTable Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(InputFile.ReadAllText(path), path);
    }

    /// <summary>Parses label table JSON; <paramref name="source"/> names it in messages.</summary>
    public static LabelTable Parse(string json, string source = "label table")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidImageDataException($"{source}: not valid JSON ({e.Message}).", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array)
                throw new InvalidImageDataException($"{source}: no 'labels' array.");
            var list = new List<LabelDefinition>();
            int n = 0;
            foreach (var e in labels.EnumerateArray())
            {
                string where = $"{source}: labels[{n}]";
                if (e.ValueKind != JsonValueKind.Object) throw new InvalidImageDataException($"{where} is not an object.");
                if (!e.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int value) || value < 0 || value > 255)
                    throw new InvalidImageDataException($"{where}: 'value' must be an integer 0–255.");
                if (!e.TryGetProperty("name", out var nm) || nm.ValueKind != JsonValueKind.String)
                    throw new InvalidImageDataException($"{where}: 'name' must be a string.");
                if (!e.TryGetProperty("role", out var r) || r.ValueKind != JsonValueKind.String || !Enum.TryParse<LabelRole>(r.GetString(), true, out var role) || !Enum.IsDefined(role))
                    throw new InvalidImageDataException($"{where}: 'role' must be one of {string.Join(", ", Enum.GetNames<LabelRole>())}.");
                double? clearance = null;
                if (e.TryGetProperty("clearanceMm", out var c) && c.ValueKind != JsonValueKind.Null)
                    clearance = c.ValueKind == JsonValueKind.Number && c.TryGetDouble(out double cm) ? cm : throw new InvalidImageDataException($"{where}: 'clearanceMm' must be a number.");
                LabelColor? color = e.TryGetProperty("color", out var col) && col.ValueKind != JsonValueKind.Null ? Color(col, where) : null;
                list.Add(new LabelDefinition((byte)value, nm.GetString()!, role, clearance, color));
                n++;
            }
            try { return new LabelTable(list); }
            catch (InvalidImageDataException e) { throw new InvalidImageDataException($"{source}: {e.Message}", e); }
        }
    }

    private static LabelColor Color(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 3)
        {
            Span<byte> c = stackalloc byte[3];
            int i = 0;
            foreach (var x in e.EnumerateArray())
            {
                if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt32(out int v) || v < 0 || v > 255)
                    throw new InvalidImageDataException($"{where}: 'color' components must be integers 0–255.");
                c[i++] = (byte)v;
            }
            return new LabelColor(c[0], c[1], c[2]);
        }
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: 7 } s && s[0] == '#'
            && uint.TryParse(s.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint rgb))
            return new LabelColor((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        throw new InvalidImageDataException($"{where}: 'color' must be [r,g,b] or \"#rrggbb\".");
    }

    /// <summary>The JSON text of a table.</summary>
    public static string Format(LabelTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, JsonOutput.Options))
        {
            w.WriteStartObject();
            w.WriteStartArray("labels");
            foreach (var l in table.Labels)
            {
                w.WriteStartObject();
                w.WriteNumber("value", l.Value);
                w.WriteString("name", l.Name);
                w.WriteString("role", l.Role.ToString());
                if (l.ClearanceMm is { } c) w.WriteNumber("clearanceMm", c);
                if (l.Color is { } col)
                {
                    w.WriteStartArray("color");
                    w.WriteNumberValue(col.R); w.WriteNumberValue(col.G); w.WriteNumberValue(col.B);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes a table (temporary file, then move).</summary>
    public static void Write(LabelTable table, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.UTF8.GetBytes(Format(table));
        AtomicFile.Write(path, s => s.Write(bytes));
    }
}
