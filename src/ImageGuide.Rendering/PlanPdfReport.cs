using System.Globalization;
using System.Text.Json;
using ImageGuide.Planning;
using ImageGuide.Workflows;
using SkiaSharp;

namespace ImageGuide.Rendering;

/// <summary>
/// The planning report as one PDF (SkiaSharp's PDF backend), drawn only from what the plan workflow computed: the plan
/// JSON (every number printed as that JSON wrote it), the planning image's identifiers and the snapshot PNGs. It shows
/// the chosen (best-ranked) trajectory, its clearance per structure against the required clearance, the applicator plan
/// in the words of its modality (cryoprobes and their ice, RF electrodes or MW antennas and their 50 °C zone), thermal
/// protection, cement access, the warnings, the constraints planned under and the snapshots.
/// </summary>
public static class PlanPdfReport
{
    /// <summary>How the report names a plan's modality, its applicators and their zone (from plan.json's <c>"modality"</c>).</summary>
    internal sealed record ModalityWords(string Title, string Section, string Applicators, string Model, string Coverage, string ZoneEdge, string None)
    {
        /// <summary>The words for <paramref name="modality"/> ("cryo", "rfa", "mwa"; anything else, or none, reads as cryo: plans before issue 18).</summary>
        public static ModalityWords For(string? modality) => modality switch
        {
            "rfa" => new("Radiofrequency ablation plan", "RF electrode plan", "electrodes", "electrode model",
                "ablation-zone (50 °C) coverage of tumour + margin", "50 °C zone edge", "No RF electrode plan (planned with --probes 0: trajectories only)."),
            "mwa" => new("Microwave ablation plan", "MW antenna plan", "antennas", "antenna model",
                "ablation-zone (50 °C) coverage of tumour + margin", "50 °C zone edge", "No MW antenna plan (planned with --probes 0: trajectories only)."),
            _ => new("Cryoablation plan", "Cryoprobe plan", "probes", "probe model",
                "lethal coverage of tumour + margin", "0 °C edge", "No cryoprobe plan (planned with --probes 0: trajectories only)."),
        };
    }

    /// <summary>Writes the report to <paramref name="path"/> (all or nothing).</summary>
    /// <param name="planJson">The plan JSON (<see cref="PlanOutcome.Json"/>).</param>
    /// <param name="path">The PDF to write.</param>
    /// <param name="snapshots">Snapshot PNGs to embed (<see cref="PlanOutcome.Snapshots"/>); unreadable ones are skipped.</param>
    /// <param name="identity">The planning image's identifiers, or null (printed as not recorded).</param>
    /// <param name="constraints">The needle constraints planned under, or null to leave them out.</param>
    /// <param name="notes">What the workflow did on the way (<see cref="PlanOutcome.Notes"/>), or null.</param>
    /// <returns>The number of pages written.</returns>
    public static int Write(string planJson, string path, IReadOnlyList<string> snapshots, StudyIdentity? identity,
        PlanningConstraints? constraints = null, IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(planJson);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(snapshots);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var ms = new MemoryStream();
        int pages = Render(planJson, ms, snapshots, identity, constraints, notes);
        RenderedFile.Write(path, ms.GetBuffer().AsSpan(0, (int)ms.Length));
        return pages;
    }

    /// <summary>Renders the report into <c>output</c> (see <see cref="Write"/>) and returns its page count.</summary>
    internal static int Render(string planJson, Stream output, IReadOnlyList<string> snapshots, StudyIdentity? identity,
        PlanningConstraints? constraints = null, IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(planJson);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(snapshots);
        using var doc = JsonDocument.Parse(planJson);
        var root = doc.RootElement;
        var words = ModalityWords.For(root.Get("modality") is { ValueKind: JsonValueKind.String } m ? m.GetString() : null);
        using var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata
        {
            Title = words.Title, Creator = "ImageGuide", Producer = "ImageGuide.Rendering (SkiaSharp)", RasterDpi = 150,
            // > 100: images embedded losslessly (Flate). The struct's default, 0, makes Skia write JPEG of quality 0,
            // which smears snapshots and charts
            EncodingQuality = PdfPageWriter.LosslessImages,
        });
        var typeface = EmbeddedFonts.Regular;
        var bold = EmbeddedFonts.Bold;
        var w = new PdfPageWriter(document, typeface, bold, "ImageGuide planning report");

        w.Text(words.Title, 22, bold: true);
        w.Text("Planning report — every number as in the plan JSON (LPS mm). A planning aid, not a substitute for clinical judgement.", 9, PdfPageWriter.Muted);
        w.Gap(6);
        ReportIdentity(w, identity);

