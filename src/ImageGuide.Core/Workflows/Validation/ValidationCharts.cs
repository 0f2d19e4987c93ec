using ImageGuide.Registration;
using ImageGuide.Visualization;

namespace ImageGuide.Workflows.Validation;

/// <summary>The report's plots, drawn by the project: TRE box plots per modality pair, per-case TRE bars, runtime bars.</summary>
public static class ValidationCharts
{
    private const int Left = 70, Top = 40, Bottom = 50, Right = 20;

    /// <summary>File name of the TRE box plot in the report's <c>plots/</c> folder.</summary>
    public const string TreBoxPlotFile = "tre-boxplot.png";
    /// <summary>File name of the per-case TRE bars.</summary>
    public const string CaseTreBarsFile = "tre-cases.png";
    /// <summary>File name of the per-case runtime bars.</summary>
    public const string RuntimeBarsFile = "runtime.png";

    /// <summary>Every plot file an <see cref="IReportCharts"/> writes, in report order.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TreBoxPlotFile, CaseTreBarsFile, RuntimeBarsFile];

    /// <summary>
    /// Box plot of per-point TRE per modality pair and tool: box from the 25th to the 75th percentile, a thick line at
    /// the median, whiskers to the minimum and maximum, and a tick at the 95th percentile.
    /// </summary>
    public static RgbaImage TreBoxPlot(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        int groups = Math.Max(1, report.Pairs.Count), series = report.Tools.Count;
        int groupWidth = Math.Max(160, series * 70), width = Math.Max(600, Left + Right + groups * groupWidth), height = 380;
        groupWidth = (width - Left - Right) / groups;
        var c = new ChartCanvas(width, height);
        var data = new List<(int Group, int Series, double[] Sorted)>();
        double max = 0;
        for (int g = 0; g < report.Pairs.Count; g++)
            for (int s = 0; s < series; s++)
            {
                var e = report.Results.Where(r => r.Pair == report.Pairs[g] && r.Tool == report.Tools[s] && r.Succeeded).SelectMany(r => r.Errors).ToArray();
                if (e.Length == 0) continue;
                Array.Sort(e);
                data.Add((g, s, e));
                max = Math.Max(max, e[^1]);
            }
        var (axisMax, step) = ChartCanvas.NiceAxis(max);
        int plotBottom = height - Bottom, plotHeight = plotBottom - Top;
        int Y(double v) => plotBottom - (int)Math.Round(v / axisMax * plotHeight);
        YAxis(c, axisMax, step, width, plotBottom, Y, "TRE mm");
        foreach (var (g, s, e) in data)
        {
            int boxW = Math.Min(40, (groupWidth - 20) / series);
            int x0 = Left + g * groupWidth + (groupWidth - series * boxW) / 2 + s * boxW + 3, x1 = x0 + boxW - 6, xm = (x0 + x1) / 2;
            var color = ChartCanvas.SeriesColors[s % ChartCanvas.SeriesColors.Length];
            double q1 = TreStatistics.Quantile(e, 0.25), med = TreStatistics.Quantile(e, 0.5), q3 = TreStatistics.Quantile(e, 0.75), p95 = TreStatistics.Quantile(e, 0.95);
            c.VLine(xm, Y(e[0]), Y(e[^1]), ChartCanvas.Ink);
            c.HLine(xm - 5, xm + 5, Y(e[0]), ChartCanvas.Ink);
            c.HLine(xm - 5, xm + 5, Y(e[^1]), ChartCanvas.Ink);
            c.HLine(xm - 8, xm + 8, Y(p95), color, 2);
            c.FillRect(x0, Y(q3), x1 + 1, Y(q1) + 1, color);
            c.Frame(x0, Y(q3), x1, Y(q1), ChartCanvas.Ink);
            c.HLine(x0, x1, Y(med) - 1, ChartCanvas.Background, 3);
        }
        for (int g = 0; g < report.Pairs.Count; g++) c.TextCentered(report.Pairs[g], Left + g * groupWidth + groupWidth / 2, plotBottom + 8, ChartCanvas.Ink);
        c.Text("TRE per modality pair: box 25-75%, white line median, whiskers min-max, tick p95", 8, 8, ChartCanvas.Ink);
        c.Legend(report.Tools, Left, height - 22);
        return c.Image;
    }

