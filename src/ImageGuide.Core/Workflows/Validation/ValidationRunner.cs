using Microsoft.Extensions.Logging;

namespace ImageGuide.Workflows.Validation;

/// <summary>Settings of a validation run.</summary>
public sealed record ValidationOptions
{
    /// <summary>Report folder: <c>cases/</c> (per-case results, the resume state), <c>snapshots/</c>, plots and reports.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The tools compared, ImageGuide first by default; every table and plot shows each.</summary>
    public IReadOnlyList<IRegistrationTool> Tools { get; init; } = [new ImageGuideRegistrationTool()];

    /// <summary>Cases registered at once (each registration is itself parallel).</summary>
    public int MaxParallelism { get; init; } = 1;

    /// <summary>Write a checkerboard and an alpha-fusion snapshot per case and tool.</summary>
    public bool Snapshots { get; init; } = true;

    /// <summary>Draws the report's plots; by default <see cref="ValidationCharts.Default"/> (the CLI's: ImageGuide.Rendering's ScottPlot charts); null: no plots, tables only.</summary>
    public IReportCharts? Charts { get; init; } = ValidationCharts.Default;

    /// <summary>Clock of the runtime measurements (replaceable for tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Optional log: each finished case and tool at Information, each failed one at Warning with its reason.</summary>
    public ILogger? Logger { get; init; }
}

/// <summary>Progress of a run: cases finished (computed or resumed) out of all.</summary>
/// <param name="Finished">Cases finished so far.</param>
/// <param name="Total">Cases in the manifest.</param>
/// <param name="CaseId">The case just finished.</param>
/// <param name="Resumed">True when its results were read back from an earlier run.</param>
public readonly record struct ValidationProgress(int Finished, int Total, string CaseId, bool Resumed)
{
    /// <summary>Fraction done, 0 to 1.</summary>
    public double Fraction => Total == 0 ? 1 : (double)Finished / Total;
}

/// <summary>
/// Runs every case of a manifest through every tool with bounded parallelism, measures TRE and runtime, keeps going
/// past failing cases (their reason is reported), and writes the report folder. Resumable: each finished case and
/// tool leaves <c>cases/ID.TOOL.json</c>, and a rerun reuses those whose manifest entry is unchanged, so an
/// interrupted run continues where it stopped and the report, built only from those files, comes out identical.
/// </summary>
public sealed class ValidationRunner
{
    private readonly ValidationOptions _options;

