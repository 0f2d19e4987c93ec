using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Registration.Spine;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Workflows;

/// <summary>
/// What <c>register --per-vertebra DIR</c> writes: <c>NAME.tfm</c> per level (ITK VersorRigid3D, fixed → moving),
/// <c>field.nii.gz</c> (the piecewise-rigid transform as an ITK displacement field, LPS vectors, fixed → moving),
/// <c>vertebrae.nii.gz</c> + <c>vertebrae.json</c> (the level labels used, on the fixed grid, and their table) and
/// <c>report.json</c> (per level: motion, verdict, fallback); and the <c>"vertebrae"</c> member of <c>--json</c>.
/// </summary>
public static class PerVertebraOutput
{
    /// <summary>Writes the folder (new or empty), all of it at once when complete (<see cref="AtomicFolder"/>).</summary>
    public static void Write(string dir, PerVertebraResult result, VertebraLabelSet set, Volume<byte> labels, CancellationToken ct) =>
        AtomicFolder.Write(dir, false, temp => WriteInto(temp, result, set, labels, ct));

    private static void WriteInto(string dir, PerVertebraResult result, VertebraLabelSet set, Volume<byte> labels, CancellationToken ct)
    {
        foreach (var v in result.Vertebrae) TransformIO.Write(v.FixedToMoving, Path.Combine(dir, v.Level.Name + ".tfm"));
        DisplacementFieldFile.Write(result.Field, Path.Combine(dir, "field.nii.gz"), ct);
        var used = new Volume<byte>(labels.Geometry, labels.Metadata);
        var keep = new bool[256];
        foreach (var l in set.Levels) keep[l.Label] = true;
        for (long n = 0; n < used.Data.LongLength; n++) used.Data[n] = keep[labels.Data[n]] ? labels.Data[n] : (byte)0;
        new LabelMap(used, set.ToTable()).Write(Path.Combine(dir, "vertebrae.nii.gz"), ct);
        JsonOutput.WriteFile(Path.Combine(dir, "report.json"), w =>
        {
            w.WriteStartObject();
            w.WriteString("scheme", set.Scheme.ToString());
            w.WriteStartArray("notes");
            foreach (var n in set.Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteString("field", "field.nii.gz");
            w.WriteString("fieldConvention", "ITK displacement field: fixed point p maps to p + d(p) in the moving image; vectors in LPS mm");
            WriteLevels(w, result);
            w.WriteNumber("seconds", Math.Round(result.WallTime.TotalSeconds, 3));
            w.WriteEndObject();
        });
    }

    /// <summary>One level of a folder written by <see cref="Write"/>, as its report.json states it.</summary>
    public sealed record WrittenLevel(VertebraLevel Level, Vec3 Centroid, string Verdict, string? Fallback);

    /// <summary>
    /// The levels and labels of the per-vertebra folder <paramref name="dir"/> (report.json and vertebrae.nii.gz), or
    /// null when it is not one.
    /// </summary>
    public static (VertebraLabelSet Set, Volume<byte> Labels, IReadOnlyList<WrittenLevel> Levels)? TryRead(string dir, CancellationToken ct)
    {
        string report = Path.Combine(dir, "report.json"), labels = Path.Combine(dir, "vertebrae.nii.gz");
        if (!File.Exists(report) || !File.Exists(labels)) return null;
        var levels = new List<WrittenLevel>();
        try
        {
            using var doc = JsonDocument.Parse(InputFile.ReadAllText(report));
            if (!doc.RootElement.TryGetProperty("vertebrae", out var array) || array.ValueKind != JsonValueKind.Array) return null;
            foreach (var v in array.EnumerateArray())
            {
                var c = v.GetProperty("centroid");
                var fallback = v.GetProperty("fallback");
                levels.Add(new WrittenLevel(new VertebraLevel((byte)v.GetProperty("label").GetInt32(), v.GetProperty("name").GetString()!),
                    new Vec3(c[0].GetDouble(), c[1].GetDouble(), c[2].GetDouble()), v.GetProperty("verdict").GetProperty("status").GetString()!,
                    fallback.ValueKind == JsonValueKind.Null ? null : fallback.GetString()));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ImageGuideException($"{report}: not a per-vertebra report written by 'imageguide register --per-vertebra' ({e.Message}).");
        }
        var map = LabelMap.Read(labels, null, ct);
        return (new VertebraLabelSet([.. levels.Select(l => l.Level)], VertebraLabelScheme.Table, []), map.Volume, levels);
    }

    /// <summary>The <c>"vertebrae"</c> array: label, name, 4×4 fixed → moving, verdict, fallback, distance from the global result.</summary>
    public static void WriteLevels(Utf8JsonWriter w, PerVertebraResult result)
    {
        w.WriteStartArray("vertebrae");
        foreach (var v in result.Vertebrae)
        {
            w.WriteStartObject();
            w.WriteNumber("label", v.Level.Label);
            w.WriteString("name", v.Level.Name);
            var m = v.FixedToMoving.ToMatrix4x4();
            w.WriteStartArray("matrix");
            for (int row = 0; row < 4; row++) w.WriteNumberArray(null, [m[row, 0], m[row, 1], m[row, 2], m[row, 3]]);
            w.WriteEndArray();
            w.WriteVec3("centroid", v.CentroidMm);
            w.WriteNumber("voxels", v.Voxels);
            w.WriteNumber("rotationFromGlobalDeg", Math.Round(v.RotationFromGlobalDeg, 3));
            w.WriteNumber("shiftFromGlobalMm", Math.Round(v.ShiftFromGlobalMm, 3));
            if (v.Fallback is null) w.WriteNull("fallback"); else w.WriteString("fallback", v.Fallback);
            RegistrationVerdictJson.Write(w, "verdict", v.Verdict);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
