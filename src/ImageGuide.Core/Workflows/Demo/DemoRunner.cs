using System.Diagnostics;
using System.Globalization;
using ImageGuide.IO;
using ImageGuide.Imaging;
using ImageGuide.Model;
using ImageGuide.Phantoms;
using ImageGuide.Planning;
using ImageGuide.Registration;
using ImageGuide.Segmentation;
using ImageGuide.Visualization;
using ImageGuide.Workflows.Validation;

namespace ImageGuide.Workflows.Demo;

/// <summary>
/// The main job end to end on the embedded phantom, as two clinical stories. Story 1, a treatable tumour
/// (<see cref="TumourScenario.Treatable"/>): generate and write a case, read every series back through the DICOM
/// reader, register CT and CBCT to MR against the known truth, plan a needle and a cryoablation, generate the
/// intra-procedural CT with the plan's probes placed with a seeded error (<see cref="PhantomOptions.PlannedProbes"/>),
/// segment and measure the ice ball and set it against the plan. Story 2, the tumour against the CSF
/// (<see cref="TumourScenario.AgainstCanal"/>): infeasible as it lies, and the thermal-protection answer
/// (<see cref="CryoPlanner.PlanWithDissection"/>). Then snapshots, a short batch validation and the report.
/// </summary>
public static class DemoRunner
{
    /// <summary>Pixel size of the snapshots: finer than the small phantom's voxels so pictures are readable.</summary>
    private const double DisplayMm = 0.6;

