using System.Diagnostics;
using ImageGuide.IO;
using ImageGuide.Imaging;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// elastix (an external executable) on the same case: the images (and fixed mask) are written as .mha, elastix runs
/// with a Par0035-like rigid parameter file (Euler, 3 levels, Mattes MI 32 bins, ASGD 500 iterations, 5000 random
/// samples — src/ImageGuide.Core/Workflows/Validation/elastix-rigid.txt, embedded; the benchmark scripts run the same file) from patient coordinates, and its
/// <c>TransformParameters.0.txt</c> is read back (<see cref="ElastixTransformParameters"/>).
/// </summary>
public sealed class ElastixRegistrationTool : IRegistrationTool
{
    private const string ParameterResource = "ImageGuide.Workflows.Validation.elastix-rigid.txt";
    private readonly string _executable;
    private readonly string _workDirectory;

    /// <summary>Creates the tool.</summary>
    /// <param name="executable">Path of the elastix executable (see <see cref="Locate"/>).</param>
    /// <param name="workDirectory">Folder for each case's inputs, parameter file and elastix output.</param>
    public ElastixRegistrationTool(string executable, string workDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        _executable = executable;
        _workDirectory = workDirectory;
        _version = new Lazy<string>(() => QueryVersion(executable));
    }

    private readonly Lazy<string> _version;

    /// <inheritdoc />
    public string Name => "elastix";

    /// <summary>What <c>elastix --version</c> prints (first line), with the parameter file's adapter version; "unknown" when it prints nothing.</summary>
    public string Version => _version.Value;

    private static string QueryVersion(string executable)
    {
        string adapter = ToolVersion.Of(typeof(ElastixRegistrationTool).Assembly);
        try
        {
            var psi = new ProcessStartInfo(executable, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return "unknown; adapter " + adapter;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(30))) { p.Kill(true); return "unknown; adapter " + adapter; }
            string first = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "unknown";
            return first + "; adapter " + adapter;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return "unknown; adapter " + adapter;
        }
    }

    /// <summary>The parameter file passed to elastix.</summary>
    public static string ParameterFile
    {
        get
        {
            using var stream = typeof(ElastixRegistrationTool).Assembly.GetManifestResourceStream(ParameterResource)
                ?? throw new InvalidOperationException($"Embedded resource {ParameterResource} is missing (build error).");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    /// <summary>The elastix executable on PATH, or null when none is installed.</summary>
    public static string? Locate()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in (string[])["elastix", "elastix.exe"])
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>The tool using elastix from PATH.</summary>
    /// <exception cref="ValidationException">elastix is not installed.</exception>
    public static ElastixRegistrationTool FromPath(string workDirectory) =>
        new(Locate() ?? throw new ValidationException(
            "--compare elastix: the elastix executable was not found on PATH. Install it (Debian/Ubuntu: apt-get install elastix; " +
            "or https://elastix.dev) and run again, or leave out --compare."), workDirectory);

    /// <inheritdoc />
    public RigidTransform Register(ValidationCaseData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        string dir = Path.Combine(_workDirectory, data.Case.Id);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        string fixedPath = Path.Combine(dir, "fixed.mha"), movingPath = Path.Combine(dir, "moving.mha"), parameters = Path.Combine(dir, "parameters.txt");
        VolumeIO.Write(data.Fixed, fixedPath, cancellationToken);
        VolumeIO.Write(data.Moving, movingPath, cancellationToken);
        File.WriteAllText(parameters, ParameterFile);
        var args = new List<string> { "-f", fixedPath, "-m", movingPath, "-p", parameters, "-out", dir };
        if (data.FixedMask is { } fm)
        {
            // elastix wants the mask on the fixed grid
            var mask = fm.Geometry.ApproximatelyEquals(data.Fixed.Geometry, 1e-3) ? fm : Resampler.Resample(fm, data.Fixed.Geometry, null, InterpolationMode.Nearest);
            string maskPath = Path.Combine(dir, "fixed-mask.mha");
            VolumeIO.Write(mask, maskPath, cancellationToken);
            args.AddRange(["-fMask", maskPath]);
        }
        if (data.MovingMask is { } mm)
        {
            var mask = mm.Geometry.ApproximatelyEquals(data.Moving.Geometry, 1e-3) ? mm : Resampler.Resample(mm, data.Moving.Geometry, null, InterpolationMode.Nearest);
            string maskPath = Path.Combine(dir, "moving-mask.mha");
            VolumeIO.Write(mask, maskPath, cancellationToken);
            args.AddRange(["-mMask", maskPath]);
        }
        Run(args, dir, cancellationToken);
        string result = Path.Combine(dir, "TransformParameters.0.txt");
        if (!File.Exists(result))
            throw new ValidationException($"elastix wrote no {result}; see {Path.Combine(dir, "elastix.log")}.");
        return ElastixTransformParameters.Parse(File.ReadAllText(result), result);
    }

    private void Run(List<string> args, string dir, CancellationToken ct)
    {
        var start = new ProcessStartInfo(_executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new ValidationException($"Cannot start {_executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            process.WaitForExitAsync(ct).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        File.WriteAllText(Path.Combine(dir, "elastix-console.txt"), stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
        if (process.ExitCode != 0)
        {
            string log = Path.Combine(dir, "elastix.log");
            string tail = File.Exists(log) ? LastErrorLine(File.ReadAllLines(log)) : stderr.GetAwaiter().GetResult().Trim();
            throw new ValidationException($"elastix exited with code {process.ExitCode}: {tail} (log: {log}).");
        }
    }

    private static string LastErrorLine(string[] lines)
    {
        for (int i = lines.Length - 1; i >= 0; i--)
            if (lines[i].Contains("Description:", StringComparison.Ordinal) || lines[i].Contains("ERROR", StringComparison.Ordinal)) return lines[i].Trim();
        return lines.Length > 0 ? lines[^1].Trim() : "no log";
    }
}
