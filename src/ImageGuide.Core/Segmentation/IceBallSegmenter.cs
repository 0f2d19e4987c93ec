using System.Diagnostics;
using System.Globalization;
using ImageGuide.Imaging;
using ImageGuide.Model;

namespace ImageGuide.Segmentation;

/// <summary>
/// Ice-ball segmentation on intra-procedural CT with margin and safety analysis: finds the probes (or takes them),
/// segments the ice ball (subtraction with a pre-freeze CT, hypodensity without; seeded from the probes and regularised by
/// a fitted isotherm model that also fills the ice hidden in bone), then measures volume, diameters, lethal zone, tumour
/// coverage and margin, distances to critical structures with warnings, the plan comparison and the growth since an
/// earlier scan. Thread-safe; deterministic for given inputs.
/// </summary>
public sealed class IceBallSegmenter
{
    /// <summary>Creates a segmenter with the given settings (defaults when null).</summary>
    /// <exception cref="SegmentationException">A setting is out of range.</exception>
    public IceBallSegmenter(IceBallSettings? settings = null)
    {
        Settings = settings ?? IceBallSettings.Default;
        Settings.Validate();
    }

    /// <summary>The settings in use.</summary>
    public IceBallSettings Settings { get; }

    /// <summary>Segments and analyses with the ARCHITECTURE's shorthand (labels and planned temperature in the CT's own space).</summary>
    public IceBallAnalysis Analyze(Volume<float> intraOpCt, Volume<float>? preFreezeCt = null, LabelMap? labels = null, ITemperatureField? plannedTemperature = null,
        CancellationToken cancellationToken = default) =>
        Analyze(new IceBallInputs { IntraOpCt = intraOpCt, PreFreezeCt = preFreezeCt, Labels = labels, PlannedTemperature = plannedTemperature }, null, cancellationToken);

    /// <summary>Segments the ice ball and measures it.</summary>
    /// <exception cref="SegmentationException">No probe found and none given, or inputs that do not fit together.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public IceBallAnalysis Analyze(IceBallInputs inputs, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(inputs.IntraOpCt);
        var clock = Stopwatch.StartNew();
        var s = Settings;
        var intra = inputs.IntraOpCt;
        var g = intra.Geometry;
        var pre = inputs.PreFreezeCt is { } p ? OnGrid(p, g, inputs.IntraOpToPreFreeze, InterpolationMode.Linear, -1000f, cancellationToken) : null;
        progress?.Report(0.05);

        bool detected = inputs.Probes is null;
        int crossing = 0;
        var probes = inputs.Probes ?? ProbeDetector.Detect(intra, out crossing, s, cancellationToken);
        if (probes.Count == 0)
            throw new SegmentationException(
                $"No cryoprobe found in the intra-procedural CT: no straight run of ≥ {Num(s.MinProbeLengthMm)} mm above {Num(s.MetalThresholdHu)} HU. " +
                "Give the probes explicitly (tips and axes, --probes probes.json) or check that the image is in HU.");
        progress?.Report(0.15);

        var seg = IceBallSegmentation.Run(intra, pre, probes, s, new Scaled(progress, 0.15, 0.6), cancellationToken);
        var ice = seg.IceBall;
        var lethal = IceBallMeasures.LethalZone(ice, s.LethalInsetMm, cancellationToken);
        var warnings = new List<string>();
        if (crossing > 0)
            warnings.Add($"{crossing} straight metal-bright line(s) crossing the whole field of view were not taken as probes (a long bone's cortex along the scan axis, a catheter, or a probe whose tip lies outside the image); if a probe is missing, give the probes explicitly (--probes probes.json).");
        if (seg.Model is null) warnings.Add("No ice seen around the probes: the ice ball is empty (scan before freezing, or wrong pre-freeze CT?).");
        else if (seg.Model.Agreement < s.ModelAgreementWarningBelow)
            warnings.Add($"The ice seen on CT agrees with the fitted isotherm model for only {Num(100 * seg.Model.Agreement, "0")} % of the clearly classified voxels " +
                $"(below {Num(100 * s.ModelAgreementWarningBelow, "0")} %): the ice-ball edge, its volume and every margin are uncertain" +
                (pre is null ? " — without a pre-freeze CT, dark tissue such as fat planes can pass for ice; give the pre-freeze CT (iceball --pre)." : "."));
        if (seg.ExtrapolatedFraction > 0.005)
            warnings.Add($"{Num(100 * seg.ExtrapolatedFraction, "0.#")} % of the ice-ball volume lies in bone, where ice is invisible on CT: that part is not measured but " +
                $"inferred — an estimate from the isotherm model fitted to the ice visible in soft tissue around the {probes.Count} probe(s); the edge there, and any margin measured against it, is an estimate.");
        progress?.Report(0.8);

