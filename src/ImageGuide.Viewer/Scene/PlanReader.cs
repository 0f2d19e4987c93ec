using System.Text.Json;
using ImageGuide.Imaging;

namespace ImageGuide.Viewer.Scene;

/// <summary>Reads the trajectories of a plan JSON: <c>{"trajectories":[{"entry":[x,y,z],"target":[x,y,z]}, …]}</c> (LPS mm).</summary>
public static class PlanReader
{
    /// <summary>Reads the trajectories of the plan at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidImageDataException">The file is not such a JSON document.</exception>
    public static IReadOnlyList<Trajectory> Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses plan JSON text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidImageDataException">The text is not such a JSON document.</exception>
    public static IReadOnlyList<Trajectory> Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("trajectories", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InvalidImageDataException($"{source}: plan has no \"trajectories\" array.");
            var result = new List<Trajectory>(list.GetArrayLength());
            int n = 0;
            foreach (var t in list.EnumerateArray())
            {
                result.Add(new Trajectory(Point(t, "entry", source, n), Point(t, "target", source, n)));
                n++;
            }
            return result;
        }
        catch (JsonException e)
        {
            throw new InvalidImageDataException($"{source}: not valid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
    }

    private static Vec3 Point(JsonElement trajectory, string name, string source, int index)
    {
        if (trajectory.ValueKind != JsonValueKind.Object || !trajectory.TryGetProperty(name, out var p) ||
            p.ValueKind != JsonValueKind.Array || p.GetArrayLength() != 3)
            throw new InvalidImageDataException($"{source}: trajectories[{index}].{name} must be an array [x, y, z] in LPS mm.");
        Span<double> v = stackalloc double[3];
        int i = 0;
        foreach (var c in p.EnumerateArray())
        {
            if (c.ValueKind != JsonValueKind.Number || !double.IsFinite(c.GetDouble()))
                throw new InvalidImageDataException($"{source}: trajectories[{index}].{name}[{i}] is not a finite number.");
            v[i++] = c.GetDouble();
        }
        return Vec3.FromSpan(v);
    }
}
