using ImageGuide.Registration;
using ImageGuide.Workflows.Validation;
using ScottPlot;

namespace ImageGuide.Rendering;

/// <summary>
/// The validation report's plots drawn with ScottPlot (real fonts, titled axes in mm and seconds): the same files and
/// under the file names of <see cref="ValidationCharts"/> — TRE box plots per modality pair and tool, per-case
/// TRE bars (median, whisker to the maximum) and per-case runtime bars, cases worst first.
/// </summary>
public sealed class ValidationChartsRenderer : IReportCharts
{
    /// <summary>Okabe–Ito colours (distinguishable with colour-vision deficiency).</summary>
    private static readonly Color[] SeriesColors = [new(0, 114, 178), new(230, 159, 0), new(0, 158, 115), new(204, 121, 167)];


    /// <summary>Width of every chart, pixels.</summary>
    public int Width { get; init; } = 900;

    /// <inheritdoc />
    public void Write(ValidationReport report, string plotsFolder)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(plotsFolder);
        foreach (var (file, png) in Render(report))
            RenderedFile.Write(Path.Combine(plotsFolder, file), png);
    }

    /// <summary>Every chart as PNG bytes, under its file name of <see cref="ValidationCharts.FileNames"/>, in report order.</summary>
    public IReadOnlyList<(string FileName, byte[] Png)> Render(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.CasesWorstFirst().Count;
        int barsHeight = Math.Clamp(140 + rows * (report.Tools.Count * 14 + 10), 320, 2400);
        return
        [
            (ValidationCharts.TreBoxPlotFile, TreBoxPlot(report).GetImageBytes(Width, 480, ImageFormat.Png)),
            (ValidationCharts.CaseTreBarsFile, CaseTreBars(report).GetImageBytes(Width, barsHeight, ImageFormat.Png)),
            (ValidationCharts.RuntimeBarsFile, RuntimeBars(report).GetImageBytes(Width, barsHeight, ImageFormat.Png)),
        ];
    }

    /// <summary>
    /// Box plot of per-point TRE per modality pair and tool: box 25th–75th percentile, line at the median, whiskers to
    /// the minimum and maximum, a marker at the 95th percentile.
    /// </summary>
    public static Plot TreBoxPlot(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = NewPlot("TRE per modality pair", "TRE (mm)");
        int series = report.Tools.Count;
        double width = 0.8 / Math.Max(1, series);
        for (int s = 0; s < series; s++)
        {
            var color = SeriesColors[s % SeriesColors.Length];
            var boxes = new List<Box>();
            for (int g = 0; g < report.Pairs.Count; g++)
            {
                var e = report.Results.Where(r => r.Pair == report.Pairs[g] && r.Tool == report.Tools[s] && r.Succeeded).SelectMany(r => r.Errors).ToArray();
                if (e.Length == 0) continue;
                Array.Sort(e);
                double x = g + (s - (series - 1) / 2.0) * width;
                boxes.Add(new Box
                {
                    Position = x, Width = width * 0.8,
                    BoxMin = TreStatistics.Quantile(e, 0.25), BoxMax = TreStatistics.Quantile(e, 0.75), BoxMiddle = TreStatistics.Quantile(e, 0.5),
                    WhiskerMin = e[0], WhiskerMax = e[^1],
                });
                var p95 = plot.Add.Marker(x, TreStatistics.Quantile(e, 0.95), MarkerShape.FilledDiamond, 9, Colors.Black);
                p95.LegendText = "";
            }
            if (boxes.Count == 0) continue;
            var bp = plot.Add.Boxes(boxes);
            bp.FillColor = color.WithAlpha(0.75);
            bp.LegendText = report.Tools[s];
        }
        plot.Add.Marker(double.NaN, double.NaN, MarkerShape.FilledDiamond, 9, Colors.Black).LegendText = "p95";
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, report.Pairs.Count).Select(i => (double)i)], [.. report.Pairs]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.Label.Text = "modality pair — box 25–75 %, line median, whiskers min–max";
        plot.Axes.SetLimitsX(-0.6, Math.Max(1, report.Pairs.Count) - 0.4);
        plot.Axes.SetLimitsY(0, AxisMax(report.Results.Where(r => r.Succeeded).SelectMany(r => r.Errors)));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Horizontal bars per case (worst first) and tool: median TRE as the bar, a whisker to the maximum.</summary>
    public static Plot CaseTreBars(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Bars(report, "TRE per case (worst first): bar median, whisker max", "TRE (mm)", r => r.Tre is { } t ? (t.Median, t.Max) : null);
    }

    /// <summary>Horizontal bars of registration wall time per case (worst TRE first) and tool.</summary>
    public static Plot RuntimeBars(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Bars(report, "Registration time per case (worst TRE first)", "time (s)", r => r.Succeeded ? (r.Seconds, null) : null);
    }

    private static Plot Bars(ValidationReport report, string title, string unit, Func<CaseResult, (double Value, double? Whisker)?> value)
    {
        var plot = NewPlot(title, "");
        plot.XLabel(unit);
        var ids = report.CasesWorstFirst();
        int series = report.Tools.Count;
        double size = 0.8 / Math.Max(1, series), max = 0;
        foreach (var r in report.Results)
            if (value(r) is { } v) max = Math.Max(max, Math.Max(v.Value, v.Whisker ?? 0));
        double axisMax = AxisMax([max]);
        for (int s = 0; s < series; s++)
        {
            var bars = new List<Bar>();
            for (int row = 0; row < ids.Count; row++)
            {
                var r = report.Results.First(x => x.CaseId == ids[row] && x.Tool == report.Tools[s]);
                // row 0 (the worst case) on top
                double y = ids.Count - 1 - row - (s - (series - 1) / 2.0) * size;
                if (value(r) is not { } v)
                {
                    var failed = plot.Add.Text("failed", axisMax * 0.01, y);
                    failed.LabelFontColor = Colors.DarkRed;
                    failed.LabelFontSize = 11;
                    failed.LabelAlignment = Alignment.MiddleLeft;
                    continue;
                }
                bars.Add(new Bar { Position = y, Value = v.Value, Size = size * 0.9, FillColor = SeriesColors[s % SeriesColors.Length] });
                if (v.Whisker is { } w && w > v.Value)
                {
                    plot.Add.Line(v.Value, y, w, y).Color = Colors.Black;
                    plot.Add.Line(w, y - size * 0.25, w, y + size * 0.25).Color = Colors.Black;
                }
            }
            var bp = plot.Add.Bars(bars);
            bp.Horizontal = true;
            bp.LegendText = report.Tools[s];
        }
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, ids.Count).Select(i => (double)(ids.Count - 1 - i))], [.. ids]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(-0.6, ids.Count - 0.4);
        plot.Axes.SetLimitsX(0, axisMax);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        // the embedded DejaVu Sans, whatever fonts the machine has
        EmbeddedFonts.RegisterWithScottPlot();
        plot.Font.Set(EmbeddedFonts.FamilyName);
        plot.Title(title, 16);
        if (yLabel.Length > 0) plot.YLabel(yLabel, 14);
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        return plot;
    }

    /// <summary>Upper axis limit: the largest value plus a little room for the whiskers' caps (1 when there is nothing).</summary>
    private static double AxisMax(IEnumerable<double> values)
    {
        double max = values.DefaultIfEmpty(0).Max();
        return max > 0 && double.IsFinite(max) ? max * 1.08 : 1;
    }
}
