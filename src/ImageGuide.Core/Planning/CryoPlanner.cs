using System.Globalization;
using ImageGuide.Imaging;
using ImageGuide.Model;
using Microsoft.Extensions.Logging;

namespace ImageGuide.Planning;

/// <summary>
/// Multi-applicator ablation planning for every modality of the applicator catalogue: cryoprobes, RF electrodes and MW
/// antennas (<see cref="ProbeModel.Modality"/>). For heat applicators everything below holds with the ablation-zone edge
/// in place of the 0 °C edge, the zone in place of the lethal ice, the union of the zones in place of the superposed
/// cooling, and a spacing of <see cref="HeatSpacingFactor"/> × the zone's radial semi-axis in place of
/// <see cref="PlanningConstraints.ProbeSpacingMm"/>; the cryo-only rules (more than three probes, the 1 cm inset) give no
/// warning, and large vessels (<see cref="PlanningConstraints.HeatSinkStructureNames"/>) within
/// <see cref="PlanningConstraints.HeatSinkDistanceMm"/> of the zone give a heat-sink warning.
/// Cryo: the combined ice is the superposition of the probes' cooling fields
/// (<see cref="ProbeModel"/>). The optimiser places 1–N probes along the best feasible needle directions to the tumour
/// centre: for each probe count it tries ring layouts (a centre probe added from five probes on) over ring radius, rotation,
/// depth, a stagger of alternate tip depths and — per <see cref="PlanningConstraints.ProbeLayout"/> — parallel shafts or
/// shafts converging through an apex on the needle line (at the skin, or at 70 % or 40 % of the depth: probes from nearby
/// entries, or through one narrow window, fanning out to their tips); it keeps only layouts whose 0 °C edge stays the
/// required clearance (fusion uncertainty included) from every critical structure and the skin and whose every probe path
/// is feasible, and maximises the lethal coverage of tumour + margin; it stops at the first probe count that reaches
/// <see cref="AblationGoals.CoverageGoal"/>. Coverage during the search is measured on at most
/// <see cref="SearchSampleCount"/> points of tumour + margin and the final figures on every voxel.
/// </summary>
public sealed class CryoPlanner
{
    /// <summary>Most tumour + margin points used to score layouts during the search.</summary>
    public const int SearchSampleCount = 3000;

    /// <summary>Spacing of heat applicators as a multiple of the zone's radial semi-axis: neighbouring zones overlap by a quarter of their width (a geometric choice; no source gives one).</summary>
    public const double HeatSpacingFactor = 1.5;

    private const int DirectionCount = 3;
    private const int RescoredLayouts = 24;
    private const double MinDirectionSeparationDeg = 20;

    private readonly TrajectoryPlanner _paths;
    private readonly PlanningAnatomy _anatomy;
    private readonly PlanningConstraints _c;
    private readonly ILogger? _logger;

    /// <summary>Creates a planner; the probe model is <see cref="PlanningConstraints.ProbeModel"/> from <paramref name="catalogue"/> (default: the built-in one).</summary>
    /// <exception cref="ImageGuideException">The probe model is not in the catalogue.</exception>
    /// <param name="paths">The needle-path planner (anatomy and constraints).</param>
    /// <param name="catalogue">Probe catalogue; default the built-in one.</param>
    /// <param name="logger">Optional log: the outcome of each plan (layout, coverage, margin) or why it is infeasible.</param>
    public CryoPlanner(TrajectoryPlanner paths, ProbeCatalogue? catalogue = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = paths;
        _logger = logger;
        _anatomy = paths.Anatomy;
        _c = paths.Constraints;
        Model = (catalogue ?? ProbeCatalogue.BuiltIn).Get(_c.ProbeModel);
        _required = paths.RequiredClearancesMm;
    }

    /// <summary>Structures this close (mm) to the tumour move with a dissection: the 10 mm under which lesions near neural structures are usually excluded (001).</summary>
    public const double DissectionNeighbourMm = 10;

    // Clearances the zone edge must keep, by structure: the path planner's, less any dissection being tried.
    private IReadOnlyDictionary<string, double> _required;

    // True while dissections are tried: thermocouple paths are searched for the plan finally returned only.
    private bool _trial;