        var trajectories = root.Get("trajectories") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().ToList() : [];
        w.Text($"Chosen trajectory (best of {trajectories.Count.ToString(CultureInfo.InvariantCulture)} ranked)", 12, bold: true);
        if (trajectories.Count == 0) w.Text("No trajectory to the target was found.", 10);
        else
        {
            var best = trajectories[0];
            w.Table(
            [
                ["", "value"],
                ["entry (LPS mm)", best.Get("entry").Point()],
                ["target (LPS mm)", best.Get("target").Point()],
                ["length", best.Get("lengthMm").Num(" mm")],
                ["in-plane angle", best.Get("inPlaneAngleDeg").Num("°")],
                ["craniocaudal angle", best.Get("craniocaudalAngleDeg").Num("°")],
                ["length through bone", best.Get("boneLengthMm").Num(" mm")],
                ["risk score", best.Get("riskScore").Num()],
                ["feasible", best.Get("feasible") is { ValueKind: JsonValueKind.True } ? "yes" : "no: " + string.Join("; ", best.AllStrings("reasons"))],
            ]);
            w.Text("Clearance of the chosen path per structure (required includes the fusion uncertainty)", 12, bold: true);
            var rows = new List<string[]> { new[] { "structure", "required", "achieved", "" } };
            var achieved = best.Get("clearancesMm");
            if (best.Get("requiredClearancesMm") is { ValueKind: JsonValueKind.Object } required)
                foreach (var r in required.EnumerateObject())
                {
                    var a = achieved?.Get(r.Name);
                    string verdict = a is { ValueKind: JsonValueKind.Number } av ? av.GetDouble() >= r.Value.GetDouble() ? "ok" : "TOO CLOSE" : "not reached";
                    rows.Add([r.Name, ((JsonElement?)r.Value).Num(" mm"), a.Num(" mm"), verdict]);
                }
            if (rows.Count == 1) rows.Add(["(no critical structures in the label table)", "", "", ""]);
            w.Table(rows);
        }

