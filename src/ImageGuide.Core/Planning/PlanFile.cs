using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.Planning;

/// <summary>A planned needle path read from a plan JSON: entry and target in LPS mm.</summary>
public readonly record struct PlannedPath(Vec3 Entry, Vec3 Target);

/// <summary>What displays need from a plan JSON (the CLI contract's keys): the ranked paths and the placed probes.</summary>
/// <param name="Trajectories">trajectories[].entry/target, best first.</param>
/// <param name="ProbeField">Modelled temperature around probes[].tip/axis (model from probes[].model), or null without probes.</param>
public sealed record PlanFile(IReadOnlyList<PlannedPath> Trajectories, ProbeTemperatureField? ProbeField)
{
    /// <summary>
    /// The neural limit the plan was checked against (°C): the first <c>thermalProtection[].limitC</c> on the side of the
    /// plan's modality (above 37 °C for heat, below for cold), or null when the plan names none.
    /// </summary>
    public double? NeuralLimitC { get; init; }

    /// <summary>Reads a plan JSON file.</summary>
    /// <exception cref="InvalidImageDataException">Not JSON, or a key is missing or malformed (the message names it).</exception>
    public static PlanFile Read(string path) => Parse(InputFile.ReadAllText(path), path);

    /// <summary>Parses plan JSON text; <paramref name="source"/> names it in messages.</summary>
    public static PlanFile Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("trajectories", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InvalidImageDataException($"{source}: plan has no \"trajectories\" array.");
            var paths = new List<PlannedPath>(list.GetArrayLength());
            int n = 0;
            foreach (var t in list.EnumerateArray())
            {
                paths.Add(new PlannedPath(Point(t, "trajectories", n, "entry", source), Point(t, "trajectories", n, "target", source)));
                n++;
            }
            ProbeTemperatureField? field = null;
            if (doc.RootElement.TryGetProperty("probes", out var probes) && probes.ValueKind == JsonValueKind.Array && probes.GetArrayLength() > 0)
            {
                var placed = new List<(Vec3 Tip, Vec3 Axis)>();
                string? model = null;
                n = 0;
                foreach (var p in probes.EnumerateArray())
                {
                    placed.Add((Point(p, "probes", n, "tip", source), Point(p, "probes", n, "axis", source)));
                    if (model is null && p.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String) model = m.GetString();
                    n++;
                }
                field = new ProbeTemperatureField(ProbeCatalogue.BuiltIn.Get(model ?? ProbeCatalogue.DefaultModelName), placed);
            }
            double? limit = null;
            if (field is not null && doc.RootElement.TryGetProperty("thermalProtection", out var thermal) && thermal.ValueKind == JsonValueKind.Array)
                foreach (var t in thermal.EnumerateArray())
                    if (t.ValueKind == JsonValueKind.Object && t.TryGetProperty("limitC", out var l) && l.ValueKind == JsonValueKind.Number
                        && double.IsFinite(l.GetDouble()) && (l.GetDouble() > 37) == field.Model.IsHeat)
                    {
                        limit = l.GetDouble();
                        break;
                    }
            return new PlanFile(paths, field) { NeuralLimitC = limit };
        }
        catch (JsonException e)
        {
            throw new InvalidImageDataException($"{source}: not valid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
    }

    private static Vec3 Point(JsonElement item, string array, int index, string name, string source)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var p) ||
            p.ValueKind != JsonValueKind.Array || p.GetArrayLength() != 3)
            throw new InvalidImageDataException($"{source}: {array}[{index}].{name} must be an array [x, y, z] in LPS mm.");
        Span<double> v = stackalloc double[3];
        int i = 0;
        foreach (var c in p.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Number || !double.IsFinite(c.GetDouble()))
                throw new InvalidImageDataException($"{source}: {array}[{index}].{name}[{i}] is not a finite number.");
            v[i++] = c.GetDouble();
        }
        return Vec3.FromSpan(v);
    }
}