    /// <summary>
    /// Plans as <see cref="Plan"/>; when that plan is infeasible because the tumour lies too close to critical structures,
    /// tries displacing them — hydro- or CO2-dissection — by 1, 2, … up to <see cref="PlanningConstraints.MaxDissectionMm"/>
    /// mm (each blocking structure's edge clearance is measured from where the displaced structure would be, its required
    /// clearance less the displacement) and returns the first feasible plan with its <see cref="CryoPlan.Dissection"/>
    /// (the displacement each structure needs, thermal limits included) and <see cref="CryoPlan.FeasibleWithoutDissection"/>
    /// false. When no displacement up to the maximum helps, the undissected plan is returned.
    /// </summary>
    /// <inheritdoc cref="Plan" path="/param"/>
    /// <exception cref="ImageGuideException">No target voxels, or a probe count outside 1–MaxProbeCount.</exception>
    public CryoPlan PlanWithDissection(int? probeCount = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(probeCount, progress, cancellationToken);
        if (plan.Feasible) return plan;
        var scene = IceScene.Build(_anatomy, _c, Model, _paths.RequiredClearancesMm, cancellationToken);
        // the blocking structures and those within the 10 mm exclusion distance of the tumour (001): a dissection moves
        // the tissue plane, e.g. the thecal sac with the cord inside it
        var blocking = new HashSet<string>(scene.BlockingCriticalNames(DissectionNeighbourMm), StringComparer.Ordinal);
        foreach (var (name, d) in plan.IceToCriticalMm)
            if (d < _paths.RequiredClearancesMm[name]) blocking.Add(name);
        foreach (var name in _paths.RequiredClearancesMm.Keys)
            if (plan.InfeasibleReason is { } r && r.Contains(name, StringComparison.Ordinal)) blocking.Add(name);
        if (blocking.Count == 0) return plan;
        try
        {
            _trial = true;
            for (int mm = 1; mm <= _c.MaxDissectionMm; mm++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CryoPlan? tried = null;
                // a structure the displaced plan still comes too close to moves too (the cord with its thecal sac)
                for (bool grew = true; grew;)
                {
                    grew = false;
                    var displaced = new Dictionary<string, double>(_paths.RequiredClearancesMm, StringComparer.Ordinal);
                    foreach (var name in blocking) displaced[name] -= mm;
                    _required = displaced;
                    if (IceScene.Build(_anatomy, _c, Model, _required, cancellationToken).CoverageCap < _c.Goals.CoverageGoal) break;
                    tried = PlanLayouts(probeCount, null, cancellationToken);
                    if (tried.Feasible) break;
                    foreach (var name in _paths.RequiredClearancesMm.Keys)
                        if (!blocking.Contains(name) && tried.InfeasibleReason is { } why && why.Contains("clearance of " + name, StringComparison.Ordinal)
                            | (tried.IceToCriticalMm.TryGetValue(name, out double d) && d < _required[name]))
                        {
                            grew |= blocking.Add(name);
                        }
                }
                if (tried is not { Feasible: true }) continue;
                if (ThermocouplePaths)
                {
                    var protection = new ThermalProtectionPlanner(_paths).Assess(Model, tried.Probes.Select(p => (p.Tip, p.Axis)).ToList(),
                        tried.IceToCriticalMm, true, cancellationToken);
                    var kept = tried.Warnings.Where(w => !w.StartsWith("thermal protection: ", StringComparison.Ordinal)).ToList();
                    kept.AddRange(protection.Where(t => t.ShortfallC > 0).Select(t => "thermal protection: " + t.Describe()));
                    tried = tried.With(kept, [], null, protection);
                }
                var dissection = new List<Dissection>();
                foreach (var name in blocking.Order(StringComparer.Ordinal))
                {
                    double need = mm;
                    foreach (var t in tried.ThermalProtection)
                        if (t.Structure == name) need = Math.Max(need, t.SeparationMm);
                    dissection.Add(new Dissection(name, need));
                }
                var warnings = new List<string>(tried.Warnings);
                warnings.Insert(0, "feasible only with hydro/CO2-dissection: " + string.Join(", ", dissection.Select(d => d.Describe(tried.ThermalProtection)))
                    + "; without it: " + plan.InfeasibleReason);
                _logger?.LogInformation("Plan feasible with dissection: {Dissection}", string.Join(", ", dissection.Select(d => d.Describe(tried.ThermalProtection))));
                return tried.With(warnings, dissection, plan.InfeasibleReason);
            }
        }
        finally
        {
            _required = _paths.RequiredClearancesMm;
            _trial = false;
        }
        return plan;
    }