        w.Text(words.Section, 12, bold: true);
        if (root.Get("probeCount") is null) w.Text(words.None, 10);
        else
        {
            bool feasible = root.Get("feasible") is { ValueKind: JsonValueKind.True };
            var model = root.Get("probeModel");
            w.Table(
            [
                ["", "value"],
                [words.Applicators, root.Get("probeCount").Num() + " (" + root.Get("probeLayout").Str() + ")"],
                [words.Model, model?.Get("name").Str() + (model?.Get("approximate") is { ValueKind: JsonValueKind.True } ? " (approximate isotherms)" : "")],
                [words.Coverage, root.Get("coverage").Percent() + " (" + root.Get("coverage").Num() + ")"],
                ["smallest margin", root.Get("minMarginMm").Num(" mm")],
                [words.ZoneEdge + " to skin", root.Get("iceToSkinMm").Num(" mm")],
                ["feasible", feasible ? "yes" : "no"],
            ]);
            if (!feasible && root.Get("infeasibleReason") is { } why && !root.AllStrings("warnings").Contains(why.GetString() ?? "")) w.Text("Why not: " + ((JsonElement?)why).Str(), 9.5f);
            if (root.Get("probes") is { ValueKind: JsonValueKind.Array } probes && probes.GetArrayLength() > 0)
            {
                var rows = new List<string[]> { new[] { words.Applicators.TrimEnd('s'), "tip (LPS mm)", "entry (LPS mm)", "length" } };
                int n = 1;
                foreach (var p in probes.EnumerateArray())
                    rows.Add([(n++).ToString(CultureInfo.InvariantCulture), p.Get("tip").Point(), p.Get("entry").Point(), p.Get("lengthMm").Num(" mm")]);
                w.Table(rows);
            }
            if (root.Get("iceToCriticalMm") is { ValueKind: JsonValueKind.Object } ice && ice.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.Number))
                w.Text(words.ZoneEdge + " to critical structures: " + string.Join(", ", ice.EnumerateObject().Select(p => p.Name + " " + ((JsonElement?)p.Value).Num(" mm"))), 9);
        }

        CementAccess(w, root);

        var warnings = root.AllStrings("warnings");
        w.Text("Warnings", 12, bold: true);
        if (warnings.Count == 0) w.Text("none", 10);
        foreach (var warning in warnings) w.Text("• " + warning, 9.5f, new SKColor(170, 40, 30));
        foreach (var note in notes ?? []) w.Text("note: " + note, 9, PdfPageWriter.Muted);

        w.Text("Constraints planned under", 12, bold: true);
        List<string[]> constraintRows =
        [
            ["", "value"],
            ["fusion uncertainty", root.Get("fusionUncertaintyMm").Num(" mm") + " (added to every clearance)"],
            ["its source", root.Get("fusionUncertaintySource").Str("given on the command line")],
            ["tumour margin", root.Get("tumourMarginMm").Num(" mm")],
        ];
        if (words.ZoneEdge.StartsWith("0 ", StringComparison.Ordinal)) constraintRows.Add(["lethal isotherm", root.Get("lethalIsothermC").Num(" °C")]);
        else if (root.Get("applicators") is { ValueKind: JsonValueKind.Array } applicators && applicators.GetArrayLength() > 0)
            constraintRows.Add(["zone edge (tumour cell death)", (applicators[0].Get("zone")?.Get("edgeTemperatureC")).Num(" °C")]);
        if (constraints is not null)
        {
            constraintRows.Add(["needle", string.Create(CultureInfo.InvariantCulture, $"{constraints.NeedleLengthMm:0.#} mm long, {constraints.NeedleDiameterMm:0.##} mm diameter")]);
            constraintRows.Add(["needle angle, bone", string.Create(CultureInfo.InvariantCulture, $"≤ {constraints.MaxAngleFromAxialDeg:0.#}° from axial, ≤ {constraints.MaxAngleFromPosteriorDeg:0.#}° from posterior; bone: {constraints.BoneTraversal}")]);
        }
        w.Table(constraintRows);
        if (root.Get("probeModel")?.Get("source") is { } source) w.Text(char.ToUpperInvariant(words.Model[0]) + words.Model[1..] + " source: " + ((JsonElement?)source).Str(), 7.5f, PdfPageWriter.Muted);

        Snapshots(w, snapshots);
        int pageCount = w.Close();
        document.Close();
        return pageCount;
    }

    /// <summary>The cement-access cannulas of plan.json's <c>cementAccess</c> (drawn dashed pink in the snapshots), when planned.</summary>
    private static void CementAccess(PdfPageWriter w, JsonElement root)
    {
        if (root.Get("cementAccess") is not { ValueKind: JsonValueKind.Array } access || access.GetArrayLength() == 0) return;
        w.Text("Cement access (transpedicular cannulas; dashed pink in the snapshots)", 12, bold: true);
        var rows = new List<string[]> { new[] { "approach", "side", "entry (LPS mm)", "target (LPS mm)", "length", "feasible" } };
        var reasons = new List<string>();
        foreach (var a in access.EnumerateArray())
        {
            string approach = a.Get("approach").Str();
            if (a.Get("trajectories") is { ValueKind: JsonValueKind.Array } paths)
                foreach (var t in paths.EnumerateArray())
                {
                    bool ok = t.Get("feasible") is { ValueKind: JsonValueKind.True };
                    rows.Add([approach, t.Get("side").Str(), t.Get("entry").Point(), t.Get("target").Point(), t.Get("lengthMm").Num(" mm"), ok ? "yes" : "no"]);
                    var why = t.AllStrings("reasons");
                    if (t.Get("why") is { ValueKind: JsonValueKind.String } w2) why.Add(w2.GetString()!);
                    if (!ok && why.Count > 0) reasons.Add($"{approach} {t.Get("side").Str()}: {string.Join("; ", why)}");
                }
            if (a.Get("feasible") is not { ValueKind: JsonValueKind.True } && a.Get("reason") is { ValueKind: JsonValueKind.String } reason)
                reasons.Add($"{approach}: {reason.GetString()}");
        }
        w.Table(rows);
        foreach (var r in reasons.Distinct()) w.Text("Why not: " + r, 9);
    }

    /// <summary>Patient and study identifiers, or "not recorded".</summary>
    internal static void ReportIdentity(PdfPageWriter w, StudyIdentity? id)
    {
        static string R(string? s) => s ?? "not recorded";
        w.Text($"Patient: {R(id?.PatientName)}   ID: {R(id?.PatientId)}", 10);
        w.Text($"Study: {R(id?.StudyDescription)}   UID: {R(id?.StudyInstanceUid)}", 8.5f, PdfPageWriter.Muted);
        w.Gap(6);
    }

    /// <summary>The snapshot PNGs, three to a row, captioned with their file names.</summary>
    internal static void Snapshots(PdfPageWriter w, IReadOnlyList<string> files)
    {
        var images = new List<(SKImage Image, string Caption)>();
        try
        {
            foreach (var file in files)
                if (File.Exists(file) && SKImage.FromEncodedData(File.ReadAllBytes(file)) is { } image)
                    images.Add((image, Path.GetFileName(file)));
            w.Need(images.Count == 0 ? 40 : 200); // the heading stays with the first row
            w.Text("Snapshots", 12, bold: true);
            if (images.Count == 0) w.Text("none written", 10);
            // two per row (about 245 pt wide each): the annotations' text stays readable in print
            for (int n = 0; n < images.Count; n += 2) w.ImageRow(images.Skip(n).Take(2).ToList(), maxHeight: 300);
        }
        finally
        {
            foreach (var (image, _) in images) image.Dispose();
        }
    }
}