    private static string F(double v, string format = "0.00") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Runs the demo into <paramref name="outDir"/> (phantom case, registrations, plan, snapshots, ice ball, report).</summary>
    /// <param name="outDir">An empty or new folder.</param>
    /// <param name="options">Phantom to generate.</param>
    /// <param name="progress">Fraction done, 0 to 1.</param>
    /// <param name="ct">Cancels between and inside steps.</param>
    public static DemoReport Run(string outDir, PhantomOptions options, IProgress<double> progress, CancellationToken ct)
    {
        var report = new DemoReport();
        string caseDir = Path.Combine(outDir, "phantom");
        var clock = Stopwatch.StartNew();

        // 1. phantom: story 1's case, a treatable tumour (story 2 generates today's tumour against the canal)
        options = options with { Tumour = TumourScenario.Treatable, PlannedProbes = null };
        var phantom = PhantomGenerator.Generate(options, null, ct);
        PhantomCaseWriter.Write(phantom, caseDir, null, ct);
        var facts = new List<(string, string)>
        {
            ("seed / size / probes", $"{options.Seed} / {options.Size} / {options.ProbeCount}"),
            ("tumour", $"treatable: {F(TumourMl(phantom.DiagnosticCt))} mL at the lateral wall of {phantom.Anatomy.Levels[phantom.Anatomy.TumourLevelIndex].Name}, placed farthest from canal, roots and vessels (phantom --tumour treatable)"),
            ("folder", Path.GetRelativePath(outDir, caseDir)),
            ("generated and written in", $"{F(clock.Elapsed.TotalSeconds, "0.0")} s"),
        };
        foreach (var f in phantom.Frames) facts.Add((f.Name, $"{f.Geometry.Nx}×{f.Geometry.Ny}×{f.Geometry.Nz} at {F(f.Geometry.Spacing.X)}×{F(f.Geometry.Spacing.Y)}×{F(f.Geometry.Spacing.Z)} mm"));
        report.Add("Phantom case", "done", facts);
        progress.Report(0.15);

        // 2. every series back through the DICOM reader
        var loaded = new Dictionary<string, Volume<float>>();
        facts = [];
        foreach (var f in phantom.Frames)
        {
            ct.ThrowIfCancellationRequested();
            string series = Path.Combine(caseDir, PhantomCaseWriter.SeriesPath(f));
            var img = VolumeReader.Read(series, cancellationToken: ct).Volume;
            loaded[f.Name] = img;
            var g = img.Geometry;
            double dev = Math.Max(Vec3.MaxAbsDifference(g.Origin, f.Geometry.Origin), Math.Max(Vec3.MaxAbsDifference(g.Spacing, f.Geometry.Spacing),
                Mat3.MaxAbsDifference(g.Direction, f.Geometry.Direction)));
            long differing = 0;
            for (long n = 0; n < img.Data.LongLength; n++) if (img.Data[n] != f.Image.Data[n]) differing++;
            facts.Add((f.Name, $"{Path.GetRelativePath(outDir, series)}: geometry within {dev:0.0e0} mm of the generator's, {(differing == 0 ? "all voxels identical" : $"{differing} voxels differ")}"));
        }
        report.Add("DICOM read-back", "done", facts);
        progress.Report(0.25);

        // 3. registration CT → MR and CBCT → MR, judged against the phantom's own pose bookkeeping
        var regDir = Directory.CreateDirectory(Path.Combine(outDir, "registration")).FullName;
        var results = new Dictionary<string, (RigidTransform Transform, TreStatistics Tre)>();
        facts = [];
        foreach (var (fixedFrame, preset) in new[] { (phantom.DiagnosticCt, "ct-mr"), (phantom.Cbct, "cbct-mr") })
        {
            var moving = phantom.MrT1;
            var truth = PhantomCase.TransformBetween(fixedFrame, moving);
            var body = new Volume<byte>(fixedFrame.Geometry);
            for (long n = 0; n < body.Data.LongLength; n++) body.Data[n] = (byte)(fixedFrame.Labels.Data[n] != 0 ? 1 : 0);
            var points = MaskSampling.RandomPoints(body, 2000, 1);
            var start = RegistrationEvaluation.Tre(RigidTransform.Identity, truth, points);
            // CBCT: sample only inside its reconstructed cylinder, as the cbct-mr preset asks
            var fixedMask = preset == "cbct-mr" ? FieldOfViewMask.FromFillValue(loaded[fixedFrame.Name]) : null;
            // The phantom places every acquisition in one patient frame (its truth is the patient's motion between
            // scans, ≤ 30 mm and 15°), so the demo trusts patient coordinates (register --start patient); its
            // DICOM series still carry one Frame of Reference each, as separate sessions do. On this repetitive,
            // nearly symmetric phantom a global search finds levels and turns that score alike: the verdict would say
            // so (ambiguous), which is why real unrelated frames are tested on real data (README, "Fusion you can trust").
            var settings = RegistrationPreset.Get(preset) with { Initializer = InitializerKind.None };
            var r = new RigidRegistration(settings).Execute(loaded[fixedFrame.Name], loaded[moving.Name], new RegistrationInputs { FixedMask = fixedMask }, ct);
            var tre = RegistrationEvaluation.Tre(r.Transform, truth, points);
            var landmarkTre = LandmarkTre(fixedFrame, moving, r.Transform);
            string name = $"{fixedFrame.Acquisition}-to-mr";
            TransformIO.Write(r.Transform, Path.Combine(regDir, name + ".tfm"));
            results[fixedFrame.Acquisition] = (r.Transform, tre);
            facts.Add(($"{fixedFrame.Name} → MR T1 ({preset})",
                $"TRE over 2000 body points: median {F(tre.Median)}, p95 {F(tre.P95)}, max {F(tre.Max)} mm (start: median {F(start.Median, "0.0")} mm); " +
                $"landmarks ({landmarkTre.Count}): median {F(landmarkTre.Median)}, max {F(landmarkTre.Max)} mm; {F(r.WallTime.TotalSeconds)} s; registration/{name}.tfm; " +
                $"verdict {r.Verdict} (MI {F(r.Verdict.Signals.MutualInformation ?? double.NaN)}, null z {F(r.Verdict.Signals.NullZScore ?? double.NaN, "0.0")}, " +
                $"inverse consistency {F(r.Verdict.Signals.InverseConsistencyMm ?? double.NaN)} mm)"));
            progress.Report(0.25 + 0.15 * results.Count);
        }
        report.Add("Registration (Mattes MI, rigid)", "done", facts);

        // 3b. posture: the CT's spine bent as prone differs from supine, fused per vertebra
        report.Add("Per-vertebra fusion (posture change)", "done", DemoPosture.Run(outDir, phantom, loaded[phantom.MrT1.Name], ct));

        // 4. story 1 — a treatable tumour: planning on the CT labels, with the CT→MR p95 TRE as fusion uncertainty
        var planDir = Directory.CreateDirectory(Path.Combine(outDir, "planning")).FullName;
        var labels = LabelMap.Read(Path.Combine(caseDir, "ct", "labels.nii.gz"), Path.Combine(caseDir, "labels.json"), ct);
        var constraints = PlanningConstraints.Default with { Goals = AblationGoals.Default with { FusionUncertaintyMm = Math.Round(results["ct"].Tre.P95, 2) } };
        var ct0 = loaded["ct"];
        var (plan, cryo, planFacts, planImages) = PlanStory(outDir, planDir, labels, ct0, constraints, clock, ct);
        report.Add("Story 1: planning (treatable tumour, needle + cryoprobes)", "done", planFacts, planImages);
        progress.Report(0.62);

        // 5. story 1 — the procedure: the intra-procedural CT with the probes where the plan put them, placed with error
        var (procedure, procedureFacts) = PlaceProbes(outDir, options, cryo, ct);
        var procedureDir = Path.Combine(outDir, "procedure");
        foreach (var f in new[] { procedure.PreFreezeCt, procedure.IntraOpCt })
            loaded[f.Name] = VolumeReader.Read(Path.Combine(procedureDir, PhantomCaseWriter.SeriesPath(f)), cancellationToken: ct).Volume;
        report.Add("Story 1: probes placed as planned (intra-procedural CT)", "done", procedureFacts);
        progress.Report(0.68);

        // 6. ice ball on the intra-procedural CT, with and without the pre-freeze CT, judged against the phantom's true mask
        facts = IceBall(outDir, procedure, loaded, labels, cryo, constraints, images: out var iceImages, ct);
        report.Add("Ice-ball segmentation and margins", "done", facts, iceImages);
        progress.Report(0.75);

        // 7. story 2 — today's tumour against the CSF: infeasible as the anatomy lies, and the thermal-protection answer
        report.Add("Story 2: tumour against the CSF (thermal protection)", "done", ThermalProtectionStory(outDir, options, constraints, out var story2Images, ct), story2Images);
        progress.Report(0.85);

        // 8. snapshots
        var snapDir = Directory.CreateDirectory(Path.Combine(outDir, "snapshots")).FullName;
        var anatomy = PlanningAnatomy.Create(labels, null, ct);
        var target = anatomy.TargetCentroid();
        var lines = plan.Ranked.Take(1).Select(t => new TrajectoryLine(t.Entry, t.Target)).Concat(cryo.Probes.Select(p => new TrajectoryLine(p.Entry, p.Tip))).ToList();
        var images = new List<string>();
        Func<Vec3, double>? isotherms = cryo.Probes.Count == 0 ? null
            : new ProbeTemperatureField(cryo.Model, cryo.Probes.Select(p => (p.Tip, p.Axis)).ToList()).TemperatureAt;
        void Snap(string file, SnapshotRequest request)
        {
            PngExport.Write(FusionSnapshot.Render(request), Path.Combine(snapDir, file));
            images.Add("snapshots/" + file);
        }
        Snap("ct-axial-plan.png", new SnapshotRequest { Image = ct0, Plane = SlicePlane.Axial(ct0.Geometry, target, DisplayMm), Labels = labels, Trajectories = lines, Temperature = isotherms });
        if (plan.Best is { } b)
            Snap("needle-plane.png", new SnapshotRequest { Image = ct0, Plane = SlicePlane.AlongNeedle(b.Entry, b.Target), Labels = labels, Trajectories = [new TrajectoryLine(b.Entry, b.Target)], Temperature = isotherms });
        Snap("ct-mr-checkerboard.png", new SnapshotRequest { Image = ct0, Plane = SlicePlane.Axial(ct0.Geometry, target, DisplayMm), Overlay = loaded["mr-t1"], ImageToOverlay = results["ct"].Transform, Mode = FusionMode.Checkerboard, TilePixels = 48 });
        Snap("ct-mr-sagittal-fusion.png", new SnapshotRequest { Image = ct0, Plane = SlicePlane.Sagittal(ct0.Geometry, target, DisplayMm), Window = WindowLevel.CtBone, Overlay = loaded["mr-t1"], ImageToOverlay = results["ct"].Transform, Opacity = 0.45 });
        var cbct = loaded["cbct"];
        var cbctTarget = PhantomCase.TransformBetween(phantom.DiagnosticCt, phantom.Cbct).TransformPoint(target);
        Snap("cbct-mr-checkerboard.png", new SnapshotRequest { Image = cbct, Plane = SlicePlane.Axial(cbct.Geometry, cbctTarget, DisplayMm), Overlay = loaded["mr-t1"], ImageToOverlay = results["cbct"].Transform, Mode = FusionMode.Checkerboard, TilePixels = 48 });
        var intra = loaded["ct-intraop"];
        var tip = procedure.ProbesIn(procedure.IntraOpCt)[0].Tip;
        Snap("intraop-ct-axial.png", new SnapshotRequest { Image = intra, Plane = SlicePlane.Axial(intra.Geometry, tip, DisplayMm), Window = WindowLevel.CtSoftTissue });
        report.Add("Snapshots", "done", [("folder", "snapshots/ (PNG; checkerboards show the registered MR in alternate tiles; planned isotherms 0/−20/−40 °C in cyan/blue/magenta)")], images.ToArray());
        progress.Report(0.88);

        // 7. batch fusion validation, short: the next seed's CT→MR and CBCT→MR through the validate workflow
        var validation = ShortValidation(Path.Combine(outDir, "validation"), options, ct);
        facts = validation.Results.Select(r => (r.CaseId, r.Tre is { } t
            ? $"TRE over {t.Count} body points: median {F(t.Median)}, p95 {F(t.P95)}, max {F(t.Max)} mm; {F(r.Seconds, "0.0")} s"
            : "failed: " + r.Failure)).ToList();
        facts.Add(("pooled p95 TRE (planning feed)", validation.PooledP95Mm is { } p95 ? $"{F(p95)} mm (imageguide plan --uncertainty-from validation/report.json)" : "no case succeeded"));
        facts.Add(("report", "validation/report.md (and report.html, self-contained), report.json, report.csv; the full set: imageguide validate testdata/validation.json --out DIR [--compare elastix]"));
        report.Add("Batch fusion validation", "done", facts, "validation/plots/tre-cases.png");
        progress.Report(0.95);
        report.Write(outDir, $"ImageGuide demo — phantom seed {options.Seed.ToString(CultureInfo.InvariantCulture)}");
        progress.Report(1);
        return report;
    }

