using System.Text.Json;
using ImageGuide.Workflows;
using SkiaSharp;

namespace ImageGuide.Rendering;

/// <summary>
/// The ice-ball report as one PDF (SkiaSharp's PDF backend), drawn only from what the ice-ball workflow computed: its
/// report.json (every number printed as that JSON wrote it) and the snapshot PNGs. It shows the volume, diameters,
/// lethal coverage and margin, the distance to each critical structure against its required clearance, the comparison
/// with the plan and the growth when present, and the warnings.
/// </summary>
public static class IceballPdfReport
{
    /// <summary>Writes the report to <paramref name="path"/> (all or nothing).</summary>
    /// <param name="reportJson">The ice-ball report.json text.</param>
    /// <param name="path">The PDF to write.</param>
    /// <param name="snapshots">Snapshot PNGs to embed; unreadable ones are skipped.</param>
    /// <param name="identity">The CT's identifiers, or null (then none are printed).</param>
    /// <returns>The number of pages written.</returns>
    public static int Write(string reportJson, string path, IReadOnlyList<string> snapshots, StudyIdentity? identity = null)
    {
        ArgumentNullException.ThrowIfNull(reportJson);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(snapshots);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var ms = new MemoryStream();
        int pages = Render(reportJson, ms, snapshots, identity);
        RenderedFile.Write(path, ms.GetBuffer().AsSpan(0, (int)ms.Length));
        return pages;
    }

    /// <summary>Renders the report into <c>output</c> (see <see cref="Write"/>) and returns its page count.</summary>
    internal static int Render(string reportJson, Stream output, IReadOnlyList<string> snapshots, StudyIdentity? identity)
    {
        using var doc = JsonDocument.Parse(reportJson);
        var root = doc.RootElement;
        using var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata
        {
            Title = "Ice-ball assessment", Creator = "ImageGuide", Producer = "ImageGuide.Rendering (SkiaSharp)", RasterDpi = 150,
            // > 100: images embedded losslessly (Flate). The struct's default, 0, makes Skia write JPEG of quality 0,
            // which smears snapshots and charts
            EncodingQuality = PdfPageWriter.LosslessImages,
        });
        var typeface = EmbeddedFonts.Regular;
        var bold = EmbeddedFonts.Bold;
        var w = new PdfPageWriter(document, typeface, bold, "ImageGuide ice-ball report");

        w.Text("Ice-ball assessment", 22, bold: true);
        w.Text("Intra-procedural CT — every number as in report.json. An aid, not a substitute for clinical judgement.", 9, PdfPageWriter.Muted);
        w.Gap(6);
        if (identity is not null) PlanPdfReport.ReportIdentity(w, identity);

        var d = root.Get("diametersMm") is { ValueKind: JsonValueKind.Array } arr ? arr.EnumerateArray().Select(x => x.GetRawText()).ToList() : [];
        var model = root.Get("isothermModel");
        w.Text("Ice ball", 12, bold: true);
        w.Table(
        [
            ["", "value"],
            ["volume (0 °C edge)", root.Get("volumeMl").Num(" mL")],
            ["diameters (long × mid × short)", d.Count == 3 ? string.Join(" × ", d) + " mm" : "–"],
            ["lethal zone volume", root.Get("lethalVolumeMl").Num(" mL") + " (lethal edge " + root.Get("lethalInsetMm").Num(" mm") + " inside the 0 °C edge)"],
            ["lethal coverage of the tumour", root.Get("lethalCoverage").Percent() + " (" + root.Get("lethalCoverage").Num() + ")"],
            ["smallest margin tumour → lethal edge", root.Get("minMarginMm").Num(" mm")],
            ["probes", (root.Get("probes") is { ValueKind: JsonValueKind.Array } p ? p.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture) : "–")
                + (root.Get("probesDetected") is { ValueKind: JsonValueKind.True } ? " detected" : " given")],
            ["pre-freeze subtraction", root.Get("usedPreFreezeCt") is { ValueKind: JsonValueKind.True } ? "yes" : "no"],
            ["filled in bone from the isotherm model", root.Get("extrapolatedFraction").Percent()],
            ["isotherm model (radial × axial)", model is null ? "–" : model.Value.Get("radialMm").Num() + " × " + model.Value.Get("axialMm").Num(" mm") + ", agreement " + model.Value.Get("agreement").Num()],
        ]);

        w.Text("Distance of the ice ball to critical structures", 12, bold: true);
        var rows = new List<string[]> { new[] { "structure", "distance", "required clearance", "" } };
        var required = root.Get("requiredClearancesMm");
        if (root.Get("criticalDistancesMm") is { ValueKind: JsonValueKind.Object } distances)
            foreach (var s in distances.EnumerateObject())
            {
                JsonElement? dist = s.Value.ValueKind == JsonValueKind.Null ? null : s.Value;
                var need = required?.Get(s.Name);
                string verdict = dist is { ValueKind: JsonValueKind.Number } dv && need is { ValueKind: JsonValueKind.Number } nv
                    ? dv.GetDouble() >= nv.GetDouble() ? "ok" : "TOO CLOSE" : dist is null ? "not measured" : "";
                rows.Add([s.Name, dist.Num(" mm"), need.Num(" mm"), verdict]);
            }
        if (rows.Count == 1) rows.Add(["(no label map given: no safety distances)", "", "", ""]);
        w.Table(rows);
        if (root.Get("missingFromCt") is { } missing)
            w.Text("Could not be measured on the CT: " + ((JsonElement?)missing).Str(), 10, new SKColor(170, 40, 30));

        w.Text("Plan vs actual", 12, bold: true);
        if (root.Get("plan") is { } plan)
        {
            List<string[]> planRows =
            [
                ["", "value"],
                ["Dice with the planned ice ball", plan.Get("dice").Num()],
                ["planned volume", plan.Get("plannedVolumeMl").Num(" mL")],
                ["tumour under-covered compared with the plan", plan.Get("underCoveredTumourFraction").Percent()],
                ["shortest probe", plan.Get("shortProbe") is { } sp ? "probe " + ((JsonElement?)sp).Num() : "none"],
            ];
            if (plan.Get("probes") is { ValueKind: JsonValueKind.Array } probes)
                foreach (var pr in probes.EnumerateArray())
                    planRows.Add(["probe " + pr.Get("probe").Num() + " shortfall", pr.Get("shortfallMl").Num(" mL") + ", up to " + pr.Get("maxShortfallMm").Num(" mm")]);
            w.Table(planRows);
        }
        else w.Text("no plan given, or the plan has no probes", 10);
        if (root.Get("growth") is { } growth)
        {
            w.Text("Growth since the previous scan", 12, bold: true);
            w.Table(
            [
                ["", "value"],
                ["previous volume", growth.Get("previousVolumeMl").Num(" mL")],
                ["volume change", growth.Get("volumeChangeMl").Num(" mL")],
                ["edge growth mean / max", growth.Get("meanEdgeGrowthMm").Num(" mm") + " / " + growth.Get("maxEdgeGrowthMm").Num(" mm")],
            ]);
        }

        var warnings = root.AllStrings("warnings");
        w.Text("Warnings", 12, bold: true);
        if (warnings.Count == 0) w.Text("none", 10);
        foreach (var warning in warnings) w.Text("• " + warning, 9.5f, new SKColor(170, 40, 30));

        PlanPdfReport.Snapshots(w, snapshots);
        int pageCount = w.Close();
        document.Close();
        return pageCount;
    }
}
