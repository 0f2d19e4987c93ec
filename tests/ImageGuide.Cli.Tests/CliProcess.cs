using System.Diagnostics;

namespace ImageGuide.Cli.Tests;

/// <summary>Runs the built `imageguide` CLI in a child process and captures its exit code and output.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>How to start the built CLI with <paramref name="args"/> (output redirected), for tests that need the process itself.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "imageguide.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public static Result Run(params string[] args)
    {
        using var p = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"imageguide {string.Join(' ', args)} did not finish within 5 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
