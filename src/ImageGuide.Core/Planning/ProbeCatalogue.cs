using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageGuide.Planning;

/// <summary>
/// Probe models by name, read from JSON (the format of the embedded default, Planning/ProbeCatalogue.json). The
/// shipped catalogue holds clearly labelled approximate shapes (CryoMC / Littrup 2009 figures from docs/CLINICAL.md)
/// because vendor charts are not public; users replace it with <see cref="Load(Stream, string)"/>.
/// </summary>
public sealed class ProbeCatalogue
{
    /// <summary>Name of the default model: the approximate 2.4 mm probe.</summary>
    public const string DefaultModelName = "approx-2.4mm";

    private const string ResourceName = "ImageGuide.Planning.ProbeCatalogue.json";
    private static readonly Lazy<ProbeCatalogue> BuiltInCatalogue = new(LoadBuiltIn);
    private readonly Dictionary<string, ProbeModel> _byName;

    private ProbeCatalogue(string note, List<ProbeModel> models)
    {
        Note = note;
        Models = models;
        _byName = new Dictionary<string, ProbeModel>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in models) _byName[m.Name] = m;
    }

    /// <summary>The shipped approximate catalogue.</summary>
    public static ProbeCatalogue BuiltIn => BuiltInCatalogue.Value;

    /// <summary>The catalogue's note (for the built-in one: that the shapes are approximate and where they come from).</summary>
    public string Note { get; }

    /// <summary>All models, in file order.</summary>
    public IReadOnlyList<ProbeModel> Models { get; }

    /// <summary>The model with this name (case-insensitive).</summary>
    /// <exception cref="ImageGuideException">No such model.</exception>
    public ProbeModel Get(string name) =>
        TryGet(name, out var m) ? m : throw new ImageGuideException($"Probe model '{name}' is not in the probe catalogue; known models: {string.Join(", ", _byName.Keys)}.");

    /// <summary>Looks a model up by name (case-insensitive).</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ProbeModel model) =>
        _byName.TryGetValue(name ?? "", out model);

    /// <summary>Reads a catalogue from JSON; <paramref name="sourceName"/> names the file in error messages.</summary>
    /// <exception cref="InvalidImageDataException">Malformed JSON or a model with missing or inconsistent fields.</exception>
    public static ProbeCatalogue Load(Stream json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        CatalogueDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(json, ProbeCatalogueJsonContext.Default.CatalogueDto);
        }
        catch (JsonException e)
        {
            throw new InvalidImageDataException($"Probe catalogue {sourceName} is not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine}): {e.Message}", e);
        }
        if (dto?.Models is not { Count: > 0 })
            throw new InvalidImageDataException($"Probe catalogue {sourceName} has no \"models\" array with at least one model.");
        var models = new List<ProbeModel>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int n = 0; n < dto.Models.Count; n++)
        {
            var m = dto.Models[n];
            if (m?.Name is null || m.Isotherms is null || m.DiameterMm is null || m.CentreOffsetMm is null)
                throw new InvalidImageDataException($"Probe catalogue {sourceName}: model #{n} needs name, diameterMm, centreOffsetMm and isotherms.");
            if (!names.Add(m.Name)) throw new InvalidImageDataException($"Probe catalogue {sourceName}: model '{m.Name}' is listed twice.");
            var iso = new List<Isotherm>();
            foreach (var i in m.Isotherms)
            {
                if (i?.TemperatureC is null || i.RadialMm is null || i.AxialMm is null)
                    throw new InvalidImageDataException($"Probe catalogue {sourceName}: an isotherm of model '{m.Name}' lacks temperatureC, radialMm or axialMm.");
                iso.Add(new Isotherm(i.TemperatureC.Value, i.RadialMm.Value, i.AxialMm.Value));
            }
            try
            {
                models.Add(new ProbeModel(m.Name, m.Description ?? "", m.DiameterMm.Value, m.Approximate ?? true, m.Source ?? "", m.CentreOffsetMm.Value, iso));
            }
            catch (ImageGuideException e) when (e is not InvalidImageDataException)
            {
                throw new InvalidImageDataException($"Probe catalogue {sourceName}: {e.Message}", e);
            }
        }
        return new ProbeCatalogue(dto.Note ?? "", models);
    }

    private static ProbeCatalogue LoadBuiltIn()
    {
        using var s = typeof(ProbeCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new ImageGuideException($"The built-in probe catalogue resource {ResourceName} is missing from ImageGuide.Core; the build is broken.");
        return Load(s, "built-in ProbeCatalogue.json");
    }

    internal sealed class CatalogueDto
    {
        [JsonPropertyName("note")] public string? Note { get; set; }
        [JsonPropertyName("models")] public List<ModelDto?>? Models { get; set; }
    }

    internal sealed class ModelDto
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("description")] public string? Description { get; set; }
        [JsonPropertyName("diameterMm")] public double? DiameterMm { get; set; }
        [JsonPropertyName("approximate")] public bool? Approximate { get; set; }
        [JsonPropertyName("source")] public string? Source { get; set; }
        [JsonPropertyName("centreOffsetMm")] public double? CentreOffsetMm { get; set; }
        [JsonPropertyName("isotherms")] public List<IsothermDto?>? Isotherms { get; set; }
    }

    internal sealed class IsothermDto
    {
        [JsonPropertyName("temperatureC")] public double? TemperatureC { get; set; }
        [JsonPropertyName("radialMm")] public double? RadialMm { get; set; }
        [JsonPropertyName("axialMm")] public double? AxialMm { get; set; }
    }
}

/// <summary>Source-generated JSON metadata for the catalogue file (no reflection: runs trimmed and ahead-of-time compiled).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ProbeCatalogue.CatalogueDto))]
internal sealed partial class ProbeCatalogueJsonContext : JsonSerializerContext;
