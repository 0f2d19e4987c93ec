using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ImageGuide.IO;
using ImageGuide.Model;
using ImageGuide.Registration;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide tre --transform T.tfm --fixed-landmarks F --moving-landmarks M [--json]</c>: target registration error.</summary>
internal static class TreCommand
{
    public static Command Create()
    {
        var transform = new Option<string>("--transform") { Description = "Fixed → moving transform (.tfm or .json), or a displacement field (.nii.gz/.mha, e.g. a per-vertebra field.nii.gz)", Required = true };
        var fixedL = new Option<string>("--fixed-landmarks") { Description = "Landmarks in the fixed image (CSV in LPS mm, Slicer .fcsv or .mrk.json)", Required = true };
        var movingL = new Option<string>("--moving-landmarks") { Description = "Corresponding landmarks in the moving image (paired by name, else by order)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print {count, median, mean, p95, max, perPoint[]} as JSON" };
        var cmd = new Command("tre", "Target registration error of a transform at corresponding landmarks (median, mean, p95, max)") { transform, fixedL, movingL, json };
        cmd.SetAction(parse =>
        {
            var t = TransformIO.ReadAny(parse.GetValue(transform)!);
            var pairs = LandmarkPairs.Match(LandmarkFile.Read(parse.GetValue(fixedL)!), LandmarkFile.Read(parse.GetValue(movingL)!));
            var stats = RegistrationEvaluation.Tre(t, pairs.Fixed, pairs.Moving);
            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
                w.WriteStartObject();
                w.WriteNumber("count", stats.Count);
                w.WriteNumberOrNull("median", stats.Median);
                w.WriteNumberOrNull("mean", stats.Mean);
                w.WriteNumberOrNull("p95", stats.P95);
                w.WriteNumberOrNull("max", stats.Max);
                w.WriteStartArray("perPoint");
                for (int i = 0; i < pairs.Names.Count; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("name", pairs.Names[i]);
                    w.WriteNumberOrNull("errorMm", ImageGuide.Imaging.Vec3.Distance(t.TransformPoint(pairs.Fixed[i]), pairs.Moving[i]));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("unpaired");
                foreach (var u in pairs.Unpaired) w.WriteStringValue(u);
                w.WriteEndArray();
                w.WriteEndObject();
                w.Flush();
                stdout.Write("\n"u8);
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"TRE over {stats.Count} landmarks: median {stats.Median:0.000} mm, mean {stats.Mean:0.000} mm, p95 {stats.P95:0.000} mm, max {stats.Max:0.000} mm"));
                if (pairs.Unpaired.Count > 0) Console.Error.WriteLine($"warning: {pairs.Unpaired.Count} landmark(s) without a partner: {string.Join(", ", pairs.Unpaired)}");
            }
            return ExitCodes.Success;
        });
        return cmd;
    }
}
