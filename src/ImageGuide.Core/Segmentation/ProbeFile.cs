using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.Imaging;

namespace ImageGuide.Segmentation;

/// <summary>
/// Reads probe positions from JSON: <c>{"probes":[{"tip":[x,y,z],"axis":[x,y,z]}]}</c> (the report's own <c>probes</c>),
/// or with <c>"entry"</c> instead of <c>"axis"</c> (the phantom's <c>probes.json</c>); LPS mm of the intra-procedural CT.
/// </summary>
public static class ProbeFile
{
    /// <summary>Reads a probe file.</summary>
    /// <exception cref="InvalidImageDataException">Not JSON, no probes, or a probe without tip and axis/entry (the message names it).</exception>
    public static IReadOnlyList<ProbeAxis> Read(string path) => Parse(InputFile.ReadAllText(path), path);

    /// <summary>Parses probe JSON text; <paramref name="source"/> names it in messages.</summary>
    public static IReadOnlyList<ProbeAxis> Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("probes", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                throw new InvalidImageDataException($"{source}: no \"probes\" array with at least one probe.");
            var result = new List<ProbeAxis>();
            int n = 0;
            foreach (var p in list.EnumerateArray())
            {
                var tip = Point(p, n, "tip", source) ?? throw new InvalidImageDataException($"{source}: probes[{n}] has no \"tip\" [x, y, z].");
                var axis = Point(p, n, "axis", source) ?? (Point(p, n, "entry", source) is { } entry ? tip - entry
                    : throw new InvalidImageDataException($"{source}: probes[{n}] needs \"axis\" or \"entry\" [x, y, z]."));
                if (!(axis.Length > 1e-6)) throw new InvalidImageDataException($"{source}: probes[{n}] has a zero-length axis (entry equal to tip?).");
                result.Add(new ProbeAxis(tip, axis.Normalized()));
                n++;
            }
            return result;
        }
        catch (JsonException e)
        {
            throw new InvalidImageDataException($"{source}: not valid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
    }

    private static Vec3? Point(JsonElement item, int index, string name, string source)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var p)) return null;
        if (p.ValueKind != JsonValueKind.Array || p.GetArrayLength() != 3)
            throw new InvalidImageDataException($"{source}: probes[{index}].{name} must be an array [x, y, z] in LPS mm.");
        Span<double> v = stackalloc double[3];
        int i = 0;
        foreach (var c in p.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Number || !double.IsFinite(c.GetDouble()))
                throw new InvalidImageDataException($"{source}: probes[{index}].{name}[{i}] is not a finite number.");
            v[i++] = c.GetDouble();
        }
        return Vec3.FromSpan(v);
    }
}
