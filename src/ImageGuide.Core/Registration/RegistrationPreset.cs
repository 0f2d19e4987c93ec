using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ImageGuide.Files;

namespace ImageGuide.Registration;

/// <summary>
/// Named registration settings stored as versioned JSON (like elastix parameter files), embedded in the library:
/// <c>cbct-mr</c> (fixed CBCT, moving MR), <c>ct-mr</c>, <c>ct-cbct</c> (fixed CT, moving CBCT) and <c>fast</c>.
/// The same JSON format is read from user files with <see cref="FromJson"/>.
/// </summary>
public static class RegistrationPreset
{
    private const string ResourcePrefix = "ImageGuide.Registration.Presets.";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // generated metadata and one converter per enum: no reflection, so the library and the CLI run trimmed and
        // ahead-of-time compiled (Native AOT)
        TypeInfoResolver = RegistrationSettingsJsonContext.Default,
        Converters =
        {
            new JsonStringEnumConverter<OptimizerKind>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            new JsonStringEnumConverter<InitializerKind>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            new JsonStringEnumConverter<SamplingStrategy>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
        },
    };

    private static JsonTypeInfo<RegistrationSettings> SettingsInfo =>
        (JsonTypeInfo<RegistrationSettings>)Options.GetTypeInfo(typeof(RegistrationSettings));

    /// <summary>Names of the embedded presets.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cbct-mr", "ct-mr", "ct-cbct", "fast"];

    /// <summary>Fixed CBCT, moving MR: intensity clipping of the CBCT, coarse rotation search.</summary>
    public static RegistrationSettings CbctMr => Get("cbct-mr");
    /// <summary>Fixed CT, moving MR.</summary>
    public static RegistrationSettings CtMr => Get("ct-mr");
    /// <summary>Fixed CT, moving CBCT: intensity clipping of the CBCT.</summary>
    public static RegistrationSettings CtCbct => Get("ct-cbct");
    /// <summary>Fewer samples and iterations, L-BFGS: for previews and small initial misalignments.</summary>
    public static RegistrationSettings Fast => Get("fast");

    /// <summary>The embedded preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="RegistrationException">No such preset.</exception>
    public static RegistrationSettings Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryGet(name, out var settings))
            throw new RegistrationException($"Unknown registration preset '{name}'; known presets: {string.Join(", ", Names)}.");
        return settings;
    }

    /// <summary>The embedded preset called <paramref name="name"/>, or false when there is none.</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegistrationSettings? settings)
    {
        settings = null;
        string? match = null;
        foreach (var n in Names)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) match = n;
        if (match is null) return false;
        using var stream = typeof(RegistrationPreset).Assembly.GetManifestResourceStream(ResourcePrefix + match + ".json")
            ?? throw new InvalidOperationException($"Embedded preset '{match}' is missing from the assembly (build error).");
        using var reader = new StreamReader(stream);
        settings = FromJson(reader.ReadToEnd(), $"embedded preset '{match}'");
        return true;
    }

    /// <summary>
    /// The settings called <paramref name="nameOrFile"/>: an embedded preset (case-insensitive), or a preset JSON file;
    /// with the name they go by (the preset's, the file's <c>name</c>, or the file name).
    /// </summary>
    /// <exception cref="RegistrationException">Neither a preset nor a file, or a file that is not valid settings.</exception>
    /// <exception cref="ImageGuideException">The file cannot be read.</exception>
    public static (RegistrationSettings Settings, string Name) Resolve(string nameOrFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrFile);
        if (TryGet(nameOrFile, out var preset)) return (preset, nameOrFile.ToLowerInvariant());
        if (!File.Exists(nameOrFile))
            throw new RegistrationException($"Unknown registration preset '{nameOrFile}': use one of {string.Join(", ", Names)} or a preset JSON file.");
        var settings = FromJson(InputFile.ReadAllText(nameOrFile), nameOrFile);
        return (settings, string.IsNullOrWhiteSpace(settings.Name) ? Path.GetFileName(nameOrFile) : settings.Name);
    }

    /// <summary>Parses and validates settings JSON. Members the JSON leaves out keep the defaults of the C# types.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where it came from (a file name), for error messages.</param>
    /// <exception cref="RegistrationException">Malformed JSON, unknown members, or invalid values.</exception>
    public static RegistrationSettings FromJson(string json, string source = "settings")
    {
        ArgumentNullException.ThrowIfNull(json);
        RegistrationSettings? s;
        try
        {
            var node = JsonNode.Parse(json, NodeOptions, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (node is not JsonObject given)
                throw new RegistrationException($"Registration settings in {source} must be a JSON object, not {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}.");
            s = Overlay(given, Defaults.Value.Plain, Defaults.Value.Full).Deserialize(SettingsInfo);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $"line {line + 1}, byte {e.BytePositionInLine}" : $"at {e.Path}";
            throw new RegistrationException($"Cannot read registration settings from {source}: {e.Message} ({where}).");
        }
        if (s is null) throw new RegistrationException($"Registration settings in {source} are null.");
        s.Validate();
        return s;
    }

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// The defaults as JSON: <c>Plain</c> is <c>new RegistrationSettings()</c>; <c>Full</c> also holds the optional
    /// searches, so a JSON that gives only part of one still gets the rest of that search's defaults.
    /// </summary>
    private static readonly Lazy<(JsonObject Plain, JsonObject Full)> Defaults = new(() =>
    (
        (JsonObject)JsonSerializer.SerializeToNode(new RegistrationSettings(), SettingsInfo)!,
        (JsonObject)JsonSerializer.SerializeToNode(new RegistrationSettings
        {
            TranslationSearch = new(), RotationSearch = new(), MultiStart = new(),
        }, SettingsInfo)!
    ));

    /// <summary>
    /// <paramref name="given"/> laid over the defaults, object by object, so every member is present when the
    /// generated deserializer runs: it sets init-only members from the JSON alone and would otherwise give a missing
    /// member <c>default</c> instead of its initializer (dotnet/runtime#84484). Arrays and values replace; unknown
    /// members pass through to be refused.
    /// </summary>
    private static JsonObject Overlay(JsonObject given, JsonObject? plain, JsonObject? full)
    {
        var result = (JsonObject?)plain?.DeepClone() ?? new JsonObject(NodeOptions);
        if (result.Options?.PropertyNameCaseInsensitive != true)
            result = new JsonObject(result.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())), NodeOptions);
        foreach (var (key, value) in given)
        {
            var basis = plain?[key] as JsonObject ?? full?[key] as JsonObject;
            result[key] = value is JsonObject nested && basis is not null
                ? Overlay(nested, basis, full?[key] as JsonObject)
                : value?.DeepClone();
        }
        return result;
    }

    /// <summary>Writes settings as indented JSON (the preset format).</summary>
    public static string ToJson(RegistrationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return JsonSerializer.Serialize(settings, SettingsInfo);
    }
}

/// <summary>Source-generated JSON metadata for the preset format (see <see cref="RegistrationPreset"/>).</summary>
[JsonSerializable(typeof(RegistrationSettings))]
internal sealed partial class RegistrationSettingsJsonContext : JsonSerializerContext;
