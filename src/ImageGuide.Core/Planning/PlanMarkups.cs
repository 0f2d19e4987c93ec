using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageGuide.Imaging;

namespace ImageGuide.Planning;

/// <summary>
/// Plans as 3D Slicer markups (<c>.mrk.json</c>): one line markup per trajectory (entry → target) and per probe
/// (entry → tip), written in RAS as Slicer shows them (LPS x and y negated) so a user can check the plan in Slicer.
/// </summary>
public static class PlanMarkups
{
    private const string Schema = "https://raw.githubusercontent.com/slicer/slicer/master/Modules/Loadable/Markups/Resources/Schema/markups-schema-v1.0.3.json#";

    /// <summary>The markups JSON text: lines "trajectory N" (entry, target) then "probe N" (entry, tip).</summary>
    public static string Format(IEnumerable<TrajectoryEvaluation> trajectories, IEnumerable<PlannedProbe>? probes = null)
    {
        ArgumentNullException.ThrowIfNull(trajectories);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("@schema", Schema);
            w.WriteStartArray("markups");
            int n = 0;
            foreach (var t in trajectories)
                WriteLine(w, string.Create(CultureInfo.InvariantCulture, $"trajectory {++n}"), t.Entry, "entry", t.Target, "target", t.Feasible);
            n = 0;
            foreach (var p in probes ?? [])
                WriteLine(w, string.Create(CultureInfo.InvariantCulture, $"probe {++n}"), p.Entry, "entry", p.Tip, "tip", p.Path.Feasible);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteLine(Utf8JsonWriter w, string name, Vec3 a, string aLabel, Vec3 b, string bLabel, bool feasible)
    {
        w.WriteStartObject();
        w.WriteString("type", "Line");
        w.WriteString("name", name);
        w.WriteString("coordinateSystem", "RAS");
        w.WriteString("coordinateUnits", "mm");
        w.WriteStartArray("controlPoints");
        WritePoint(w, name + "-1", aLabel, a);
        WritePoint(w, name + "-2", bLabel, b);
        w.WriteEndArray();
        w.WriteStartObject("display");
        w.WriteStartArray("selectedColor");
        // green for feasible paths, red for rejected ones
        w.WriteNumberValue(feasible ? 0.2 : 0.9); w.WriteNumberValue(feasible ? 0.8 : 0.2); w.WriteNumberValue(0.2);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter w, string id, string label, Vec3 lps)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("label", label);
        w.WriteStartArray("position");
        w.WriteNumberValue(-lps.X); w.WriteNumberValue(-lps.Y); w.WriteNumberValue(lps.Z);
        w.WriteEndArray();
        w.WriteString("positionStatus", "defined");
        w.WriteEndObject();
    }
}