    /// <summary>Angle (degrees) between target → entry and the patient's posterior direction (+y in LPS).</summary>
    private static double FromPosteriorDeg(Vec3 entry, Vec3 target) =>
        Math.Acos(Math.Clamp((entry - target).Normalized().Y, -1, 1)) * 180 / Math.PI;

    /// <summary>Fraction of the frame's true tumour voxels inside <paramref name="mask"/> (same grid).</summary>
    private static double TumourCoverage(PhantomFrame frame, Volume<byte> mask)
    {
        long tumour = 0, inside = 0;
        var data = frame.Labels.Data;
        for (long i = 0; i < data.LongLength; i++)
            if (data[i] == SpineLabels.Tumour)
            {
                tumour++;
                if (mask.Data[i] != 0) inside++;
            }
        return tumour == 0 ? 0 : (double)inside / tumour;
    }

    /// <summary>Tumour volume (mL) of a frame's truth labels.</summary>
    private static double TumourMl(PhantomFrame frame)
    {
        long n = 0;
        var data = frame.Labels.Data;
        for (long i = 0; i < data.LongLength; i++) if (data[i] == SpineLabels.Tumour) n++;
        var s = frame.Geometry.Spacing;
        return n * s.X * s.Y * s.Z / 1000;
    }

    /// <summary>
    /// Story 1's plan: the needle search and the cryoablation (through <see cref="CryoPlanner.PlanWithDissection"/>, which
    /// says whether protection is needed at all), written as planning/plan.json and .mrk.json with the plan's snapshots.
    /// </summary>
    private static (TrajectoryPlan Plan, CryoPlan Cryo, List<(string, string)> Facts, string[] Images) PlanStory(string outDir, string planDir,
        LabelMap labels, Volume<float> image, PlanningConstraints constraints, Stopwatch clock, CancellationToken ct)
    {
        var started = clock.Elapsed;
        var anatomy = PlanningAnatomy.Create(labels, null, ct);
        var paths = new TrajectoryPlanner(anatomy, constraints);
        var plan = paths.Plan(anatomy.TargetCentroid(), (Volume<byte>?)null, null, ct);
        var cryo = new CryoPlanner(paths).PlanWithDissection(null, null, ct);
        File.WriteAllText(Path.Combine(planDir, "plan.json"), PlanJson.Serialize(plan, cryo));
        File.WriteAllText(Path.Combine(planDir, "plan.mrk.json"), PlanMarkups.Format(plan.Ranked.Take(3), cryo.Probes));
        var facts = new List<(string, string)>
        {
            ("fusion uncertainty added to clearances", $"{F(constraints.Goals.FusionUncertaintyMm)} mm (CT→MR p95 TRE)"),
            ("entry candidates", $"{plan.CandidateCount}: {plan.Ranked.Count} feasible, {plan.Rejected.Count} rejected, {plan.ParetoOptimal.Count} Pareto-optimal"),
        };
        if (plan.Best is { } best)
            facts.Add(("best trajectory", $"{F(best.LengthMm, "0.0")} mm, in-plane {F(best.InPlaneAngleDeg, "0.0")}°, cranio-caudal {F(best.CraniocaudalAngleDeg, "0.0")}°, " +
                $"entry {F(FromPosteriorDeg(best.Entry, best.Target), "0.0")}° from posterior (allowed ≤ {F(constraints.MaxAngleFromPosteriorDeg, "0")}°: prone, entered from the back), clearances " +
                string.Join(", ", best.ClearancesMm.OrderBy(c => c.Value).Take(4).Select(c => $"{c.Key} {F(c.Value, "0.0")} mm"))));
        foreach (var reason in plan.Rejected.SelectMany(t => t.Reasons).Distinct().Take(3)) facts.Add(("a rejection reason", reason));
        facts.Add(("cryoablation as the anatomy lies", cryo.FeasibleWithoutDissection ? "feasible without protection (no dissection needed)" : cryo.ReasonWithoutDissection ?? "infeasible"));
        if (cryo.Dissection.Count > 0)
            facts.Add(("thermal protection answer", "feasible with hydro/CO2-dissection: " + string.Join(", ", cryo.Dissection.Select(d => d.Describe(cryo.ThermalProtection)))));
        facts.Add(("cryoablation", cryo.Feasible
            ? $"{cryo.Probes.Count} probes ({cryo.Model.Name}, {(cryo.Layout == ProbeLayout.Converging ? "converging" : "parallel")}), lethal (−20 °C) coverage of tumour + {F(constraints.Goals.TumourMarginMm, "0")} mm margin {F(100 * cryo.LethalCoverage, "0.0")} % (goal {F(100 * constraints.Goals.CoverageGoal, "0")} %), min margin {F(cryo.MinMarginMm, "0.0")} mm"
            : cryo.InfeasibleReason ?? "infeasible"));
        if (cryo.IceToCriticalMm.Count > 0)
            facts.Add(("0 °C edge to critical structures", string.Join(", ", cryo.IceToCriticalMm.OrderBy(c => c.Value).Select(c => $"{c.Key} {(double.IsFinite(c.Value) ? F(c.Value, "0.0") + " mm" : "beyond reach")}"))));
        foreach (var w in cryo.Warnings) facts.Add(("warning", w));
        foreach (var t in cryo.ThermalProtection) facts.Add(("thermal protection", t.Describe()));
        facts.Add(("planned in", $"{F((clock.Elapsed - started).TotalSeconds, "0.0")} s"));
        facts.Add(("files", "planning/plan.json, planning/plan.mrk.json (open in 3D Slicer), planning/plan-*.png"));
        var images = PlanSnapshots.Write(planDir, "plan", image, labels, plan, cryo).Select(f => "planning/" + Path.GetFileName(f)).ToArray();
        return (plan, cryo, facts, images);
    }

