using System.Text.Json;
using System.Text.Json.Serialization;
using ImageGuide.Model;

namespace ImageGuide.Planning;

/// <summary>
/// Applicator models by name — cryoprobes, RF electrodes and MW antennas — read from JSON (the format of the embedded
/// default, Planning/ProbeCatalogue.json). The shipped catalogue holds clearly labelled approximate shapes (CryoMC /
/// Littrup 2009 for cryo, Goldberg 1998 and Cosman 2014 for RF, the SlicerAblationPlanner vendor-chart profiles for MW;
/// docs/CLINICAL.md) because vendor charts are mostly not public; users replace it with <see cref="Load(Stream, string)"/>.
/// A cryoprobe lists <c>isotherms</c>; an RF or MW applicator (<c>"modality": "rfa" | "mwa"</c>) gives one
/// <c>zone</c>: <c>{"semiAxesMm": [radial, radial, axial], "centreFromTipMm": d}</c>, with <c>zoneTemperatureC</c>
/// (the lethal boundary), <c>peakTemperatureC</c> and optionally <c>perfusionLengthMm</c>.
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

    /// <summary>Name of the default applicator of a modality.</summary>
    public static string DefaultModelFor(AblationModality modality) => modality switch
    {
        AblationModality.Rfa => DefaultRfaModelName,
        AblationModality.Mwa => DefaultMwaModelName,
        _ => DefaultModelName,
    };

    /// <summary>Name of the default RF electrode: the approximate 3 cm Cool-tip single electrode.</summary>
    public const string DefaultRfaModelName = "cooltip-single-3cm";

    /// <summary>Name of the default MW antenna: Emprint at 100 W for 10 min.</summary>
    public const string DefaultMwaModelName = "emprint-100W-10min";

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
            if (m?.Name is null || m.DiameterMm is null)
                throw new InvalidImageDataException($"Probe catalogue {sourceName}: model #{n} needs name and diameterMm.");
            if (!names.Add(m.Name)) throw new InvalidImageDataException($"Probe catalogue {sourceName}: model '{m.Name}' is listed twice.");
            AblationModality modality;
            try { modality = m.Modality is null ? AblationModality.Cryo : AblationModalityNames.Parse(m.Modality); }
            catch (ImageGuideException e) { throw new InvalidImageDataException($"Probe catalogue {sourceName}: model '{m.Name}': {e.Message}", e); }
            try
            {
                models.Add(modality == AblationModality.Cryo ? Cryoprobe(m, sourceName) : HeatApplicator(m, modality, sourceName));
            }
            catch (ImageGuideException e) when (e is not InvalidImageDataException)
            {
                throw new InvalidImageDataException($"Probe catalogue {sourceName}: {e.Message}", e);
            }
        }
        return new ProbeCatalogue(dto.Note ?? "", models);
    }

    private static ProbeModel Cryoprobe(ModelDto m, string sourceName)
    {
        if (m.Isotherms is null || m.CentreOffsetMm is null)
            throw new InvalidImageDataException($"Probe catalogue {sourceName}: cryoprobe '{m.Name}' needs centreOffsetMm and isotherms.");
        var iso = new List<Isotherm>();
        foreach (var i in m.Isotherms)
        {
            if (i?.TemperatureC is null || i.RadialMm is null || i.AxialMm is null)
                throw new InvalidImageDataException($"Probe catalogue {sourceName}: an isotherm of model '{m.Name}' lacks temperatureC, radialMm or axialMm.");
            iso.Add(new Isotherm(i.TemperatureC.Value, i.RadialMm.Value, i.AxialMm.Value));
        }
        return new ProbeModel(m.Name!, m.Description ?? "", m.DiameterMm!.Value, m.Approximate ?? true, m.Source ?? "", m.CentreOffsetMm.Value, iso);
    }

    private static ProbeModel HeatApplicator(ModelDto m, AblationModality modality, string sourceName)
    {
        if (m.Zone?.SemiAxesMm is not { Count: 3 } axes || m.Zone.CentreFromTipMm is null || m.ZoneTemperatureC is null || m.PeakTemperatureC is null)
            throw new InvalidImageDataException($"Probe catalogue {sourceName}: {modality.Name()} applicator '{m.Name}' needs \"zone\": {{\"semiAxesMm\": [radial, radial, axial], \"centreFromTipMm\": d}}, zoneTemperatureC and peakTemperatureC.");
        if (Math.Abs(axes[0] - axes[1]) > 1e-9)
            throw new InvalidImageDataException($"Probe catalogue {sourceName}: applicator '{m.Name}': the zone is symmetric about the shaft, so its first two semi-axes must be equal (got {axes[0]} and {axes[1]} mm).");
        return new ProbeModel(m.Name!, m.Description ?? "", m.DiameterMm!.Value, m.Approximate ?? true, m.Source ?? "", modality,
            axes[0], axes[2], m.Zone.CentreFromTipMm.Value, m.ZoneTemperatureC.Value, m.PeakTemperatureC.Value, m.PerfusionLengthMm ?? double.PositiveInfinity);
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
        [JsonPropertyName("modality")] public string? Modality { get; set; }
        [JsonPropertyName("zone")] public ZoneDto? Zone { get; set; }
        [JsonPropertyName("zoneTemperatureC")] public double? ZoneTemperatureC { get; set; }
        [JsonPropertyName("peakTemperatureC")] public double? PeakTemperatureC { get; set; }
        [JsonPropertyName("perfusionLengthMm")] public double? PerfusionLengthMm { get; set; }
    }

    internal sealed class ZoneDto
    {
        [JsonPropertyName("semiAxesMm")] public List<double>? SemiAxesMm { get; set; }
        [JsonPropertyName("centreFromTipMm")] public double? CentreFromTipMm { get; set; }
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
