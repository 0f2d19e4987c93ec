using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.IO;
using ImageGuide.Imaging;

namespace ImageGuide.Model;

/// <summary>
/// Landmark (fiducial) files, all returned in LPS mm:
/// <list type="bullet">
/// <item>CSV: optional header; rows <c>x,y,z</c> or <c>label,x,y,z</c> already in LPS (a header naming x, y, z and
/// label/name/id columns may order them freely). Written as <c>label,x,y,z</c>.</item>
/// <item>Slicer <c>.fcsv</c>: RAS unless a <c># CoordinateSystem = LPS</c> (or <c>1</c>) line says otherwise
/// (<c>RAS</c> or <c>0</c> is RAS); columns from the <c># columns =</c> line, else Slicer's default order.</item>
/// <item>Slicer <c>.mrk.json</c>: every markup's <c>controlPoints[].position</c> in its <c>coordinateSystem</c>
/// ("LPS" or "RAS"; Slicer's default LPS when absent). Written in LPS as one point list.</item>
/// <item>RIRE point files (<c>.pts</c>, <c>.standard</c>): rows <c>index x y z</c> (whitespace-separated, an integer
/// index first, e.g. <c>  1   0.0000  0.0000  0.0000</c>) taken as given in the image's physical space; every other line
/// (titles, column headers, dashes, notes) is skipped. Points are named by their index, so a fixed and a moving file
/// pair up by index.</item>
/// </list>
/// </summary>
public static class LandmarkFile
{
    /// <summary>Reads landmarks, choosing the parser by extension (.fcsv, .json/.mrk.json, .pts/.standard (RIRE), otherwise CSV).</summary>
    /// <exception cref="InvalidImageDataException">Missing file or malformed rows, naming file and line.</exception>
    public static IReadOnlyList<Landmark> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = InputFile.ReadAllText(path);
        if (path.EndsWith(".fcsv", StringComparison.OrdinalIgnoreCase)) return ParseFcsv(text, path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return ParseMarkupsJson(text, path);
        if (path.EndsWith(".pts", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".standard", StringComparison.OrdinalIgnoreCase))
            return ParseRire(text, path);
        return ParseCsv(text, path);
    }

