using ImageGuide.Model;
using ImageGuide.Registration;

namespace ImageGuide.Workflows.Validation;

/// <summary>Summary of one tool over a set of cases.</summary>
/// <param name="Tool">Tool name.</param>
/// <param name="Cases">Cases attempted.</param>
/// <param name="Failed">Cases without a result (failure reasons are in the case results).</param>
/// <param name="Pooled">TRE over every evaluation point of every successful case, or null when none succeeded.</param>
/// <param name="SuccessRates">Per threshold (mm): fraction of all cases whose p95 TRE is at most the threshold (failures count as misses).</param>
/// <param name="MedianSeconds">Median registration wall time of the successful cases (0 when none).</param>
/// <param name="TotalSeconds">Sum of the registration wall times.</param>
public sealed record ToolSummary(string Tool, int Cases, int Failed, TreStatistics? Pooled, IReadOnlyList<(double ThresholdMm, double Rate)> SuccessRates,
    double MedianSeconds, double TotalSeconds);

/// <summary>One row of a <see cref="VerdictConfusion"/>: the cases given one verdict, split by their true outcome.</summary>
/// <param name="Verdict">good, doubtful, failed, or none (the registration gave no result, so no verdict).</param>
/// <param name="Accurate">Cases whose p95 TRE is at most <see cref="ValidationReport.VerdictSuccessThresholdMm"/>.</param>
/// <param name="Missed">The other cases (p95 TRE above the threshold, or no result).</param>
public sealed record VerdictRow(string Verdict, int Accurate, int Missed)
{
    /// <summary>Cases in the row.</summary>
    public int Total => Accurate + Missed;
}

/// <summary>
/// A tool's quality verdicts against the true outcome over a batch: rows good, doubtful, failed and none (no result),
/// columns accurate (p95 TRE ≤ <see cref="ValidationReport.VerdictSuccessThresholdMm"/>) and missed. A <i>silent
/// failure</i> is a case the verdict called good that missed: the one kind of error the verdict exists to prevent.
/// </summary>
/// <param name="Tool">Tool name.</param>
/// <param name="ThresholdMm">The success threshold on a case's p95 TRE, mm.</param>
/// <param name="Rows">good, doubtful, failed, none — always all four, in that order.</param>
/// <param name="SilentFailures">Ids of the cases verdict good but missed, in manifest order.</param>
/// <param name="FalseAlarms">Ids of the cases verdict failed but accurate, in manifest order.</param>
public sealed record VerdictConfusion(string Tool, double ThresholdMm, IReadOnlyList<VerdictRow> Rows, IReadOnlyList<string> SilentFailures,
    IReadOnlyList<string> FalseAlarms)
{
    /// <summary>Verdict names of the rows, in order.</summary>
    public static IReadOnlyList<string> RowNames { get; } = ["good", "doubtful", "failed", "none"];

    /// <summary>The row of <paramref name="verdict"/> (a name of <see cref="RowNames"/>).</summary>
    public VerdictRow Row(string verdict) => Rows.First(r => r.Verdict == verdict);
}

/// <summary>One level pooled over the per-vertebra cases of a tool.</summary>
/// <param name="Level">Level name (or <see cref="LevelTre.Outside"/>).</param>
/// <param name="Cases">Cases with points at this level.</param>
/// <param name="Global">TRE of the global rigid results over those points.</param>
/// <param name="PerVertebra">TRE of the per-vertebra results over the same points.</param>
public sealed record PooledLevel(string Level, int Cases, TreStatistics Global, TreStatistics PerVertebra);

/// <summary>The results of a validation run and their statistics; built only from the stored case results, so deterministic.</summary>
public sealed class ValidationReport
{
    /// <summary>Success thresholds (mm) on a case's p95 TRE.</summary>
    public static IReadOnlyList<double> ThresholdsMm { get; } = [1, 2, 4];

    /// <summary>The true outcome quality verdicts are judged against: a case is accurate when its p95 TRE is at most this, mm.</summary>
    public const double VerdictSuccessThresholdMm = 2;

    /// <summary>Creates the report.</summary>
    /// <param name="manifestName">Manifest file name (shown in the report).</param>
    /// <param name="tools">Tool names in display order.</param>
    /// <param name="results">One result per case and tool, in manifest order then tool order.</param>
    public ValidationReport(string manifestName, IReadOnlyList<string> tools, IReadOnlyList<CaseResult> results)
    {
        ArgumentNullException.ThrowIfNull(manifestName);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(results);
        ManifestName = manifestName;
        Tools = tools;
        Results = results;
        Pairs = results.Select(r => r.Pair).Distinct().Order(StringComparer.Ordinal).ToList();
        Summaries = tools.Select(t => Summarize(t, results.Where(r => r.Tool == t).ToList())).ToList();
    }

