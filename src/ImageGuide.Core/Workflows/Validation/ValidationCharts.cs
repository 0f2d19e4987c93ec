namespace ImageGuide.Workflows.Validation;

/// <summary>
/// The validation report's plots by file name, as an <see cref="IReportCharts"/> writes them into <c>plots/</c> and the
/// reports link them: TRE box plots per modality pair, per-case TRE bars, per-case runtime bars.
/// </summary>
public static class ValidationCharts
{
    private static IReportCharts? _default;

    /// <summary>
    /// The charts of every report in the process whose caller passes none (the demo's included): none unless the
    /// application installs some at start-up, as the CLI does with ImageGuide.Rendering's ScottPlot charts.
    /// </summary>
    public static IReportCharts? Default
    {
        get => Volatile.Read(ref _default);
        set => Volatile.Write(ref _default, value);
    }

    /// <summary>File name of the TRE box plot in the report's <c>plots/</c> folder.</summary>
    public const string TreBoxPlotFile = "tre-boxplot.png";
    /// <summary>File name of the per-case TRE bars.</summary>
    public const string CaseTreBarsFile = "tre-cases.png";
    /// <summary>File name of the per-case runtime bars.</summary>
    public const string RuntimeBarsFile = "runtime.png";

    /// <summary>Every plot file an <see cref="IReportCharts"/> writes, in report order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TreBoxPlotFile, CaseTreBarsFile, RuntimeBarsFile];

    /// <summary>The report's caption of a plot file of <see cref="FileNames"/>.</summary>
    public static string Caption(string fileName) => fileName switch
    {
        TreBoxPlotFile => "TRE per modality pair",
        CaseTreBarsFile => "TRE per case",
        RuntimeBarsFile => "Runtime per case",
        _ => fileName,
    };
}
