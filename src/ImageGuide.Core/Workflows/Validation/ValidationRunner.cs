using System.Collections.Concurrent;
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
    /// <exception cref="ValidationException">The folder holds another shard's cases, or is in use by another run.</exception>
    public ValidationReport Run(ValidationManifest manifest, IProgress<ValidationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return RunCases(Path.GetFileName(manifest.Source), ManifestDigest(manifest), manifest.Cases.Count, manifest.TrePointCount, manifest.Seed,
            () => manifest.Cases, manifest.Cases.Count, ValidationShard.All, true, progress, cancellationToken).Report!;
    }

    /// <summary>
    /// Runs (or resumes) a streamed manifest and writes the report folder: the cases are read one at a time and only
    /// those in flight are held, until the report, which reads the case files back.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; finished cases stay stored for a resumed run.</exception>
    /// <exception cref="ValidationException">The folder holds another shard's cases, or is in use by another run.</exception>
    public ValidationReport Run(ValidationManifestFile manifest, IProgress<ValidationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return RunCases(Path.GetFileName(manifest.Source), manifest.Sha256, manifest.CaseCount, manifest.TrePointCount, manifest.Seed,
            () => manifest.Cases(ValidationShard.All), manifest.CaseCount, ValidationShard.All, true, progress, cancellationToken).Report!;
    }

    /// <summary>
    /// Runs (or resumes) one shard of a streamed manifest: the cases whose id falls in <paramref name="shard"/>
    /// (<see cref="ValidationShard.Of"/>) are registered into <c>cases/</c> (and <c>snapshots/</c> when
    /// <see cref="ValidationOptions.Snapshots"/>), and <see cref="ShardMarker.FileName"/> records the shard; no report
    /// is written — <see cref="ValidationMerge"/> builds it from all the shards' folders.
    /// </summary>
    /// <returns>The complete shard marker (its case ids are the shard's cases).</returns>
    /// <exception cref="OperationCanceledException">Cancelled; finished cases stay stored for a resumed run.</exception>
    /// <exception cref="ValidationException">The folder holds another shard's cases, or is in use by another run.</exception>
    public ShardMarker RunShard(ValidationManifestFile manifest, ValidationShard shard, IProgress<ValidationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        int inShard = 0;
        foreach (var _ in manifest.Cases(shard)) inShard++;
        return RunCases(Path.GetFileName(manifest.Source), manifest.Sha256, manifest.CaseCount, manifest.TrePointCount, manifest.Seed,
            () => manifest.Cases(shard), inShard, shard, false, progress, cancellationToken).Marker;
    }

    /// <summary>Identity of an in-memory manifest for its shard marker: SHA-256 over its settings and case entries.</summary>
    private static string ManifestDigest(ValidationManifest manifest)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(FormattableString.Invariant($"{manifest.TrePointCount}\n{manifest.Seed}\n")));
        foreach (var c in manifest.Cases) hash.AppendData(System.Text.Encoding.UTF8.GetBytes(c.Definition + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Runs the cases into the folder under its lock; with <paramref name="writeReport"/> also writes the report from the case files (as a merge of this one folder).</summary>
    private (ShardMarker Marker, ValidationReport? Report) RunCases(string manifestName, string sha, int manifestCases, int trePoints, int seed,
        Func<IEnumerable<ValidationCase>> cases, int total, ValidationShard shard, bool writeReport, IProgress<ValidationProgress>? progress, CancellationToken cancellationToken)
    {
        string outDir = Path.GetFullPath(_options.OutputDirectory);
        string casesDir = Directory.CreateDirectory(Path.Combine(outDir, "cases")).FullName;
        using var folderLock = LockFolder(outDir);
        ShardMarker? existing;
        try { existing = ShardMarker.TryRead(outDir); }
        catch (ValidationException) { existing = null; } // unreadable: this run rewrites it
        if (existing is not null && existing.Shard != shard)
            throw new ValidationException($"{outDir}: the folder holds {existing.Describe()}, not shard {shard}; give each shard its own --out (resume a shard with the same --shard and --out).");
        var tools = _options.Tools.Select(t => new ToolIdentity(t.Name, t.Version)).ToList();
        new ShardMarker(manifestName, sha, manifestCases, shard, tools, false, []).Write(outDir);
        if (_options.Snapshots) Directory.CreateDirectory(Path.Combine(outDir, "snapshots"));
        var done = new List<(int Index, string Id)>();
        var phantoms = new PhantomCache(cases(), cancellationToken);
        var po = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken };
        // no buffering: a worker takes the next case only when it is free, so only the cases in flight are held
        try
        {
            RunAll(Partitioner.Create(cases(), EnumerablePartitionerOptions.NoBuffering), po, total, trePoints, seed, casesDir, outDir, tools, phantoms, done, progress, cancellationToken);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1 && e.InnerException is ImageGuideException inner)
        {
            // the manifest stream's own errors (a file changed under the run) surface as themselves, not wrapped
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
        }
        done.Sort((a, b) => a.Index.CompareTo(b.Index));
        var marker = new ShardMarker(manifestName, sha, manifestCases, shard, tools, true, done.ConvertAll(d => d.Id));
        marker.Write(outDir);
        if (!writeReport) return (marker, null);
        var report = ValidationMerge.Load([outDir]);
        ValidationReportWriter.Write(report, outDir, _options.Charts);
        return (marker, report);
    }

    private void RunAll(OrderablePartitioner<ValidationCase> source, ParallelOptions po, int total, int trePoints, int seed, string casesDir, string outDir,
        List<ToolIdentity> tools, PhantomCache phantoms, List<(int Index, string Id)> done, IProgress<ValidationProgress>? progress, CancellationToken cancellationToken)
    {
        int finished = 0;
        Parallel.ForEach(source, po, c =>
        {
            bool resumed = true;
            ValidationCaseData? data = null;
            string? loadFailure = null;
            for (int t = 0; t < _options.Tools.Count; t++)
            {
                var tool = _options.Tools[t];
                string file = Path.Combine(casesDir, $"{c.Id}.{tool.Name}.json");
                var stored = CaseResult.TryRead(file);
                if (stored is not null && stored.Definition == c.Definition && stored.Tool == tool.Name && stored.CaseIndex == c.Index
                    && stored.ToolVersion == tools[t].Version)
                    continue;
                resumed = false;
                if (data is null && loadFailure is null)
                {
                    try { data = ValidationCaseData.Load(c, trePoints, seed, phantoms.Get, cancellationToken); }
                    catch (Exception e) when (e is not OperationCanceledException) { loadFailure = Reason(e); }
                }
                var result = data is null
                    ? new CaseResult(c.Id, c.Index, tool.Name, c.Pair, c.Site, c.Preset, "cannot load the case: " + loadFailure, [], 0, null, c.Definition, ToolVersion: tools[t].Version)
                    : RunTool(tool, tools[t].Version, data, outDir, cancellationToken);
                result.Write(file);
                Log(result);
            }
            phantoms.Release(c);
            lock (done) done.Add((c.Index, c.Id));
            progress?.Report(new ValidationProgress(Interlocked.Increment(ref finished), total, c.Id, resumed));
        });
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

    private CaseResult RunTool(IRegistrationTool tool, string version, ValidationCaseData data, string outDir, CancellationToken ct)
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
            return new CaseResult(c.Id, c.Index, tool.Name, c.Pair, c.Site, c.Preset, Reason(e), [], _options.Time.GetElapsedTime(start).TotalSeconds, null, c.Definition,
                ToolVersion: version);
        }
        double seconds = _options.Time.GetElapsedTime(start).TotalSeconds;
        var transform = registration.Transform;
        if (_options.Snapshots) CaseSnapshots.Write(data, transform, Path.Combine(outDir, "snapshots"), tool.Name);
        return new CaseResult(c.Id, c.Index, tool.Name, c.Pair, c.Site, registration.Preset ?? c.Preset, null, data.Errors(transform), seconds, transform,
            c.Definition, registration.Verdict, registration.PerVertebra is { } levels ? LevelTre.Measure(data, levels) : null, version);
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
