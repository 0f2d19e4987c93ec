using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Dicom.Series;
using ImageGuide.IO;
using ImageGuide.Imaging;
using Spectre.Console;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide info PATH [--json]</c>: geometry and statistics of every series or volume found.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "DICOM file or folder (recursive, grouped by series), or .nii/.nii.gz/.mha/.mhd/.nrrd/.nhdr" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {\"series\":[...]} instead of a table" };
        var cmd = new Command("info", "Show geometry (LPS mm), size and value statistics of images") { path, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var entries = await CliRunner.WithProgressAsync("Reading", p => Task.Run(() => Collect(parse.GetValue(path)!, p, ct), ct));
            if (parse.GetValue(json)) WriteJson(entries);
            else WriteTable(entries);
            return ExitCodes.Success;
        });
        return cmd;
    }

    internal sealed record Entry(string? SeriesUid, string? Modality, string? Description, int Files, VolumeGeometry Geometry,
        Summary Stats, IReadOnlyList<string> Warnings, double? TiltDegrees);

    /// <summary>What info shows of the values: from the float volume, or for whole numbers from the range and sum measured while decoding (no pass).</summary>
    internal readonly record struct Summary(double Min, double Max, double Mean)
    {
        public static Summary Of(Volume<float> volume)
        {
            var s = VolumeStatistics.Compute(volume);
            return new Summary(s.Min, s.Max, s.Mean);
        }

        public static Summary Of(WholeNumberVolume volume) => new(volume.Min, volume.Max, volume.Mean);
    }

    private static List<Entry> Collect(string path, IProgress<double> progress, CancellationToken ct)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new ImageGuideException($"{path} does not exist.");
        var entries = new List<Entry>();
        if (IsVolumeFile(path))
        {
            var img = VolumeReader.Read(path, cancellationToken: ct);
            var m = img.Volume.Metadata;
            entries.Add(new Entry(m.SeriesInstanceUid, m.Modality, m.SeriesDescription ?? Path.GetFileName(path), 1, img.Volume.Geometry,
                Summary.Of(img.Volume), img.Warnings, null));
            return entries;
        }
        var scan = DicomSeriesScanner.ScanDetailed(path, cancellationToken: ct);
        if (Directory.Exists(path))
            foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true }).Order(StringComparer.Ordinal))
                if (IsVolumeFile(file))
                    entries.AddRange(Collect(file, progress, ct));
        if (scan.Series.Count == 0 && entries.Count == 0) VolumeReader.SelectSeries(path, scan.Series, null, scan.Skipped); // throws the explanatory error
        for (int n = 0; n < scan.Series.Count; n++)
        {
            var s = scan.Series[n];
            // whole numbers stay in their stored integers; their min, max and sum were taken while decoding
            var result = s.AssembleExact(null, null, ct);
            var stats = result.WholeNumbers is { } whole ? Summary.Of(whole) : Summary.Of(result.Float!);
            entries.Add(new Entry(s.SeriesInstanceUid, s.Modality, s.SeriesDescription, s.FileCount, result.Geometry,
                stats, result.Report.Warnings, result.Report.GantryTiltDegrees));
            progress.Report((n + 1.0) / scan.Series.Count);
        }
        return entries;
    }

    /// <summary>A NIfTI/MetaImage/NRRD file (DICOM is what the other formats leave, and is listed series by series).</summary>
    private static bool IsVolumeFile(string path) => File.Exists(path) && VolumeFormatRegistry.Default.ReaderFor(path) is not (null or DicomVolumeFormat);

    private static void WriteJson(List<Entry> entries)
    {
        using var stdout = Console.OpenStandardOutput();
        using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteStartArray("series");
        foreach (var e in entries)
        {
            var g = e.Geometry;
            w.WriteStartObject();
            w.WriteString("seriesInstanceUid", e.SeriesUid);
            w.WriteString("modality", e.Modality);
            w.WriteString("seriesDescription", e.Description);
            w.WriteNumber("files", e.Files);
            w.WriteNumberArray("size", [g.Nx, g.Ny, g.Nz]);
            w.WriteVec3("spacing", g.Spacing);
            w.WriteVec3("origin", g.Origin);
            w.WriteStartArray("axes");
            for (int a = 0; a < 3; a++) w.WriteVec3(null, g.Direction.Column(a));
            w.WriteEndArray();
            w.WriteNumberOrNull("min", e.Stats.Min);
            w.WriteNumberOrNull("max", e.Stats.Max);
            w.WriteNumberOrNull("mean", e.Stats.Mean);
            if (e.TiltDegrees is { } tilt) w.WriteNumber("gantryTiltDeg", Math.Round(tilt, 4));
            w.WriteStartArray("warnings");
            foreach (var s in e.Warnings) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stdout.Write("\n"u8);
    }

    private static void WriteTable(List<Entry> entries)
    {
        foreach (var e in entries)
        {
            var g = e.Geometry;
            var t = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
            t.Title = new TableTitle(Markup.Escape($"{e.Modality ?? "?"} {e.Description ?? ""}".Trim()));
            t.AddRow("series UID", Markup.Escape(e.SeriesUid ?? "-"));
            t.AddRow("files", e.Files.ToString());
            t.AddRow("size", $"{g.Nx} × {g.Ny} × {g.Nz}");
            t.AddRow("spacing (mm)", Fmt(g.Spacing));
            t.AddRow("origin (LPS mm)", Fmt(g.Origin));
            t.AddRow("axes i / j / k", $"{Fmt(g.Direction.Column(0))} / {Fmt(g.Direction.Column(1))} / {Fmt(g.Direction.Column(2))}");
            t.AddRow("min / max / mean", FormattableString.Invariant($"{e.Stats.Min:0.###} / {e.Stats.Max:0.###} / {e.Stats.Mean:0.###}"));
            if (e.TiltDegrees is > 0.01) t.AddRow("gantry tilt", FormattableString.Invariant($"{e.TiltDegrees:0.##}°"));
            foreach (var wmsg in e.Warnings) t.AddRow("[yellow]warning[/]", Markup.Escape(wmsg));
            CliRunner.Out.Write(t);
        }
    }

    private static string Fmt(Vec3 v) => FormattableString.Invariant($"{v.X:0.####}, {v.Y:0.####}, {v.Z:0.####}");
}
