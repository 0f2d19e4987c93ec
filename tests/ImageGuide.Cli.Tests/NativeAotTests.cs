using System.Diagnostics;
using System.Text.Json;

namespace ImageGuide.Cli.Tests;

/// <summary>
/// The CLI published as a Native AOT binary (README, Packaging) gives the answers the JIT build gives. Publishing takes
/// minutes, so this runs under CI=true (and with IMAGEGUIDE_AOT_TESTS=1); elsewhere it is skipped with a message.
/// An AOT binary can differ where the JIT build cannot: reflection the trimmer removed, source-generated JSON that
/// reads differently (a preset's missing members once came out 0 there), a native library not copied beside it.
/// </summary>
[NonParallelizable]
public class NativeAotTests
{
    private string _dir = "";
    private string _aot = "";

    [OneTimeSetUp]
    public void Publish()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && Environment.GetEnvironmentVariable("IMAGEGUIDE_AOT_TESTS") != "1")
            Assert.Ignore("Native AOT publish takes minutes: runs under CI=true or IMAGEGUIDE_AOT_TESTS=1.");
        _dir = TestPaths.NewTempDir();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "publish", Path.Combine(TestPaths.RepoRoot, "src", "ImageGuide.Cli"), "-c", "Release", "-r", "linux-x64",
                     "-p:PublishAot=true", "-o", Path.Combine(_dir, "aot"), "-v", "q", "-nologo" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(15)), "dotnet publish -p:PublishAot=true did not finish within 15 minutes");
        Assert.That(p.ExitCode, Is.EqualTo(0), $"Native AOT publish failed:\n{stdout.Result}\n{stderr.Result}");
        _aot = Path.Combine(_dir, "aot", "imageguide");
        Assert.That(File.Exists(_aot), $"{_aot} was not produced");
    }

    [OneTimeTearDown]
    public void Clean()
    {
        if (_dir.Length > 0 && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private CliProcess.Result RunAot(params string[] args)
    {
        var psi = new ProcessStartInfo(_aot) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); Assert.Fail($"AOT imageguide {string.Join(' ', args)} hung"); }
        return new CliProcess.Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    [Test]
    public void AotBinary_InfoConvertRegisterAndPdf_AgreeWithTheJitBuild()
    {
        string phantom = Path.Combine(_dir, "phantom");
        var made = CliProcess.Run("phantom", "--out", phantom, "--size", "small", "--seed", "3");
        Assert.That(made.ExitCode, Is.EqualTo(0), made.Stderr);
        string ct = Path.Combine(phantom, "ct", "dicom"), mr = Path.Combine(phantom, "mr", "t1");

        // info and convert: the same JSON, the same file bytes
        var jitInfo = CliProcess.Run("info", "--json", ct);
        var aotInfo = RunAot("info", "--json", ct);
        Assert.That(aotInfo.ExitCode, Is.EqualTo(0), aotInfo.Stderr);
        Assert.That(aotInfo.Stdout, Is.EqualTo(jitInfo.Stdout));
        string jitNii = Path.Combine(_dir, "jit.nii"), aotNii = Path.Combine(_dir, "aot.nii");
        Assert.That(CliProcess.Run("convert", ct, jitNii).ExitCode, Is.EqualTo(0));
        Assert.That(RunAot("convert", ct, aotNii).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(aotNii), Is.EqualTo(File.ReadAllBytes(jitNii)));

        // register through the auto preset (embedded preset JSON, source-generated reader): the same transform to
        // well under the registration's own accuracy, the same verdict
        var jit = CliProcess.Run("register", "--fixed", ct, "--moving", mr, "--out", Path.Combine(_dir, "jit.tfm"), "--json");
        var aot = RunAot("register", "--fixed", ct, "--moving", mr, "--out", Path.Combine(_dir, "aot.tfm"), "--json");
        Assert.That(aot.ExitCode, Is.EqualTo(jit.ExitCode), aot.Stderr);
        using var j = JsonDocument.Parse(jit.Stdout);
        using var a = JsonDocument.Parse(aot.Stdout);
        Assert.That(a.RootElement.GetProperty("verdict").GetProperty("status").GetString(),
            Is.EqualTo(j.RootElement.GetProperty("verdict").GetProperty("status").GetString()));
        Assert.That(a.RootElement.GetProperty("preset").GetProperty("name").GetString(),
            Is.EqualTo(j.RootElement.GetProperty("preset").GetProperty("name").GetString()));
        var tj = j.RootElement.GetProperty("translation").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var ta = a.RootElement.GetProperty("translation").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.That(ta, Is.EqualTo(tj).Within(0.05), "AOT and JIT translations (mm)");

        // a PDF report: SkiaSharp's native library is found beside the AOT binary
        string pdf = Path.Combine(_dir, "plan.pdf");
        var plan = RunAot("plan", "--labels", Path.Combine(phantom, "ct", "labels.nii.gz"), "--label-table", Path.Combine(phantom, "labels.json"),
            "--target-label", "5", "--out", Path.Combine(_dir, "plan.json"), "--report", pdf);
        Assert.That(plan.ExitCode, Is.AnyOf(0, 4), plan.Stderr);
        Assert.That(File.ReadAllBytes(pdf).AsSpan(0, 5).ToArray(), Is.EqualTo("%PDF-"u8.ToArray()));
    }
}