    /// <summary>
    /// Story 1's procedure: the same case generated again with the plan's probes (<see cref="PhantomOptions.PlannedProbes"/>)
    /// placed with the seeded placement error, written to procedure/; the facts give each probe's error from the generator's truth.
    /// </summary>
    private static (PhantomCase Procedure, List<(string, string)> Facts) PlaceProbes(string outDir, PhantomOptions options, CryoPlan cryo, CancellationToken ct)
    {
        if (!cryo.Feasible || cryo.Probes.Count == 0)
            throw new ImageGuideException($"The demo's treatable case (seed {options.Seed.ToString(CultureInfo.InvariantCulture)}) has no feasible cryoablation plan: {cryo.InfeasibleReason}; choose another seed.");
        var planned = cryo.Probes.Select(p => new CryoProbe(p.Entry, p.Tip, options.ProbeDiameterMm)).ToList();
        // the freeze is the plan's own cooling model (the catalogue's isotherms, summed over the probes, lethal at the plan's
        // −20 °C): what differs from the plan is where the probes went
        var zero = cryo.Model.Isotherms.First(i => i.TemperatureC == 0);
        var freeze = new CryoIsothermModel
        {
            Cooling = cryo.Model.Cryo ?? throw new ImageGuideException($"The demo freezes with cryoprobes; the plan's model {cryo.Model.Name} is not one."),
            LethalIsothermC = cryo.Constraints.Goals.LethalIsothermC,
        };
        var procedure = PhantomGenerator.Generate(options with { PlannedProbes = planned, Isotherm = freeze }, null, ct);
        PhantomCaseWriter.Write(procedure, Path.Combine(outDir, "procedure"), null, ct);
        var placed = procedure.ProbesIn(procedure.DiagnosticCt);
        var facts = new List<(string, string)>
        {
            ("placement", $"{planned.Count} probes of the plan placed into the pre-freeze and intra-procedural CTs, tip and entry each off by a seeded Gaussian error of {F(options.ProbePlacementErrorSdMm, "0.0")} mm SD per axis (CryoMC)"),
            ("freeze", $"each probe's ice as the plan's model ({cryo.Model.Name}): 0 °C ellipsoid {F(zero.RadialMm, "0.#")} × {F(zero.AxialMm, "0.#")} mm centred {F(cryo.Model.CentreOffsetMm, "0.#")} mm behind the tip, lethal edge its {F(freeze.LethalIsothermC, "0")} °C isotherm ({F(freeze.Lethal.RadialMm, "0.#")} × {F(freeze.Lethal.AxialMm, "0.#")} mm); the probes' cooling summed as the planner sums it, so the ice ball is where the plan's model puts it for the probes as placed"),
        };
        for (int n = 0; n < planned.Count; n++)
            facts.Add(($"probe {n + 1}", $"tip {F(Vec3.Distance(placed[n].Tip, planned[n].Tip))} mm from the plan, entry {F(Vec3.Distance(placed[n].Entry, planned[n].Entry))} mm, axis {F(Math.Acos(Math.Clamp(Vec3.Dot(placed[n].Axis, planned[n].Axis), -1, 1)) * 180 / Math.PI, "0.0")}° off"));
        facts.Add(("folder", "procedure/ (the same case with the plan's probes: procedure/intraop/probes.json holds tip, entry and the planned tip and entry)"));
        return (procedure, facts);
    }

    /// <summary>
    /// Story 2: today's tumour against the CSF (phantom --tumour against-canal, same seed), planned with the dissection
    /// search: infeasible as the anatomy lies, then the separation and thermocouples that would make it feasible.
    /// </summary>
    private static List<(string, string)> ThermalProtectionStory(string outDir, PhantomOptions options, PlanningConstraints constraints,
        out string[] images, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var caseOptions = options with { Tumour = TumourScenario.AgainstCanal, PlannedProbes = null };
        var phantom = PhantomGenerator.Generate(caseOptions, null, ct);
        string caseDir = Path.Combine(outDir, "phantom-against-canal");
        PhantomCaseWriter.Write(phantom, caseDir, null, ct);
        var labels = LabelMap.Read(Path.Combine(caseDir, "ct", "labels.nii.gz"), Path.Combine(caseDir, "labels.json"), ct);
        var planDir = Directory.CreateDirectory(Path.Combine(outDir, "planning-against-canal")).FullName;
        var anatomy = PlanningAnatomy.Create(labels, null, ct);
        var paths = new TrajectoryPlanner(anatomy, constraints);
        var plan = paths.Plan(anatomy.TargetCentroid(), (Volume<byte>?)null, null, ct);
        var cryo = new CryoPlanner(paths).PlanWithDissection(null, null, ct);
        File.WriteAllText(Path.Combine(planDir, "plan.json"), PlanJson.Serialize(plan, cryo));
        var facts = new List<(string, string)>
        {
            ("case", $"phantom-against-canal/: seed {options.Seed.ToString(CultureInfo.InvariantCulture)}, the tumour {F(TumourMl(phantom.DiagnosticCt))} mL in {phantom.Anatomy.Levels[phantom.Anatomy.TumourLevelIndex].Name} with a soft-tissue component toward the nerve root, 2.5 mm from the canal (phantom --tumour against-canal)"),
            ("fusion uncertainty added to clearances", $"{F(constraints.Goals.FusionUncertaintyMm)} mm (story 1's CT→MR p95 TRE)"),
            ("cryoablation as the anatomy lies", cryo.FeasibleWithoutDissection ? "feasible without protection" : "infeasible: " + (cryo.ReasonWithoutDissection ?? "")),
        };
        if (cryo.Dissection.Count > 0)
            facts.Add(("thermal protection answer", "feasible with hydro/CO2-dissection: " + string.Join(", ", cryo.Dissection.Select(d => d.Describe(cryo.ThermalProtection)))));
        facts.Add(("cryoablation with the dissection", cryo.Feasible
            ? $"{cryo.Probes.Count} probes ({cryo.Model.Name}), lethal coverage of tumour + margin {F(100 * cryo.LethalCoverage, "0.0")} %, min margin {F(cryo.MinMarginMm, "0.0")} mm"
            : cryo.InfeasibleReason ?? "infeasible even with dissection"));
        foreach (var t in cryo.ThermalProtection) facts.Add(("thermal protection", t.Describe()));
        foreach (var w in cryo.Warnings) facts.Add(("warning", w));
        facts.Add(("planned in", $"{F(clock.Elapsed.TotalSeconds, "0.0")} s (case generated and written, dissection search and thermocouple paths)"));
        facts.Add(("files", "planning-against-canal/plan.json (dissection, thermalProtection, feasibleWithoutDissection), planning-against-canal/plan-*.png; imageguide plan --labels phantom-against-canal/ct/labels.nii.gz --label-table phantom-against-canal/labels.json gives the same answer"));
        var ctImage = VolumeReader.Read(Path.Combine(caseDir, PhantomCaseWriter.SeriesPath(phantom.DiagnosticCt)), cancellationToken: ct).Volume;
        images = PlanSnapshots.Write(planDir, "plan", ctImage, labels, plan, cryo).Select(f => "planning-against-canal/" + Path.GetFileName(f)).ToArray();
        return facts;
    }

    private static ValidationReport ShortValidation(string folder, PhantomOptions options, CancellationToken ct)
    {
        string seed = (options.Seed + 1).ToString(CultureInfo.InvariantCulture), size = options.Size.ToString().ToLowerInvariant();
        string json = $$"""
            { "trePoints": 500, "cases": [
              { "id": "phantom-{{seed}}-ct-mr", "phantom": { "seed": {{seed}}, "fixed": "DiagnosticCt", "moving": "MrT1", "size": "{{size}}" } },
              { "id": "phantom-{{seed}}-cbct-mr", "phantom": { "seed": {{seed}}, "fixed": "Cbct", "moving": "MrT1", "size": "{{size}}" } } ] }
            """;
        var manifest = ValidationManifestReader.Parse(json, folder, "demo validation set");
        return new ValidationRunner(new ValidationOptions { OutputDirectory = folder }).Run(manifest, null, ct);
    }

    /// <summary>
    /// Runs <see cref="IceBallSegmenter"/> on story 1's intra-procedural CT twice (with and without the pre-freeze CT), with
    /// the planning labels and plan brought in through the phantom's true intra-op → CT transform; writes the
    /// with-subtraction outputs to iceball/, compares both with the true ice ball, and says whether the ice confirms the plan.
    /// </summary>
    private static List<(string, string)> IceBall(string outDir, PhantomCase phantom, Dictionary<string, Volume<float>> loaded, LabelMap labels,
        CryoPlan cryo, PlanningConstraints constraints, out string[] images, CancellationToken ct)
    {
        var toCt = PhantomCase.TransformBetween(phantom.IntraOpCt, phantom.DiagnosticCt);
        var plan = PlanFile.Read(Path.Combine(outDir, "planning", "plan.json"));
        var truth = phantom.IntraOpTruth.IceBall;
        var facts = new List<(string, string)>();
        // the lethal edge where the plan's probe model puts it: its −20 °C isotherm lies this far inside the 0 °C edge across
        // the shaft (the freeze of PlaceProbes uses the same inset), instead of the generic 5 mm default
        var zero = cryo.Model.Isotherms.First(i => i.TemperatureC == 0);
        var lethalIso = cryo.Model.Isotherms.First(i => i.TemperatureC == cryo.Constraints.Goals.LethalIsothermC);
        var settings = IceBallSettings.Default with { LethalInsetMm = zero.RadialMm - lethalIso.RadialMm, Goals = constraints.Goals };
        IceBallAnalysis? withPre = null;
        foreach (bool usePre in new[] { true, false })
        {
            var a = new IceBallSegmenter(settings).Analyze(new IceBallInputs
            {
                IntraOpCt = loaded["ct-intraop"],
                PreFreezeCt = usePre ? loaded["ct-prefreeze"] : null,
                Labels = labels,
                IntraOpToLabels = toCt,
                PlannedTemperature = plan.ProbeField,
            }, null, ct);
            withPre ??= a;
            double dice = IceBallMeasures.Dice(a.IceBall, truth), vTrue = IceBallMeasures.VolumeMl(truth);
            var d = a.Diameters;
            facts.Add((usePre ? "with pre-freeze CT (subtraction)" : "without pre-freeze CT (hypodensity)",
                $"Dice {F(dice, "0.000")} vs the true ice ball, volume {F(a.VolumeMl)} mL (true {F(vTrue)} mL), mean surface distance " +
                $"{F(IceBallMeasures.MeanSurfaceDistanceMm(a.IceBall, truth))} mm, {a.Probes.Count} of {phantom.IntraOpTruth.Probes.Count} probes detected, {F(100 * (1 - a.ExtrapolatedFraction), "0.0")} % of the volume measured in soft tissue and {F(100 * a.ExtrapolatedFraction, "0.0")} % inferred in bone (invisible on CT: an estimate from the isotherm model fitted to the visible ice), " +
                $"{F(a.WallTime.TotalSeconds)} s"));
            if (!usePre) continue;
            foreach (var t in phantom.IntraOpTruth.Probes)
            {
                ProbeAxis? nearest = null;
                foreach (var q in a.Probes) if (nearest is null || Vec3.Distance(q.Tip, t.Tip) < Vec3.Distance(nearest.Tip, t.Tip)) nearest = q;
                if (nearest is null) continue;
                facts.Add(($"detected probe nearest the true probe at {F(t.Tip.X, "0.0")}, {F(t.Tip.Y, "0.0")}, {F(t.Tip.Z, "0.0")}",
                    $"tip {F(Vec3.Distance(nearest.Tip, t.Tip))} mm from the true tip, axis {F(Math.Acos(Math.Clamp(Vec3.Dot(nearest.Axis, t.Axis), -1, 1)) * 180 / Math.PI, "0.0")}° off"));
            }
            facts.Add(("diameters", d is null ? "—" : $"{F(d.LongMm, "0.0")} × {F(d.MidMm, "0.0")} × {F(d.ShortMm, "0.0")} mm"));
            facts.Add(("lethal zone", $"0 °C edge inset by {F(a.LethalInsetMm, "0.#")} mm: tumour coverage {F(100 * (a.LethalCoverage ?? 0), "0.0")} %, min margin {F(a.MinMarginMm ?? double.NaN, "0.0")} mm"));
            facts.Add(("ice edge to critical structures", string.Join(", ", a.CriticalDistancesMm.Select(c => $"{c.Key} {(c.Value is { } v ? F(v, "0.0") + " mm" : "beyond reach")}"))));
            if (a.Plan is { } pc)
                facts.Add(("plan vs actual", $"Dice with the planned 0 °C isotherm {F(pc.Dice, "0.000")}, tumour lost against the plan {F(100 * (pc.UnderCoveredTumourFraction ?? 0), "0.0")} %" +
                    (pc.ShortProbeIndex is { } q ? $", shortest side: probe {q + 1} ({F(pc.Probes[q].ShortfallMl)} mL)" : "")));
            foreach (var w in a.Warnings) facts.Add(("warning", w));
            facts.Add(("truth (the generator's masks)", FormattableString.Invariant(
                $"the true ice ball covers {100 * TumourCoverage(phantom.IntraOpCt, phantom.IntraOpTruth.IceBall):0.0} % of the tumour, the true lethal zone {100 * TumourCoverage(phantom.IntraOpCt, phantom.IntraOpTruth.LethalZone):0.0} %, ") +
                $"true min margin {F(IceBallMeasures.MinMarginMm(phantom.IntraOpCt.TumourMask, phantom.IntraOpTruth.LethalZone, ct) ?? double.NaN, "0.0")} mm"));
            double goal = constraints.Goals.CoverageGoal;
            bool confirms = a.LethalCoverage is { } cov && cov >= goal;
            facts.Add(("the ice against the plan", FormattableString.Invariant(
                $"plan: {100 * cryo.LethalCoverage:0.0} % of tumour + margin at −20 °C, min margin {cryo.MinMarginMm:0.0} mm; ice ball: {100 * (a.LethalCoverage ?? 0):0.0} % of the tumour inside the lethal zone, min margin {a.MinMarginMm ?? double.NaN:0.0} mm — ") +
                (confirms ? $"confirms the plan (coverage ≥ the {F(100 * goal, "0")} % goal)" : $"questions the plan (coverage below the {F(100 * goal, "0")} % goal: freeze longer or add a probe)")));
        }
        string iceDir = Path.Combine(outDir, "iceball");
        IceballWorkflow.Write(iceDir, loaded["ct-intraop"], withPre!, labels, toCt, ct);
        facts.Add(("files", "iceball/iceball.nii.gz, iceball/lethal.nii.gz, iceball/report.json, iceball/iceball-dicom/, iceball/snapshots/"));
        images = Directory.GetFiles(Path.Combine(iceDir, IceballWorkflow.SnapshotFolder), "*.png").Order()
            .Select(f => "iceball/snapshots/" + Path.GetFileName(f)).ToArray();
        return facts;
    }

    private static TreStatistics LandmarkTre(PhantomFrame fixedFrame, PhantomFrame moving, RigidTransform estimate)
    {
        static List<Landmark> AsLandmarks(PhantomFrame f) => f.Landmarks.Select(l => new Landmark(l.Name, l.Position)).ToList();
        var pairs = LandmarkPairs.Match(AsLandmarks(fixedFrame), AsLandmarks(moving));
        return RegistrationEvaluation.Tre(estimate, pairs.Fixed, pairs.Moving);
    }
}
