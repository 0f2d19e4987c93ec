using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ImageGuide.Cli.Tests;

/// <summary>
/// The Slurm route for real: a single-node Slurm cluster on loopback (deploy/slurm/local-cluster.sh: munged with a
/// generated key, slurmctld and slurmd with proctrack/linuxproc, no cgroups) runs the bundled 8-case manifest as a
/// 4-shard job array with the dependent merge job (deploy/slurm/submit-validate.sh); the merged report must equal the
/// single-machine report in everything but the runtimes. Needs the apt packages slurm-wlm and munge (.ci/run installs
/// them) and root or one user for all daemons: skipped with a message where they are missing, failed under CI=true.
/// </summary>
[NonParallelizable]
public class SlurmValidateTests
{
    /// <summary>How long the array and the merge may take together on a loaded 2-core machine.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    private static string Script(string name) => Path.Combine(TestPaths.RepoRoot, "deploy", "slurm", name);

    [Test]
    public void JobArrayOfFourShards_ThenMerge_EqualsTheSingleMachineReportButRuntimes()
    {
        var missing = new[] { "munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo" }.Where(t => Which(t) is null).ToList();
        if (missing.Count > 0)
        {
            string why = $"Slurm is not installed ({string.Join(", ", missing)} missing): apt-get install slurm-wlm munge.";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(why + " CI installs them (.ci/run).");
            Assert.Ignore(why);
        }
        string dir = TestPaths.NewTempDir();
        string cluster = Path.Combine(dir, "cluster"), run = Path.Combine(dir, "run"), single = Path.Combine(dir, "single");
        string manifest = Path.Combine(TestPaths.RepoRoot, "testdata", "validation.json");
        // a port of our own, so a second checkout's test run on the same machine does not meet this cluster
        var env = new Dictionary<string, string> { ["SLURM_TEST_PORT"] = (20000 + Random.Shared.Next(0, 10000) * 2).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var jobs = new List<string>();
        try
        {
            var start = Shell(Script("local-cluster.sh"), ["start", cluster], env, TimeSpan.FromMinutes(2));
            Assert.That(start.Code, Is.EqualTo(0), "the local cluster did not start: " + start.Output);
            env["SLURM_CONF"] = Path.Combine(cluster, "slurm.conf");

            var submit = Shell(Script("submit-validate.sh"), [Path.Combine(AppContext.BaseDirectory, "imageguide.dll"), manifest, run, "4"], env, TimeSpan.FromMinutes(1));
            Assert.That(submit.Code, Is.EqualTo(0), submit.Output);
            jobs.AddRange(submit.Output.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.That(jobs, Has.Count.EqualTo(2), "the array job id and the merge job id: " + submit.Output);

            // the single-machine reference run, while the cluster works
            var reference = CliProcess.Run("validate", manifest, "--out", single, "--parallel", "2");
            Assert.That(reference.ExitCode, Is.EqualTo(0), reference.Stderr);

            var watch = Stopwatch.StartNew();
            while (Shell("squeue", ["-h", "-j", string.Join(',', jobs)], env, TimeSpan.FromSeconds(30)).Output.Trim().Length > 0)
            {
                if (watch.Elapsed > Limit) Assert.Fail($"the Slurm jobs did not finish within {Limit.TotalMinutes} minutes; logs: {Logs(run)}");
                Thread.Sleep(1000);
            }
            string report = Path.Combine(run, "report");
            Assert.That(File.Exists(Path.Combine(report, "report.pdf")), "the merge job ran after the array and wrote the report; logs: " + Logs(run));

            // every case in exactly one of the four shards, each shard run by its own array task
            var ids = new List<string>();
            for (int k = 1; k <= 4; k++)
            {
                var marker = JsonNode.Parse(File.ReadAllText(Path.Combine(run, $"shard-{k}", "shard.json")))!;
                Assert.That(marker["shard"]!.GetValue<string>(), Is.EqualTo($"{k}/4"));
                Assert.That(marker["complete"]!.GetValue<bool>());
                ids.AddRange(marker["cases"]!.AsArray().Select(n => n!.GetValue<string>()));
                Assert.That(File.ReadAllText(Path.Combine(run, "logs", $"shard-{k}.out")), Does.Contain($"shard {k}/4"));
            }
            var manifestIds = JsonNode.Parse(File.ReadAllText(manifest))!["cases"]!.AsArray().Select(c => c!["id"]!.GetValue<string>());
            Assert.That(ids.Order(), Is.EqualTo(manifestIds.Order()));

            ReportComparison.AssertEqualButRuntimes(single, report);
        }
        finally
        {
            if (jobs.Count > 0 && env.ContainsKey("SLURM_CONF")) Shell("scancel", [.. jobs], env, TimeSpan.FromSeconds(30));
            Shell(Script("local-cluster.sh"), ["stop", cluster], env, TimeSpan.FromMinutes(1));
            Directory.Delete(dir, true);
        }
    }

    private static string Logs(string run)
    {
        string logs = Path.Combine(run, "logs");
        if (!Directory.Exists(logs)) return "(no logs)";
        return string.Join("\n", Directory.GetFiles(logs).Order().Select(f => $"== {Path.GetFileName(f)}\n{Tail(File.ReadAllText(f))}"));
    }

    private static string Tail(string text) => text.Length > 2000 ? text[^2000..] : text;

    private static string? Which(string tool)
    {
        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
            if (File.Exists(Path.Combine(d, tool))) return Path.Combine(d, tool);
        return null;
    }

    private static (int Code, string Output) Shell(string file, string[] args, Dictionary<string, string> env, TimeSpan limit)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        // the daemons live in /usr/sbin, which a test runner's PATH may lack
        psi.Environment["PATH"] = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"{file} {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
