using System.Text;
using System.Text.Json;
using ImageGuide.IO;

namespace ImageGuide.Segmentation;

/// <summary>
/// Writes an <see cref="IceBallAnalysis"/> as the <c>report.json</c> of the CLI contract (ARCHITECTURE.md), LPS mm:
/// <c>{"volumeMl","diametersMm":[long,mid,short],"lethalCoverage","minMarginMm","criticalDistancesMm":{name:mm},
/// "probes":[{"tip","axis"}]}</c> plus usedPreFreezeCt, probesDetected, diameterAxes, centroid, lethalInsetMm,
/// lethalVolumeMl, extrapolatedFraction, isothermModel, requiredClearancesMm, warnings, plan and growth. Fractions are
/// 0–1; unknown or infinite values are null.
/// </summary>
public static class IceBallJson
{
    /// <summary>The report as indented JSON text.</summary>
    public static string Serialize(IceBallAnalysis analysis)
    {
        using var stream = new MemoryStream();
        Write(stream, analysis);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the report (UTF-8, indented) to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IceBallAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(analysis);
        var a = analysis;
        using var w = new Utf8JsonWriter(stream, JsonOutput.Options);
        w.WriteStartObject();
        w.WriteRoundedOrNull("volumeMl", a.VolumeMl);
        w.WriteStartArray("diametersMm");
        if (a.Diameters is { } d) { w.WriteNumberValue(Math.Round(d.LongMm, JsonWriterExtensions.ReportDecimals)); w.WriteNumberValue(Math.Round(d.MidMm, JsonWriterExtensions.ReportDecimals)); w.WriteNumberValue(Math.Round(d.ShortMm, JsonWriterExtensions.ReportDecimals)); }
        w.WriteEndArray();
        w.WriteRoundedOrNull("lethalCoverage", a.LethalCoverage);
        if (a.MissingFromCt is { } missing) w.WriteString("missingFromCt", missing); else w.WriteNull("missingFromCt");
        w.WriteRoundedOrNull("minMarginMm", a.MinMarginMm);
        w.WriteStartObject("criticalDistancesMm");
        foreach (var (name, dist) in a.CriticalDistancesMm) w.WriteRoundedOrNull(name, dist);
        w.WriteEndObject();
        w.WriteStartArray("probes");
        foreach (var p in a.Probes)
        {
            w.WriteStartObject();
            w.WriteRoundedVec3("tip", p.Tip);
            w.WriteRoundedVec3("axis", p.Axis);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteBoolean("usedPreFreezeCt", a.UsedPreFreezeCt);
        w.WriteBoolean("probesDetected", a.ProbesDetected);
        if (a.Diameters is { } dd)
        {
            w.WriteRoundedVec3("centroid", dd.Centroid);
            w.WriteStartArray("diameterAxes");
            foreach (var axis in new[] { dd.LongAxis, dd.MidAxis, dd.ShortAxis }) w.WriteRoundedVec3(null, axis);
            w.WriteEndArray();
        }
        w.WriteRoundedOrNull("lethalInsetMm", a.LethalInsetMm);
        w.WriteRoundedOrNull("lethalVolumeMl", a.LethalVolumeMl);
        w.WriteRoundedOrNull("extrapolatedFraction", a.ExtrapolatedFraction);
        if (a.Model is { } m)
        {
            w.WriteStartObject("isothermModel");
            w.WriteRoundedOrNull("radialMm", m.Zone.RadialMm);
            w.WriteRoundedOrNull("axialMm", m.Zone.AxialMm);
            w.WriteRoundedOrNull("centreBehindTipMm", m.Zone.CentreBehindTipMm);
            w.WriteRoundedOrNull("agreement", m.Agreement);
            w.WriteEndObject();
        }
        else w.WriteNull("isothermModel");
        w.WriteStartObject("requiredClearancesMm");
        foreach (var (name, c) in a.RequiredClearancesMm) w.WriteRoundedOrNull(name, c);
        w.WriteEndObject();
        w.WriteStartArray("warnings");
        foreach (var s in a.Warnings) w.WriteStringValue(s);
        w.WriteEndArray();
        if (a.Plan is { } plan)
        {
            w.WriteStartObject("plan");
            w.WriteRoundedOrNull("dice", plan.Dice);
            w.WriteRoundedOrNull("plannedVolumeMl", plan.PlannedVolumeMl);
            w.WriteRoundedOrNull("underCoveredTumourFraction", plan.UnderCoveredTumourFraction);
            if (plan.ShortProbeIndex is { } q) w.WriteNumber("shortProbe", q); else w.WriteNull("shortProbe");
            w.WriteStartArray("probes");
            foreach (var s in plan.Probes)
            {
                w.WriteStartObject();
                w.WriteNumber("probe", s.ProbeIndex);
                w.WriteRoundedOrNull("shortfallMl", s.ShortfallMl);
                w.WriteRoundedOrNull("maxShortfallMm", s.MaxShortfallMm);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else w.WriteNull("plan");
        if (a.Growth is { } gr)
        {
            w.WriteStartObject("growth");
            w.WriteRoundedOrNull("previousVolumeMl", gr.PreviousVolumeMl);
            w.WriteRoundedOrNull("volumeChangeMl", gr.VolumeChangeMl);
            w.WriteRoundedOrNull("meanEdgeGrowthMm", gr.MeanEdgeGrowthMm);
            w.WriteRoundedOrNull("maxEdgeGrowthMm", gr.MaxEdgeGrowthMm);
            w.WriteEndObject();
        }
        else w.WriteNull("growth");
        w.WriteRoundedOrNull("seconds", a.WallTime.TotalSeconds);
        w.WriteEndObject();
    }
}
