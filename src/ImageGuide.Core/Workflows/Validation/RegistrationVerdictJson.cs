using System.Text.Json;
using ImageGuide.IO;
using ImageGuide.Registration;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// The JSON form of a <see cref="RegistrationVerdict"/>, shared by the validation case files and reports and by
/// <c>imageguide register</c>: <c>{"status": "good|doubtful|failed", "reasons": [...], "signals": {...}}</c>, the
/// signals under their camelCase names (numbers rounded to 4 decimals, null where not computed; the two flags as
/// booleans).
/// </summary>
public static class RegistrationVerdictJson
{
    /// <summary>Writes the verdict as an object (a property when <paramref name="name"/> is given, else an array element or the root).</summary>
    public static void Write(Utf8JsonWriter writer, string? name, RegistrationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(verdict);
        if (name is null) writer.WriteStartObject(); else writer.WriteStartObject(name);
        WriteMembers(writer, verdict);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>status</c>, <c>reasons</c> and <c>signals</c> into the object being written.</summary>
    public static void WriteMembers(Utf8JsonWriter writer, RegistrationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(verdict);
        writer.WriteString("status", verdict.StatusName);
        WriteReasons(writer, "reasons", verdict);
        WriteSignals(writer, "signals", verdict.Signals);
    }

    /// <summary>Writes the reasons as an array of strings.</summary>
    public static void WriteReasons(Utf8JsonWriter writer, string name, RegistrationVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(verdict);
        writer.WriteStartArray(name);
        foreach (var r in verdict.Reasons) writer.WriteStringValue(r);
        writer.WriteEndArray();
    }

    /// <summary>Writes the signals as an object with camelCase members.</summary>
    public static void WriteSignals(Utf8JsonWriter writer, string name, RegistrationSignals signals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(signals);
        writer.WriteStartObject(name);
        writer.WriteRoundedOrNull("mutualInformation", signals.MutualInformation);
        writer.WriteRoundedOrNull("nullMutualInformationMean", signals.NullMutualInformationMean);
        writer.WriteRoundedOrNull("nullMutualInformationStd", signals.NullMutualInformationStd);
        writer.WriteRoundedOrNull("nullZScore", signals.NullZScore);
        writer.WriteRoundedOrNull("peakContrast", signals.PeakContrast);
        writer.WriteRoundedOrNull("runnerUpDistanceMm", signals.RunnerUpDistanceMm);
        writer.WriteRoundedOrNull("runnerUpMetricGap", signals.RunnerUpMetricGap);
        writer.WriteRoundedOrNull("inverseConsistencyMm", signals.InverseConsistencyMm);
        writer.WriteRoundedOrNull("overlapFraction", signals.OverlapFraction);
        writer.WriteBoolean("startAtSearchBoundary", signals.StartAtSearchBoundary);
        writer.WriteBoolean("iterationLimitReached", signals.IterationLimitReached);
        writer.WriteEndObject();
    }

    /// <summary>The status written for <paramref name="name"/> (good, doubtful, failed; case-insensitive).</summary>
    /// <exception cref="FormatException">Not a status name.</exception>
    public static VerdictStatus ParseStatus(string? name) => name?.ToLowerInvariant() switch
    {
        "good" => VerdictStatus.Good,
        "doubtful" => VerdictStatus.Doubtful,
        "failed" => VerdictStatus.Failed,
        _ => throw new FormatException($"'{name}' is not a verdict status (good, doubtful, failed)."),
    };

    /// <summary>Reads a verdict object written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">A member is missing or malformed.</exception>
    public static RegistrationVerdict Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new FormatException("A verdict must be a JSON object.");
        var status = ParseStatus(Member(element, "status").GetString());
        var reasons = new List<string>();
        foreach (var r in Member(element, "reasons").EnumerateArray()) reasons.Add(r.GetString() ?? throw new FormatException("A verdict reason must be a string."));
        var s = Member(element, "signals");
        var signals = new RegistrationSignals(Number(s, "mutualInformation"), Number(s, "nullMutualInformationMean"), Number(s, "nullMutualInformationStd"),
            Number(s, "nullZScore"), Number(s, "peakContrast"), Number(s, "runnerUpDistanceMm"), Number(s, "runnerUpMetricGap"),
            Number(s, "inverseConsistencyMm"), Number(s, "overlapFraction") ?? 0, Member(s, "startAtSearchBoundary").GetBoolean(),
            Member(s, "iterationLimitReached").GetBoolean());
        return new RegistrationVerdict(status, reasons, signals);
    }

    private static JsonElement Member(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v : throw new FormatException($"The verdict has no '{name}'.");

    private static double? Number(JsonElement e, string name)
    {
        var v = Member(e, name);
        return v.ValueKind == JsonValueKind.Null ? null : v.GetDouble();
    }
}