    /// <summary>Horizontal bars per case (worst first) and tool: median TRE as the bar, a whisker to the maximum.</summary>
    public static RgbaImage CaseTreBars(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Bars(report, "TRE per case (worst first): bar median, whisker max", "TRE mm",
            r => r.Tre is { } t ? (t.Median, t.Max) : null);
    }

    /// <summary>Horizontal bars of registration wall time per case (worst TRE first) and tool.</summary>
    public static RgbaImage RuntimeBars(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Bars(report, "Registration time per case (worst TRE first)", "seconds", r => r.Succeeded ? (r.Seconds, null) : null);
    }

    private static RgbaImage Bars(ValidationReport report, string title, string unit, Func<CaseResult, (double Value, double? Whisker)?> value)
    {
        var ids = report.CasesWorstFirst();
        int series = report.Tools.Count, rowHeight = series * 12 + 8;
        int labelWidth = Math.Max(60, ids.Max(id => ChartCanvas.TextWidth(id)) + 12);
        int width = 760, height = Top + ids.Count * rowHeight + Bottom;
        var c = new ChartCanvas(width, height);
        double max = 0;
        foreach (var r in report.Results)
            if (value(r) is { } v) max = Math.Max(max, Math.Max(v.Value, v.Whisker ?? 0));
        var (axisMax, step) = ChartCanvas.NiceAxis(max);
        int plotLeft = labelWidth, plotRight = width - Right, plotBottom = Top + ids.Count * rowHeight;
        int X(double v) => plotLeft + (int)Math.Round(v / axisMax * (plotRight - plotLeft));
        for (double t = 0; t <= axisMax + 1e-9; t += step)
        {
            c.VLine(X(t), Top, plotBottom, ChartCanvas.Grid);
            c.TextCentered(ChartCanvas.Tick(t), X(t), plotBottom + 6, ChartCanvas.Ink);
        }
        c.Text(unit, plotRight - ChartCanvas.TextWidth(unit), plotBottom + 18, ChartCanvas.Ink);
        for (int row = 0; row < ids.Count; row++)
        {
            int y = Top + row * rowHeight + 4;
            c.TextRight(ids[row], plotLeft - 6, y + rowHeight / 2 - 6, ChartCanvas.Ink);
            for (int s = 0; s < series; s++)
            {
                var r = report.Results.First(x => x.CaseId == ids[row] && x.Tool == report.Tools[s]);
                int yb = y + s * 12;
                if (value(r) is not { } v)
                {
                    c.Text("failed", plotLeft + 4, yb + 1, new Rgb(200, 0, 0));
                    continue;
                }
                c.FillRect(plotLeft, yb, X(v.Value) + 1, yb + 10, ChartCanvas.SeriesColors[s % ChartCanvas.SeriesColors.Length]);
                if (v.Whisker is { } w)
                {
                    c.HLine(X(v.Value), X(w), yb + 5, ChartCanvas.Ink);
                    c.VLine(X(w), yb + 2, yb + 8, ChartCanvas.Ink);
                }
            }
        }
        c.VLine(plotLeft, Top, plotBottom, ChartCanvas.Ink);
        c.Text(title, 8, 8, ChartCanvas.Ink);
        c.Legend(report.Tools, plotLeft, height - 18);
        return c.Image;
    }

    private static void YAxis(ChartCanvas c, double axisMax, double step, int width, int plotBottom, Func<double, int> y, string unit)
    {
        for (double t = 0; t <= axisMax + 1e-9; t += step)
        {
            c.HLine(Left, width - Right, y(t), ChartCanvas.Grid);
            c.TextRight(ChartCanvas.Tick(t), Left - 6, y(t) - 3, ChartCanvas.Ink);
        }
        c.VLine(Left, Top, plotBottom, ChartCanvas.Ink);
        c.HLine(Left, width - Right, plotBottom, ChartCanvas.Ink);
        c.Text(unit, 8, Top - 14, ChartCanvas.Ink);
    }
}
