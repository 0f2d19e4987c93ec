using System.Text;
using System.Text.Json;
using ImageGuide.Files;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Registration;

namespace ImageGuide.Workflows.Validation;

/// <summary>The outcome of one tool on one case, stored as <c>cases/ID.TOOL.json</c> so that a rerun can resume.</summary>
/// <param name="CaseId">Case id.</param>
/// <param name="CaseIndex">Case position in the manifest.</param>
/// <param name="Tool">Tool name.</param>
/// <param name="Pair">Modality pair tag.</param>
/// <param name="Site">Site tag.</param>
/// <param name="Preset">Preset used (ImageGuide) or requested.</param>
/// <param name="Failure">Why the case failed, or null when it succeeded.</param>
/// <param name="Errors">Per-point TRE (mm), empty on failure.</param>
/// <param name="Seconds">Wall time of the registration.</param>
/// <param name="Transform">The fixed → moving result, or null on failure.</param>
/// <param name="Definition">The case's manifest JSON the result was computed from.</param>
/// <param name="Verdict">The tool's quality verdict on its result (ImageGuide), or null when it gives none or failed.</param>
/// <param name="Levels">
/// A per-vertebra case: TRE per level, global vs per-vertebra (<see cref="Errors"/> and <see cref="Transform"/> stay the
/// global rigid result's); null otherwise.
/// </param>
/// <param name="ToolVersion">The version of the tool that computed the result (<see cref="IRegistrationTool.Version"/>), or null for a result stored before case files carried it.</param>
public sealed record CaseResult(string CaseId, int CaseIndex, string Tool, string Pair, string Site, string Preset, string? Failure,
    IReadOnlyList<double> Errors, double Seconds, RigidTransform? Transform, string Definition, RegistrationVerdict? Verdict = null,
    IReadOnlyList<LevelTre>? Levels = null, string? ToolVersion = null)
{
    /// <summary>True when the tool produced a transform and its TRE was measured.</summary>
    public bool Succeeded => Failure is null && Errors.Count > 0;

    /// <summary>TRE summary, or null on failure.</summary>
    public TreStatistics? Tre => Succeeded ? TreStatistics.FromErrors(Errors.ToArray()) : null;

    /// <summary>
    /// The true outcome the verdict is judged against: the case succeeded and its p95 TRE is at most
    /// <see cref="ValidationReport.VerdictSuccessThresholdMm"/> (a failed case is a miss).
    /// </summary>
    public bool Accurate => Tre is { } t && t.P95 <= ValidationReport.VerdictSuccessThresholdMm;

    /// <summary>The stored JSON form (round-trip precision).</summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("caseId", CaseId);
            w.WriteNumber("caseIndex", CaseIndex);
            w.WriteString("tool", Tool);
            if (ToolVersion is null) w.WriteNull("toolVersion"); else w.WriteString("toolVersion", ToolVersion);
            w.WriteString("pair", Pair);
            w.WriteString("site", Site);
            w.WriteString("preset", Preset);
            if (Failure is null) w.WriteNull("failure"); else w.WriteString("failure", Failure);
            w.WriteNumber("seconds", Seconds);
            if (Transform is { } t)
            {
                w.WriteStartObject("transform");
                w.WriteStartArray("versor"); w.WriteNumberValue(t.Rotation.X); w.WriteNumberValue(t.Rotation.Y); w.WriteNumberValue(t.Rotation.Z); w.WriteNumberValue(t.Rotation.W); w.WriteEndArray();
                w.WriteVec3("translation", t.Translation);
                w.WriteVec3("center", t.Center);
                w.WriteEndObject();
            }
            else w.WriteNull("transform");
            w.WriteNumberArray("errorsMm", Errors);
            w.WriteString("definition", Definition);
            if (Verdict is { } v) RegistrationVerdictJson.Write(w, "verdict", v); else w.WriteNull("verdict");
            if (Levels is { } levels)
            {
                w.WriteStartArray("levels");
                foreach (var l in levels)
                {
                    w.WriteStartObject();
                    l.WriteName(w);
                    w.WriteNumberArray("globalErrorsMm", l.GlobalErrors);
                    w.WriteNumberArray("perVertebraErrorsMm", l.PerVertebraErrors);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>
    /// Reads a stored result; null when the file is not a readable result (it is then recomputed) — including a
    /// result stored before case files carried a <c>verdict</c> member.
    /// </summary>
    public static CaseResult? TryRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(InputFile.ReadAllText(path));
            var r = doc.RootElement;
            RigidTransform? transform = null;
            if (r.GetProperty("transform") is { ValueKind: JsonValueKind.Object } t)
            {
                var v = t.GetProperty("versor");
                transform = new RigidTransform(new Versor(v[0].GetDouble(), v[1].GetDouble(), v[2].GetDouble(), v[3].GetDouble()),
                    ReadVec(t.GetProperty("translation")), ReadVec(t.GetProperty("center")));
            }
            var errors = ReadNumbers(r.GetProperty("errorsMm"));
            List<LevelTre>? levels = null;
            if (r.TryGetProperty("levels", out var levelsElement))
            {
                levels = [];
                foreach (var l in levelsElement.EnumerateArray())
                {
                    var fallback = l.GetProperty("fallback");
                    levels.Add(new LevelTre(l.GetProperty("level").GetString()!, l.GetProperty("label").GetInt32(), ReadNumbers(l.GetProperty("globalErrorsMm")),
                        ReadNumbers(l.GetProperty("perVertebraErrorsMm")), l.GetProperty("verdict").GetString()!,
                        fallback.ValueKind == JsonValueKind.Null ? null : fallback.GetString()));
                }
            }
            var failure = r.GetProperty("failure");
            var verdictElement = r.GetProperty("verdict");
            var verdict = verdictElement.ValueKind == JsonValueKind.Null ? null : RegistrationVerdictJson.Read(verdictElement);
            string? toolVersion = r.TryGetProperty("toolVersion", out var tv) && tv.ValueKind == JsonValueKind.String ? tv.GetString() : null;
            return new CaseResult(r.GetProperty("caseId").GetString()!, r.GetProperty("caseIndex").GetInt32(), r.GetProperty("tool").GetString()!,
                r.GetProperty("pair").GetString()!, r.GetProperty("site").GetString()!, r.GetProperty("preset").GetString()!,
                failure.ValueKind == JsonValueKind.Null ? null : failure.GetString(), errors, r.GetProperty("seconds").GetDouble(), transform,
                r.GetProperty("definition").GetString()!, verdict, levels, toolVersion);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException or ImageGuideException)
        {
            return null;
        }
    }

    /// <summary>Writes the stored form atomically.</summary>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encoding.UTF8.GetBytes(ToJson());
        AtomicFile.Write(path, s => s.Write(bytes));
    }


    private static Vec3 ReadVec(JsonElement e) => new(e[0].GetDouble(), e[1].GetDouble(), e[2].GetDouble());

    private static List<double> ReadNumbers(JsonElement array)
    {
        var values = new List<double>(array.GetArrayLength());
        foreach (var e in array.EnumerateArray()) values.Add(e.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : e.GetDouble());
        return values;
    }
}