    /// <summary>
    /// Parses a RIRE-style point file: every line whose first token is an integer index followed by at least three
    /// numbers is a point <c>index x y z</c> (further numbers, such as RIRE's transformed <c>new_x new_y new_z</c>
    /// columns, are ignored); other lines are skipped.
    /// </summary>
    /// <exception cref="InvalidImageDataException">An indexed row with fewer than three finite coordinates, a repeated index, or no points at all.</exception>
    public static IReadOnlyList<Landmark> ParseRire(string text, string source = "RIRE point file")
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<Landmark>();
        var seen = new HashSet<long>();
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var tokens = raw.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0 || !long.TryParse(tokens[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long index)) continue;
            if (tokens.Length < 4)
                throw new InvalidImageDataException($"{source}: line {lineNo}: point {index} has {tokens.Length - 1} coordinates, expected x y z.");
            var p = new Vec3(Number(tokens[1], source, lineNo), Number(tokens[2], source, lineNo), Number(tokens[3], source, lineNo));
            if (!seen.Add(index))
                throw new InvalidImageDataException($"{source}: line {lineNo}: point index {index} appears twice.");
            result.Add(new Landmark(index.ToString(CultureInfo.InvariantCulture), p));
        }
        if (result.Count == 0)
            throw new InvalidImageDataException($"{source}: no point rows ('index x y z') found; is this a RIRE point file?");
        return result;
    }

    /// <summary>Parses landmark CSV (LPS).</summary>
    public static IReadOnlyList<Landmark> ParseCsv(string text, string source = "landmark CSV")
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<Landmark>();
        int label = -1, x = -1, y = -1, z = -1;
        bool first = true;
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var fields = SplitCsv(line);
            if (first)
            {
                first = false;
                if (!IsNumber(fields[^1]))
                {
                    for (int n = 0; n < fields.Count; n++)
                    {
                        switch (fields[n].Trim().ToLowerInvariant())
                        {
                            case "x": x = n; break;
                            case "y": y = n; break;
                            case "z": z = n; break;
                            case "label" or "name" or "id": if (label < 0) label = n; break;
                        }
                    }
                    if (x < 0 || y < 0 || z < 0)
                        throw new InvalidImageDataException($"{source}: line {lineNo}: the header '{line}' has no x, y and z columns.");
                    continue;
                }
            }
            if (x < 0) (label, x, y, z) = fields.Count >= 4 ? (0, 1, 2, 3) : (-1, 0, 1, 2);
            int need = Math.Max(Math.Max(x, y), Math.Max(z, label)) + 1;
            if (fields.Count < need)
                throw new InvalidImageDataException($"{source}: line {lineNo} has {fields.Count} columns, expected at least {need}.");
            var p = new Vec3(Number(fields[x], source, lineNo), Number(fields[y], source, lineNo), Number(fields[z], source, lineNo));
            string name = label >= 0 ? fields[label].Trim() : "";
            result.Add(new Landmark(name.Length > 0 ? name : "P" + (result.Count + 1).ToString(CultureInfo.InvariantCulture), p));
        }
        return result;
    }

    /// <summary>Parses a Slicer .fcsv file, converting RAS to LPS when the file is in RAS.</summary>
    public static IReadOnlyList<Landmark> ParseFcsv(string text, string source = "fcsv")
    {
        ArgumentNullException.ThrowIfNull(text);
        bool ras = true;
        int x = 1, y = 2, z = 3, label = 11;
        var result = new List<Landmark>();
        int lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                int eq = line.IndexOf('=');
                if (eq < 0) continue;
                string key = line[1..eq].Trim().ToLowerInvariant(), value = line[(eq + 1)..].Trim();
                if (key == "coordinatesystem")
                {
                    ras = value.ToUpperInvariant() switch
                    {
                        "RAS" or "0" => true,
                        "LPS" or "1" => false,
                        _ => throw new UnsupportedFormatException($"{source}: line {lineNo}: CoordinateSystem '{value}' is not RAS (0) or LPS (1)."),
                    };
                }
                else if (key == "columns")
                {
                    var cols = value.Split(',').Select(c => c.Trim().ToLowerInvariant()).ToList();
                    (x, y, z, label) = (cols.IndexOf("x"), cols.IndexOf("y"), cols.IndexOf("z"), cols.IndexOf("label"));
                    if (x < 0 || y < 0 || z < 0)
                        throw new InvalidImageDataException($"{source}: line {lineNo}: the columns line has no x, y and z.");
                }
                continue;
            }
            var fields = SplitCsv(line);
            int need = Math.Max(Math.Max(x, y), z) + 1;
            if (fields.Count < need)
                throw new InvalidImageDataException($"{source}: line {lineNo} has {fields.Count} columns, expected at least {need}.");
            var p = new Vec3(Number(fields[x], source, lineNo), Number(fields[y], source, lineNo), Number(fields[z], source, lineNo));
            string name = label >= 0 && label < fields.Count ? fields[label].Trim() : "";
            result.Add(new Landmark(name.Length > 0 ? name : "P" + (result.Count + 1).ToString(CultureInfo.InvariantCulture), ras ? AxisGeometry.FlipXY(p) : p));
        }
        return result;
    }

    /// <summary>Parses a Slicer markups JSON (.mrk.json) file, converting RAS to LPS where a markup is in RAS.</summary>
    public static IReadOnlyList<Landmark> ParseMarkupsJson(string json, string source = "markups JSON")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidImageDataException($"{source}: not valid JSON ({e.Message}).", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("markups", out var markups) || markups.ValueKind != JsonValueKind.Array)
                throw new InvalidImageDataException($"{source}: no 'markups' array; this is not a Slicer markups file.");
            var result = new List<Landmark>();
            int m = 0;
            foreach (var markup in markups.EnumerateArray())
            {
                bool ras = false;
                if (markup.TryGetProperty("coordinateSystem", out var cs))
                {
                    ras = (cs.ValueKind == JsonValueKind.String ? cs.GetString()!.ToUpperInvariant() : cs.ToString()) switch
                    {
                        "RAS" => true,
                        "LPS" => false,
                        var other => throw new UnsupportedFormatException($"{source}: markups[{m}].coordinateSystem '{other}' is not LPS or RAS."),
                    };
                }
                if (markup.TryGetProperty("controlPoints", out var points) && points.ValueKind == JsonValueKind.Array)
                {
                    int n = 0;
                    foreach (var cp in points.EnumerateArray())
                    {
                        if (!cp.TryGetProperty("position", out var pos) || pos.ValueKind != JsonValueKind.Array || pos.GetArrayLength() != 3
                            || !Finite(pos[0], out double px) || !Finite(pos[1], out double py) || !Finite(pos[2], out double pz))
                            throw new InvalidImageDataException($"{source}: markups[{m}].controlPoints[{n}].position must be 3 finite numbers.");
                        var p = new Vec3(px, py, pz);
                        string name = cp.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : "";
                        result.Add(new Landmark(name.Length > 0 ? name : "P" + (result.Count + 1).ToString(CultureInfo.InvariantCulture), ras ? AxisGeometry.FlipXY(p) : p));
                        n++;
                    }
                }
                m++;
            }
            return result;
        }
    }

    /// <summary>The CSV text <c>label,x,y,z</c> (LPS mm, round-trip precision) of the landmarks.</summary>
    public static string FormatCsv(IEnumerable<Landmark> landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var sb = new StringBuilder("label,x,y,z\n");
        foreach (var l in landmarks)
        {
            string name = l.Name.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + l.Name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : l.Name;
            sb.Append(name).Append(',').Append(HeaderValues.Format(l.PositionLps.X)).Append(',')
              .Append(HeaderValues.Format(l.PositionLps.Y)).Append(',').Append(HeaderValues.Format(l.PositionLps.Z)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes landmarks as CSV (temporary file, then move).</summary>
    public static void WriteCsv(IEnumerable<Landmark> landmarks, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.UTF8.GetBytes(FormatCsv(landmarks));
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>
    /// The Slicer markups JSON text (one point list, <c>coordinateSystem</c> "LPS") of the landmarks, loadable in
    /// 3D Slicer as a point list.
    /// </summary>
    public static string FormatMarkupsJson(IEnumerable<Landmark> landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, JsonOutput.Options))
        {
            w.WriteStartObject();
            w.WriteString("@schema", "https://raw.githubusercontent.com/slicer/slicer/master/Modules/Loadable/Markups/Resources/Schema/markups-schema-v1.0.3.json#");
            w.WriteStartArray("markups");
            w.WriteStartObject();
            w.WriteString("type", "Fiducial");
            w.WriteString("coordinateSystem", "LPS");
            w.WriteString("coordinateUnits", "mm");
            w.WriteStartArray("controlPoints");
            int n = 0;
            foreach (var l in landmarks)
            {
                w.WriteStartObject();
                w.WriteString("id", (++n).ToString(CultureInfo.InvariantCulture));
                w.WriteString("label", l.Name);
                w.WriteStartArray("position");
                w.WriteNumberValue(l.PositionLps.X); w.WriteNumberValue(l.PositionLps.Y); w.WriteNumberValue(l.PositionLps.Z);
                w.WriteEndArray();
                w.WriteString("positionStatus", "defined");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Writes landmarks as Slicer markups JSON in LPS (temporary file, then move).</summary>
    public static void WriteMarkupsJson(IEnumerable<Landmark> landmarks, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.UTF8.GetBytes(FormatMarkupsJson(landmarks));
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static bool Finite(JsonElement e, out double v)
    {
        v = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out v) && double.IsFinite(v);
    }

    private static bool IsNumber(string s) => double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static double Number(string s, string source, int lineNo) =>
        double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new InvalidImageDataException($"{source}: line {lineNo}: '{s}' is not a finite coordinate.");

    /// <summary>Splits one CSV line, honouring double-quoted fields.</summary>
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
