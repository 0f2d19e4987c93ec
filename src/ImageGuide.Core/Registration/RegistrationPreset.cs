using System.Text.Json;
using System.Text.Json.Serialization;
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
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

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

    /// <summary>Parses and validates settings JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">Where it came from (a file name), for error messages.</param>
    /// <exception cref="RegistrationException">Malformed JSON, unknown members, or invalid values.</exception>
    public static RegistrationSettings FromJson(string json, string source = "settings")
    {
        ArgumentNullException.ThrowIfNull(json);
        RegistrationSettings? s;
        try
        {
            s = JsonSerializer.Deserialize<RegistrationSettings>(json, Options);
        }
        catch (JsonException e)
        {
            throw new RegistrationException($"Cannot read registration settings from {source}: {e.Message} (line {e.LineNumber + 1}, byte {e.BytePositionInLine}).");
        }
        if (s is null) throw new RegistrationException($"Registration settings in {source} are null.");
        s.Validate();
        return s;
    }

    /// <summary>Writes settings as indented JSON (the preset format).</summary>
    public static string ToJson(RegistrationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return JsonSerializer.Serialize(settings, Options);
    }
}