    /// <summary>The probe model.</summary>
    public ProbeModel Model { get; }

    /// <summary>Whether plans search a needle path to each suggested thermocouple (one skin-entry search per structure near the zone). Default true.</summary>
    public bool ThermocouplePaths { get; init; } = true;

    /// <summary>Spacing (mm) between neighbouring applicators: <see cref="PlanningConstraints.ProbeSpacingMm"/> for cryoprobes, <see cref="HeatSpacingFactor"/> × the zone's radial semi-axis for heat applicators.</summary>
    public double SpacingMm => Model.IsHeat ? HeatSpacingFactor * Model.Zone.RadialMm : _c.ProbeSpacingMm;

    private string Edge => Model.IsHeat ? string.Format(CultureInfo.InvariantCulture, "{0:G} °C ablation-zone edge", Model.ZoneTemperatureC) : "0 °C edge";

    /// <summary>
    /// Plans probes for all Target structures together.
    /// </summary>
    /// <param name="probeCount">Exact number of probes, or null to use the fewest that reach the coverage goal (up to <see cref="PlanningConstraints.MaxProbeCount"/>).</param>
    /// <param name="progress">Receives the fraction done.</param>
    /// <param name="cancellationToken">Cancels between layouts.</param>
    /// <exception cref="ImageGuideException">No target voxels, or a probe count outside 1–MaxProbeCount.</exception>
    public CryoPlan Plan(int? probeCount = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = PlanLayouts(probeCount, progress, cancellationToken);
        if (_logger is { } log)
        {
            if (plan.Feasible)
                log.LogInformation("Cryo plan: {Count} {Model} probe(s), {Layout} layout, lethal coverage {Coverage:P1}, minimum margin {Margin:F1} mm",
                    plan.Probes.Count, Model.Name, plan.Layout, plan.LethalCoverage, plan.MinMarginMm);
            else
                log.LogWarning("Cryo plan {Reason}", plan.InfeasibleReason);
        }
        return plan;
    }

    private CryoPlan PlanLayouts(int? probeCount, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (probeCount is { } pc && (pc < 1 || pc > _c.MaxProbeCount))
            throw new ImageGuideException($"Probe count {pc} is outside 1–{_c.MaxProbeCount} (MaxProbeCount); ask for fewer probes or raise the limit.");
        var scene = IceScene.Build(_anatomy, _c, Model, _required, cancellationToken);
        var inv = CultureInfo.InvariantCulture;

        if (scene.CoverageCap < _c.Goals.CoverageGoal)
            return Infeasible(scene, string.Format(inv,
                "infeasible because the tumour + {0:G} mm margin lies too close to {1}: at most {2:P0} of it can be {5} while the {6} keeps its clearance ({3}), below the {4:P0} goal",
                _c.Goals.TumourMarginMm, scene.BlockingDescription(), scene.CoverageCap, scene.RequirementDescription(), _c.Goals.CoverageGoal,
                Model.IsHeat ? "ablated" : "frozen lethally", Edge));

        var centre = scene.TumourCentre;
        var trajectories = _paths.Plan(centre, progress: null, cancellationToken: cancellationToken);
        var directions = PickDirections(trajectories);
        var apexes = ApexDistances(_c.ProbeLayout);
        if (directions.Count == 0)
            return Infeasible(scene, "infeasible because no feasible needle path reaches the tumour centre: " + SummariseRejections(trajectories));

        int first = probeCount ?? 1, last = probeCount ?? _c.MaxProbeCount;
        Layout? best = null;
        var violations = new int[scene.ConstraintCount];
        int pathFailures = 0;
        for (int n = first; n <= last; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Each family of layouts is searched on its own (Auto: both, the better score wins, parallel on a tie), so
            // that one family's coarse ranking cannot crowd out the other's best layouts.
            Layout? bestForN = null;
            foreach (var family in apexes)
            {
                var found = SearchLayouts(scene, directions, family, n, violations, ref pathFailures, cancellationToken);
                if (found is not null && (bestForN is null || found.Score > bestForN.Score + 1e-12)) bestForN = found;
            }
            if (bestForN is not null && (best is null || bestForN.Score > best.Score + 1e-9)) best = bestForN;
            progress?.Report((n - first + 1) / (double)(last - first + 1));
            if (best is not null && best.Coverage >= _c.Goals.CoverageGoal) break;
        }
        int worst = Array.IndexOf(violations, violations.Max());
        string rejectedLayouts = string.Format(inv,
            "{0} layout(s) of {1}–{2} probes along the {3} best path direction(s) {6} within the required clearance of {4}, {5} needed a probe path that is not feasible",
            violations.Sum(), first, last, directions.Count, scene.ConstraintName(worst), pathFailures, Model.IsHeat ? "heated" : "froze");
        if (best is null) return Infeasible(scene, "infeasible because no layout keeps the clearances: " + rejectedLayouts);
        return Finish(scene, best.Probes, cancellationToken, best.Coverage < _c.Goals.CoverageGoal ? rejectedLayouts : null);
    }