    /// <summary>Creates the runner.</summary>
    public ValidationRunner(ValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.OutputDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelism, 1);
        if (options.Tools.Count == 0) throw new ArgumentException("At least one tool is needed.", nameof(options));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in options.Tools)
            if (!names.Add(t.Name)) throw new ArgumentException($"Tool name '{t.Name}' appears twice.", nameof(options));
        _options = options;
    }

    /// <summary>Runs (or resumes) the manifest and writes the report folder.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; finished cases stay stored for a resumed run.</exception>
    public ValidationReport Run(ValidationManifest manifest, IProgress<ValidationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        string outDir = Path.GetFullPath(_options.OutputDirectory);
        string casesDir = Directory.CreateDirectory(Path.Combine(outDir, "cases")).FullName;
        using var folderLock = LockFolder(outDir);
        if (_options.Snapshots) Directory.CreateDirectory(Path.Combine(outDir, "snapshots"));
        var results = new CaseResult[manifest.Cases.Count, _options.Tools.Count];
        int finished = 0;
        var phantoms = new PhantomCache(manifest.Cases, cancellationToken);
        var po = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken };
        Parallel.ForEach(manifest.Cases, po, c =>
        {
            bool resumed = true;
            ValidationCaseData? data = null;
            string? loadFailure = null;
            for (int t = 0; t < _options.Tools.Count; t++)
            {
                var tool = _options.Tools[t];
                string file = Path.Combine(casesDir, $"{c.Id}.{tool.Name}.json");
                var stored = CaseResult.TryRead(file);
                if (stored is not null && stored.Definition == c.Definition && stored.Tool == tool.Name && stored.CaseIndex == c.Index)
                {
                    results[c.Index, t] = stored;
                    continue;
                }
                resumed = false;
                if (data is null && loadFailure is null)
                {
                    try { data = ValidationCaseData.Load(c, manifest.TrePointCount, manifest.Seed, phantoms.Get, cancellationToken); }
                    catch (Exception e) when (e is not OperationCanceledException) { loadFailure = Reason(e); }
                }
                var result = data is null
                    ? new CaseResult(c.Id, c.Index, tool.Name, c.Pair, c.Site, c.Preset, "cannot load the case: " + loadFailure, [], 0, null, c.Definition)
                    : RunTool(tool, data, outDir, cancellationToken);
                result.Write(file);
                results[c.Index, t] = result;
                Log(result);
            }
            phantoms.Release(c);
            progress?.Report(new ValidationProgress(Interlocked.Increment(ref finished), manifest.Cases.Count, c.Id, resumed));
        });
        var ordered = new List<CaseResult>(results.Length);
        for (int i = 0; i < manifest.Cases.Count; i++)
            for (int t = 0; t < _options.Tools.Count; t++) ordered.Add(results[i, t]);
        var report = new ValidationReport(Path.GetFileName(manifest.Source), _options.Tools.Select(t => t.Name).ToList(), ordered);
        ValidationReportWriter.Write(report, outDir, _options.Charts);
        return report;
    }

    /// <summary>The name of the lock file a run holds in its report folder.</summary>
    public const string LockFileName = ".validate.lock";

    /// <summary>
    /// Holds <see cref="LockFileName"/> open exclusively for the run, so a second run into the same folder is refused
    /// instead of both recomputing and overwriting each other's report (the OS lock goes with a killed process).
    /// </summary>
    private static FileStream LockFolder(string outDir)
    {
        string path = Path.Combine(outDir, LockFileName);
        try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
        catch (IOException e)
        {
            throw new ValidationException($"{outDir}: the report folder is in use by another validate run (it holds {LockFileName}); wait for it, or give another --out.", e);
        }
    }

    private CaseResult RunTool(IRegistrationTool tool, ValidationCaseData data, string outDir, CancellationToken ct)
    {
        var c = data.Case;
        long start = _options.Time.GetTimestamp();
        ToolRegistration registration;
        try
        {
            registration = tool.RegisterCase(data, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new CaseResult(c.Id, c.Index, tool.Name, c.Pair, c.Site, c.Preset, Reason(e), [], _options.Time.GetElapsedTime(start).TotalSeconds, null, c.Definition);
        }
        double seconds = _options.Time.GetElapsedTime(start).TotalSeconds;
        var transform = registration.Transform;
        if (_options.Snapshots) CaseSnapshots.Write(data, transform, Path.Combine(outDir, "snapshots"), tool.Name);
        return new CaseResult(c.Id, c.Index, tool.Name, c.Pair, c.Site, registration.Preset ?? c.Preset, null, data.Errors(transform), seconds, transform,
            c.Definition, registration.Verdict, registration.PerVertebra is { } levels ? LevelTre.Measure(data, levels) : null);
    }

    private void Log(CaseResult r)
    {
        if (_options.Logger is not { } log) return;
        if (r.Tre is { } t)
            log.LogInformation("Validation case {CaseId} ({Tool}): TRE median {Median:F2}, p95 {P95:F2}, max {Max:F2} mm in {Seconds:F1} s, verdict {Verdict}",
                r.CaseId, r.Tool, t.Median, t.P95, t.Max, r.Seconds, r.Verdict?.ToString() ?? "none");
        else
            log.LogWarning("Validation case {CaseId} ({Tool}) failed: {Reason}", r.CaseId, r.Tool, r.Failure);
    }

    private static string Reason(Exception e) => e is ImageGuideException ? e.Message : $"{e.GetType().Name}: {e.Message}";
}
