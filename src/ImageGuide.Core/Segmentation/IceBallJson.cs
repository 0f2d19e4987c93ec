using System.Text;
using System.Text.Json;
using ImageGuide.Imaging;

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
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        Number(w, "volumeMl", a.VolumeMl);
        w.WriteStartArray("diametersMm");
        if (a.Diameters is { } d) { w.WriteNumberValue(Round(d.LongMm)); w.WriteNumberValue(Round(d.MidMm)); w.WriteNumberValue(Round(d.ShortMm)); }
        w.WriteEndArray();
        Number(w, "lethalCoverage", a.LethalCoverage);
        Number(w, "minMarginMm", a.MinMarginMm);
        w.WriteStartObject("criticalDistancesMm");
        foreach (var (name, dist) in a.CriticalDistancesMm) Number(w, name, dist);
        w.WriteEndObject();
        w.WriteStartArray("probes");
        foreach (var p in a.Probes)
        {
            w.WriteStartObject();
            Point(w, "tip", p.Tip);
            Point(w, "axis", p.Axis);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteBoolean("usedPreFreezeCt", a.UsedPreFreezeCt);
        w.WriteBoolean("probesDetected", a.ProbesDetected);
        if (a.Diameters is { } dd)
        {
            Point(w, "centroid", dd.Centroid);
            w.WriteStartArray("diameterAxes");
            foreach (var axis in new[] { dd.LongAxis, dd.MidAxis, dd.ShortAxis }) Point(w, null, axis);
            w.WriteEndArray();
        }
        Number(w, "lethalInsetMm", a.LethalInsetMm);
        Number(w, "lethalVolumeMl", a.LethalVolumeMl);
        Number(w, "extrapolatedFraction", a.ExtrapolatedFraction);
        if (a.Model is { } m)
        {
            w.WriteStartObject("isothermModel");
            Number(w, "radialMm", m.RadialMm);
            Number(w, "axialMm", m.AxialMm);
            Number(w, "centreBehindTipMm", m.CentreBehindTipMm);
            Number(w, "agreement", m.Agreement);
            w.WriteEndObject();
        }
        else w.WriteNull("isothermModel");
        w.WriteStartObject("requiredClearancesMm");
        foreach (var (name, c) in a.RequiredClearancesMm) Number(w, name, c);
        w.WriteEndObject();
        w.WriteStartArray("warnings");
        foreach (var s in a.Warnings) w.WriteStringValue(s);
        w.WriteEndArray();
        if (a.Plan is { } plan)
        {
            w.WriteStartObject("plan");
            Number(w, "dice", plan.Dice);
            Number(w, "plannedVolumeMl", plan.PlannedVolumeMl);
            Number(w, "underCoveredTumourFraction", plan.UnderCoveredTumourFraction);
            if (plan.ShortProbeIndex is { } q) w.WriteNumber("shortProbe", q); else w.WriteNull("shortProbe");
            w.WriteStartArray("probes");
            foreach (var s in plan.Probes)
            {
                w.WriteStartObject();
                w.WriteNumber("probe", s.ProbeIndex);
                Number(w, "shortfallMl", s.ShortfallMl);
                Number(w, "maxShortfallMm", s.MaxShortfallMm);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else w.WriteNull("plan");
        if (a.Growth is { } gr)
        {
            w.WriteStartObject("growth");
            Number(w, "previousVolumeMl", gr.PreviousVolumeMl);
            Number(w, "volumeChangeMl", gr.VolumeChangeMl);
            Number(w, "meanEdgeGrowthMm", gr.MeanEdgeGrowthMm);
            Number(w, "maxEdgeGrowthMm", gr.MaxEdgeGrowthMm);
            w.WriteEndObject();
        }
        else w.WriteNull("growth");
        Number(w, "seconds", a.WallTime.TotalSeconds);
        w.WriteEndObject();
    }

    private static double Round(double v) => Math.Round(v, 4);

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, Round(v));
        else w.WriteNull(name);
    }

    private static void Point(Utf8JsonWriter w, string? name, Vec3 p)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        w.WriteNumberValue(Round(p.X));
        w.WriteNumberValue(Round(p.Y));
        w.WriteNumberValue(Round(p.Z));
        w.WriteEndArray();
    }
}
