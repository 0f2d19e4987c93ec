using System.Text.Json;

namespace ImageGuide.Tests.Series;

/// <summary>Reads the pydicom-made reference.json beside shared test data.</summary>
internal static class ReferenceJson
{
    public static JsonElement Load(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json"))).RootElement;

    public static JsonElement SeriesAt(JsonElement root, string folder)
    {
        foreach (var s in root.GetProperty("series").EnumerateArray())
            if (s.GetProperty("folder").GetString() == folder) return s;
        throw new InvalidOperationException($"reference.json has no series in folder {folder}");
    }

    public static Vec3 Vec(JsonElement e) => new(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble());
}
