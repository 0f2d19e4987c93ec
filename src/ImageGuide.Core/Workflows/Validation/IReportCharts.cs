namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Draws the validation report's plots into its <c>plots/</c> folder under the names of
/// <see cref="ValidationCharts.FileNames"/>, which report.md and report.html link to when present. Core draws no
/// charts (a chart needs a font, and Core takes no native library); an application passes one through
/// <see cref="ValidationOptions.Charts"/> — the CLI uses ImageGuide.Rendering's ScottPlot charts.
/// </summary>
public interface IReportCharts
{
    /// <summary>Writes every file of <see cref="ValidationCharts.FileNames"/> into <paramref name="plotsFolder"/> (which exists).</summary>
    void Write(ValidationReport report, string plotsFolder);
}