    /// <summary>Manifest file name.</summary>
    public string ManifestName { get; }
    /// <summary>Tool names in display order (ImageGuide first).</summary>
    public IReadOnlyList<string> Tools { get; }
    /// <summary>All results, manifest order then tool order.</summary>
    public IReadOnlyList<CaseResult> Results { get; }
    /// <summary>Modality pairs present, sorted.</summary>
    public IReadOnlyList<string> Pairs { get; }
    /// <summary>One summary per tool.</summary>
    public IReadOnlyList<ToolSummary> Summaries { get; }

    /// <summary>Summary of <paramref name="tool"/> over the cases of modality pair <paramref name="pair"/>.</summary>
    public ToolSummary Summary(string tool, string pair) => Summarize(tool, Results.Where(r => r.Tool == tool && r.Pair == pair).ToList());

    /// <summary>
    /// The uncertainty to feed to planning: pooled p95 TRE of the first tool (ImageGuide), or null when no case
    /// succeeded.
    /// </summary>
    public double? PooledP95Mm => Summaries[0].Pooled?.P95;

    /// <summary>
    /// The verdicts of <paramref name="tool"/> against the true outcome, or null when the tool gave no verdict on any
    /// case (a peer tool).
    /// </summary>
    public VerdictConfusion? Confusion(string tool)
    {
        var results = Results.Where(r => r.Tool == tool).ToList();
        if (!results.Any(r => r.Verdict is not null)) return null;
        string Name(CaseResult r) => r.Verdict?.StatusName ?? "none";
        var rows = VerdictConfusion.RowNames.Select(v =>
        {
            var inRow = results.Where(r => Name(r) == v).ToList();
            return new VerdictRow(v, inRow.Count(r => r.Accurate), inRow.Count(r => !r.Accurate));
        }).ToList();
        return new VerdictConfusion(tool, VerdictSuccessThresholdMm, rows,
            results.Where(r => Name(r) == "good" && !r.Accurate).Select(r => r.CaseId).ToList(),
            results.Where(r => Name(r) == "failed" && r.Accurate).Select(r => r.CaseId).ToList());
    }

    /// <summary>
    /// The per-vertebra TRE of <paramref name="tool"/> pooled per level over its successful per-vertebra cases, cranial
    /// first, <see cref="LevelTre.Outside"/> last; empty when it ran none.
    /// </summary>
    public IReadOnlyList<PooledLevel> PooledLevels(string tool)
    {
        var rows = Results.Where(r => r.Tool == tool && r.Succeeded && r.Levels is not null).SelectMany(r => r.Levels!).ToList();
        return rows.GroupBy(l => l.Level)
            .OrderBy(g => g.Key == LevelTre.Outside ? double.MaxValue : VertebraLevel.Rank(g.Key) ?? double.MaxValue / 2).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PooledLevel(g.Key, g.Count(), TreStatistics.FromErrors([.. g.SelectMany(l => l.GlobalErrors)]),
                TreStatistics.FromErrors([.. g.SelectMany(l => l.PerVertebraErrors)])))
            .ToList();
    }

    /// <summary>Case ids, worst first: failed cases, then by the first tool's max TRE, descending (ties by manifest order).</summary>
    public IReadOnlyList<string> CasesWorstFirst()
    {
        var first = Results.Where(r => r.Tool == Tools[0]).ToList();
        return first.OrderBy(r => r.Succeeded ? 1 : 0).ThenByDescending(r => r.Tre?.Max ?? double.PositiveInfinity).ThenBy(r => r.CaseIndex)
            .Select(r => r.CaseId).ToList();
    }

    private static ToolSummary Summarize(string tool, List<CaseResult> results)
    {
        var ok = results.Where(r => r.Succeeded).ToList();
        var all = ok.SelectMany(r => r.Errors).ToArray();
        var rates = ThresholdsMm.Select(t => (t, results.Count == 0 ? 0 : (double)ok.Count(r => r.Tre!.Value.P95 <= t) / results.Count)).ToList();
        var seconds = ok.Select(r => r.Seconds).Order().ToArray();
        double median = seconds.Length == 0 ? 0 : TreStatistics.FromErrors(seconds).Median;
        return new ToolSummary(tool, results.Count, results.Count - ok.Count, all.Length == 0 ? null : TreStatistics.FromErrors(all), rates, median,
            results.Sum(r => r.Seconds));
    }
}
