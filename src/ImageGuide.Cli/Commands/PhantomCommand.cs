using System.CommandLine;
using ImageGuide.Phantoms;

namespace ImageGuide.Cli.Commands;

/// <summary><c>imageguide phantom --out DIR [--seed N] [--size small|full] [--probes K] [--tumour against-canal|treatable]</c>: a synthetic spine case with ground truth.</summary>
internal static class PhantomCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "New or empty folder for the case", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Anatomy, poses, tumour and noise seed (same seed → identical files)", DefaultValueFactory = _ => 1 };
        var size = new Option<string>("--size") { Description = "small (≈2 mm voxels, seconds) or full (CT 512×512×160, 0.7×0.7×1.25 mm)", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "full");
        var probes = new Option<int>("--probes") { Description = "Cryoprobes in the intra-procedural CT (1–4)", DefaultValueFactory = _ => 2 };
        var tumour = new Option<string>("--tumour")
        {
            Description = "against-canal (2.5 mm from the canal: needs thermal protection) or treatable (a small lesion far from the canal, roots and vessels)",
            DefaultValueFactory = _ => "against-canal",
        };
        tumour.AcceptOnlyFromAmong("against-canal", "treatable");
        var posture = new Option<bool>("--posture") { Description = "Also write posture/: the diagnostic CT bent 3–5° per joint (as prone differs from supine) with its vertebra labels, landmarks and per-level truth to the MR" };
        var cmd = new Command("phantom", "Generate a synthetic spine case: CT, CBCT, MR T1/T2, pre-freeze and intra-op CT with probes and ice, plus ground truth")
            { output, seed, size, probes, tumour, posture };
        cmd.SetAction(async (parse, ct) =>
        {
            var options = Options(parse.GetValue(seed), parse.GetValue(size)!, parse.GetValue(probes)) with
            {
                Tumour = parse.GetValue(tumour) == "treatable" ? TumourScenario.Treatable : TumourScenario.AgainstCanal,
            };
            string folder = parse.GetValue(output)!;
            bool posed = parse.GetValue(posture);
            string manifest = await CliRunner.WithProgressAsync("Generating phantom", p => Task.Run(() => Generate(options, folder, p, ct, posed), ct));
            Console.Error.WriteLine($"wrote {manifest}");
            return ExitCodes.Success;
        });
        return cmd;
    }

    internal static PhantomOptions Options(ulong seed, string size, int probes)
    {
        var options = new PhantomOptions { Seed = seed, Size = size == "full" ? PhantomSize.Full : PhantomSize.Small, ProbeCount = probes };
        try { options.Validate(); }
        catch (ImageGuideException e) { throw new UsageException(e.Message); }
        return options;
    }

    /// <summary>Generates (first 60 % of progress) and writes (the rest) a case; returns the manifest path.</summary>
    internal static string Generate(PhantomOptions options, string folder, IProgress<double> progress, CancellationToken ct, bool posture = false)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new UsageException($"{folder} is not empty; give a new or empty folder so nothing is overwritten.");
        var phantom = PhantomGenerator.Generate(options, new Progress<PhantomProgress>(p => progress.Report(0.6 * p.Completed / Math.Max(1, p.Total))), ct);
        string manifest = PhantomCaseWriter.Write(phantom, folder, new Progress<PhantomProgress>(p => progress.Report(0.6 + 0.4 * p.Completed / Math.Max(1, p.Total))), ct);
        if (posture)
        {
            double joint = 0;
            ImageGuide.Files.AtomicFolder.Write(Path.Combine(folder, "posture"), false, temp => joint = PhantomPostureCase.Write(phantom, temp, cancellationToken: ct));
            Console.Error.WriteLine(FormattableString.Invariant($"wrote {Path.Combine(folder, "posture")}: the CT bent by up to {joint:0.0}° per joint, vertebra labels, landmarks, per-level truth"));
        }
        return manifest;
    }
}
