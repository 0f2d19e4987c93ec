using System.Text;
using System.Text.Json;
using ImageGuide.Files;

namespace ImageGuide.Workflows.Validation;

/// <summary>A tool as a run used it: its name and version (a case file is only merged with others of the same version).</summary>
/// <param name="Name">Tool name (<see cref="IRegistrationTool.Name"/>).</param>
/// <param name="Version">Tool version (<see cref="IRegistrationTool.Version"/>).</param>
public sealed record ToolIdentity(string Name, string Version);

/// <summary>
/// <c>shard.json</c> in a validation output folder: which shard of which manifest the folder's case files belong to,
/// with which tools, and — once the shard has finished — the ids of its cases in manifest order. Every
/// <c>validate</c> run writes one (an unsharded run is shard 1/1); <c>validate merge</c> reads only the case files a
/// complete marker lists, so stale files of an earlier manifest in the same folder are never merged.
/// </summary>
/// <param name="Manifest">Manifest file name (the report's title).</param>
/// <param name="ManifestSha256">SHA-256 of the manifest file's bytes (hex): shards of one run read the same manifest.</param>
/// <param name="ManifestCases">Cases in the whole manifest.</param>
/// <param name="Shard">Which shard.</param>
/// <param name="Tools">Tools in report order, with their versions.</param>
/// <param name="Complete">True once every case of the shard has its case files.</param>
/// <param name="CaseIds">The shard's case ids in manifest order (empty until complete).</param>
public sealed record ShardMarker(string Manifest, string ManifestSha256, int ManifestCases, ValidationShard Shard, IReadOnlyList<ToolIdentity> Tools,
    bool Complete, IReadOnlyList<string> CaseIds)
{
    /// <summary>The marker's file name in an output folder.</summary>
    public const string FileName = "shard.json";

    /// <summary>Schema id written into the marker.</summary>
    public const string Schema = "imageguide-validation-shard/1";

    /// <summary>Writes the marker atomically into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("manifest", Manifest);
            w.WriteString("manifestSha256", ManifestSha256);
            w.WriteNumber("manifestCases", ManifestCases);
            w.WriteString("shard", Shard.ToString());
            w.WriteString("partition", ValidationShard.Scheme);
            w.WriteStartArray("tools");
            foreach (var t in Tools)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteString("version", t.Version);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("complete", Complete);
            w.WriteStartArray("cases");
            foreach (var id in CaseIds) w.WriteStringValue(id);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        ms.WriteByte((byte)'\n');
        var bytes = ms.ToArray();
        AtomicFile.Write(Path.Combine(folder, FileName), s => s.Write(bytes));
    }

    /// <summary>Reads the marker of <paramref name="folder"/>, or null when the folder has none.</summary>
    /// <exception cref="ValidationException">The marker is unreadable or not a shard marker.</exception>
    public static ShardMarker? TryRead(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(InputFile.ReadAllText(path));
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("schema", out var schema) || schema.GetString() != Schema)
                throw new ValidationException($"{path}: not an ImageGuide shard marker (no \"schema\": \"{Schema}\").");
            if (r.GetProperty("partition").GetString() != ValidationShard.Scheme)
                throw new ValidationException($"{path}: cases were partitioned by '{r.GetProperty("partition").GetString()}', not {ValidationShard.Scheme}; rerun the shard with this ImageGuide.");
            var tools = new List<ToolIdentity>();
            foreach (var t in r.GetProperty("tools").EnumerateArray())
                tools.Add(new ToolIdentity(t.GetProperty("name").GetString()!, t.GetProperty("version").GetString()!));
            var ids = new List<string>();
            foreach (var id in r.GetProperty("cases").EnumerateArray()) ids.Add(id.GetString()!);
            return new ShardMarker(r.GetProperty("manifest").GetString()!, r.GetProperty("manifestSha256").GetString()!, r.GetProperty("manifestCases").GetInt32(),
                ValidationShard.Parse(r.GetProperty("shard").GetString()!), tools, r.GetProperty("complete").GetBoolean(), ids);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ValidationException($"{path}: unreadable shard marker ({e.Message}); rerun the shard to rewrite it.", e);
        }
        catch (IOException e)
        {
            throw new ValidationException($"{path}: cannot read ({e.Message}).", e);
        }
    }

    /// <summary>Shard and tools in words, for messages.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append("shard ").Append(Shard).Append(" of ").Append(Manifest).Append(" (");
        sb.AppendJoin(", ", Tools.Select(t => t.Name + " " + t.Version));
        return sb.Append(')').ToString();
    }
}
