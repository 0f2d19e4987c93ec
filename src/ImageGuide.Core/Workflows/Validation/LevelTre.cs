using ImageGuide.Registration;
using ImageGuide.Registration.Spine;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// TRE at one vertebra of a per-vertebra case: the evaluation points that lie in it (<see cref="CaseVertebrae"/>),
/// their errors through the global rigid result and through the per-vertebra (piecewise-rigid) result, and the level's
/// own verdict. The points in no vertebra form one more row, <see cref="Outside"/>.
/// </summary>
/// <param name="Level">Level name (e.g. L3), or <see cref="Outside"/>.</param>
/// <param name="Label">Its label value (0 for <see cref="Outside"/>).</param>
/// <param name="GlobalErrors">Per point: TRE of the global rigid result, mm.</param>
/// <param name="PerVertebraErrors">Per point (same order): TRE of the per-vertebra result, mm.</param>
/// <param name="Verdict">The level's verdict (good, doubtful, failed); empty for <see cref="Outside"/>.</param>
/// <param name="Fallback">What replaced the level's own refinement, or null.</param>
public sealed record LevelTre(string Level, int Label, IReadOnlyList<double> GlobalErrors, IReadOnlyList<double> PerVertebraErrors, string Verdict, string? Fallback)
{
    /// <summary>The row name of the points in no vertebra (soft tissue, discs, other bone).</summary>
    public const string Outside = "outside vertebrae";

    /// <summary>TRE of the global rigid result at this level.</summary>
    public TreStatistics Global => TreStatistics.FromErrors([.. GlobalErrors]);

    /// <summary>TRE of the per-vertebra result at this level.</summary>
    public TreStatistics PerVertebra => TreStatistics.FromErrors([.. PerVertebraErrors]);

    /// <summary>Writes the members that name the row — level, label, verdict, fallback — into the open JSON object (case files and report.json alike).</summary>
    internal void WriteName(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteString("level", Level);
        w.WriteNumber("label", Label);
        w.WriteString("verdict", Verdict);
        if (Fallback is null) w.WriteNull("fallback"); else w.WriteString("fallback", Fallback);
    }

    /// <summary>
    /// The rows of a case: every level with at least one point (cranial first), then <see cref="Outside"/> when points
    /// lie in no vertebra; errors from <paramref name="data"/>'s points through the global and the per-vertebra result.
    /// </summary>
    public static IReadOnlyList<LevelTre> Measure(ValidationCaseData data, PerVertebraResult result)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(result);
        var vertebrae = data.Vertebrae ?? throw new ArgumentException("The case has no vertebra labels.", nameof(data));
        double[] global = data.Errors(result.Global.Transform), piecewise = data.Errors(result.Field);
        var rows = new List<LevelTre>();
        LevelTre? Row(byte label, string name, string verdict, string? fallback)
        {
            var g = new List<double>();
            var p = new List<double>();
            for (int i = 0; i < global.Length; i++)
                if (vertebrae.PointLabels[i] == label) { g.Add(global[i]); p.Add(piecewise[i]); }
            return g.Count == 0 ? null : new LevelTre(name, label, g, p, verdict, fallback);
        }
        foreach (var v in result.Vertebrae)
            if (Row(v.Level.Label, v.Level.Name, v.Verdict.StatusName, v.Fallback) is { } row) rows.Add(row);
        if (Row(0, Outside, "", null) is { } outside) rows.Add(outside);
        return rows;
    }
}