        double? coverage = null, margin = null;
        var distances = new Dictionary<string, double?>(StringComparer.OrdinalIgnoreCase);
        var clearances = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        Volume<byte>? tumour = null;
        string? missing = null;
        if (inputs.Labels is { } labels)
        {
            var lab = OnGrid(labels.Volume, g, inputs.IntraOpToLabels, InterpolationMode.Nearest, (byte)0, cancellationToken);
            var targets = new bool[256];
            foreach (var d in labels.Table.WithRole(LabelRole.Target)) targets[d.Value] = true;
            tumour = lab.Convert(v => targets[v] ? (byte)1 : (byte)0);
            long labelled = 0, tumourVoxels = 0;
            foreach (byte v in lab.Data) if (v != 0) { labelled++; if (targets[v]) tumourVoxels++; }
            if (labelled == 0)
            {
                missing = "labels";
                warnings.Add("The labels miss the intra-operative CT: none of their voxels lies in it through the labels transform, so no safety distance and no coverage could be measured — check the transform (it maps CT points to label points) and that the labels belong to this patient.");
            }
            else if (tumourVoxels == 0 && labels.Table.WithRole(LabelRole.Target).Any())
            {
                missing = "tumour";
                warnings.Add("The tumour (the labels' Target) does not lie in the intra-operative CT through the labels transform, so coverage and margin could not be measured — check the transform and the CT's field of view.");
            }
            coverage = IceBallMeasures.Coverage(tumour, lethal);
            margin = IceBallMeasures.MinMarginMm(tumour, lethal, cancellationToken);
            if (coverage is { } c && c < s.Goals.CoverageGoal)
                warnings.Add($"Lethal zone covers {Num(100 * c, "0.#")} % of the tumour (goal {Num(100 * s.Goals.CoverageGoal, "0.#")} %).");
            if (margin is { } m && m < s.Goals.TumourMarginMm)
                warnings.Add($"Smallest margin tumour → lethal edge is {Num(m, "0.0")} mm (wanted ≥ {Num(s.Goals.TumourMarginMm, "0.#")} mm).");
            foreach (var (name, dist) in IceBallMeasures.CriticalDistancesMm(ice, lab, labels.Table, s.DistanceReachMm, cancellationToken))
            {
                distances[name] = dist;
                double need = labels.Table.TryGet(name, out var def) && def.Role == LabelRole.Critical
                    ? s.Goals.RequiredClearanceMm(def)
                    : s.Goals.SkinClearanceMm + s.Goals.FusionUncertaintyMm;
                clearances[name] = need;
                if (dist is { } dd && dd < need)
                    warnings.Add(dd < 0
                        ? $"Ice reaches {Num(-dd, "0.0")} mm into {name} (clearance {Num(need, "0.#")} mm)."
                        : $"Ice edge is {Num(dd, "0.0")} mm from {name} (clearance {Num(need, "0.#")} mm).");
            }
        }
        progress?.Report(0.9);

        PlanComparison? plan = null;
        if (inputs.PlannedTemperature is { } field)
        {
            var toPlan = inputs.IntraOpToPlan ?? inputs.IntraOpToLabels ?? RigidTransform.Identity;
            plan = PlanComparison.Compute(ice, lethal, tumour, field, toPlan, probes, s, cancellationToken);
            if (plan.ShortProbeIndex is { } q)
                warnings.Add($"Ice falls short of the plan on probe {q + 1}'s side ({Num(plan.Probes[q].ShortfallMl, "0.0")} mL, up to {Num(plan.Probes[q].MaxShortfallMm, "0.0")} mm).");
        }
        IceBallGrowth? growth = inputs.PreviousIceBall is { } prev
            ? IceBallGrowth.Compute(OnGrid(prev, g, inputs.IntraOpToPrevious, InterpolationMode.Nearest, (byte)0, cancellationToken), ice, cancellationToken)
            : null;
        progress?.Report(1);

        return new IceBallAnalysis
        {
            IceBall = ice,
            LethalZone = lethal,
            Probes = probes,
            ProbesDetected = detected,
            UsedPreFreezeCt = pre is not null,
            Model = seg.Model,
            VolumeMl = IceBallMeasures.VolumeMl(ice),
            Diameters = IceBallMeasures.Diameters(ice),
            ExtrapolatedFraction = seg.ExtrapolatedFraction,
            LethalInsetMm = s.LethalInsetMm,
            LethalVolumeMl = IceBallMeasures.VolumeMl(lethal),
            LethalCoverage = coverage,
            MinMarginMm = margin,
            CriticalDistancesMm = distances,
            RequiredClearancesMm = clearances,
            Warnings = warnings,
            MissingFromCt = missing,
            Plan = plan,
            Growth = growth,
            WallTime = clock.Elapsed,
        };
    }

    /// <summary>The volume on the intra-procedural grid: itself when it already lies there, else resampled through the transform.</summary>
    private static Volume<T> OnGrid<T>(Volume<T> v, VolumeGeometry g, ISpatialTransform? transform, InterpolationMode mode, T outside, CancellationToken ct)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        bool identity = transform is null || (transform is RigidTransform rigid && rigid.MaxPointDifference(RigidTransform.Identity, [g.Origin, g.IndexToPhysical(g.Nx - 1, g.Ny - 1, g.Nz - 1)]) < 1e-6);
        return identity && v.Geometry.ApproximatelyEquals(g, 1e-4) ? v : Resampler.Resample(v, g, transform ?? RigidTransform.Identity, mode, outside, ct);
    }

    private static string Num(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Maps a sub-step's 0–1 progress into [start, start + span] of the caller's.</summary>
    private sealed class Scaled(IProgress<double>? inner, double start, double span) : IProgress<double>
    {
        public void Report(double value) => inner?.Report(start + span * value);
    }
}
