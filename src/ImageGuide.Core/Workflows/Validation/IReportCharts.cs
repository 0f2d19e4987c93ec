using ImageGuide.Visualization;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Draws the validation report's plots into its <c>plots/</c> folder under the names of
/// <see cref="ValidationCharts.FileNames"/>, which report.md and report.html link to. The default,
/// <see cref="BitmapReportCharts"/>, is the project's own managed drawing (no native library); an application may pass a
/// richer one through <see cref="ValidationOptions.Charts"/> (the CLI uses ImageGuide.Rendering's ScottPlot charts).
/// </summary>
public interface IReportCharts
{
    /// <summary>Writes every file of <see cref="ValidationCharts.FileNames"/> into <paramref name="plotsFolder"/> (which exists).</summary>
    void Write(ValidationReport report, string plotsFolder);
}

/// <summary>The hand-drawn charts of <see cref="ValidationCharts"/> (bitmap font, managed PNG encoder): no dependencies.</summary>
public sealed class BitmapReportCharts : IReportCharts
{
    /// <summary>The one instance.</summary>
    public static BitmapReportCharts Instance { get; } = new();

    private BitmapReportCharts() { }

    /// <inheritdoc />
    public void Write(ValidationReport report, string plotsFolder)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(plotsFolder);
        PngExport.Write(ValidationCharts.TreBoxPlot(report), Path.Combine(plotsFolder, ValidationCharts.TreBoxPlotFile));
        PngExport.Write(ValidationCharts.CaseTreBars(report), Path.Combine(plotsFolder, ValidationCharts.CaseTreBarsFile));
        PngExport.Write(ValidationCharts.RuntimeBars(report), Path.Combine(plotsFolder, ValidationCharts.RuntimeBarsFile));
    }
}