    /// <summary>Assesses a given probe layout (tips and unit axes, entry → tip) with the combined ice model.</summary>
    /// <exception cref="ImageGuideException">No probes, a zero axis, or no target voxels.</exception>
    public CryoPlan Assess(IReadOnlyList<(Vec3 Tip, Vec3 Axis)> probes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.Count == 0) throw new ImageGuideException("No probes were given to assess; give at least one tip and axis.");
        var scene = IceScene.Build(_anatomy, _c, Model, _required, cancellationToken);
        var placed = new List<PlannedProbe>();
        foreach (var (tip, axis) in probes) placed.Add(PlaceProbe(tip, axis.Normalized()));
        return Finish(scene, placed, cancellationToken);
    }

    private CryoPlan Infeasible(IceScene scene, string reason) =>
        new(false, reason, [], 0, 0, scene.EmptyCriticalDistances(), double.PositiveInfinity, [reason], Model, _c);

    private CryoPlan Finish(IceScene scene, IReadOnlyList<PlannedProbe> probes, CancellationToken cancellationToken, string? searchNote = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var field = new IceField(Model, probes);
        var m = scene.Measure(field, _c.Goals.LethalIsothermC);
        var warnings = new List<string>();
        string? reason = null;
        if (Model.Approximate)
            warnings.Add(Model.IsHeat
                ? $"applicator model '{Model.Name}' has an approximate ablation zone (not vendor data); check the zone on imaging"
                : $"probe model '{Model.Name}' has approximate isotherms (not vendor data); check the ice ball on imaging");
        if (!Model.IsHeat && probes.Count > _c.ProbeCountWarningAbove)
            warnings.Add(string.Format(inv, "{0} probes: more than {1} probes is a risk factor for major complications (001, 004)", probes.Count, _c.ProbeCountWarningAbove));
        double minSpacing = MinSpacing(probes);
        if (probes.Count > 1 && minSpacing < 0.75 * SpacingMm)
            warnings.Add(Model.IsHeat
                ? string.Format(inv, "applicators {0:F1} mm apart, closer than three quarters of the ≈ {1:F0} mm spacing for overlapping zones", minSpacing, SpacingMm)
                : string.Format(inv, "probes {0:F1} mm apart, closer than the ≈ {1:G} mm spacing rule (004)", minSpacing, _c.ProbeSpacingMm));
        double outermost = 0;
        foreach (var p in probes) outermost = Math.Max(outermost, LineDistance(scene.TumourCentre, p.Axis, p.Tip, p.Axis));
        if (!Model.IsHeat && probes.Count > 1 && outermost > scene.TumourRadiusMm - 0.5 * _c.ProbeInsetMm)
            warnings.Add(string.Format(inv, "outer probe {0:F1} mm from the tumour centre (tumour radius {1:F1} mm): less than the ≈ {2:G} mm inset from the tumour edge (004)",
                outermost, scene.TumourRadiusMm, _c.ProbeInsetMm));
        if (_c.Goals.FusionUncertaintyMm > 0)
            warnings.Add(string.Format(inv, "{0:F1} mm fusion uncertainty added to every clearance", _c.Goals.FusionUncertaintyMm));
        var heatSinks = new List<HeatSink>();
        if (Model.IsHeat)
            foreach (var (name, d) in m.IceToCritical)
                if (d <= _c.HeatSinkDistanceMm && _c.IsHeatSink(name))
                {
                    heatSinks.Add(new HeatSink(name, Math.Max(0, d)));
                    warnings.Add(string.Format(inv, "heat sink: {0} lies {1:F1} mm from the ablation zone (within {2:G} mm); flowing blood cools the tissue next to it and the zone may fall short there",
                        name, Math.Max(0, d), _c.HeatSinkDistanceMm));
                }
        foreach (var p in probes)
            foreach (var r in p.Path.Reasons) reason ??= "infeasible because a probe path is not feasible: " + r;
        foreach (var (name, d) in m.IceToCritical)
            if (d < _required[name])
                reason ??= string.Format(inv, "infeasible because the {3} comes within {0:F1} mm of {1} (needs {2:F1} mm)", d, name, _required[name], Edge);
        if (m.IceToSkin < _c.Goals.SkinClearanceMm + _c.Goals.FusionUncertaintyMm)
            reason ??= string.Format(inv, "infeasible because the {2} comes within {0:F1} mm of the skin (needs {1:F1} mm)", m.IceToSkin, _c.Goals.SkinClearanceMm + _c.Goals.FusionUncertaintyMm, Edge);
        if (m.Coverage < _c.Goals.CoverageGoal)
            reason ??= string.Format(inv, "infeasible because {0} probe(s) reach only {1:P1} lethal coverage of tumour + {2:G} mm margin (goal {3:P0}){4}",
                probes.Count, m.Coverage, _c.Goals.TumourMarginMm, _c.Goals.CoverageGoal, searchNote is null ? "" : "; " + searchNote);
        if (reason is not null) warnings.Add(reason);
        var protection = new ThermalProtectionPlanner(_paths).Assess(Model, probes.Select(p => (p.Tip, p.Axis)).ToList(), m.IceToCritical,
            ThermocouplePaths && !_trial, cancellationToken);
        foreach (var item in protection)
            if (item.ShortfallC > 0)
                warnings.Add("thermal protection: " + item.Describe());
        return new CryoPlan(reason is null, reason, probes, m.Coverage, m.MinMarginMm, m.IceToCritical, m.IceToSkin, warnings, Model, _c)
        {
            HeatSinks = heatSinks,
            ThermalProtection = protection,
        };
    }

    private static double MinSpacing(IReadOnlyList<PlannedProbe> probes)
    {
        double best = double.PositiveInfinity;
        for (int a = 0; a < probes.Count; a++)
            for (int b = a + 1; b < probes.Count; b++)
                best = Math.Min(best, LineDistance(probes[a].Tip, probes[a].Axis, probes[b].Tip, probes[b].Axis));
        return best;
    }

    /// <summary>Distance between the tips' positions across the shaft (for parallel probes, the axis spacing).</summary>
    private static double LineDistance(Vec3 p, Vec3 u, Vec3 q, Vec3 w)
    {
        Vec3 d = q - p;
        Vec3 across = d - u * Vec3.Dot(d, u);
        return Vec3.Dot(u, w) > 0.999 ? across.Length : d.Length;
    }

    /// <summary>A needle direction to the tumour centre (unit, entry → centre) and the path's depth (mm).</summary>
    private readonly record struct Direction(Vec3 U, double DepthMm);

    private static List<Direction> PickDirections(TrajectoryPlan plan)
    {
        var dirs = new List<Direction>();
        double cosSep = Math.Cos(MinDirectionSeparationDeg * Math.PI / 180);
        foreach (var t in plan.Ranked)
        {
            var u = (t.Target - t.Entry).Normalized();
            bool distinct = true;
            foreach (var d in dirs) if (Vec3.Dot(d.U, u) > cosSep) { distinct = false; break; }
            if (!distinct) continue;
            dirs.Add(new Direction(u, t.LengthMm));
            if (dirs.Count == DirectionCount) break;
        }
        return dirs;
    }

    /// <summary>
    /// Apex distances tried per layout family, as fractions of the path depth behind the tumour centre: +∞ for parallel
    /// probes; for converging probes an apex at the skin (probes from nearby entries fanning to their tips), at 70 % and at
    /// 40 % of the depth (a narrow window on the way in).
    /// </summary>
    private static double[][] ApexDistances(ProbeLayout layout) => layout switch
    {
        ProbeLayout.Parallel => [[double.PositiveInfinity]],
        ProbeLayout.Converging => [[1.0, 0.7, 0.4]],
        _ => [[double.PositiveInfinity], [1.0, 0.7, 0.4]],
    };

    private static string SummariseRejections(TrajectoryPlan plan)
    {
        if (plan.CandidateCount == 0) return "there are no skin entry candidates (empty body surface or entry region)";
        var counts = new Dictionary<string, int>();
        foreach (var r in plan.Rejected)
            foreach (var reason in r.Reasons)
            {
                string key = reason.StartsWith("crosses ", StringComparison.Ordinal) ? reason.Split(';')[0]
                    : reason.StartsWith("clearance ", StringComparison.Ordinal) ? "too close to" + reason[(reason.IndexOf(" to ", StringComparison.Ordinal) + 3)..]
                    : reason.Split(' ')[0];
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        var top = counts.OrderByDescending(kv => kv.Value).Take(3).Select(kv => $"{kv.Key} ({kv.Value} of {plan.CandidateCount} entries)");
        return string.Join("; ", top);
    }

    private sealed record Layout(double Coverage, double Score, IReadOnlyList<PlannedProbe> Probes);

    /// <summary>
    /// What the layout search maximises: lethal coverage up to the goal, then a small bonus when neighbouring tips keep at
    /// least three quarters of <see cref="PlanningConstraints.ProbeSpacingMm"/> (the spacing rule, 004), then coverage
    /// beyond the goal. Among layouts that reach the goal, one that keeps the spacing rule wins.
    /// </summary>
    private double Score(double coverage, Vec3[] centres, Vec3[] axes)
    {
        bool spaced = true;
        for (int a = 0; a < centres.Length && spaced; a++)
            for (int b = a + 1; b < centres.Length && spaced; b++)
                spaced = LineDistance(centres[a] + axes[a] * Model.CentreOffsetMm, axes[a], centres[b] + axes[b] * Model.CentreOffsetMm, axes[b])
                         >= 0.75 * SpacingMm;
        return Math.Min(coverage, _c.Goals.CoverageGoal) + (spaced ? 1e-3 : 0) + 1e-6 * coverage;
    }

    /// <summary>
    /// One candidate layout: direction, ring radius, ring rotation, depth shift, stagger (mm, radians) and apex (fraction of
    /// the path depth behind the tumour centre through which every probe axis passes; +∞ for parallel probes).
    /// </summary>
    private readonly record struct LayoutParams(int Direction, double Ring, double Phase, double Depth, double Stagger, double Apex);

    private Layout? SearchLayouts(IceScene scene, List<Direction> directions, double[] apexes, int n, int[] violations, ref int pathFailures, CancellationToken ct)
    {
        double reach = scene.TumourRadiusMm + _c.Goals.TumourMarginMm;
        double minRing = n > 1 ? 0.25 * SpacingMm / (2 * Math.Sin(Math.PI / RingCount(n))) : 0;
        double axial = Model.Isotherms[^1].AxialMm + 0.5 * (Model.Isotherms[0].AxialMm - Model.Isotherms[^1].AxialMm);
        // Ring radii: seven from the smallest allowed spacing to tumour radius + margin, plus the layout of the rule
        // "outer probes about ProbeInsetMm inside the tumour edge" (004).
        var rings = new List<double>();
        if (n == 1) rings.Add(0);
        else
        {
            for (int r = 0; r < 7; r++) rings.Add(minRing + (Math.Max(minRing, reach) - minRing) * r / 6.0);
            double rule = scene.TumourRadiusMm - _c.ProbeInsetMm;
            if (rule > minRing) rings.Add(rule);
        }
        var grid = new List<LayoutParams>();
        for (int d = 0; d < directions.Count; d++)
            foreach (double ring in rings)
                for (int rot = 0; rot < (n == 1 ? 1 : 2); rot++)
                    foreach (double depth in (double[])[-4, 0, 4])
                        foreach (double stagger in n == 1 ? [0.0] : (double[])[0, 0.5 * axial, axial])
                            foreach (double apex in n == 1 ? [apexes[0]] : apexes)
                                grid.Add(new LayoutParams(d, ring, rot * Math.PI / RingCount(n), depth, stagger, apex));

        // Score of every grid layout on a fifth of the sample, in parallel; the best ones are rescored on the whole
        // sample, and constraints are checked in that order (ties by grid index, so the result is deterministic).
        var coarse = new double[grid.Count];
        Parallel.For(0, grid.Count, new ParallelOptions { CancellationToken = ct }, () => (new Vec3[n], new Vec3[n]), (t, _, buf) =>
        {
            Fill(scene, directions, grid[t], n, buf.Item1, buf.Item2);
            coarse[t] = Score(scene.SampleCoverage(Model, buf.Item1, buf.Item2, _c.Goals.LethalIsothermC, stride: 5), buf.Item1, buf.Item2);
            return buf;
        }, _ => { });
        var byCoarse = Enumerable.Range(0, grid.Count).OrderByDescending(t => coarse[t]).ThenBy(t => t).ToArray();
        var full = new double[grid.Count];
        var fullScore = new double[grid.Count];
        int top = Math.Min(RescoredLayouts, grid.Count);
        Parallel.For(0, top, new ParallelOptions { CancellationToken = ct }, r =>
        {
            var centres = new Vec3[n];
            var axes = new Vec3[n];
            Fill(scene, directions, grid[byCoarse[r]], n, centres, axes);
            full[byCoarse[r]] = scene.SampleCoverage(Model, centres, axes, _c.Goals.LethalIsothermC, stride: 1);
            fullScore[byCoarse[r]] = Score(full[byCoarse[r]], centres, axes);
        });
        var order = byCoarse.Take(top).OrderByDescending(t => fullScore[t]).ThenBy(t => t).Concat(byCoarse.Skip(top));
        Layout? best = null;
        LayoutParams bestParams = default;
        foreach (int t in order)
        {
            ct.ThrowIfCancellationRequested();
            double cov = full[t], score = fullScore[t];
            if (score == 0)
            {
                var centres = new Vec3[n];
                var axes = new Vec3[n];
                Fill(scene, directions, grid[t], n, centres, axes);
                cov = scene.SampleCoverage(Model, centres, axes, _c.Goals.LethalIsothermC, stride: 1);
                score = Score(cov, centres, axes);
            }
            var layout = TryLayout(scene, directions, grid[t], n, cov, score, violations, ref pathFailures);
            if (layout is not null) { best = layout; bestParams = grid[t]; break; }
        }
        if (best is null) return null;

        // Local refinement: coordinate steps on ring, rotation, depth and stagger, halved each round.
        double ringStep = Math.Max(1, (Math.Max(minRing, reach) - minRing) / 12), angleStep = Math.PI / (4 * RingCount(n)), lengthStep = 2;
        for (int round = 0; round < 3; round++)
        {
            bool improved = true;
            while (improved)
            {
                improved = false;
                var b = bestParams;
                double apexStep = 0.05 * lengthStep;
                LayoutParams[] moves = n == 1
                    ? [b with { Depth = b.Depth - lengthStep }, b with { Depth = b.Depth + lengthStep }]
                    : [b with { Ring = b.Ring - ringStep }, b with { Ring = b.Ring + ringStep }, b with { Phase = b.Phase - angleStep },
                       b with { Phase = b.Phase + angleStep }, b with { Depth = b.Depth - lengthStep }, b with { Depth = b.Depth + lengthStep },
                       b with { Stagger = b.Stagger - lengthStep }, b with { Stagger = b.Stagger + lengthStep },
                       b with { Apex = b.Apex - apexStep }, b with { Apex = b.Apex + apexStep }];
                foreach (var m in moves)
                {
                    if (m == b) continue;
                    if (m.Ring < minRing || m.Stagger < 0 || m.Apex < 0.2 || (double.IsFinite(m.Apex) && m.Apex > 1.2)) continue;
                    var centres = new Vec3[n];
                    var axes = new Vec3[n];
                    Fill(scene, directions, m, n, centres, axes);
                    double cov = scene.SampleCoverage(Model, centres, axes, _c.Goals.LethalIsothermC, stride: 1);
                    double score = Score(cov, centres, axes);
                    if (score <= best.Score + 1e-9) continue;
                    var layout = TryLayout(scene, directions, m, n, cov, score, violations, ref pathFailures);
                    if (layout is null) continue;
                    best = layout; bestParams = m; improved = true;
                    break;
                }
            }
            ringStep /= 2; angleStep /= 2; lengthStep /= 2;
        }
        return best;
    }

    /// <summary>The layout's probes when its 0 °C edge spares every protected voxel and every probe path is feasible, else null.</summary>
    private Layout? TryLayout(IceScene scene, List<Direction> directions, LayoutParams p, int n, double coverage, double score, int[] violations, ref int pathFailures)
    {
        var centres = new Vec3[n];
        var axes = new Vec3[n];
        Fill(scene, directions, p, n, centres, axes);
        int violated = scene.FirstViolation(Model, centres, axes);
        if (violated >= 0) { violations[violated]++; return null; }
        var probes = new List<PlannedProbe>(n);
        for (int q = 0; q < n; q++)
        {
            var probe = PlaceProbe(centres[q] + axes[q] * Model.CentreOffsetMm, axes[q]);
            if (!probe.Path.Feasible) { pathFailures++; return null; }
            probes.Add(probe);
        }
        return new Layout(coverage, score, probes);
    }

    private static int RingCount(int n) => n <= 4 ? n : n - 1;

    private static void Fill(IceScene scene, List<Direction> directions, LayoutParams p, int n, Vec3[] centres, Vec3[] axes)
    {
        var dir = directions[p.Direction];
        var u = dir.U;
        (Vec3 e1, Vec3 e2) = Basis(u);
        FillLayout(scene.TumourCentre, u, e1, e2, n, p.Ring, p.Phase, p.Depth, p.Stagger, centres, axes);
        if (!double.IsFinite(p.Apex)) return;
        // Converging: every shaft passes through the apex on the needle line behind the centre, and the staggers are
        // measured along each probe's own axis.
        Vec3 apex = scene.TumourCentre - u * (p.Apex * dir.DepthMm);
        for (int q = 0; q < n; q++)
        {
            Vec3 across = centres[q] - scene.TumourCentre - u * Vec3.Dot(centres[q] - scene.TumourCentre, u);
            Vec3 axis = (scene.TumourCentre + across - apex).Normalized();
            centres[q] = scene.TumourCentre + across + axis * Vec3.Dot(centres[q] - scene.TumourCentre, u);
            axes[q] = axis;
        }
    }

    /// <summary>
    /// Ice-ball centres of a ring layout: <paramref name="n"/> ≤ 4 probes on a ring, more as a centre probe plus a ring;
    /// ring probes alternate ± half the stagger along the shaft (staggered tip depths lengthen the lethal zone).
    /// </summary>
    private static void FillLayout(Vec3 centre, Vec3 u, Vec3 e1, Vec3 e2, int n, double ring, double phase, double depth,
        double stagger, Vec3[] centres, Vec3[] axes)
    {
        int onRing = RingCount(n);
        int at = 0;
        if (onRing < n) { centres[at] = centre + u * depth; axes[at++] = u; }
        for (int r = 0; r < onRing; r++)
        {
            double a = phase + 2 * Math.PI * r / onRing + (onRing == 4 ? Math.PI / 4 : 0);
            double shift = depth + (r % 2 == 0 ? -0.5 : 0.5) * stagger;
            centres[at] = centre + u * shift + (e1 * Math.Cos(a) + e2 * Math.Sin(a)) * (n == 1 ? 0 : ring);
            axes[at++] = u;
        }
    }

    private static (Vec3, Vec3) Basis(Vec3 u)
    {
        Vec3 helper = Math.Abs(u.Z) < 0.9 ? new Vec3(0, 0, 1) : new Vec3(1, 0, 0);
        Vec3 e1 = Vec3.Cross(u, helper).Normalized();
        return (e1, Vec3.Cross(u, e1));
    }

    /// <summary>A probe with its tip and axis; the entry is where the line back from the tip leaves the body.</summary>
    private PlannedProbe PlaceProbe(Vec3 tip, Vec3 axis)
    {
        var g = _anatomy.Geometry;
        var data = _anatomy.Labels.Data;
        double step = 0.5 * Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z));
        double limit = _c.NeedleLengthMm + 100;
        Vec3 entry = tip;
        for (double t = step; t <= limit; t += step)
        {
            Vec3 p = tip - axis * t;
            Vec3 idx = g.PhysicalToIndex(p);
            int i = (int)Math.Floor(idx.X + 0.5), j = (int)Math.Floor(idx.Y + 0.5), k = (int)Math.Floor(idx.Z + 0.5);
            if (!g.Contains(i, j, k) || data[g.LinearIndex(i, j, k)] == 0) break;
            entry = p;
        }
        if (Vec3.Distance(entry, tip) < 1e-6) entry = tip - axis * step;
        return new PlannedProbe(tip, axis, entry, _paths.Evaluate(entry, tip));
    }
}
