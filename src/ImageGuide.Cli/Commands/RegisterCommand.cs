using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ImageGuide.Imaging;
using ImageGuide.IO;
using ImageGuide.Registration;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide register --fixed A --moving B --out T.tfm</c>: rigid Mattes-MI registration (fixed → moving).</summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var fixedOpt = new Option<string>("--fixed") { Description = "Fixed image (e.g. intra-procedural CBCT/CT); DICOM folder or volume file", Required = true };
        var moving = new Option<string>("--moving") { Description = "Moving image (e.g. diagnostic MR)", Required = true };
        var output = new Option<string>("--out") { Description = "Transform file: .tfm (ITK VersorRigid3D) or .json (4×4)", Required = true };
        var resampled = new Option<string?>("--resampled") { Description = "Also write the moving image resampled onto the fixed grid (.mha/.nii.gz/.nrrd)" };
        var preset = new Option<string>("--preset") { Description = $"Settings preset: {string.Join(", ", RegistrationPreset.Names)}, or a preset JSON file", DefaultValueFactory = _ => "ct-mr" };
        var fixedMask = new Option<string?>("--fixed-mask") { Description = "Mask of fixed voxels to sample (non-zero = use); for CBCT see --fov-mask" };
        var fovMask = new Option<bool>("--fov-mask") { Description = "Sample the fixed image only inside its reconstructed field of view (CBCT padding excluded)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (matrix, translation, versor, center, metric, iterations, seconds)" };
        var cmd = new Command("register", "Rigidly register a moving image to a fixed one (Mattes mutual information, multi-resolution)")
            { fixedOpt, moving, output, resampled, preset, fixedMask, fovMask, json };
        cmd.SetAction(async (parse, ct) =>
        {
            string presetName = parse.GetValue(preset)!;
            var settings = RegistrationPreset.TryGet(presetName, out var s) ? s
                : File.Exists(presetName) ? RegistrationPreset.FromJson(File.ReadAllText(presetName), presetName)
                : throw new UsageException($"Unknown preset '{presetName}': use {string.Join(", ", RegistrationPreset.Names)} or a preset JSON file.");
            string outPath = parse.GetValue(output)!;
            if (!outPath.EndsWith(".tfm", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"--out {outPath}: write the transform as .tfm or .json.");
            var (result, fixedImage, movingImage) = await CliRunner.WithProgressAsync("Registering", p => Task.Run(() =>
            {
                var f = VolumeReader.Read(parse.GetValue(fixedOpt)!, cancellationToken: ct).Volume;
                var m = VolumeReader.Read(parse.GetValue(moving)!, cancellationToken: ct).Volume;
                Volume<byte>? mask = parse.GetValue(fixedMask) is { } mp ? VolumeIO.Read<byte>(mp, ct)
                    : parse.GetValue(fovMask) ? FieldOfViewMask.FromFillValue(f) : null;
                int maxIter = settings.Optimizer.MaximumIterations;
                var progress = new Progress<RegistrationProgress>(r => p.Report(r.Fraction(maxIter)));
                return (new RigidRegistration(settings).Execute(f, m, mask, null, null, progress, ct), f, m);
            }, ct));
            TransformIO.Write(result.Transform, outPath);
            if (parse.GetValue(resampled) is { } rp)
                VolumeIO.Write(Resampler.Resample(movingImage, fixedImage.Geometry, result.Transform, InterpolationMode.Linear, 0f, ct), rp, ct);
            if (parse.GetValue(json)) WriteJson(result);
            else Console.Error.WriteLine($"wrote {outPath}: metric {result.FinalMetric:0.0000}, {result.TotalIterations} iterations, {result.WallTime.TotalSeconds:0.00} s");
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static void WriteJson(RegistrationResult r)
    {
        using var stdout = Console.OpenStandardOutput();
        using var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var t = r.Transform;
        var m = t.ToMatrix4x4();
        w.WriteStartObject();
        w.WriteStartArray("matrix");
        for (int row = 0; row < 4; row++) JsonOut.Array(w, null, m[row, 0], m[row, 1], m[row, 2], m[row, 3]);
        w.WriteEndArray();
        JsonOut.Vector(w, "translation", t.Translation);
        JsonOut.Array(w, "versor", t.Rotation.X, t.Rotation.Y, t.Rotation.Z, t.Rotation.W);
        JsonOut.Vector(w, "center", t.Center);
        w.WriteNumber("metric", r.FinalMetric);
        w.WriteNumber("iterations", r.TotalIterations);
        w.WriteNumber("seconds", Math.Round(r.WallTime.TotalSeconds, 3));
        w.WriteStartArray("levels");
        foreach (var l in r.Levels)
        {
            w.WriteStartObject();
            w.WriteNumber("shrink", l.ShrinkFactor);
            w.WriteNumber("iterations", l.Iterations);
            w.WriteString("stopReason", l.StopReason.ToString());
            w.WriteNumber("metric", l.FinalMetric);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stdout.Write("\n"u8);
    }
}
